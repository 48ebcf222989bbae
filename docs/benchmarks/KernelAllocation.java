import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * Whether the surrogate's vector kernels run compiled in this JVM (docs/benchmarks.md, "Vector
 * kernels left uncompiled"). Two threads ("A" and "B") call the surrogate's fused path
 * (evaluateAndBackpropagate, 64 random rows of the box per call, seed = the thread's id) for the
 * given seconds and print, per 150 calls, the thread CPU time per row (µs) and the bytes the thread
 * allocated per row. Compiled, a row allocates nothing (2 401 bytes, the upstream gradient's buffer,
 * before that buffer was kept per thread on 2026-12-07); where
 * the JIT left vector kernels uncompiled, the vector API allocates for every operation (tens to
 * thousands of kilobytes per row). -Dsep=true gives each thread its own surrogate. Write to a file
 * with -Dlog=FILE (the JIT's own output, with -XX:+PrintCompilation, then stays apart).
 *
 * Usage: java [-Dsep=true] [-Dlog=FILE] --add-modules jdk.incubator.vector -cp JAR docs/benchmarks/KernelAllocation.java SECONDS
 */
public class KernelAllocation {

    public static void main(String[] a) throws Exception {
        boolean sep = Boolean.getBoolean("sep");
        String file = System.getProperty("log");
        java.io.PrintStream log = file == null ? System.out : new java.io.PrintStream(new java.io.FileOutputStream(file), true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace sp = s.parameters();
        int p = sp.size();
        int nq = s.qSize();
        int batch = 64;
        double secs = Double.parseDouble(a[0]);
        long start = System.nanoTime();
        Runnable job = () -> {
            Surrogate own = sep ? Surrogate.loadDefault() : s;
            SplittableRandom rng = new SplittableRandom(Thread.currentThread().getId());
            double[] th = new double[batch * p];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < p; j++) {
                    double lo = sp.get(j).lower();
                    double hi = sp.get(j).upper();
                    th[b * p + j] = lo + rng.nextDouble() * (hi - lo);
                }
            }
            double[] out = new double[batch * nq];
            double[] d = new double[batch * p];
            long id = Thread.currentThread().getId();
            while ((System.nanoTime() - start) / 1e9 < secs) {
                long t0 = threads.getCurrentThreadCpuTime();
                long al0 = threads.getThreadAllocatedBytes(id);
                for (int c = 0; c < 150; c++) {
                    own.evaluateAndBackpropagate(th, batch, out, (o, n, g) -> Arrays.fill(g, 1e-3), d);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                long al1 = threads.getThreadAllocatedBytes(id);
                log.printf(Locale.ROOT, "%s %6.1f s: %.2f us/row cpu %.0f B/row%n", Thread.currentThread().getName(),
                        (System.nanoTime() - start) / 1e9, (t1 - t0) / 1e3 / 150 / batch, (al1 - al0) / 150.0 / batch);
            }
        };
        Thread t1 = new Thread(job, "A");
        Thread t2 = new Thread(job, "B");
        t1.start();
        t2.start();
        t1.join();
        t2.join();
    }
}
