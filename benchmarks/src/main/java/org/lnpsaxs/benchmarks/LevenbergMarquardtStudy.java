package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;

/**
 * Levenberg–Marquardt against the fitter's L-BFGS on the lnp model and the scale-free loss (issue
 * 14's question whether a Gauss–Newton method, which uses the loss's least-squares structure,
 * reaches the minima in fewer model evaluations). The same Sobol starts (the fitter's: seed 1, 5 %
 * box shrink) for both, in the fitter's unconstrained coordinates u.
 *
 * <p>LM, per start and iteration: the Jacobian of the model intensities with respect to u by
 * forward differences (step 10⁻⁶ max(1, |u_j|)), the gradient Jᵀ ∂L/∂I and the loss's own
 * Gauss–Newton matrix ({@link Loss#gaussNewton}), the step from (H + λ diag H) δ = −g; a step that
 * lowers the loss is taken and λ divided by 3, otherwise λ is multiplied by 4 (λ starts at 10⁻³).
 * A start stops after 3 taken steps in a row that each lower the loss by less than 10⁻⁹ of it, when
 * λ passes 10¹⁰, or at the iteration cap. Every curve evaluated counts as one polydisperse row
 * (the Jacobian costs d of them per iteration). L-BFGS ({@link Lbfgs#defaults()}) counts its forward
 * evaluations and its gradients (each a forward and a reverse pass).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.LevenbergMarquardtStudy
 * STARTS MAX_ITERATIONS CURVE...}. Prints, per curve and method: the wall time, the curves evaluated
 * per start, the best loss, the 10th percentile and median of the starts' final losses, and how
 * many starts end within 1 % of the best loss either method found.
 *
 * <p>{@code -Dhybrid=K1,K2,…}: also, per K, L-BFGS capped at K iterations and then LM from where each
 * start that has not converged stands (a polish of the sloppy valleys by Gauss–Newton steps), with its
 * L-BFGS and LM counts and the process's CPU seconds (all threads); {@code -Dlm=false} leaves out LM
 * from the starts themselves.
 */
public final class LevenbergMarquardtStudy {

    private LevenbergMarquardtStudy() {
    }

