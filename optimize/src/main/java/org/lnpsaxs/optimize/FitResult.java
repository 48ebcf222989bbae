package org.lnpsaxs.optimize;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.loss.ScaleAndBackground;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.posterior.FitPosterior;

/**
 * The outcome of a multi-start fit: every start's final parameters and loss, the best fit, the
 * ensemble of near-optimal fits and its identifiability analysis, and the curves a plot needs.
 *
 * <p>Curves are on the fitting grid ({@link #q()}, Å⁻¹) and on the data's intensity scale
 * (model curves aligned by the loss: rescaled for the scale-free loss, \( sM + b \) for χ²).
 * Parameters are in model order and model units. Immutable: arrays are copied out.
 */
public final class FitResult {

    private final FitProblem problem;
    private final BatchOptimizer optimizer;
    private final long seed;
    private final double runtimeSeconds;
    private final double[] theta;
    private final double[] losses;
    private final int[] steps;
    private final boolean[] converged;
    private final long evaluations;
    private final long gradients;
    private final int best;
    private final Ensemble ensemble;
    private final Identifiability identifiability;
    private final double[] bestCurve;
    private final double[] bandLower;
    private final double[] bandUpper;
    private final ScaleAndBackground scaleAndBackground;
    private final Double reducedChi2;
    private final SizeSummary sizeDistribution;
    private final FitPosterior posterior;
    private final int coarseStageStarts;
    private final int screening;
    private final HeldModelError heldModelError;

    /**
     * A result (the arrays are taken over, not copied: only {@link FitRun} builds one).
     *
     * @param problem            the problem that was solved
     * @param optimizer          the optimiser and its settings
     * @param seed               the seed of the starting points and of the clustering
     * @param runtimeSeconds     wall-clock time of the fit and its analysis, s
     * @param theta              {@code starts * P} final parameters of every start
     * @param losses             the final loss of every start
     * @param steps              steps or iterations taken per start
     * @param converged          per start, whether it met a convergence test
     * @param evaluations        per-start forward evaluations in total
     * @param gradients          per-start gradient evaluations in total
     * @param best               the index of the best start
     * @param ensemble           the ensemble
     * @param identifiability    its analysis
     * @param bestCurve          the best fit on the fitting grid, data scale
     * @param bandLower          the pointwise minimum of the ensemble members' curves
     * @param bandUpper          the pointwise maximum of the ensemble members' curves
     * @param scaleAndBackground for χ²: the best fit's closed-form scale and background, else null
     * @param reducedChi2        for χ²: χ²/(n − F − nuisance) of the best fit, else null
     * @param sizeDistribution   the best fit's size distribution, or null
     */
    FitResult(FitProblem problem, BatchOptimizer optimizer, long seed, double runtimeSeconds, double[] theta, double[] losses,
              int[] steps, boolean[] converged, long evaluations, long gradients, int best, Ensemble ensemble,
              Identifiability identifiability, double[] bestCurve, double[] bandLower, double[] bandUpper,
              ScaleAndBackground scaleAndBackground, Double reducedChi2, SizeSummary sizeDistribution) {
        this(problem, optimizer, seed, runtimeSeconds, theta, losses, steps, converged, evaluations, gradients, best, ensemble,
                identifiability, bestCurve, bandLower, bandUpper, scaleAndBackground, reducedChi2, sizeDistribution, null, 0,
                1, null);
    }

    private FitResult(FitProblem problem, BatchOptimizer optimizer, long seed, double runtimeSeconds, double[] theta,
                      double[] losses, int[] steps, boolean[] converged, long evaluations, long gradients, int best,
                      Ensemble ensemble, Identifiability identifiability, double[] bestCurve, double[] bandLower,
                      double[] bandUpper, ScaleAndBackground scaleAndBackground, Double reducedChi2,
                      SizeSummary sizeDistribution, FitPosterior posterior, int coarseStageStarts, int screening,
                      HeldModelError heldModelError) {
        this.posterior = posterior;
        this.coarseStageStarts = coarseStageStarts;
        this.screening = screening;
        this.heldModelError = heldModelError;
        this.problem = problem;
        this.optimizer = optimizer;
        this.seed = seed;
        this.runtimeSeconds = runtimeSeconds;
        this.theta = theta;
        this.losses = losses;
        this.steps = steps;
        this.converged = converged;
        this.evaluations = evaluations;
        this.gradients = gradients;
        this.best = best;
        this.ensemble = ensemble;
        this.identifiability = identifiability;
        this.bestCurve = bestCurve;
        this.bandLower = bandLower;
        this.bandUpper = bandUpper;
        this.scaleAndBackground = scaleAndBackground;
        this.reducedChi2 = reducedChi2;
        this.sizeDistribution = sizeDistribution;
    }

