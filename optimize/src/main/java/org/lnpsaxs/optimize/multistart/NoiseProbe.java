package org.lnpsaxs.optimize.multistart;

/**
 * The noise level of an objective near a point, estimated from its values on a short line
 * (Moré &amp; Wild, "Estimating computational noise", SIAM J. Sci. Comput. 33 (2011) 1292–1314,
 * re-derived here): the values \( f_i = f(u + (i - m/2)\,h\,\hat p) \), \( i = 0..m \) with m = 8,
 * along a direction \( \hat p \) of max-norm 1; their k-th differences \( \Delta^k f_i \) remove a
 * smooth function's polynomial part and keep the noise, whose standard deviation is estimated as
 * \( \sigma_k = \sqrt{\gamma_k\,\overline{(\Delta^k f)^2}} \) with \( \gamma_k = (k!)^2/(2k)! \)
 * (the variance of a k-th difference of independent noise of variance σ² is \( \sigma^2/\gamma_k \)).
 * The estimate is the first \( \sigma_k \) (k = 1..6) that agrees within a factor 4 with
 * \( \sigma_{k+1} \) and \( \sigma_{k+2} \) and whose differences take both signs. When more than
 * half of the first differences are zero the step was below the objective's resolution (h × 100);
 * when no order agrees the smooth part still shows (h / 100); after three tries the estimate is
 * {@code NaN} (no noise detected). The centre value is the value already known at u, so one
 * estimate costs 8 forward evaluations per try. Batched: all points of all probed starts go to
 * the objective in one call per try. Not a user class.
 */
final class NoiseProbe {

    /** Points on the line minus one: 9 values, 8 of them new. */
    static final int M = 8;
    /** The first step along the direction, unconstrained units. */
    static final double FIRST_STEP = 1e-6;
    private static final int TRIES = 3;

    private NoiseProbe() {
    }

    /**
     * Estimates the noise of {@code n} starts.
     *
     * @param objective the objective
     * @param ids       the starts' ids ({@code n})
     * @param u         their points ({@code n * d}, row r for ids[r])
     * @param f0        their values at those points
     * @param dir       directions ({@code n * d}; scaled to max-norm 1 here, a zero row gets NaN)
     * @param n         the number of starts
     * @param sigma     receives the noise standard deviation of each ({@code NaN} when not detected)
     * @return the number of forward evaluations spent
     */
    static long estimate(BatchObjective objective, int[] ids, double[] u, double[] f0, double[] dir, int n,
                         double[] sigma) {
        int d = objective.dimension();
        double[] h = new double[n];
        double[] unit = new double[n * d];
        int[] todo = new int[n];
        int nTodo = 0;
        for (int r = 0; r < n; r++) {
            double inf = 0;
            for (int k = 0; k < d; k++) {
                inf = Math.max(inf, Math.abs(dir[r * d + k]));
            }
            sigma[r] = Double.NaN;
            if (inf > 0 && Double.isFinite(inf)) {
                for (int k = 0; k < d; k++) {
                    unit[r * d + k] = dir[r * d + k] / inf;
                }
                h[r] = FIRST_STEP;
                todo[nTodo++] = r;
            }
        }
        long evaluations = 0;
        double[] line = new double[M + 1];
        for (int attempt = 0; attempt < TRIES && nTodo > 0; attempt++) {
            int rows = nTodo * M;
            int[] rowIds = new int[rows];
            double[] pts = new double[rows * d];
            double[] vals = new double[rows];
            for (int t = 0; t < nTodo; t++) {
                int r = todo[t];
                int row = t * M;
                for (int i = 0; i <= M; i++) {
                    if (i == M / 2) {
                        continue;
                    }
                    double step = (i - M / 2) * h[r];
                    for (int k = 0; k < d; k++) {
                        pts[row * d + k] = u[r * d + k] + step * unit[r * d + k];
                    }
                    rowIds[row++] = ids[r];
                }
            }
            objective.value(rowIds, pts, rows, vals);
            evaluations += rows;
            int still = 0;
            for (int t = 0; t < nTodo; t++) {
                int r = todo[t];
                int row = t * M;
                for (int i = 0; i <= M; i++) {
                    line[i] = i == M / 2 ? f0[r] : vals[row++];
                }
                double est = fromLine(line);
                if (est >= 0) {
                    sigma[r] = est;
                } else if (est != BROKEN) {
                    h[r] *= est == TOO_SMALL ? 100 : 0.01;
                    todo[still++] = r;
                }
            }
            nTodo = still;
        }
        return evaluations;
    }

    /** {@link #fromLine}: more than half the first differences are zero (the step is below the resolution). */
    static final double TOO_SMALL = -1;
    /** {@link #fromLine}: no order of differences agrees with the next two (the smooth part still shows). */
    static final double TOO_LARGE = -2;
    /** {@link #fromLine}: a value is not finite. */
    static final double BROKEN = -3;

    /**
     * The noise standard deviation from m + 1 equally spaced values (≥ 0), or one of the negative
     * codes {@link #TOO_SMALL}, {@link #TOO_LARGE}, {@link #BROKEN}.
     */
    static double fromLine(double[] line) {
        int m = line.length - 1;
        for (double v : line) {
            if (!Double.isFinite(v)) {
                return BROKEN;
            }
        }
        int zeros = 0;
        for (int i = 0; i < m; i++) {
            zeros += line[i + 1] == line[i] ? 1 : 0;
        }
        if (zeros > m / 2) {
            return TOO_SMALL;
        }
        int orders = Math.min(6, m - 1);
        double[] sig = new double[orders + 1];
        boolean[] bothSigns = new boolean[orders + 1];
        double[] diff = line.clone();
        double gamma = 1.0;
        for (int k = 1; k <= orders; k++) {
            int len = m + 1 - k;
            boolean pos = false;
            boolean neg = false;
            double sum = 0;
            for (int i = 0; i < len; i++) {
                diff[i] = diff[i + 1] - diff[i];
                sum += diff[i] * diff[i];
                pos |= diff[i] > 0;
                neg |= diff[i] < 0;
            }
            gamma *= (double) k / (2 * (2 * k - 1)); // γ_k = γ_{k-1} · k² / ((2k)(2k−1))
            sig[k] = Math.sqrt(gamma * sum / len);
            bothSigns[k] = pos && neg;
        }
        for (int k = 1; k + 2 <= orders; k++) {
            double lo = Math.min(sig[k], Math.min(sig[k + 1], sig[k + 2]));
            double hi = Math.max(sig[k], Math.max(sig[k + 1], sig[k + 2]));
            if (bothSigns[k] && hi <= 4 * lo) {
                return sig[k];
            }
        }
        return TOO_LARGE;
    }
}
