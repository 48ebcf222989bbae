package org.lnpsaxs.optimize;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import org.lnpsaxs.optimize.ensemble.EnsembleRule;
import org.lnpsaxs.optimize.ensemble.EnsembleRuleType;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;

/**
 * How a multi-start fit is run: the number of starts and their seed, the optimiser, the ensemble
 * rule, the threads and chunk size, the box shrink of the starts, the profile likelihoods and
 * whether the Fisher information is computed, and whether L-BFGS starts run first on the model's
 * coarse approximation where it has one. Immutable; {@link #defaults()} and {@code withX(..)}
 * copies. The threads and the chunk size never change the numbers.
 */
public final class FitSettings {

    /** The default seed. */
    public static final long DEFAULT_SEED = 1L;
    /**
     * The most starts a model takes by default (512), and the number {@code lnp} takes
     * ({@link org.lnpsaxs.optimize.model.FitModel#defaultStarts}; fewer lost its best basin on 6 of 32 curves,
     * docs/benchmarks.md).
     */
    public static final int DEFAULT_STARTS = 512;
    /** {@link #starts()} when the fit takes its model's number of starts ({@link #withModelDefaultStarts}). */
    public static final int MODEL_DEFAULT_STARTS = 0;
    /** The default number of grid values of a profile likelihood. */
    public static final int DEFAULT_PROFILE_POINTS = 15;
    /**
     * The default number of starts per model call, 2: small chunks keep a call's rows in cache
     * between the forward and the reverse pass (an `lnp` chunk is 2 × 52 surrogate rows); on the
     * shipped example 2 took 0.90 × the CPU time of 4 and about 0.8 × that of 256, and 1 was no
     * faster than 2 while analytic models lose a little to the per-call overhead there
     * (docs/benchmarks.md, `ChunkSizeStudy`). The numbers do not depend on it.
     */
    public static final int DEFAULT_CHUNK_SIZE = 2;

    private final int starts;
    private final long seed;
    private final BatchOptimizer optimizer;
    private final EnsembleRuleType ensembleRule;
    private final int threads;
    private final int chunkSize;
    private final double shrink;
    private final List<String> profiles;
    private final int profilePoints;
    private final boolean fisher;
    private final double coarseShare;
    private final int screening;
    private final PosteriorSettings posterior;

    /** The mutable scratch copy that {@link #edit} changes one field of. */
    private static final class Values {
        int starts;
        long seed;
        BatchOptimizer optimizer;
        EnsembleRuleType ensembleRule;
        int threads;
        int chunkSize;
        double shrink;
        List<String> profiles;
        int profilePoints;
        boolean fisher;
        double coarseShare;
        int screening;
        PosteriorSettings posterior;
    }

    private FitSettings(Values v) {
        if (v.starts < 0) {
            throw new IllegalArgumentException("the number of starts must be at least 1, got " + v.starts);
        }
        if (v.threads < 1 || v.chunkSize < 1) {
            throw new IllegalArgumentException("threads and chunk size must be at least 1, got " + v.threads + " and "
                    + v.chunkSize);
        }
        if (v.profilePoints < 3) {
            throw new IllegalArgumentException("a profile needs at least 3 points, got " + v.profilePoints);
        }
        if (!(v.coarseShare >= 0 && v.coarseShare <= 1)) {
            throw new IllegalArgumentException("the share of starts that take the coarse stage must be in [0, 1], got "
                    + v.coarseShare);
        }
        if (v.screening < 1) {
            throw new IllegalArgumentException("the screening factor must be at least 1 (1: no screening), got "
                    + v.screening);
        }
        if (!(v.shrink >= 0 && v.shrink < 0.5)) {
            throw new IllegalArgumentException("the box shrink of the starts must be in [0, 0.5), got " + v.shrink);
        }
        this.starts = v.starts;
        this.seed = v.seed;
        this.optimizer = Objects.requireNonNull(v.optimizer, "optimizer");
        this.ensembleRule = Objects.requireNonNull(v.ensembleRule, "ensembleRule");
        this.threads = v.threads;
        this.chunkSize = v.chunkSize;
        this.shrink = v.shrink;
        this.profiles = List.copyOf(v.profiles);
        this.profilePoints = v.profilePoints;
        this.fisher = v.fisher;
        this.coarseShare = v.coarseShare;
        this.screening = v.screening;
        this.posterior = v.posterior;
    }