    /** A copy with the sampled posterior (only {@link FitRun} calls it). */
    FitResult withPosterior(FitPosterior p) {
        return new FitResult(problem, optimizer, seed, runtimeSeconds, theta, losses, steps, converged, evaluations,
                gradients, best, ensemble, identifiability, bestCurve, bandLower, bandUpper, scaleAndBackground, reducedChi2,
                sizeDistribution, p, coarseStageStarts, screening, heldModelError);
    }

    /**
     * A copy that records how the starts were made: how many took the coarse first stage, and the
     * screening factor (only {@link FitRun} calls it).
     */
    FitResult withStartsMade(int coarse, int screeningFactor) {
        return new FitResult(problem, optimizer, seed, runtimeSeconds, theta, losses, steps, converged, evaluations,
                gradients, best, ensemble, identifiability, bestCurve, bandLower, bandUpper, scaleAndBackground, reducedChi2,
                sizeDistribution, posterior, coarse, screeningFactor, heldModelError);
    }

    /** A copy that records the size the model's error was held at (only {@link FitRun} calls it). */
    FitResult withHeldModelError(HeldModelError h) {
        return new FitResult(problem, optimizer, seed, runtimeSeconds, theta, losses, steps, converged, evaluations,
                gradients, best, ensemble, identifiability, bestCurve, bandLower, bandUpper, scaleAndBackground, reducedChi2,
                sizeDistribution, posterior, coarseStageStarts, screening, h);
    }

    /**
     * Where the model's error has a size that depends on the parameters (the {@code lnp} surrogate's
     * contrast law under {@code loglik}), the fit holds that size at its best parameters while it
     * optimises and samples, and {@link #bestLoss()} is −2 ln L under that held covariance. Two fits
     * of one curve (say, one with a parameter fixed, as for a profile likelihood) then report their
     * losses under two covariances, which compare only where the held sizes are equal. This gives
     * the held size and the loss with the size at the best parameters' own value (the likelihood's
     * parameter-dependent −2 ln L, the scale marginalised, up to a constant that depends only on the
     * curve, the model error and the grid): that one compares across fits of the same curve and
     * model, but it carries the covariance's log-determinant, which the fit leaves out on purpose
     * (it would let the data pull the contrast towards where the error law promises a small error);
     * to compare two fits as a posterior would, score both under one held size
     * ({@link org.lnpsaxs.optimize.loss.LogIntensityLikelihood#at(double[])}).
     *
     * @param amplitude      the held size a, × the error's size at its reference contrast (dimensionless)
     * @param lossAtOwnSize  −2 ln L at the best parameters with the error's size a(θ) free, up to the constant
     */
    public record HeldModelError(double amplitude, double lossAtOwnSize) {
    }

    /**
     * The size the model's error was held at and the best fit's loss at its own size (see
     * {@link HeldModelError}), or empty where the loss's covariance does not depend on the parameters.
     */
    public java.util.Optional<HeldModelError> heldModelError() {
        return java.util.Optional.ofNullable(heldModelError);
    }

    /**
     * How many starts ran first on the model's coarse approximation ({@link FitSettings#withCoarseStage(double)}):
     * the last ones; 0 without the stage.
     */
    public int coarseStageStarts() {
        return coarseStageStarts;
    }

    /**
     * The candidate points scored per start before the optimiser ran ({@link FitSettings#withScreening}):
     * the starts were the lowest-loss {@link #starts()} of {@code screening() × starts()} Sobol points;
     * 1 without screening.
     */
    public int screening() {
        return screening;
    }

    /**
     * The sampled posterior ({@link Fitter#withPosterior}), or {@code null} when it was not asked
     * for.
     */
    public FitPosterior posterior() {
        return posterior;
    }

    /** The problem that was solved. */
    public FitProblem problem() {
        return problem;
    }

    /** The optimiser and its settings. */
    public BatchOptimizer optimizer() {
        return optimizer;
    }

    /** The seed of the starting points and of the clustering. */
    public long seed() {
        return seed;
    }

