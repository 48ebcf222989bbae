package org.lnpsaxs.optimize.ensemble;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * How the ensemble of near-optimal fits is chosen from the final losses of all starts.
 *
 * <p>{@link Paper}: the paper's rule. With n starts (all of them, including starts that could
 * not be scored) and \( \bar L_{10} \) the mean loss of the best \( \lceil 0.1n\rceil \),
 * members are the starts with \( L \le 1.2\,\bar L_{10} \); their number is clamped to
 * \( [\lceil 0.05n\rceil, \max(\lceil 0.05n\rceil, \lfloor 0.3n\rfloor)] \) by taking the best
 * ones. Losses must be ≥ 0 (both losses of this package are).
 *
 * <p>{@link DeltaChi2}: with σ known, members are the starts with
 * \( \chi^2 \le \chi^2_{\min} + \Delta \). {@link DeltaChi2#forFit} sets \( \Delta \) to the
 * 68.27 % quantile of the χ² distribution with F degrees of freedom (F = free parameters): the
 * joint "1σ" confidence region of all F parameters (Press et al., Numerical Recipes, §15.6). When
 * the best fit is poor (\( \chi^2_{\min}/\nu &gt; 1 \), ν = points − F − nuisance parameters), Δ is
 * multiplied by \( \chi^2_{\min}/\nu \), i.e. σ is inflated until the best fit is acceptable —
 * otherwise model error would shrink the region to a single start. Infinite losses are never members.
 */
public sealed interface EnsembleRule permits EnsembleRule.Paper, EnsembleRule.DeltaChi2 {

    /** Selects the ensemble from the losses of all starts (index = start). */
    Ensemble select(double[] losses);

    /** The rule's type. */
    EnsembleRuleType type();

    /** The rule's name in reports ({@code paper}, {@code delta-chi2}). */
    default String name() {
        return type().label();
    }

    /** The paper's rule with its constants (1.2, best 10 %, 5–30 %). */
    static Paper paper() {
        return new Paper(1.2, 0.10, 0.05, 0.30);
    }

    /** Start indices with finite loss, sorted by loss then index. */
    private static int[] finiteSorted(double[] losses) {
        return IntStream.range(0, losses.length)
                .filter(i -> Double.isFinite(losses[i]))
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> losses[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * The paper's rule.
     *
     * @param factor      the threshold factor (1.2)
     * @param bestShare   the share of starts whose mean loss sets the threshold (0.1)
     * @param minShare    the smallest ensemble as a share of all starts (0.05)
     * @param maxShare    the largest ensemble as a share of all starts (0.3)
     */
    record Paper(double factor, double bestShare, double minShare, double maxShare) implements EnsembleRule {

        /** Validates the constants. */
        public Paper {
            if (!(factor >= 1) || !(bestShare > 0 && bestShare <= 1) || !(minShare > 0) || !(maxShare >= minShare)
                    || maxShare > 1) {
                throw new IllegalArgumentException("ensemble rule constants out of range: factor " + factor + ", best "
                        + bestShare + ", min " + minShare + ", max " + maxShare);
            }
        }

        @Override
        public EnsembleRuleType type() {
            return EnsembleRuleType.PAPER;
        }

        @Override
        public Ensemble select(double[] losses) {
            int n = losses.length;
            int[] order = finiteSorted(losses);
            if (order.length == 0) {
                throw new IllegalArgumentException("no start has a finite loss: no ensemble can be formed");
            }
            for (int i : order) {
                if (losses[i] < 0) {
                    throw new IllegalArgumentException("the paper's ensemble rule needs losses >= 0, start " + i + " has " + losses[i]);
                }
            }
            int nBest = Math.min(order.length, Math.max(1, (int) Math.ceil(bestShare * n - 1e-9)));
            double mean = 0;
            for (int k = 0; k < nBest; k++) {
                mean += losses[order[k]];
            }
            mean /= nBest;
            double threshold = factor * mean;
            int candidates = 0;
            while (candidates < order.length && losses[order[candidates]] <= threshold) {
                candidates++;
            }
            int lo = Math.max(1, (int) Math.ceil(minShare * n - 1e-9));
            int hi = Math.max(lo, (int) Math.floor(maxShare * n + 1e-9));
            int size = Math.max(lo, Math.min(hi, candidates));
            size = Math.min(size, order.length);
            Ensemble.Clamp clamped = size > candidates ? Ensemble.Clamp.UP : size < candidates ? Ensemble.Clamp.DOWN
                    : Ensemble.Clamp.NONE;
            String rule = String.format(java.util.Locale.ROOT,
                    "loss <= %.3g x mean of the best %d (%.0f%%) = %.6g, clamped to %d..%d of %d starts",
                    factor, nBest, 100 * bestShare, threshold, lo, hi, n);
            return new Ensemble(Arrays.copyOf(order, size), threshold, candidates, clamped, rule);
        }
    }

    /**
     * The Δχ² rule.
     *
     * @param delta the admitted increase of χ² over the best start
     */
    record DeltaChi2(double delta) implements EnsembleRule {

        /** Validates Δ. */
        public DeltaChi2 {
            if (!(delta >= 0) || !Double.isFinite(delta)) {
                throw new IllegalArgumentException("delta chi2 must be finite and >= 0, got " + delta);
            }
        }

        /**
         * Δ for a fit: the 68.27 % quantile of χ²(F), times \( \max(1, \chi^2_{\min}/\nu) \).
         *
         * @param free      F, the number of free parameters
         * @param chi2Min   the best χ²
         * @param dof       ν, the degrees of freedom of the best fit (points − F − nuisance parameters)
         */
        public static DeltaChi2 forFit(int free, double chi2Min, int dof) {
            if (free < 1) {
                throw new IllegalArgumentException("delta chi2 rule needs at least one free parameter");
            }
            double q = new ChiSquaredDistribution(null, free).inverseCumulativeProbability(0.6827);
            double inflate = dof > 0 ? Math.max(1.0, chi2Min / dof) : 1.0;
            return new DeltaChi2(q * inflate);
        }

        @Override
        public EnsembleRuleType type() {
            return EnsembleRuleType.DELTA_CHI2;
        }

        @Override
        public Ensemble select(double[] losses) {
            int[] order = finiteSorted(losses);
            if (order.length == 0) {
                throw new IllegalArgumentException("no start has a finite chi2: no ensemble can be formed");
            }
            double threshold = losses[order[0]] + delta;
            int size = 0;
            while (size < order.length && losses[order[size]] <= threshold) {
                size++;
            }
            String rule = String.format(java.util.Locale.ROOT, "chi2 <= chi2_min + %.6g = %.6g", delta, threshold);
            return new Ensemble(Arrays.copyOf(order, size), threshold, size, Ensemble.Clamp.NONE, rule);
        }
    }
}
