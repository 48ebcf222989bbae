package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;

/**
 * Whether the scale-free fit of an {@code lnp} curve converges sooner from the minima of the
 * {@code loglik} likelihood (issue 14): on the same Sobol starts (the fitter's: seed 1, 5 % box
 * shrink), the default L-BFGS on the scale-free loss from the starts ("plain"), and the same
 * L-BFGS first on {@code loglik} (the model error held at its reference size, as a fit's first
 * stage holds it) and then on the scale-free loss from where each start ended ("guided"). The
 * loglik fit of the example needs about half the evaluations of the scale-free one; the question is
 * whether its minima are near enough to the scale-free ones to shorten the second stage. Prints per
 * curve and way: the best scale-free loss, how many starts end within 1.2 × the mean of the best
 * 10 % (the paper's ensemble rule, without its clamp), forward evaluations and gradients per start
 * (each a polydisperse curve of 52 surrogate rows), converged and retired starts, and the process's
 * CPU seconds (all threads; a ratio on a shared machine).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.LossGuidedStudy
 * STARTS CURVE...}.
 */
public final class LossGuidedStudy {

    private LossGuidedStudy() {
    }

    /** Runs the study. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LossGuidedStudy STARTS CURVE...");
            System.exit(2);
        }
        int starts = Integer.parseInt(args[0]);
        int threads = Runtime.getRuntime().availableProcessors();
        for (int f = 1; f < args.length; f++) {
            ScatteringCurve curve = CurveReader.defaults().read(Path.of(args[f]));
            FitProblem scaleFree = FitProblem.of(FitModels.byName("lnp"), curve).withLoss("scale-free");
            Loss loglik = FitProblem.of(FitModels.byName("lnp"), curve).withLoss("loglik").loss();
            if (loglik instanceof LogIntensityLikelihood l && l.dependsOnParameters()) {
                loglik = l.heldAt(1);
            }
            Reparameterization reparam = new Reparameterization(scaleFree.space());
            double[] u0 = Starts.unconstrained(reparam, Starts.physical(scaleFree.space(), starts, 1L, 0.05), starts);
            String name = Path.of(args[f]).getFileName().toString();

            double c0 = ConvergenceComparison.processCpuSeconds();
            OptimizationResult plain = Lbfgs.defaults().minimize(objective(scaleFree, reparam, scaleFree.loss(), threads),
                    u0.clone(), starts, OptimizationListener.NONE);
            double c1 = ConvergenceComparison.processCpuSeconds();
            print(name, "plain", plain, plain.evaluations(), plain.gradients(), c1 - c0, starts);

            OptimizationResult first = Lbfgs.defaults().minimize(objective(scaleFree, reparam, loglik, threads), u0.clone(),
                    starts, OptimizationListener.NONE);
            double c2 = ConvergenceComparison.processCpuSeconds();
            OptimizationResult second = Lbfgs.defaults().minimize(objective(scaleFree, reparam, scaleFree.loss(), threads),
                    first.u().clone(), starts, OptimizationListener.NONE);
            double c3 = ConvergenceComparison.processCpuSeconds();
            System.out.printf(Locale.ROOT, "%s guided, first stage (loglik): %.1f forward, %.1f gradients per start, "
                    + "%d converged, %.1f CPU s; second stage (scale-free): %.1f forward, %.1f gradients per start%n", name,
                    (double) first.evaluations() / starts, (double) first.gradients() / starts, count(first.converged()),
                    c2 - c1, (double) second.evaluations() / starts, (double) second.gradients() / starts);
            print(name, "guided", second, first.evaluations() + second.evaluations(),
                    first.gradients() + second.gradients(), c3 - c1, starts);
            System.out.printf(Locale.ROOT, "%s guided / plain: %.2f x the forward evaluations, %.2f x the gradients, %.2f x "
                    + "the CPU%n", name, (double) (first.evaluations() + second.evaluations()) / plain.evaluations(),
                    (double) (first.gradients() + second.gradients()) / plain.gradients(), (c3 - c1) / (c1 - c0));
        }
    }

    private static FitObjective objective(FitProblem problem, Reparameterization reparam, Loss loss, int threads) {
        return new FitObjective(problem.model(), reparam, loss, null, threads, 2);
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            c += x ? 1 : 0;
        }
        return c;
    }

    private static void print(String name, String way, OptimizationResult r, long forward, long gradients, double cpu,
                              int starts) {
        double[] sorted = r.values().clone();
        Arrays.sort(sorted);
        int k = Math.max(1, starts / 10);
        double mean = 0;
        for (int i = 0; i < k; i++) {
            mean += sorted[i];
        }
        mean /= k;
        int ensemble = 0;
        for (double v : sorted) {
            ensemble += v <= 1.2 * mean ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%s %s: best %.10e, %d within 1.2 x the mean of the best 10 %%, %.1f forward, %.1f "
                + "gradients per start, %d converged, %d retired, %.1f CPU s%n", name, way, sorted[0], ensemble,
                (double) forward / starts, (double) gradients / starts, count(r.converged()), count(r.retired()), cpu);
    }
}