    /** Wall-clock time of the fit and its analysis, s. */
    public double runtimeSeconds() {
        return runtimeSeconds;
    }

    /** The final parameters of every start, {@code starts * P} values, batch-major (a copy). */
    public double[] theta() {
        return theta.clone();
    }

    /** The final loss of every start (a copy). */
    public double[] losses() {
        return losses.clone();
    }

    /** The final loss of start {@code i}. */
    public double loss(int i) {
        return losses[i];
    }

    /** Steps or iterations taken per start (a copy). */
    public int[] steps() {
        return steps.clone();
    }

    /** Per start, whether it met a convergence test (a copy; always false for AdamW). */
    public boolean[] converged() {
        return converged.clone();
    }

    /** The number of starts that met a convergence test. */
    public int convergedStarts() {
        int c = 0;
        for (boolean b : converged) {
            c += b ? 1 : 0;
        }
        return c;
    }

    /** Per-start forward evaluations in total. */
    public long evaluations() {
        return evaluations;
    }

    /** Per-start gradient evaluations in total. */
    public long gradients() {
        return gradients;
    }

    /** The index of the best start. */
    public int best() {
        return best;
    }

    /** The ensemble of near-optimal fits. */
    public Ensemble ensemble() {
        return ensemble;
    }

    /** The identifiability analysis of the ensemble. */
    public Identifiability identifiability() {
        return identifiability;
    }

    /** The best fit on the fitting grid, on the data's scale (a copy). */
    public double[] bestCurve() {
        return bestCurve.clone();
    }

    /** The pointwise minimum of the ensemble members' curves, data scale (a copy). */
    public double[] bandLower() {
        return bandLower.clone();
    }

    /** The pointwise maximum of the ensemble members' curves, data scale (a copy). */
    public double[] bandUpper() {
        return bandUpper.clone();
    }

    /** For χ²: the best fit's closed-form scale and background; else {@code null}. */
    public ScaleAndBackground scaleAndBackground() {
        return scaleAndBackground;
    }

    /** For χ²: χ²/(n − F − nuisance parameters) of the best fit with n measured points; else {@code null}. */
    public Double reducedChi2() {
        return reducedChi2;
    }

    /** The best fit's size distribution, or {@code null} when the model has none. */
    public SizeSummary sizeDistribution() {
        return sizeDistribution;
    }

    /** The number of starts. */
    public int starts() {
        return losses.length;
    }

    /** The parameters of start {@code i}, model order (a copy). */
    public double[] parameters(int i) {
        int p = problem.space().size();
        return Arrays.copyOfRange(theta, i * p, (i + 1) * p);
    }

    /** Parameter {@code j} (model order) of start {@code i}. */
    public double parameter(int i, int j) {
        return theta[i * problem.space().size() + j];
    }

    /** The parameters of start {@code i} by name, model order (free and fixed). */
    public Map<String, Double> namedParameters(int i) {
        int p = problem.space().size();
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < p; j++) {
            m.put(problem.space().box().get(j).name(), theta[i * p + j]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The best fit's parameters by name. */
    public Map<String, Double> bestParameters() {
        return namedParameters(best);
    }

    /** The best loss. */
    public double bestLoss() {
        return losses[best];
    }

    /** The fitting grid, Å⁻¹ (a copy). */
    public double[] q() {
        return problem.data().q();
    }

    /** The data on the fitting grid (a copy). */
    public double[] data() {
        return problem.data().intensity();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "FitResult[%s to %s, loss %s: best %.6g (start %d of %d)",
                problem.fitModel().name(), problem.data().label(), problem.loss().name(), bestLoss(), best, starts()));
        if (reducedChi2 != null) {
            sb.append(String.format(Locale.ROOT, ", reduced chi2 %.4g", reducedChi2));
        }
        sb.append("; ");
        int p = problem.space().size();
        boolean first = true;
        for (int j = 0; j < p; j++) {
            if (!problem.space().isFixed(j)) {
                sb.append(first ? "" : ", ").append(problem.space().box().get(j).name())
                        .append(String.format(Locale.ROOT, " %.6g", theta[best * p + j]));
                first = false;
            }
        }
        sb.append(String.format(Locale.ROOT, "; ensemble of %d, %d mode(s); %.1f s]", ensemble.size(),
                identifiability.modes().count(), runtimeSeconds));
        return sb.toString();
    }
}
