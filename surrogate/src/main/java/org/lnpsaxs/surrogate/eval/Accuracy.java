package org.lnpsaxs.surrogate.eval;

import org.lnpsaxs.core.math.Invariant;
import org.lnpsaxs.core.math.Quantiles;

/**
 * The accuracy metric of the surrogate: for each curve the mean over q of
 * \( |\log_{10} I_{pred}(q) - \log_{10} I_{ref}(q)| \) (decades), then the median, mean,
 * 90th percentile and maximum over curves. Percentiles interpolate linearly between order
 * statistics (numpy's default, {@link Quantiles}): the p-quantile of n sorted values is at
 * position p·(n−1).
 *
 * <p>The level-free variant first divides each curve by its Porod-type invariant
 * \( Q_w = \int q^2 I\,dq \) (trapezoid rule on the grid, {@link Invariant}), so that only the
 * shape is compared, as the noise estimate of the simulator's reference curves is stated.
 */
public final class Accuracy {

    private Accuracy() {
    }

    /**
     * Per-curve mean |Δlog₁₀ I| for {@code n} curves of {@code q} points (row-major).
     *
     * @param predicted log₁₀ I predicted
     * @param reference log₁₀ I reference
     */
    public static double[] perCurveMeanAbs(double[] predicted, double[] reference, int n, int q) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < q; k++) {
                s += Math.abs(predicted[i * q + k] - reference[i * q + k]);
            }
            out[i] = s / q;
        }
        return out;
    }

    /**
     * Per-curve mean |Δlog₁₀(I/Q_w)|: as {@link #perCurveMeanAbs} after removing each curve's
     * invariant \(Q_w = \int q^2 I\,dq\) on the grid {@code grid} (Å⁻¹).
     */
    public static double[] perCurveMeanAbsLevelFree(double[] predicted, double[] reference, int n, double[] grid) {
        int q = grid.length;
        double[] weights = Invariant.weights(grid);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double lp = Math.log10(invariant(predicted, i * q, weights));
            double lr = Math.log10(invariant(reference, i * q, weights));
            double s = 0;
            for (int k = 0; k < q; k++) {
                s += Math.abs((predicted[i * q + k] - lp) - (reference[i * q + k] - lr));
            }
            out[i] = s / q;
        }
        return out;
    }

    /** \( \int q^2 I\,dq \) ({@link Invariant}) of the curve whose log₁₀ I values start at {@code log10[off]}. */
    private static double invariant(double[] log10, int off, double[] weights) {
        double[] intensity = new double[weights.length];
        for (int k = 0; k < intensity.length; k++) {
            intensity[k] = Math.pow(10, log10[off + k]);
        }
        return Invariant.of(weights, intensity, 0);
    }

    /**
     * Summary statistics of per-curve errors.
     *
     * @param curves the number of curves
     * @param median the median, decades
     * @param p90    the 90th percentile, decades
     * @param mean   the mean, decades
     * @param max    the maximum, decades
     */
    public record Summary(int curves, double median, double p90, double mean, double max) {

        /** Summary of per-curve errors. */
        public static Summary of(double[] perCurve) {
            double mean = 0;
            double max = 0;
            for (double v : perCurve) {
                mean += v;
                max = Math.max(max, v);
            }
            return new Summary(perCurve.length, Quantiles.of(perCurve, 0.5), Quantiles.of(perCurve, 0.9),
                    mean / perCurve.length, max);
        }

        /** Whether the paper's bar is met: median ≤ 0.012 and 90th percentile ≤ 0.036. */
        public boolean meetsPaperBar() {
            return median <= 0.012 && p90 <= 0.036;
        }
    }
}
