package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.lnpsaxs.optimize.model.SizeSummary;

/**
 * The posterior of a fit's particle-size distribution: the marginals of its number-weighted mean
 * (Å) and coefficient of variation, and a pointwise band of its probability density (1/Å) on a
 * common radius grid, from the size distributions of a subsample of posterior draws. Each
 * draw's density is interpolated linearly onto the grid (zero outside its own grid); the band
 * gives, per radius, the 5, 16, 50, 84 and 95 % quantiles over the draws. Immutable.
 *
 * @param draws  the number of posterior draws summarised
 * @param mean   marginal of the mean radius, Å
 * @param cv     marginal of the coefficient of variation
 * @param radius the common radius grid, Å
 * @param p05    5 % quantile of the density per radius, 1/Å
 * @param p16    16 % quantile
 * @param median median
 * @param p84    84 % quantile
 * @param p95    95 % quantile
 */
public record SizePosterior(int draws, Marginal mean, Marginal cv, double[] radius, double[] p05, double[] p16,
                            double[] median, double[] p84, double[] p95) {

    /** Points of the common radius grid. */
    public static final int GRID = 200;

    /**
     * The size posterior of parameter sets.
     *
     * @param thetas full parameter vectors (model order), one per draw; at least 2
     * @param sizeOf the bound model's size distribution of a parameter vector ({@code null} results are not allowed)
     */
    public static SizePosterior of(double[][] thetas, Function<double[], SizeSummary> sizeOf) {
        int n = thetas.length;
        if (n < 2) {
            throw new IllegalArgumentException("size posterior: " + n + " draw(s); at least 2 are needed");
        }
        List<SizeSummary> s = new ArrayList<>(n);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[] means = new double[n];
        double[] cvs = new double[n];
        for (int i = 0; i < n; i++) {
            SizeSummary sd = sizeOf.apply(thetas[i]);
            if (sd == null) {
                throw new IllegalArgumentException("size posterior: the model gives no size distribution for draw " + i);
            }
            s.add(sd);
            double[] r = sd.radius();
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[r.length - 1]);
            means[i] = sd.mean();
            cvs[i] = sd.cv();
        }
        double[] grid = new double[GRID];
        for (int k = 0; k < GRID; k++) {
            grid[k] = lo + (hi - lo) * k / (GRID - 1);
        }
        double[][] at = new double[GRID][n];
        for (int i = 0; i < n; i++) {
            double[] r = s.get(i).radius();
            double[] p = s.get(i).pdf();
            for (int k = 0; k < GRID; k++) {
                at[k][i] = interpolate(r, p, grid[k]);
            }
        }
        double[][] band = new double[5][GRID];
        double[] probs = {0.05, 0.16, 0.5, 0.84, 0.95};
        for (int k = 0; k < GRID; k++) {
            Arrays.sort(at[k]);
            for (int t = 0; t < probs.length; t++) {
                band[t][k] = Diagnostics.quantileSorted(at[k], probs[t]);
            }
        }
        return new SizePosterior(n, summary("size_mean", means), summary("size_cv", cvs), grid, band[0], band[1],
                band[2], band[3], band[4]);
    }

    /** Mean, sd, median and quantiles of independent-looking values (a thinned subsample; MCSE = sd/√n). */
    private static Marginal summary(String name, double[] v) {
        double mu = Diagnostics.mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - mu) * (x - mu);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return new Marginal(name, mu, sd, sd / Math.sqrt(v.length), Diagnostics.quantileSorted(sorted, 0.5),
                Diagnostics.quantileSorted(sorted, 0.05), Diagnostics.quantileSorted(sorted, 0.16),
                Diagnostics.quantileSorted(sorted, 0.84), Diagnostics.quantileSorted(sorted, 0.95));
    }

    private static double interpolate(double[] x, double[] y, double at) {
        if (at < x[0] || at > x[x.length - 1]) {
            return 0.0;
        }
        int i = Arrays.binarySearch(x, at);
        if (i >= 0) {
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (at - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }
}
