import java.util.*;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;
/**
 * The callback path that a fit uses (evaluateAndBackpropagate, 64 rows per call: a fit's chunk of two
 * starts with the paper's quadrature) on 1 024 random points of the box (seed 7, as SpeedupBenchmark
 * draws them), over and over for SECONDS seconds; prints the wall time per row. For a profile of the
 * row alone (docs/benchmarks.md, "The radial average a block at a time"):
 *
 *   java --add-modules jdk.incubator.vector -XX:StartFlightRecording=filename=row.jfr,settings=profile \
 *       -cp cli/target/lnpsaxs.jar docs/benchmarks/CallbackLoop.java 40
 *   jfr print --events jdk.ExecutionSample row.jfr
 *
 * and count the samples by their top frame.
 */
public class CallbackLoop {
    public static void main(String[] a) throws Exception {
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace space = s.parameters();
        int p = space.size(), nq = s.qSize(), max = 1024, bs = 64;
        double[] theta = new double[max * p];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < max; b++) for (int j = 0; j < p; j++) {
            double lo = space.get(j).lower(), hi = space.get(j).upper();
            theta[b * p + j] = lo + rng.nextDouble() * (hi - lo);
        }
        double[] out = new double[max * nq], grad = new double[max * nq], dT = new double[max * p];
        for (int i = 0; i < grad.length; i++) grad[i] = rng.nextDouble() - 0.5;
        long end = System.nanoTime() + (long) (Double.parseDouble(a[0]) * 1e9);
        long rows = 0; long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int off = 0; off + bs <= max; off += bs) {
                double[] th = Arrays.copyOfRange(theta, off * p, (off + bs) * p);
                s.evaluateAndBackpropagate(th, bs, out, (o, n, g) -> System.arraycopy(grad, 0, g, 0, n * nq), dT);
                rows += bs;
            }
        }
        System.out.printf("%.3f us/row%n", (System.nanoTime() - t0) / 1e3 / rows);
    }
}