    /** Runs the study. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: LevenbergMarquardtStudy STARTS MAX_ITERATIONS CURVE...");
            System.exit(2);
        }
        int starts = Integer.parseInt(args[0]);
        int maxIterations = Integer.parseInt(args[1]);
        int threads = Runtime.getRuntime().availableProcessors();
        for (int f = 2; f < args.length; f++) {
            ScatteringCurve curve = CurveReader.defaults().read(Path.of(args[f]));
            FitProblem problem = FitProblem.of(FitModels.byName("lnp"), curve).withLoss("scale-free");
            Reparameterization reparam = new Reparameterization(problem.space());
            double[] u0 = Starts.unconstrained(reparam, Starts.physical(problem.space(), starts, 1L, 0.05), starts);

            long t0 = System.nanoTime();
            double cpu0 = ConvergenceComparison.processCpuSeconds();
            OptimizationResult lbfgs = Lbfgs.defaults().minimize(
                    new FitObjective(problem.model(), reparam, problem.loss(), null, threads, 256), u0.clone(), starts,
                    OptimizationListener.NONE);
            double lbfgsSeconds = (System.nanoTime() - t0) / 1e9;
            double lbfgsCpu = ConvergenceComparison.processCpuSeconds() - cpu0;
            double lbfgsCurves = (double) (lbfgs.evaluations() + lbfgs.gradients()) / starts;

            t0 = System.nanoTime();
            long[] lmCurves = new long[1];
            boolean pureLm = !"false".equals(System.getProperty("lm"));
            double[] lm = pureLm ? levenbergMarquardt(problem.model(), reparam, problem.loss(), u0.clone(), starts,
                    maxIterations, lmCurves) : lbfgs.values().clone();
            double lmSeconds = (System.nanoTime() - t0) / 1e9;

            double best = Math.min(min(lbfgs.values()), min(lm));
            String name = Path.of(args[f]).getFileName().toString();
            System.out.println(line(name, "lbfgs", lbfgsSeconds, lbfgsCurves, lbfgs.values(), best));
            if (pureLm) {
                System.out.println(line(name, "lm", lmSeconds, (double) lmCurves[0] / starts, lm, best));
            }
            System.out.printf(Locale.ROOT, "%s lbfgs: %.1f forward evaluations and %.1f gradients per start, %.1f CPU s%n",
                    name, (double) lbfgs.evaluations() / starts, (double) lbfgs.gradients() / starts, lbfgsCpu);
            for (String k : System.getProperty("hybrid", "").split(",")) {
                if (k.isBlank()) {
                    continue;
                }
                // L-BFGS for K iterations, then LM from where each start stands (converged starts are left)
                int cap = Integer.parseInt(k.trim());
                double c0 = ConvergenceComparison.processCpuSeconds();
                t0 = System.nanoTime();
                OptimizationResult head = Lbfgs.defaults().withMaxIterations(cap).minimize(
                        new FitObjective(problem.model(), reparam, problem.loss(), null, threads, 256), u0.clone(), starts,
                        OptimizationListener.NONE);
                int[] open = IntStream.range(0, starts).filter(s -> !head.converged()[s] && !head.retired()[s]).toArray();
                double[] values = head.values().clone();
                long[] tail = new long[1];
                if (open.length > 0) {
                    int d = reparam.freeSize();
                    double[] uo = new double[open.length * d];
                    for (int t = 0; t < open.length; t++) {
                        System.arraycopy(head.u(), open[t] * d, uo, t * d, d);
                    }
                    double[] polished = levenbergMarquardt(problem.model(), reparam, problem.loss(), uo, open.length,
                            maxIterations, tail);
                    for (int t = 0; t < open.length; t++) {
                        values[open[t]] = polished[t];
                    }
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                double cpu = ConvergenceComparison.processCpuSeconds() - c0;
                best = Math.min(best, min(values));
                System.out.println(line(name, "h" + cap, sec, (head.evaluations() + head.gradients() + tail[0])
                        / (double) starts, values, best));
                System.out.printf(Locale.ROOT, "%s h%d: L-BFGS %.1f forward evaluations and %.1f gradients per start, then LM on"
                        + " %d starts, %.1f rows per start of all; %.1f CPU s%n", name, cap, (double) head.evaluations() / starts,
                        (double) head.gradients() / starts, open.length, (double) tail[0] / starts, cpu);
            }
        }
    }

    private static String line(String curve, String method, double seconds, double curvesPerStart, double[] values,
                               double best) {
        double[] v = values.clone();
        Arrays.sort(v);
        long near = Arrays.stream(v).filter(x -> x <= best * 1.01).count();
        return String.format(Locale.ROOT, "%s %-5s %7.1f s %7.1f curves/start  best %.10e  p10 %.4e  median %.4e  within 1%%: %d",
                curve, method, seconds, curvesPerStart, v[0], v[v.length / 10], v[v.length / 2], near);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    /** Batched LM over all starts (the Jacobians of all active starts in one model call); returns the final losses. */
    static double[] levenbergMarquardt(DifferentiableModel model, Reparameterization reparam, Loss loss, double[] u,
                                       int starts, int maxIterations, long[] curves) {
        int d = reparam.freeSize();
        int p = reparam.size();
        int n = loss.size();
        double[] value = new double[starts];
        double[] lambda = new double[starts];
        Arrays.fill(lambda, 1e-3);
        boolean[] done = new boolean[starts];
        int[] small = new int[starts];
        double[] dLdI = new double[n];
        for (int it = 0; it < maxIterations; it++) {
            int[] active = IntStream.range(0, starts).filter(s -> !done[s]).toArray();
            int a = active.length;
            if (a == 0) {
                break;
            }
            int rows = a * (d + 1);
            double[] points = new double[rows * d];
            double[] step = new double[a * d];
            for (int k = 0; k < a; k++) {
                int s = active[k];
                for (int m = 0; m <= d; m++) {
                    System.arraycopy(u, s * d, points, (k * (d + 1) + m) * d, d);
                    if (m > 0) {
                        double h = 1e-6 * Math.max(1, Math.abs(u[s * d + m - 1]));
                        step[k * d + m - 1] = h;
                        points[(k * (d + 1) + m) * d + m - 1] += h;
                    }
                }
            }
            double[] theta = new double[rows * p];
            double[] out = new double[rows * n];
            reparam.toPhysical(points, null, rows, theta);
            model.evaluate(theta, rows, out);
            curves[0] += rows;
            double[] candidate = new double[a * d];
            for (int k = 0; k < a; k++) {
                int s = active[k];
                double[] at = Arrays.copyOfRange(out, k * (d + 1) * n, (k * (d + 1) + 1) * n);
                double[] v = new double[1];
                loss.evaluate(at, 1, v, dLdI);
                value[s] = v[0];
                double[][] jac = new double[n][d];
                for (int m = 0; m < d; m++) {
                    int o = (k * (d + 1) + m + 1) * n;
                    for (int i = 0; i < n; i++) {
                        jac[i][m] = (out[o + i] - at[i]) / step[k * d + m];
                    }
                }
                double[] g = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int m = 0; m < d; m++) {
                        g[m] += dLdI[i] * jac[i][m];
                    }
                }
                double[][] h = loss.gaussNewton(at, jac);
                for (int m = 0; m < d; m++) {
                    h[m][m] += lambda[s] * (h[m][m] + 1e-12);
                }
                double[] delta = solve(h, g);
                for (int m = 0; m < d; m++) {
                    candidate[k * d + m] = u[s * d + m] - delta[m];
                }
            }
            double[] thetaTrial = new double[a * p];
            double[] trial = new double[a * n];
            reparam.toPhysical(candidate, null, a, thetaTrial);
            model.evaluate(thetaTrial, a, trial);
            curves[0] += a;
            double[] trialValue = new double[a];
            loss.evaluate(trial, a, trialValue, null);
            for (int k = 0; k < a; k++) {
                int s = active[k];
                if (trialValue[k] < value[s]) {
                    double decrease = (value[s] - trialValue[k]) / value[s];
                    System.arraycopy(candidate, k * d, u, s * d, d);
                    value[s] = trialValue[k];
                    lambda[s] = Math.max(lambda[s] / 3, 1e-9);
                    small[s] = decrease < 1e-9 ? small[s] + 1 : 0;
                } else {
                    lambda[s] *= 4;
                    if (lambda[s] > 1e10) {
                        small[s] = 3;
                    }
                }
                done[s] = small[s] >= 3;
            }
        }
        return value;
    }

    /** Solves H x = g for symmetric positive-definite H (Cholesky). */
    private static double[] solve(double[][] h, double[] g) {
        int d = g.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = h[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j][j];
            }
        }
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double s = g[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < d; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
