import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Two jars' surrogate rows timed in one JVM, alternated (docs/benchmarks.md, "The radial average a
 * block at a time"): each jar in its own class loader with the shipped model, the callback path that
 * a fit uses (evaluateAndBackpropagate, CALL rows per call) on 1 024 random points of the box (seed
 * 7, as SpeedupBenchmark draws them), REPS passes over them per round and side, the two sides taking
 * turns (which goes first alternates); thread CPU time per row. Five warm-up rounds, then ROUNDS
 * measured; prints each side's median and quartiles and the median of the per-round ratio B / A.
 * Within one JVM and at a round's grain, the machine's drift (up to 1.4 x within a minute here)
 * falls on both sides alike.
 *
 * Usage: java --add-modules jdk.incubator.vector docs/benchmarks/AlternatedRow.java A.jar B.jar ROUNDS [CALL [REPS]]
 */
public class AlternatedRow {
    record Side(String name, Object surrogate, Method call, Object callback) {}

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[2]);
        int bs = a.length > 3 ? Integer.parseInt(a[3]) : 64;
        int reps = a.length > 4 ? Integer.parseInt(a[4]) : 4;
        int max = 1024, p = 9, nq = 300;
        double[] theta = null;
        double[] grad = new double[max * nq];
        Side[] sides = new Side[2];
        for (int s = 0; s < 2; s++) {
            ClassLoader l = new URLClassLoader(new URL[] {Path.of(a[s]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> sc = l.loadClass("org.lnpsaxs.surrogate.Surrogate");
            Object sur = sc.getMethod("loadDefault").invoke(null);
            Class<?> ug = l.loadClass("org.lnpsaxs.core.model.FusedDifferentiableModel$UpstreamGradient");
            Object cb = Proxy.newProxyInstance(l, new Class<?>[] {ug}, (px, m, args) -> {
                if (!m.getName().equals("compute")) throw new UnsupportedOperationException(m.getName());
                System.arraycopy(grad, 0, (double[]) args[2], 0, (Integer) args[1] * nq);
                return null;
            });
            Method call = sc.getMethod("evaluateAndBackpropagate", double[].class, int.class, double[].class, ug, double[].class);
            sides[s] = new Side(a[s], sur, call, cb);
            if (theta == null) {
                Object space = sc.getMethod("parameters").invoke(sur);
                Method get = space.getClass().getMethod("get", int.class);
                theta = new double[max * p];
                SplittableRandom rng = new SplittableRandom(7);
                for (int b = 0; b < max; b++) {
                    for (int j = 0; j < p; j++) {
                        Object par = get.invoke(space, j);
                        double lo = (double) par.getClass().getMethod("lower").invoke(par);
                        double hi = (double) par.getClass().getMethod("upper").invoke(par);
                        theta[b * p + j] = lo + rng.nextDouble() * (hi - lo);
                    }
                }
                for (int i = 0; i < grad.length; i++) grad[i] = rng.nextDouble() - 0.5;
            }
        }
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double[] out = new double[max * nq], dT = new double[max * p];
        double[][] us = new double[2][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int s0 = 0; s0 < 2; s0++) {
                int s = (round & 1) == 0 ? s0 : 1 - s0; // alternate which side goes first
                long rows = 0;
                long t0 = bean.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    for (int off = 0; off + bs <= max; off += bs) {
                        double[] th = Arrays.copyOfRange(theta, off * p, (off + bs) * p);
                        sides[s].call.invoke(sides[s].surrogate, th, bs, out, sides[s].callback, dT);
                        rows += bs;
                    }
                }
                long t1 = bean.getCurrentThreadCpuTime();
                if (round >= 0) us[s][round] = (t1 - t0) / 1e3 / rows;
            }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) ratio[r] = us[1][r] / us[0][r];
        System.out.printf(Locale.ROOT, "rows per call %d, %d rounds of %d rows each side%n", bs, rounds, reps * (max / bs) * bs);
        for (int s = 0; s < 2; s++) {
            double[] c = us[s].clone(); Arrays.sort(c);
            System.out.printf(Locale.ROOT, "%s: median %.2f us/row (quartiles %.2f .. %.2f)%n", sides[s].name, c[rounds / 2], c[rounds / 4], c[3 * rounds / 4]);
        }
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "B/A per round: median %.3f (quartiles %.3f .. %.3f)%n", ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
    }
}
