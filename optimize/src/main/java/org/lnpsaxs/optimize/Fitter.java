package org.lnpsaxs.optimize;

import java.util.List;
import java.util.Objects;

import org.lnpsaxs.optimize.ensemble.EnsembleRuleType;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;

/**
 * The multi-start fitter: scrambled Sobol starts in the box shrunk by 5 % at each end, all
 * advanced together as one batch by the chosen optimiser (L-BFGS by default, or the paper's
 * AdamW), then the ensemble of near-optimal fits, its identifiability analysis, the Fisher
 * information at the best fit and, on request, profile likelihoods.
 *
 * <p>A fitter is its {@link FitSettings} plus a progress listener; it is immutable and configured
 * with {@code withX(..)} (each a shortcut for the same method of {@link FitSettings}). Results are
 * reproducible: the same seed gives the same numbers, whatever the thread count (the batch is cut
 * into fixed chunks, each start's arithmetic depends only on itself).
 *
 * <pre>{@code
 * FitProblem problem = FitProblem.of(AnalyticFitModel.sphere(), ScatteringCurve.read(Path.of("data.dat")));
 * FitResult r = Fitter.defaults().withStarts(256).fit(problem);
 * r.bestParameters();                 // name -> value
 * r.identifiability().modes();        // the modes of the ensemble
 * }</pre>
 */
public final class Fitter {

    /** The default seed. */
    public static final long DEFAULT_SEED = FitSettings.DEFAULT_SEED;
    /**
     * The most starts a model takes by default, and {@code lnp}'s number ({@link FitSettings#DEFAULT_STARTS});
     * a fit without {@link #withStarts} takes its model's {@link org.lnpsaxs.optimize.model.FitModel#defaultStarts}.
     */
    public static final int DEFAULT_STARTS = FitSettings.DEFAULT_STARTS;

    /**
     * The revision of the fitting algorithm and its defaults: raised whenever a change makes the
     * same problem and settings give other results (another optimiser default, another rule), so
     * that stored results can tell which fitter made them (the batch command's fingerprints record
     * it; the library's version alone does not change between snapshots). 12: AdamW races (starts far above the
     * best stop after 80 % of the steps, {@link org.lnpsaxs.optimize.multistart.AdamW.Racing#PAPER}), and
     * the normal distribution's tails and quantile come from Commons Numbers' error function (a few units in the
     * last place, as before, but other ones), so size averages move in their last digits (2026-12-07); 11: the surrogate's mean particle takes its
     * sines and cosines from eight interleaved rotation chains per segment (its curves move by at most 3.4·10⁻¹³
     * decades) and its reverse passes sum in eight partial sums (input gradients move by at most 5.8·10⁻¹² relative), so
     * fits differ in their last digits and in members near the ensemble's threshold (2026-12-07); 10: the analytic models average
     * their q values in bands, each with the quadrature nodes its own largest q needs
     * ({@code SasPolydisperseModel}; curves move by the accurate rule's error, about 10⁻⁵; 2026-12-07); 9: a fit without a number of
     * starts takes its model's ({@link org.lnpsaxs.optimize.model.FitModel#defaultStarts}: 128 instead of 512
     * for the analytic models with up to four free parameters), and a bound holds a best fit only when the loss's
     * Newton step points across it ({@code ParameterSpread.withFisher}), the modes say when the members allow
     * no more components than the BIC chose ({@code Modes.atLimit}), and spreads and posterior shares within an
     * image are of the image's range ({@code Symmetry.canonicalWidths}; 2026-12-07); 8: L-BFGS moves a parameter
     * that presses against its box's edge straight to the edge (bound pinning; 2026-12-06); 7: the report judges the
     * ensemble within one image of an exact symmetry as well ({@code identifiability.canonical_image})
     * and calls a posterior pressed against a bound of the box "held by a bound", and data interpolated onto
     * a model grid no longer count (and weigh) the measured points beyond it (2026-12-06); 6: the posterior samples
     * across an ordering that an exact relabelling symmetry folds onto (for lnp the spectral
     * components' swap, m_q1 &lt;= m_q2) and folds its draws onto it (2026-12-06); 5: the posterior's HMC jumps
     * between modes that are not mirror images by the affine map of the modes' own means and
     * covariances (from the ensemble pilot's walkers, then the warm-up's draws), with its Jacobian
     * (2026-12-05); 4: the posterior's HMC jumps
     * between mirror-image modes by the symmetry's map, with its Jacobian, instead of a translation
     * (2026-12-05); 3: the ensemble's modes are
     * split by the images of the model's exact symmetries before clustering (2026-12-04); 2: L-BFGS keeps 40
     * (s, y) pairs per start and the loglik error size is re-held at the polished best (2026-12-04);
     * 1: everything before.
     */
    public static final int REVISION = 12;

    private final FitSettings settings;
    private final OptimizationListener progress;