    /**
     * The defaults: the model's number of starts ({@link org.lnpsaxs.optimize.model.FitModel#defaultStarts}:
     * 512 for {@code lnp}, 32 per free parameter within [128, 512] for the others), seed {@value #DEFAULT_SEED}, L-BFGS
     * ({@link Lbfgs#defaults()}), the paper's ensemble rule, all available processors, chunks of
     * {@value #DEFAULT_CHUNK_SIZE} starts, 5 % box shrink, Fisher information on, no profiles, no
     * coarse first stage.
     */
    public static FitSettings defaults() {
        Values v = new Values();
        v.starts = MODEL_DEFAULT_STARTS;
        v.seed = DEFAULT_SEED;
        v.optimizer = Lbfgs.defaults();
        v.ensembleRule = EnsembleRuleType.PAPER;
        v.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        v.chunkSize = DEFAULT_CHUNK_SIZE;
        v.shrink = Starts.DEFAULT_SHRINK;
        v.profiles = List.of();
        v.profilePoints = DEFAULT_PROFILE_POINTS;
        v.fisher = true;
        v.coarseShare = 0;
        v.screening = 1;
        return new FitSettings(v);
    }

    /** A copy with one change (the only place the fields are copied). */
    private FitSettings edit(Consumer<Values> change) {
        Values v = new Values();
        v.starts = starts;
        v.seed = seed;
        v.optimizer = optimizer;
        v.ensembleRule = ensembleRule;
        v.threads = threads;
        v.chunkSize = chunkSize;
        v.shrink = shrink;
        v.profiles = profiles;
        v.profilePoints = profilePoints;
        v.fisher = fisher;
        v.coarseShare = coarseShare;
        v.screening = screening;
        v.posterior = posterior;
        change.accept(v);
        return new FitSettings(v);
    }

    /**
     * A copy with {@code n} starts.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public FitSettings withStarts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of starts must be at least 1, got " + n);
        }
        return edit(v -> v.starts = n);
    }

    /** A copy that takes the model's number of starts ({@link org.lnpsaxs.optimize.model.FitModel#defaultStarts}; the default). */
    public FitSettings withModelDefaultStarts() {
        return edit(v -> v.starts = MODEL_DEFAULT_STARTS);
    }

    /** A copy with another seed (of the starts and of the clustering). */
    public FitSettings withSeed(long s) {
        return edit(v -> v.seed = s);
    }

    /** A copy with another optimiser ({@link AdamW#paper()}, {@link Lbfgs#defaults()}, ...). */
    public FitSettings withOptimizer(BatchOptimizer o) {
        return edit(v -> v.optimizer = o);
    }

    /** A copy with another ensemble rule ({@code DELTA_CHI2} needs a likelihood loss, χ² or loglik; see {@link EnsembleRule.DeltaChi2#forFit}). */
    public FitSettings withEnsembleRule(EnsembleRuleType rule) {
        return edit(v -> v.ensembleRule = rule);
    }

    /** A copy that uses {@code n} threads (results do not depend on it). */
    public FitSettings withThreads(int n) {
        return edit(v -> v.threads = n);
    }

    /** A copy whose model calls hold at most {@code n} starts (bounds memory; results do not depend on it). */
    public FitSettings withChunkSize(int n) {
        return edit(v -> v.chunkSize = n);
    }

    /** A copy whose starts leave out {@code fraction} of each box width at each end (default 0.05). */
    public FitSettings withShrink(double fraction) {
        return edit(v -> v.shrink = fraction);
    }

    /** A copy that computes profile likelihoods of these free parameters. */
    public FitSettings withProfiles(List<String> names) {
        return edit(v -> v.profiles = names);
    }

    /** A copy whose profiles have {@code n} grid values. */
    public FitSettings withProfilePoints(int n) {
        return edit(v -> v.profilePoints = n);
    }

    /** A copy with (or without) the Fisher information at the best fit. */
    public FitSettings withFisher(boolean on) {
        return edit(v -> v.fisher = on);
    }

    /**
     * A copy with (or without, the default) the coarse first stage: when the model offers a cheaper
     * approximation ({@code BoundModel.coarse()}, e.g. the {@code lnp} model's 24-node size average)
     * and the optimiser is L-BFGS, every start runs there first, and the starts within 2 × the mean
     * of the best 10 % there continue on the model itself (the others keep their point, scored on the
     * model, and count as retired). The answer is the model's either way, but the search is not the
     * same: on the shipped example it costs 0.4 × the model evaluations and finds the same best
     * basin and modes; over 10 noisy curves (64 starts) it found a lower best loss than a plain fit on
     * 3 and a higher one on 2 (docs/benchmarks.md), so it is a choice for speed, not the default.
     * AdamW (the paper's protocol) never uses it.
     */
    public FitSettings withCoarseStage(boolean on) {
        return edit(v -> v.coarseShare = on ? 1 : 0);
    }

