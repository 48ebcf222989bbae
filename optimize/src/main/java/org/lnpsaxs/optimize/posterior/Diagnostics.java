package org.lnpsaxs.optimize.posterior;

import java.util.Arrays;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Convergence diagnostics of MCMC output for one scalar quantity given as several chains
 * ({@code chains[m][n]}, M chains of equal length N): the rank-normalised split \( \hat R \), the
 * bulk and tail effective sample sizes of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner
 * (2021, <i>Bayesian Analysis</i> 16, 667), and the integrated autocorrelation time as emcee
 * estimates it (Foreman-Mackey et al. 2013; Sokal's automatic window). Written from the papers'
 * formulas.
 *
 * <p><b>Split chains.</b> Each chain is cut into its first and last \( \lfloor N/2 \rfloor \)
 * draws (the middle draw of an odd chain is dropped), giving 2M chains of length n.
 *
 * <p><b>\( \hat R \).</b> With chain means \( \bar\theta_m \), chain variances \( s_m^2 \),
 * \( W = \overline{s_m^2} \), \( B/n = \mathrm{var}_m(\bar\theta_m) \) and
 * \( \widehat{\mathrm{var}}^+ = \frac{n-1}{n} W + B/n \),
 * \( \hat R = \sqrt{\widehat{\mathrm{var}}^+ / W} \). The <i>bulk</i> \( \hat R \) applies this
 * to the rank-normalised split chains \( z = \Phi^{-1}((r - 3/8)/(S + 1/4)) \) (r the pooled rank
 * of a draw, ties averaged, S = all draws); the <i>folded</i> one to the rank-normalised
 * \( |\theta - \mathrm{median}(\theta)| \), which detects chains that differ in scale;
 * {@link #rHat} is the larger of the two.
 *
 * <p><b>ESS.</b> With per-chain autocovariances \( \hat\gamma_{m,t} \) (biased, computed by FFT),
 * \( \hat\rho_t = 1 - (W - \overline{s_m^2 \hat\rho_{m,t}}) / \widehat{\mathrm{var}}^+ \);
 * \( \hat P_k = \hat\rho_{2k} + \hat\rho_{2k+1} \) summed while positive (Geyer's initial positive
 * sequence) and made non-increasing (initial monotone sequence);
 * \( \hat\tau = -1 + 2 \sum_k \hat P_k \), at least \( 1/\log_{10} S \) (so ESS &le; S log₁₀ S);
 * \( \mathrm{ESS} = S / \hat\tau \). <i>Bulk</i> ESS: of the rank-normalised split chains.
 * <i>Tail</i> ESS: the smaller ESS of the indicators \( I(\theta \le q_{0.05}) \) and
 * \( I(\theta \le q_{0.95}) \) (split). {@link #essMean}: of the raw split draws, for the Monte
 * Carlo standard error of a mean.
 *
 * <p><b>Autocorrelation time (emcee).</b> The normalised autocorrelation functions of the (unsplit)
 * chains are averaged, \( \hat f(t) \); \( \hat\tau(M) = 1 + 2\sum_{t=1}^{M} \hat f(t) \) with the
 * window M the smallest one with \( M \ge 5\,\hat\tau(M) \) (the whole chain when there is none,
 * in which case the estimate is a lower bound). A chain that does not move counts as perfectly
 * correlated.
 *
 * <p>Every value is NaN when all draws are identical (the quantity does not vary, so its
 * diagnostics are undefined); \( \hat R \) is {@code +Infinity} when each chain is constant but
 * the chains differ.
 */
public final class Diagnostics {

    private static final double SQRT2 = Math.sqrt(2.0);
    /** Sokal's window constant, as in emcee. */
    private static final double WINDOW_C = 5.0;

    private Diagnostics() {
    }

    /** The rank-normalised split \( \hat R \): the larger of the bulk and the folded one. */
    public static double rHat(double[][] chains) {
        return larger(rHatBulk(chains), rHatFolded(chains));
    }

    /** The larger R-hat; a folded one that is undefined (all |θ - median| equal) defers to the bulk one. */
    private static double larger(double bulk, double folded) {
        if (Double.isNaN(bulk)) {
            return Double.NaN;
        }
        return Double.isNaN(folded) ? bulk : Math.max(bulk, folded);
    }

    /**
     * All of {@link #rHat}, {@link #essBulk}, {@link #essTail} and {@link #autocorrelationTime} in
     * one pass that shares the splitting and the rank normalisation.
     */
    static double[] all(double[][] chains) {
        check(chains);
        double[][] c = split(chains);
        double[] sorted = pool(c);
        double[][] z = rankNormalise(c, sorted);
        double bulk = rHatOf(z);
        double folded = rHatOf(rankNormalise(fold(c, quantileSorted(sorted, 0.5))));
        return new double[] {larger(bulk, folded), essOf(z), tailEss(c, sorted), tauOf(chains)};
    }

    /** The rank-normalised split \( \hat R \) (bulk). */
    public static double rHatBulk(double[][] chains) {
        return rHatOf(rankNormalise(split(check(chains))));
    }

    /** The rank-normalised split \( \hat R \) of the draws folded about their median. */
    public static double rHatFolded(double[][] chains) {
        double[][] c = split(check(chains));
        return rHatOf(rankNormalise(fold(c, median(c))));
    }

    private static double[][] fold(double[][] c, double med) {
        double[][] f = new double[c.length][c[0].length];
        for (int m = 0; m < c.length; m++) {
            for (int i = 0; i < c[m].length; i++) {
                f[m][i] = Math.abs(c[m][i] - med);
            }
        }
        return f;
    }

    /** The split \( \hat R \) of the raw draws, without rank normalisation (the classic one). */
    public static double rHatClassic(double[][] chains) {
        return rHatOf(split(check(chains)));
    }

    /** The bulk effective sample size. */
    public static double essBulk(double[][] chains) {
        return essOf(rankNormalise(split(check(chains))));
    }

    /** The tail effective sample size (the 5 % and 95 % quantiles). */
    public static double essTail(double[][] chains) {
        double[][] c = split(check(chains));
        double[] pooled = pool(c);
        Arrays.sort(pooled);
        return tailEss(c, pooled);
    }

    /** The tail ESS of split chains {@code c} whose pooled draws, sorted, are {@code pooled}. */
    private static double tailEss(double[][] c, double[] pooled) {
        double lo = quantileSorted(pooled, 0.05);
        double hi = quantileSorted(pooled, 0.95);
        return Math.min(essOf(indicator(c, lo)), essOf(indicator(c, hi)));
    }

    /** The effective sample size of the raw split draws (for the standard error of their mean). */
    public static double essMean(double[][] chains) {
        return essOf(split(check(chains)));
    }

    /**
     * The integrated autocorrelation time of the chains (emcee's estimator), in draws of one
     * chain. Needs no splitting: the chains are used whole.
     */
    public static double autocorrelationTime(double[][] chains) {
        check(chains);
        return tauOf(chains);
    }

    private static double tauOf(double[][] chains) {
        int mCount = chains.length;
        int n = chains[0].length;
        double[] means = new double[mCount];
        double[] scale = new double[mCount];
        int still = 0;
        for (int m = 0; m < mCount; m++) {
            means[m] = mean(chains[m]);
            double ss = 0;
            for (double v : chains[m]) {
                ss += (v - means[m]) * (v - means[m]);
            }
            if (ss > 0) {
                scale[m] = 1 / Math.sqrt(ss / n);
            } else {
                still++;
            }
        }
        if (still == mCount) {
            return Double.NaN;
        }
        // sum over moving chains of the normalised autocorrelation; a still chain counts as 1
        double[] f = summedAutocovariance(chains, means, scale);
        double tau = 1;
        for (int t = 1; t < n; t++) {
            tau += 2 * (f[t] + still) / mCount;
            if (t >= WINDOW_C * tau) {
                return tau;
            }
        }
        return tau;
    }

    /** The Monte Carlo standard error of the mean of the draws: sd / sqrt(essMean). */
    public static double mcseMean(double[][] chains) {
        double ess = essMean(chains);
        double[] p = pool(chains);
        double mu = mean(p);
        double ss = 0;
        for (double v : p) {
            ss += (v - mu) * (v - mu);
        }
        return Math.sqrt(ss / (p.length - 1) / ess);
    }

    // ---------------------------------------------------------------- internals

    static double[][] check(double[][] chains) {
        if (chains == null || chains.length == 0) {
            throw new IllegalArgumentException("chains: at least one chain is needed, got none");
        }
        int n = chains[0].length;
        if (n < 4) {
            throw new IllegalArgumentException("chains: each chain needs at least 4 draws, got " + n);
        }
        for (int m = 0; m < chains.length; m++) {
            if (chains[m].length != n) {
                throw new IllegalArgumentException("chains: chain " + m + " has " + chains[m].length
                        + " draws, chain 0 has " + n + "; all must have the same length");
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(chains[m][i])) {
                    throw new IllegalArgumentException("chains: draw " + i + " of chain " + m + " is "
                            + chains[m][i] + "; draws must be finite");
                }
            }
        }
        return chains;
    }

    /**
     * The mean, accumulated relative to the first value so that a constant sequence has exactly
     * zero deviations (its diagnostics are then undefined, not noise).
     */
    static double mean(double[] v) {
        double x0 = v[0];
        double s = 0;
        for (double x : v) {
            s += x - x0;
        }
        return x0 + s / v.length;
    }

    /** The first and last floor(N/2) draws of every chain. */
    static double[][] split(double[][] chains) {
        int n = chains[0].length;
        int h = n / 2;
        double[][] s = new double[2 * chains.length][];
        for (int m = 0; m < chains.length; m++) {
            s[2 * m] = Arrays.copyOfRange(chains[m], 0, h);
            s[2 * m + 1] = Arrays.copyOfRange(chains[m], n - h, n);
        }
        return s;
    }

    static double[] pool(double[][] chains) {
        int n = chains[0].length;
        double[] p = new double[chains.length * n];
        for (int m = 0; m < chains.length; m++) {
            System.arraycopy(chains[m], 0, p, m * n, n);
        }
        return p;
    }

    private static double median(double[][] chains) {
        double[] p = pool(chains);
        Arrays.sort(p);
        return quantileSorted(p, 0.5);
    }

    /** The p-quantile of sorted values, linear interpolation between order statistics. */
    static double quantileSorted(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[][] indicator(double[][] chains, double threshold) {
        double[][] r = new double[chains.length][chains[0].length];
        for (int m = 0; m < chains.length; m++) {
            for (int i = 0; i < chains[m].length; i++) {
                r[m][i] = chains[m][i] <= threshold ? 1 : 0;
            }
        }
        return r;
    }

    /** Normal scores of the pooled ranks (ties get their average rank). */
    static double[][] rankNormalise(double[][] chains) {
        return rankNormalise(chains, pool(chains));
    }

    /** As {@link #rankNormalise(double[][])}; {@code key} holds the pooled draws and is left sorted. */
    private static double[][] rankNormalise(double[][] chains, double[] key) {
        int n = chains[0].length;
        int total = key.length;
        int[] index = new int[total];
        for (int i = 0; i < total; i++) {
            index[i] = i;
        }
        sortWithIndex(key, index);
        double[][] z = new double[chains.length][n];
        double s = total;
        for (int lo = 0; lo < total; ) {
            int hi = lo + 1;
            while (hi < total && key[hi] == key[lo]) {
                hi++;
            }
            // 1-based ranks lo+1 .. hi share their average
            double rank = 0.5 * (lo + 1 + hi);
            double score = inverseNormal((rank - 0.375) / (s + 0.25));
            for (int i = lo; i < hi; i++) {
                z[index[i] / n][index[i] % n] = score;
            }
            lo = hi;
        }
        return z;
    }

    /** Sorts {@code key} ascending, permuting {@code index} alongside (bottom-up merge sort). */
    private static void sortWithIndex(double[] key, int[] index) {
        int len = key.length;
        double[] srcK = key;
        int[] srcI = index;
        double[] dstK = new double[len];
        int[] dstI = new int[len];
        for (int width = 1; width < len; width *= 2) {
            for (int lo = 0; lo < len; lo += 2 * width) {
                int mid = Math.min(lo + width, len);
                int hi = Math.min(lo + 2 * width, len);
                int a = lo;
                int b = mid;
                int o = lo;
                while (a < mid && b < hi) {
                    if (srcK[b] < srcK[a]) {
                        dstK[o] = srcK[b];
                        dstI[o++] = srcI[b++];
                    } else {
                        dstK[o] = srcK[a];
                        dstI[o++] = srcI[a++];
                    }
                }
                while (a < mid) {
                    dstK[o] = srcK[a];
                    dstI[o++] = srcI[a++];
                }
                while (b < hi) {
                    dstK[o] = srcK[b];
                    dstI[o++] = srcI[b++];
                }
            }
            double[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] ti = srcI;
            srcI = dstI;
            dstI = ti;
        }
        if (srcK != key) {
            System.arraycopy(srcK, 0, key, 0, len);
            System.arraycopy(srcI, 0, index, 0, len);
        }
    }

    static double inverseNormal(double p) {
        return SQRT2 * Erf.erfInv(2 * p - 1);
    }

    /** sqrt(var+ / W) of chains (not split or normalised here). */
    static double rHatOf(double[][] chains) {
        int mCount = chains.length;
        int n = chains[0].length;
        double[] means = new double[mCount];
        double w = 0;
        for (int m = 0; m < mCount; m++) {
            double mu = mean(chains[m]);
            means[m] = mu;
            double ss = 0;
            for (double v : chains[m]) {
                ss += (v - mu) * (v - mu);
            }
            w += ss / (n - 1);
        }
        w /= mCount;
        double bOverN = variance(means);
        double varPlus = (n - 1.0) / n * w + bOverN;
        if (varPlus == 0) {
            return Double.NaN;
        }
        return Math.sqrt(varPlus / w);
    }

    private static double variance(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double mu = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - mu) * (x - mu);
        }
        return ss / (v.length - 1);
    }

    /** The ESS of chains as given (not split or normalised here). */
    static double essOf(double[][] chains) {
        int mCount = chains.length;
        int n = chains[0].length;
        double[] means = new double[mCount];
        for (int m = 0; m < mCount; m++) {
            means[m] = mean(chains[m]);
        }
        // mean over chains of s_m^2 rho_{m,t} = mean of the biased autocovariances times n/(n-1)
        double[] a = summedAutocovariance(chains, means, null);
        double f = 1.0 / mCount * n / (n - 1.0);
        for (int t = 0; t < n; t++) {
            a[t] *= f;
        }
        double w = a[0];
        double varPlus = (n - 1.0) / n * w + variance(means);
        if (varPlus == 0) {
            return Double.NaN;
        }
        double s = (double) mCount * n;
        double sum = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; 2 * k + 1 < n; k++) {
            double p = 2 - (2 * w - a[2 * k] - a[2 * k + 1]) / varPlus;
            if (!(p > 0)) {
                break;
            }
            p = Math.min(p, previous);
            sum += p;
            previous = p;
        }
        double tau = Math.max(-1 + 2 * sum, 1 / Math.log10(s));
        return s / tau;
    }

    /**
     * \( \sum_m c_m^2 \hat\gamma_m(t) \), t = 0..N-1: the biased autocovariances
     * \( \hat\gamma_m(t) = \frac1N \sum_i (x_{m,i} - \mu_m)(x_{m,i+t} - \mu_m) \) of the chains,
     * weighted by {@code scale[m]}² (all 1 when {@code scale} is null), summed. By FFT, two chains
     * per complex transform (one as the real, one as the imaginary part: the sum of their power
     * spectra is \( (|Z_k|^2 + |Z_{-k}|^2)/2 \)), and one inverse transform for the sum.
     */
    static double[] summedAutocovariance(double[][] chains, double[] means, double[] scale) {
        int n = chains[0].length;
        int size = Integer.highestOneBit(2 * n - 1) << 1;
        double[] power = new double[size];
        double[][] ri = new double[2][size];
        for (int m = 0; m < chains.length; m += 2) {
            Arrays.fill(ri[0], 0);
            Arrays.fill(ri[1], 0);
            for (int part = 0; part < 2 && m + part < chains.length; part++) {
                double[] c = chains[m + part];
                double mu = means[m + part];
                double sc = scale == null ? 1 : scale[m + part];
                double[] dst = ri[part];
                for (int i = 0; i < n; i++) {
                    dst[i] = (c[i] - mu) * sc;
                }
            }
            FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.FORWARD);
            for (int k = 0; k < size; k++) {
                int mk = (size - k) & (size - 1);
                power[k] += 0.5 * (ri[0][k] * ri[0][k] + ri[1][k] * ri[1][k] + ri[0][mk] * ri[0][mk]
                        + ri[1][mk] * ri[1][mk]);
            }
        }
        Arrays.fill(ri[1], 0);
        System.arraycopy(power, 0, ri[0], 0, size);
        FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.INVERSE);
        double[] acov = new double[n];
        for (int t = 0; t < n; t++) {
            acov[t] = ri[0][t] / n;
        }
        return acov;
    }

    /** The biased autocovariance of one chain, t = 0..N-1. */
    static double[] autocovariance(double[] x) {
        return summedAutocovariance(new double[][] {x}, new double[] {mean(x)}, null);
    }
}