    private Fitter(FitSettings settings, OptimizationListener progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** A fitter with {@link FitSettings#defaults()} and no progress listener. */
    public static Fitter defaults() {
        return new Fitter(FitSettings.defaults(), OptimizationListener.NONE);
    }

    /** A fitter with these settings. */
    public static Fitter of(FitSettings settings) {
        return new Fitter(settings, OptimizationListener.NONE);
    }

    /** The settings. */
    public FitSettings settings() {
        return settings;
    }

    /** A copy with other settings. */
    public Fitter withSettings(FitSettings s) {
        return new Fitter(s, progress);
    }

    /** A copy that reports the optimiser's progress to {@code listener} (besides the log). */
    public Fitter withProgress(OptimizationListener listener) {
        return new Fitter(settings, listener);
    }

    /** A copy with {@code n} starts ({@link FitSettings#withStarts}). */
    public Fitter withStarts(int n) {
        return withSettings(settings.withStarts(n));
    }

    /** A copy with another seed ({@link FitSettings#withSeed}). */
    public Fitter withSeed(long s) {
        return withSettings(settings.withSeed(s));
    }

    /** A copy with another optimiser ({@link FitSettings#withOptimizer}). */
    public Fitter withOptimizer(BatchOptimizer o) {
        return withSettings(settings.withOptimizer(o));
    }

    /** A copy with another ensemble rule ({@link FitSettings#withEnsembleRule}). */
    public Fitter withEnsembleRule(EnsembleRuleType rule) {
        return withSettings(settings.withEnsembleRule(rule));
    }

    /** A copy that uses {@code n} threads ({@link FitSettings#withThreads}). */
    public Fitter withThreads(int n) {
        return withSettings(settings.withThreads(n));
    }

    /** A copy with another chunk size ({@link FitSettings#withChunkSize}). */
    public Fitter withChunkSize(int n) {
        return withSettings(settings.withChunkSize(n));
    }

    /** A copy with another box shrink of the starts ({@link FitSettings#withShrink}). */
    public Fitter withShrink(double fraction) {
        return withSettings(settings.withShrink(fraction));
    }

    /** A copy that computes these profile likelihoods ({@link FitSettings#withProfiles}). */
    public Fitter withProfiles(List<String> names) {
        return withSettings(settings.withProfiles(names));
    }

    /** A copy whose profiles have {@code n} values ({@link FitSettings#withProfilePoints}). */
    public Fitter withProfilePoints(int n) {
        return withSettings(settings.withProfilePoints(n));
    }

    /** A copy with (or without) the Fisher information ({@link FitSettings#withFisher}). */
    public Fitter withFisher(boolean on) {
        return withSettings(settings.withFisher(on));
    }

    /** A copy with (or without) the coarse first stage ({@link FitSettings#withCoarseStage}). */
    public Fitter withCoarseStage(boolean on) {
        return withSettings(settings.withCoarseStage(on));
    }

    /** A copy that screens {@code factor × starts} Sobol points and starts from the best ({@link FitSettings#withScreening}). */
    public Fitter withScreening(int factor) {
        return withSettings(settings.withScreening(factor));
    }

    /** A copy in which a share of the starts takes the coarse first stage ({@link FitSettings#withCoarseStage(double)}). */
    public Fitter withCoarseStage(double share) {
        return withSettings(settings.withCoarseStage(share));
    }

    /**
     * A copy that samples the posterior after the fit ({@link FitSettings#withPosterior}):
     * \( p(\theta\mid D) \propto \exp(-L/2) \) times a uniform prior on the fit box, by an ensemble
     * MCMC sampler over the fit's unconstrained coordinates (Jacobian included), its walkers
     * started from the modes of the multi-start fit and their mirror images under the model's
     * exact symmetries, through the same batched model path as the optimiser. The result is
     * {@link FitResult#posterior()}; the sampler's progress goes to the progress listener (steps
     * done of the budget, the lowest loss seen), after the optimiser's. {@code null} switches
     * sampling off.
     */
    public Fitter withPosterior(PosteriorSettings p) {
        return withSettings(settings.withPosterior(p));
    }

    /** A copy that samples the posterior with {@link PosteriorSettings#defaults()}. */
    public Fitter withPosterior() {
        return withPosterior(PosteriorSettings.defaults());
    }

    /**
     * Runs the fit and its analysis.
     *
     * @throws IllegalArgumentException when the problem cannot be fitted as asked: every parameter
     *                                  fixed, fewer usable points than free parameters + 2, a profile
     *                                  of a fixed parameter, the Δχ² rule without the χ² loss, a
     *                                  posterior asked for with a loss that is not a likelihood
     */
    public FitResult fit(FitProblem problem) {
        if (settings.posterior() != null) {
            PosteriorRun.checkLikelihood(problem);
        }
        return new FitRun(problem, settings, progress).run();
    }

    @Override
    public String toString() {
        return "Fitter[" + settings + "]";
    }
}
