package org.lnpsaxs.core.math;

import java.util.Arrays;

/**
 * Sample quantiles with linear interpolation between order statistics (numpy's default, type 7
 * of Hyndman &amp; Fan 1996): the p-quantile of n sorted values \( x_{(0)} \le \dots \le x_{(n-1)} \)
 * lies at position \( h = p(n-1) \), \( Q(p) = x_{(\lfloor h\rfloor)} + (h - \lfloor h\rfloor)
 * (x_{(\lfloor h\rfloor + 1)} - x_{(\lfloor h\rfloor)}) \). Values keep their unit.
 */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * The p-quantile of {@code values} (not modified).
     *
     * @param values at least one value
     * @param p      the level, 0 ≤ p ≤ 1
     * @throws IllegalArgumentException if there are no values or p is outside [0, 1]
     */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a quantile needs at least one value");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return ofSorted(s, p);
    }

    /**
     * The p-quantile of values already sorted ascending.
     *
     * @param sorted at least one value, ascending
     * @param p      the level, 0 ≤ p ≤ 1
     */
    public static double ofSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("a quantile needs at least one value");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile level " + p + " is not in [0, 1]");
        }
        double h = p * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
