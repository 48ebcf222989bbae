import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.model.FitModels;

/**
 * How busy the fit objective keeps its lanes (issue 14, "Lanes that take the next chunk" in
 * docs/benchmarks.md). The `lnp` model bound to a curve (the README's example by default), 512
 * starts at random unconstrained coordinates (seed 3), and the objective's fused value and
 * gradient called over and over on 2 lanes with chunks of 2 starts, as a fit's steps call it (the
 * numbers do not depend on where the starts are). A wrapper around the model adds up, per thread,
 * the thread CPU time spent in its calls; every window of about 2 s prints each thread's share of
 * the window's wall time (1.00: busy throughout; below: waiting for the other lane at the end of a
 * call, or the core slowed by other work), the median CPU time of its model calls (µs) and the
 * objective calls per second. Run it with the jar whose objective you want to see:
 *
 * Usage: java --add-modules jdk.incubator.vector -cp JAR docs/benchmarks/LaneProbe.java [SECONDS [CURVE]]
 */
public class LaneProbe {

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        double seconds = a.length > 0 ? Double.parseDouble(a[0]) : 60;
        Path curve = Path.of(a.length > 1 ? a[1] : "examples/lnp_synthetic.dat");
        FitProblem problem = FitProblem.of(FitModels.byName("lnp"), ScatteringCurve.read(curve));
        Recorder model = new Recorder((FusedDifferentiableModel) problem.model());
        Reparameterization reparam = new Reparameterization(problem.space());
        FitObjective objective = new FitObjective(model, reparam, problem.loss(), null, 2, 2);
        int starts = 512;
        int d = reparam.freeSize();
        double[] u = new double[starts * d];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < u.length; i++) {
            u[i] = 2 * r.nextDouble() - 1;
        }
        int[] ids = new int[starts];
        for (int i = 0; i < starts; i++) {
            ids[i] = i;
        }
        double[] values = new double[starts];
        double[] gradient = new double[starts * d];
        long begin = System.nanoTime();
        long windowStart = begin;
        int calls = 0;
        System.out.println("  time s | per thread: busy share of the window, median model call µs | objective calls/s");
        while (System.nanoTime() - begin < seconds * 1e9) {
            objective.valueAndGradient(ids, u, starts, values, gradient);
            calls++;
            long now = System.nanoTime();
            if (now - windowStart > 2e9) {
                double wall = (now - windowStart) / 1e9;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%8.1f |", (now - begin) / 1e9));
                for (Map.Entry<String, Recorder.Sums> e : new java.util.TreeMap<>(model.sums).entrySet()) {
                    Recorder.Sums s = e.getValue();
                    line.append(String.format(Locale.ROOT, " %s %.2f %5.0f |", e.getKey(), s.cpu.getAndSet(0) / 1e9 / wall,
                            s.median()));
                }
                line.append(String.format(Locale.ROOT, " %.2f", calls / wall));
                System.out.println(line);
                windowStart = now;
                calls = 0;
            }
        }
    }

    /** The model, with the thread CPU time of each call added up per thread. */
    static final class Recorder implements FusedDifferentiableModel {
        final FusedDifferentiableModel m;
        final Map<String, Sums> sums = new ConcurrentHashMap<>();

        static final class Sums {
            final AtomicLong cpu = new AtomicLong();
            final long[] recent = new long[512];
            int n;

            synchronized void add(long ns) {
                cpu.addAndGet(ns);
                recent[n++ % recent.length] = ns;
            }

            synchronized double median() {
                int k = Math.min(n, recent.length);
                long[] c = java.util.Arrays.copyOf(recent, k);
                java.util.Arrays.sort(c);
                n = 0;
                return k == 0 ? 0 : c[k / 2] / 1e3;
            }
        }

        Recorder(FusedDifferentiableModel m) {
            this.m = m;
        }

        @Override
        public ParameterSpace parameters() {
            return m.parameters();
        }

        @Override
        public double[] q() {
            return m.q();
        }

        @Override
        public int qSize() {
            return m.qSize();
        }

        private void add(long t0) {
            sums.computeIfAbsent(Thread.currentThread().getName(), k -> new Sums())
                    .add(THREADS.getCurrentThreadCpuTime() - t0);
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            m.evaluate(theta, batch, out);
            add(t0);
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            m.vectorJacobianProduct(theta, batch, dLdI, dLdTheta);
            add(t0);
        }

        @Override
        public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                             double[] dLdTheta) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            m.evaluateAndBackpropagate(theta, batch, out, upstream, dLdTheta);
            add(t0);
        }
    }
}
