package org.lnpsaxs.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;

/**
 * Time to an ensemble: the paper's protocol (AdamW, 1000 steps) against L-BFGS with early
 * retirement, on the same {@code lnp} problem and the same Sobol starts, full fits with ensemble
 * and identifiability analysis. Prints, per optimiser: wall time, starts × steps evaluated, best
 * loss, ensemble size and per-parameter ensemble ranges against the truth.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.MultiStartComparison
 * [STARTS [ADAMW_STEPS]]} (defaults 64 and 1000); the surrogate as in {@link LnpBenchmarkModel}.
 */
public final class MultiStartComparison {

    private MultiStartComparison() {
    }

    private static double maxRelError(Map<String, Double> best) {
        double m = 0;
        for (Map.Entry<String, Double> e : LnpBenchmarkModel.TRUTH.entrySet()) {
            m = Math.max(m, Math.abs(best.get(e.getKey()) / e.getValue() - 1));
        }
        return m;
    }

    /** Runs the comparison. */
    public static void main(String[] args) {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        LnpBenchmarkModel.Loaded loaded = LnpBenchmarkModel.load();
        System.out.println("surrogate: " + loaded.description());
        FitProblem p = LnpBenchmarkModel.problem(loaded.surrogate());
        for (BatchOptimizer opt : new BatchOptimizer[] {Lbfgs.defaults(), AdamW.paper().withSteps(steps)}) {
            FitResult r = Fitter.defaults().withStarts(starts).withFisher(false).withOptimizer(opt).fit(p);
            long startSteps = Arrays.stream(r.steps()).asLongStream().sum();
            System.out.printf(Locale.ROOT, "%s: %d starts, %.1f s, %d start-steps (%d forward, %d reverse per start"
                            + " in total), %.1f start-steps/s, best loss %.3e, ensemble %d, modes %d%n",
                    opt.name(), starts, r.runtimeSeconds(), startSteps, r.evaluations(), r.gradients(),
                    startSteps / r.runtimeSeconds(), r.bestLoss(), r.ensemble().size(), r.identifiability().modes().count());
            Map<String, Double> best = r.bestParameters();
            System.out.printf(Locale.ROOT, "  best fit max |relative error| over the parameters: %.2e%n", maxRelError(best));
            for (ParameterSpread s : r.identifiability().spreads()) {
                double t = LnpBenchmarkModel.TRUTH.get(s.name());
                double tol = 1e-3 * (s.upper() - s.lower()); // float32 surrogate: converged values sit on the truth to ~1e-6
                System.out.printf(Locale.ROOT, "  %-20s truth %-9.4g best %-9.4g ensemble %.4g..%.4g (%s)%n", s.name(), t,
                        best.get(s.name()), s.min(), s.max(),
                        s.min() - tol <= t && t <= s.max() + tol ? "contains truth" : "misses truth");
            }
        }
    }
}
