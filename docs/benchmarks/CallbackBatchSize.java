import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * Thread CPU time per surrogate row (µs) of the two fused paths against the rows per call
 * (docs/benchmarks.md, "Two cores against one"): the callback path a fit uses
 * (evaluateAndBackpropagate, which keeps every row's state until the upstream gradient is known)
 * and the given-gradient path (evaluateAndVectorJacobianProduct, one block of 8 rows at a time,
 * nothing kept) on 1 024 random points of the box (seed 7, as SpeedupBenchmark draws them), cut
 * into calls of 8, 32, 64, 256 and 1 024 rows; 40 000 rows per cell, six repetitions (the first is
 * the JIT's warm-up). One thread; run two at once to see what the other core costs.
 *
 * Usage: java --add-modules jdk.incubator.vector -cp cli/target/lnpsaxs.jar docs/benchmarks/CallbackBatchSize.java
 */
public class CallbackBatchSize {
    public static void main(String[] a) throws Exception {
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace space = s.parameters();
        int p = space.size(), nq = s.qSize(), max = 1024;
        double[] theta = new double[max * p];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < max; b++) {
            for (int j = 0; j < p; j++) {
                double lo = space.get(j).lower(), hi = space.get(j).upper();
                theta[b * p + j] = lo + rng.nextDouble() * (hi - lo);
            }
        }
        double[] out = new double[max * nq], grad = new double[max * nq], dT = new double[max * p];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = rng.nextDouble() - 0.5;
        }
        int[] sizes = {8, 32, 64, 256, 1024};
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 6; rep++) {
            StringBuilder sb = new StringBuilder("repetition " + rep + ":");
            for (int mode = 0; mode < 2; mode++) {
                for (int bs : sizes) {
                    long rows = 0;
                    long t0 = bean.getCurrentThreadCpuTime();
                    while (rows < 40000) {
                        for (int off = 0; off + bs <= max && rows < 40000; off += bs) {
                            double[] th = Arrays.copyOfRange(theta, off * p, (off + bs) * p);
                            if (mode == 0) {
                                s.evaluateAndBackpropagate(th, bs, out, (o, n, g) -> System.arraycopy(grad, 0, g, 0, n * nq), dT);
                            } else {
                                s.evaluateAndVectorJacobianProduct(th, bs, grad, out, dT);
                            }
                            rows += bs;
                        }
                    }
                    long t1 = bean.getCurrentThreadCpuTime();
                    sb.append(String.format(java.util.Locale.ROOT, " %s%d=%.2f", mode == 0 ? "callback" : "given", bs,
                            (t1 - t0) / 1e3 / rows));
                }
            }
            System.out.println(sb);
        }
    }
}