    /**
     * A copy in which a share of the starts takes the coarse first stage ({@link #withCoarseStage(boolean)}) and
     * the others run on the model from the start: a portfolio of two landscapes. The starts are the
     * same Sobol points as without it; the last ⌊share × starts⌋ of them take the coarse stage (0: none,
     * the default; 1: every start, as {@code withCoarseStage(true)}). Racing and the polishing rule
     * act within each part. Over ten noisy curves (docs/benchmarks.md) 256 starts with half of them
     * staged found the best loss of 512 starts on the model on nine, for about 0.45 × its model rows,
     * no better than 128 starts on the model alone; so it is an option, not the default.
     *
     * @param share in [0, 1]
     */
    public FitSettings withCoarseStage(double share) {
        return edit(v -> v.coarseShare = share);
    }

    /** Whether L-BFGS fits run a first stage on the model's coarse approximation (for some starts at least). */
    public boolean coarseStage() {
        return coarseShare > 0;
    }

    /** The share of the starts that take the coarse first stage (0: none). */
    public double coarseShare() {
        return coarseShare;
    }

    /**
     * A copy that screens the starts: the fit scores {@code factor × starts} Sobol points of the box
     * (shrunk as the starts are) with one forward pass each, and starts the optimiser from the
     * {@code starts} points of lowest loss (in their Sobol order). 1 (the default) screens nothing:
     * the starts are the first {@code starts} Sobol points. A forward pass costs about what one
     * optimiser iteration of one start costs, so screening 16 × 128 points costs about as much as 16
     * iterations of 128 starts. Measured on {@code lnp} (docs/benchmarks.md, "Screened starts"): 128
     * starts screened from 2 048 points ended above 512 plain starts' minimum on 5 of 32 noisy curves,
     * 128 plain starts on 6, and the screened fit of the shipped example took 0.94 × the plain one's
     * CPU; so it is an option, not the default.
     *
     * @param factor the candidates per start, at least 1
     */
    public FitSettings withScreening(int factor) {
        return edit(v -> v.screening = factor);
    }

    /** The candidates scored per start ({@link #withScreening}; 1: no screening). */
    public int screening() {
        return screening;
    }

    /**
     * A copy that samples the posterior after the fit with these settings, or does not
     * ({@code null}, the default). The loss must be a likelihood ({@code Loss.isLikelihood()}).
     */
    public FitSettings withPosterior(PosteriorSettings p) {
        return edit(v -> v.posterior = p);
    }

    /** The posterior sampling settings, or {@code null} when the posterior is not sampled. */
    public PosteriorSettings posterior() {
        return posterior;
    }

    /** The number of starts, or {@link #MODEL_DEFAULT_STARTS} (0) when the fit takes its model's ({@link #startsFor}). */
    public int starts() {
        return starts;
    }

    /**
     * The number of starts a fit of {@code model} with {@code freeParameters} free parameters runs:
     * {@link #starts()}, or the model's {@link org.lnpsaxs.optimize.model.FitModel#defaultStarts} when that is 0.
     */
    public int startsFor(org.lnpsaxs.optimize.model.FitModel model, int freeParameters) {
        return starts != MODEL_DEFAULT_STARTS ? starts : model.defaultStarts(freeParameters);
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The optimiser. */
    public BatchOptimizer optimizer() {
        return optimizer;
    }

    /** The ensemble rule. */
    public EnsembleRuleType ensembleRule() {
        return ensembleRule;
    }

    /** The number of threads. */
    public int threads() {
        return threads;
    }

    /** The largest number of starts per model call. */
    public int chunkSize() {
        return chunkSize;
    }

    /** The share of each box width left out at each end by the starts. */
    public double shrink() {
        return shrink;
    }

    /** The parameters whose profile likelihoods are computed. */
    public List<String> profiles() {
        return profiles;
    }

    /** The grid values per profile. */
    public int profilePoints() {
        return profilePoints;
    }

    /** Whether the Fisher information is computed. */
    public boolean fisher() {
        return fisher;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FitSettings[%d starts, seed %d, %s, ensemble rule %s, %d thread(s), chunks of %d, "
                        + "shrink %.3g, screening %s, Fisher %s, coarse stage %s, profiles %s (%d points), posterior %s]", starts,
                seed, optimizer.name(), ensembleRule, threads, chunkSize, shrink,
                screening == 1 ? "off" : screening + " candidates per start", fisher ? "on" : "off",
                coarseShare == 0 ? "off" : coarseShare == 1 ? "on" : "on for a share " + coarseShare,
                profiles, profilePoints,
                posterior == null ? "off" : posterior);
    }
}
