package org.lnpsaxs.optimize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.loss.ScaleAndBackground;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;

/**
 * The outcome of a multi-start fit: every start's final parameters and loss, the best fit, the
 * ensemble of near-optimal fits and its identifiability analysis, and the curves a plot needs.
 *
 * <p>Curves are on the fitting grid ({@link #q()}, Å⁻¹) and on the data's intensity scale
 * (model curves aligned by the loss: rescaled for the scale-free loss, \( sM + b \) for χ²).
 *
 * @param problem           the problem that was solved
 * @param optimizer         the optimiser and its settings
 * @param seed              the seed of the starting points and of the clustering
 * @param runtimeSeconds    wall-clock time of the fit and its analysis, s
 * @param theta             {@code starts * P} final parameters of every start (model order)
 * @param losses            the final loss of every start
 * @param steps             steps or iterations taken per start
 * @param converged         per start, whether it met a convergence test (L-BFGS)
 * @param evaluations       per-start forward evaluations in total
 * @param gradients         per-start gradient evaluations in total
 * @param best              the index of the best start
 * @param ensemble          the ensemble
 * @param identifiability   its analysis
 * @param bestCurve         the best fit on the fitting grid, data scale
 * @param bandLower         the pointwise minimum of the ensemble members' curves (data scale)
 * @param bandUpper         the pointwise maximum of the ensemble members' curves (data scale)
 * @param scaleAndBackground for χ²: the best fit's closed-form scale and background, else {@code null}
 * @param reducedChi2       for χ²: χ²/(n − F − 2) of the best fit with n measured points, else {@code null}
 * @param sizeDistribution  the best fit's size distribution (or {@code null})
 */
public record FitResult(FitProblem problem, BatchOptimizer optimizer, long seed, double runtimeSeconds, double[] theta,
                        double[] losses, int[] steps, boolean[] converged, long evaluations, long gradients, int best,
                        Ensemble ensemble, Identifiability identifiability, double[] bestCurve, double[] bandLower,
                        double[] bandUpper, ScaleAndBackground scaleAndBackground, Double reducedChi2,
                        SizeSummary sizeDistribution) {

    /** The number of starts. */
    public int starts() {
        return losses.length;
    }

    /** The parameters of start {@code i}, model order (a copy). */
    public double[] parameters(int i) {
        int p = problem.space().size();
        return Arrays.copyOfRange(theta, i * p, (i + 1) * p);
    }

    /** The parameters of start {@code i} by name, model order (free and fixed). */
    public Map<String, Double> namedParameters(int i) {
        double[] t = parameters(i);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < t.length; j++) {
            m.put(problem.space().box().get(j).name(), t[j]);
        }
        return m;
    }

    /** The best fit's parameters by name. */
    public Map<String, Double> bestParameters() {
        return namedParameters(best);
    }

    /** The best loss. */
    public double bestLoss() {
        return losses[best];
    }

    /** The fitting grid, Å⁻¹. */
    public double[] q() {
        return problem.data().q();
    }

    /** The data on the fitting grid. */
    public double[] data() {
        return problem.data().intensity();
    }
}
