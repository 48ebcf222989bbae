package org.lnpsaxs.optimize.multistart;

import java.util.Arrays;

/**
 * The racing reference of both optimisers: the mean of the best ⌈share·n⌉ of n losses (finite
 * ones only; fewer when fewer are finite). Losses are in the loss's own units. Not a user class.
 */
final class BestShare {

    private BestShare() {
    }

    /**
     * The mean of the smallest ⌈{@code share}·n⌉ finite values of {@code losses} (n its length),
     * or NaN when none is finite.
     */
    static double mean(double[] losses, double share) {
        double[] sorted = new double[losses.length];
        int nf = 0;
        for (double v : losses) {
            if (Double.isFinite(v)) {
                sorted[nf++] = v;
            }
        }
        int k = Math.min(nf, (int) Math.ceil(share * losses.length));
        if (k == 0) {
            return Double.NaN;
        }
        Arrays.sort(sorted, 0, nf);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += sorted[i];
        }
        return sum / k;
    }
}
