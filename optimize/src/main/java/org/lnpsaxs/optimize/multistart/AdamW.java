package org.lnpsaxs.optimize.multistart;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW (Loshchilov &amp; Hutter, decoupled weight decay) with the paper's schedule, run on all
 * starts at once for a fixed number of steps.
 *
 * <p>Learning rate at step \( t = 0..T-1 \): linear warm-up \( \eta_t = \eta\,(t+1)/W \) for
 * \( t &lt; W \), then cosine decay from \( \eta \) to \( \eta_{\min} = f\eta \):
 * \( \eta_t = \eta_{\min} + (\eta - \eta_{\min})\,\tfrac12\,(1 + \cos(\pi (t-W)/(T-W))) \).
 * Per start: the gradient is clipped to norm \( c \) (\( g \leftarrow g\,\min(1, c/\lVert g\rVert) \)),
 * then \( m \leftarrow \beta_1 m + (1-\beta_1)g \), \( v \leftarrow \beta_2 v + (1-\beta_2)g^2 \),
 * \( u \leftarrow u(1 - \eta_t\lambda) - \eta_t\,\hat m/(\sqrt{\hat v} + \epsilon) \) with bias-corrected
 * \( \hat m, \hat v \) (PyTorch's {@code torch.optim.AdamW} update). Clipping is per start, not over the
 * whole batch, so that starts stay independent problems. Paper defaults ({@link #paper()}):
 * \( \eta = 10^{-2} \), W = 200, f = 0.6, c = 5, T = 1000; β = (0.9, 0.999), ε = 10⁻⁸ and
 * λ = 0.01 are PyTorch's AdamW defaults (the paper does not state them). The decay acts on the
 * unconstrained coordinates, i.e. it pulls gently towards the centre of the box.
 *
 * <p>The result for each start is the best iterate seen (the loss is evaluated at every step
 * anyway), including the point after the last update. A start whose gradient is not finite
 * stops moving (counted in the log).
 *
 * <p><b>Racing</b> ({@link Racing}; {@link #paper()} races with {@link Racing#PAPER}, {@link #withRacing}
 * with {@link Racing#OFF} runs every start to the end): at the listed fractions of the run a start whose best
 * loss so far is above a margin times the mean of the best tenth of all starts' best losses stops
 * there (its best point is its result, flagged retired) and leaves the batch. The other starts'
 * numbers do not change (each start is its own problem), so as long as no retired start would
 * have ended among the best tenth or in the ensemble, the fit's answer is the one without
 * racing; the margins are several times the largest ratio that such a start showed in the
 * measurements (docs/benchmarks.md, "Racing the paper's AdamW").
 *
 * @param learningRate          peak learning rate η (unconstrained units per step)
 * @param warmupSteps           W, linear warm-up steps
 * @param finalLearningRateRatio f, the cosine decay ends at f·η
 * @param clipNorm              c, the per-start gradient-norm clip
 * @param steps                 T, the number of steps
 * @param weightDecay           λ, decoupled weight decay
 * @param beta1                 first-moment decay
 * @param beta2                 second-moment decay
 * @param epsilon               denominator guard
 * @param logEvery              log progress every this many steps
 * @param racing                when starts far above the best stop ({@link Racing#OFF}: never)
 */
public record AdamW(double learningRate, int warmupSteps, double finalLearningRateRatio, double clipNorm, int steps,
                    double weightDecay, double beta1, double beta2, double epsilon, int logEvery, Racing racing)
        implements BatchOptimizer {

    /**
     * When AdamW starts stop because they cannot reach the best: after step round({@code at[i]}·T)
     * of a T-step run (the paper's schedule has the same shape for every T: warm-up over the first
     * fifth, then the cosine) a running start whose best loss so far exceeds {@code margins[i]} ×
     * the mean of the best ⌈{@code bestShare}·n⌉ best losses (n all starts, finite losses only)
     * stops. A mean ≤ 0 stops nothing (the losses of this library are ≥ 0).
     *
     * @param at        where the checks are, as fractions of the run, increasing, in (0, 1) (empty: never)
     * @param margins   one margin per check, each ≥ 1 (times the reference)
     * @param bestShare the share of starts whose mean best loss is the reference, in (0, 1]
     */
    public record Racing(double[] at, double[] margins, double bestShare) {

        /** No racing: every start runs every step (the paper's own runs). */
        public static final Racing OFF = new Racing(new double[0], new double[0], 0.1);

        /**
         * The default with {@link #paper()}: one check at 0.8 of the run (step 800 of 1 000) with
         * margin 10 against the best tenth. At that step the starts that ended in the ensemble or
         * among the best tenth were at most 4.8 × that mean on the README's example at 4 096 starts
         * (1.5 at 512) and 1.05 × on an analytic core-shell problem (128 and 512 starts). Earlier
         * checks are unsafe: at 0.4 of the run the analytic problem's future ensemble members were
         * still up to 5 090 × the mean, at 0.6 up to 773 × (docs/benchmarks.md, "Racing the paper's
         * AdamW").
         */
        public static final Racing PAPER = new Racing(new double[] {0.8}, new double[] {10}, 0.1);

        /** Validates and copies. */
        public Racing {
            at = at.clone();
            margins = margins.clone();
            if (at.length != margins.length || !(bestShare > 0 && bestShare <= 1)) {
                throw new IllegalArgumentException("AdamW racing: " + at.length + " checks and " + margins.length
                        + " margins, best share " + bestShare + " (need one margin per check, 0 < share <= 1)");
            }
            for (int i = 0; i < at.length; i++) {
                if (!(at[i] > 0 && at[i] < 1) || (i > 0 && !(at[i] > at[i - 1])) || !(margins[i] >= 1)) {
                    throw new IllegalArgumentException("AdamW racing: check at " + at[i] + " of the run with margin "
                            + margins[i] + " (need increasing fractions in (0, 1) and margins >= 1)");
                }
            }
        }

        /** Where the checks are, fractions of the run (a copy). */
        @Override
        public double[] at() {
            return at.clone();
        }

        /** The margins (a copy). */
        @Override
        public double[] margins() {
            return margins.clone();
        }

        /** Whether any start can stop early. */
        public boolean on() {
            return at.length > 0;
        }

        /** The margin of the check after step {@code k} (from 1) of a {@code steps}-step run, or NaN when k does not check. */
        double marginAt(int k, int steps) {
            for (int i = 0; i < at.length; i++) {
                if (Math.max(1, Math.round(at[i] * steps)) == k) {
                    return margins[i];
                }
            }
            return Double.NaN;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Racing r && Arrays.equals(at, r.at) && Arrays.equals(margins, r.margins)
                    && bestShare == r.bestShare;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(at) + Arrays.hashCode(margins)) + Double.hashCode(bestShare);
        }

        @Override
        public String toString() {
            return on() ? "racing at " + Arrays.toString(at) + " of the run with margins " + Arrays.toString(margins)
                    + " x the mean of the best " + bestShare : "no racing";
        }
    }

    /** Settings without racing (the constructor before racing existed). */
    public AdamW(double learningRate, int warmupSteps, double finalLearningRateRatio, double clipNorm, int steps,
                 double weightDecay, double beta1, double beta2, double epsilon, int logEvery) {
        this(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon,
                logEvery, Racing.OFF);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);

    /** Validates the settings. */
    public AdamW {
        if (!(learningRate > 0) || warmupSteps < 0 || !(finalLearningRateRatio >= 0) || !(clipNorm > 0) || steps < 1
                || !(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                || logEvery < 1 || racing == null) {
            throw new IllegalArgumentException("AdamW settings out of range: lr " + learningRate + ", warm-up " + warmupSteps
                    + ", final ratio " + finalLearningRateRatio + ", clip " + clipNorm + ", steps " + steps
                    + ", weight decay " + weightDecay + ", betas " + beta1 + "/" + beta2 + ", eps " + epsilon
                    + " (need lr > 0, steps >= 1, clip > 0, 0 <= beta < 1)");
        }
    }

    /**
     * The paper's settings: lr 1e-2, 200 warm-up steps, cosine to 0.6·lr, clip 5, 1000 steps,
     * λ = 0.01; racing {@link Racing#PAPER} (starts far above the best stop early; {@code
     * withRacing(Racing.OFF)} runs every start to the end, as the paper did).
     */
    public static AdamW paper() {
        return new AdamW(1e-2, 200, 0.6, 5.0, 1000, 0.01, 0.9, 0.999, 1e-8, 100, Racing.PAPER);
    }

    /** A copy with another racing schedule ({@link Racing#OFF}: none). */
    public AdamW withRacing(Racing r) {
        return new AdamW(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon,
                logEvery, r);
    }

    /** A copy with another number of steps (the warm-up is cut to at most a fifth of them). */
    public AdamW withSteps(int newSteps) {
        return new AdamW(learningRate, Math.min(warmupSteps, Math.max(0, newSteps / 5)), finalLearningRateRatio, clipNorm,
                newSteps, weightDecay, beta1, beta2, epsilon, logEvery, racing);
    }

    /** A copy with another peak learning rate. */
    public AdamW withLearningRate(double lr) {
        return new AdamW(lr, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon, logEvery,
                racing);
    }

    /** A copy with another weight decay λ. */
    public AdamW withWeightDecay(double lambda) {
        return new AdamW(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, lambda, beta1, beta2, epsilon,
                logEvery, racing);
    }

    /** A copy that logs every {@code n} steps. */
    public AdamW withLogEvery(int n) {
        return new AdamW(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon, n,
                racing);
    }

    @Override
    public String name() {
        return "adamw";
    }

    /** The learning rate at step {@code t} (0-based). */
    public double learningRate(int t) {
        if (t < warmupSteps) {
            return learningRate * (t + 1) / warmupSteps;
        }
        double lrMin = finalLearningRateRatio * learningRate;
        int span = steps - warmupSteps;
        double x = span <= 1 ? 1.0 : (double) (t - warmupSteps) / (span - 1);
        return lrMin + (learningRate - lrMin) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, x)));
    }

    @Override
    public OptimizationResult minimize(BatchObjective objective, double[] u0, int starts, OptimizationListener progress) {
        int d = objective.dimension();
        if (u0.length != starts * d) {
            throw new IllegalArgumentException("AdamW: " + u0.length + " starting values for " + starts + " starts of dimension " + d);
        }
        double[] u = u0.clone();
        double[] m = new double[u.length];
        double[] v = new double[u.length];
        double[] g = new double[u.length];
        double[] f = new double[starts];
        double[] bestU = u0.clone();
        double[] bestF = new double[starts];
        Arrays.fill(bestF, Double.POSITIVE_INFINITY);
        boolean[] frozen = new boolean[starts];
        boolean[] retired = new boolean[starts];
        int[] stepCount = new int[starts];
        Arrays.fill(stepCount, steps);
        // the running starts, in increasing order; once some have stopped, their rows are packed
        int[] active = new int[starts];
        for (int i = 0; i < starts; i++) {
            active[i] = i;
        }
        int running = starts;
        Batch packed = new Batch(d);
        long evaluations = 0;
        long gradients = 0;
        double b1t = 1;
        double b2t = 1;
        int frozenCount = 0;
        ReportClock clock = new ReportClock();
        for (int t = 0; t < steps; t++) {
            evaluate(objective, packed, active, running, u, f, g, true);
            evaluations += running;
            gradients += running;
            record(u, f, bestU, bestF, d, active, running);
            double lr = learningRate(t);
            b1t *= beta1;
            b2t *= beta2;
            for (int i = 0; i < running; i++) {
                int s = active[i];
                if (frozen[s]) {
                    continue;
                }
                int o = s * d;
                double norm = 0;
                boolean finite = true;
                for (int k = 0; k < d; k++) {
                    norm += g[o + k] * g[o + k];
                    finite &= Double.isFinite(g[o + k]);
                }
                if (!finite) {
                    frozen[s] = true;
                    frozenCount++;
                    continue;
                }
                norm = Math.sqrt(norm);
                double clip = norm > clipNorm ? clipNorm / norm : 1.0;
                for (int k = 0; k < d; k++) {
                    double gk = g[o + k] * clip;
                    m[o + k] = beta1 * m[o + k] + (1 - beta1) * gk;
                    v[o + k] = beta2 * v[o + k] + (1 - beta2) * gk * gk;
                    double mh = m[o + k] / (1 - b1t);
                    double vh = v[o + k] / (1 - b2t);
                    u[o + k] = u[o + k] * (1 - lr * weightDecay) - lr * mh / (Math.sqrt(vh) + epsilon);
                }
            }
            double margin = racing.marginAt(t + 1, steps);
            if (margin == margin) {
                int before = running;
                running = race(bestF, active, running, margin, retired, stepCount, t + 1);
                if (running < before) {
                    LOG.info("adamw step {}/{}: {} start(s) stopped, their best loss above {} x the mean of the best {} "
                            + "({} running)", t + 1, steps, before - running, margin, racing.bestShare(), running);
                }
            }
            if (progress != OptimizationListener.NONE) {
                progress.onLosses(t + 1, bestF.clone());
            }
            if (clock.due((t + 1) % logEvery == 0 || t == steps - 1)) {
                double best = min(bestF);
                LOG.info("adamw step {}/{}: best loss {}, lr {}, {} start(s) stopped on a non-finite gradient, {} by racing",
                        t + 1, steps, best, lr, frozenCount, starts - running);
                progress.onProgress(new OptimizationListener.Progress(t + 1, steps, best, 0.0, running));
            }
        }
        evaluate(objective, packed, active, running, u, f, g, false);
        evaluations += running;
        record(u, f, bestU, bestF, d, active, running);
        return new OptimizationResult(d, bestU, bestF, stepCount, new boolean[starts], retired, evaluations, gradients);
    }

    /** Packed rows of the running starts (reallocated when their number changes). */
    private static final class Batch {
        final int d;
        int rows = -1;
        double[] u;
        double[] f;
        double[] g;

        Batch(int d) {
            this.d = d;
        }

        void size(int n) {
            if (n != rows) {
                rows = n;
                u = new double[n * d];
                f = new double[n];
                g = new double[n * d];
            }
        }
    }

    /**
     * Values (and gradients when {@code withGradient}) of the running starts into their rows of
     * f and g: the whole batch in place while every start runs, else through packed rows. A
     * start's numbers are its own whichever rows share its call.
     */
    private static void evaluate(BatchObjective objective, Batch b, int[] active, int running, double[] u, double[] f,
                                 double[] g, boolean withGradient) {
        int d = b.d;
        if (running == f.length) {
            if (withGradient) {
                objective.valueAndGradient(active, u, running, f, g);
            } else {
                objective.value(active, u, running, f);
            }
            return;
        }
        if (running == 0) {
            return;
        }
        b.size(running);
        for (int i = 0; i < running; i++) {
            System.arraycopy(u, active[i] * d, b.u, i * d, d);
        }
        int[] ids = Arrays.copyOf(active, running);
        if (withGradient) {
            objective.valueAndGradient(ids, b.u, running, b.f, b.g);
        } else {
            objective.value(ids, b.u, running, b.f);
        }
        for (int i = 0; i < running; i++) {
            int s = active[i];
            f[s] = b.f[i];
            if (withGradient) {
                System.arraycopy(b.g, i * d, g, s * d, d);
            }
        }
    }

    /**
     * Stops the running starts whose best loss is above {@code margin} × the mean of the best
     * ⌈bestShare·n⌉ finite best losses; returns how many still run ({@code active} compacted).
     */
    private int race(double[] bestF, int[] active, int running, double margin, boolean[] retired, int[] stepCount,
                     int step) {
        double limit = margin * BestShare.mean(bestF, racing.bestShare());
        if (!(limit > 0)) {
            return running;
        }
        int kept = 0;
        for (int i = 0; i < running; i++) {
            int s = active[i];
            if (bestF[s] > limit) {
                retired[s] = true;
                stepCount[s] = step;
            } else {
                active[kept++] = s;
            }
        }
        return kept;
    }

    private static void record(double[] u, double[] f, double[] bestU, double[] bestF, int d, int[] active, int running) {
        for (int i = 0; i < running; i++) {
            int s = active[i];
            if (f[s] < bestF[s]) {
                bestF[s] = f[s];
                System.arraycopy(u, s * d, bestU, s * d, d);
            }
        }
    }

    static double min(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, v);
        }
        return m;
    }
}
