import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.internal.JavaMlp;
import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * How much of one fused surrogate row (intensities and input gradient, the path of
 * SpeedupBenchmark.surrogateFusedBatch) its two networks take, in thread CPU time on one thread
 * (issue 14's 8 µs goal). (a) The shipped surrogate's evaluateAndVectorJacobianProduct on 1 024
 * random points of the box (seed 7, as the benchmark), per row. (b) Each network of the shipped
 * shape alone, forward and then forward and reverse, on blocks of 8 rows (as the evaluator runs
 * them), with weights drawn by Weights.initial (the time does not depend on their values), per
 * row, and its multiply-adds per second. Medians of the last 20 of 40 repetitions (-Dreps=N: of
 * the last N/2 of N). With --add-modules jdk.incubator.vector the surrogate runs its vector kernels.
 *
 * Usage: java [-Dreps=N] [--add-modules jdk.incubator.vector] -cp cli/target/lnpsaxs.jar docs/benchmarks/NetworkShare.java
 */
public class NetworkShare {

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Repetitions; the medians are of the second half. */
    static final int REPS = Integer.getInteger("reps", 40);

    public static void main(String[] args) {
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace space = s.parameters();
        int p = space.size();
        int nq = s.qSize();
        int batch = 1024;
        double[] theta = new double[batch * p];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < p; j++) {
                double lo = space.get(j).lower();
                double hi = space.get(j).upper();
                theta[b * p + j] = lo + rng.nextDouble() * (hi - lo);
            }
        }
        double[] out = new double[batch * nq];
        double[] grad = new double[batch * nq];
        Arrays.fill(grad, 1e-3);
        double[] dTheta = new double[batch * p];
        double[] fused = new double[REPS];
        for (int rep = 0; rep < fused.length; rep++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            s.evaluateAndVectorJacobianProduct(theta, batch, grad, out, dTheta);
            fused[rep] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / batch;
        }
        double row = median(fused);
        System.out.printf(Locale.ROOT, "fused row (value and input gradient): %.2f us%n", row);

        NetworkSpec spec = s.metadata().network();
        Weights w = Weights.initial(spec, 7);
        double networks = 0;
        for (MlpSpec m : new MlpSpec[] {spec.fluctuation(), spec.correction()}) {
            double[] t = network(new JavaMlp(w, m), m);
            networks += t[1];
            System.out.printf(Locale.ROOT, "network %s: %d multiply-adds per row; forward %.2f us (%.1f GMAC/s), forward and "
                    + "reverse %.2f us per row%n", m.prefix(), macs(m), t[0], macs(m) / t[0] / 1e3, t[1]);
        }
        System.out.printf(Locale.ROOT, "both networks, forward and reverse: %.2f us per row, %.0f %% of the fused row; the "
                + "rest %.2f us%n", networks, 100 * networks / row, row - networks);
    }

    static long macs(MlpSpec m) {
        long n = 0;
        int in = m.inputs();
        for (int h : m.hidden()) {
            n += (long) in * h;
            in = h;
        }
        if (m.rank() > 0) {
            n += (long) in * m.rank();
            in = m.rank();
        }
        return n + (long) in * m.outputs();
    }

    /** Forward, and forward plus reverse, µs per row on blocks of 8 rows (medians). */
    static double[] network(JavaMlp mlp, MlpSpec m) {
        int rows = 8;
        int blocks = 128;
        JavaMlp.Work k = new JavaMlp.Work(mlp, rows);
        SplittableRandom r = new SplittableRandom(11);
        double[][] x = new double[rows][m.inputs()];
        double[][] z = new double[rows][m.outputs()];
        double[][] dz = new double[rows][m.outputs()];
        double[][] dx = new double[rows][m.inputs()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < m.inputs(); j++) {
                x[i][j] = 2 * r.nextDouble() - 1;
            }
            for (int j = 0; j < m.outputs(); j++) {
                dz[i][j] = r.nextDouble() - 0.5;
            }
        }
        double[] fw = new double[REPS];
        double[] both = new double[REPS];
        for (int rep = 0; rep < fw.length; rep++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int b = 0; b < blocks; b++) {
                mlp.forward(x, z, rows, k);
            }
            long t1 = THREADS.getCurrentThreadCpuTime();
            for (int b = 0; b < blocks; b++) {
                mlp.forward(x, z, rows, k);
                mlp.backward(dz, dx, rows, k);
            }
            long t2 = THREADS.getCurrentThreadCpuTime();
            fw[rep] = (t1 - t0) / 1e3 / (blocks * rows);
            both[rep] = (t2 - t1) / 1e3 / (blocks * rows);
        }
        return new double[] {median(fw), median(both)};
    }

    static double median(double[] v) {
        double[] tail = Arrays.copyOfRange(v, v.length / 2, v.length);
        Arrays.sort(tail);
        return tail.length % 2 == 1 ? tail[tail.length / 2] : 0.5 * (tail[tail.length / 2 - 1] + tail[tail.length / 2]);
    }
}
