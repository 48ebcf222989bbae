package org.lnpsaxs.optimize.posterior;

import java.util.function.ToIntFunction;

/**
 * The posterior weight of each of K modes: the share of draws that a fixed assignment
 * {@code label(x)} puts in each, with a Monte Carlo standard error
 * \( \sqrt{w_k(1-w_k)/\mathrm{ESS}_k} \), ESS_k being the effective sample size of the indicator
 * of mode k over the walker chains ({@link Diagnostics#essMean}). The weights mean something only
 * when walkers moved between the modes during the kept steps ({@link #switches} &gt; 0); otherwise
 * they repeat how the walkers were started, and the standard error, which then reflects only the
 * number of walkers, says so by being large.
 *
 * @param weights        the share of draws in each mode (they sum to 1)
 * @param standardErrors the Monte Carlo standard error of each weight (0 for a mode that holds all
 *                       or none of the draws)
 * @param switches       the number of times a walker's mode changed between consecutive kept steps
 */
public record ModeWeights(double[] weights, double[] standardErrors, long switches) {

    /**
     * The mode weights of {@code chain} under {@code label}, whose values must lie in
     * {@code [0, modes)}; {@code label} sees points in the chain's coordinates.
     */
    public static ModeWeights of(Chain chain, ToIntFunction<double[]> label, int modes) {
        if (modes < 1) {
            throw new IllegalArgumentException("modes = " + modes + ": must be >= 1");
        }
        int w = chain.walkers();
        int n = chain.steps();
        int d = chain.dimension();
        int[][] lab = new int[w][n];
        double[] p = new double[d];
        long switches = 0;
        double[] count = new double[modes];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < w; k++) {
                for (int j = 0; j < d; j++) {
                    p[j] = chain.get(s, k, j);
                }
                int l = label.applyAsInt(p);
                if (l < 0 || l >= modes) {
                    throw new IllegalArgumentException("mode label " + l + " of draw (step " + s + ", walker " + k
                            + ") is outside [0, " + modes + ")");
                }
                lab[k][s] = l;
                count[l]++;
                if (s > 0 && lab[k][s - 1] != l) {
                    switches++;
                }
            }
        }
        double total = (double) w * n;
        double[] weights = new double[modes];
        double[] se = new double[modes];
        for (int m = 0; m < modes; m++) {
            weights[m] = count[m] / total;
            if (count[m] == 0 || count[m] == total || n < 4) {
                se[m] = count[m] == 0 || count[m] == total ? 0 : Double.NaN;
                continue;
            }
            double[][] ind = new double[w][n];
            for (int k = 0; k < w; k++) {
                for (int s = 0; s < n; s++) {
                    ind[k][s] = lab[k][s] == m ? 1 : 0;
                }
            }
            double ess = Diagnostics.essMean(ind);
            se[m] = Math.sqrt(weights[m] * (1 - weights[m]) / ess);
        }
        return new ModeWeights(weights, se, switches);
    }
}
