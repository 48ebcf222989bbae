package org.lnpsaxs.optimize.posterior;

/**
 * When a chain may be called converged: for every coordinate the rank-normalised split
 * \( \hat R \) below {@code maxRHat}, the bulk and the tail ESS at least {@code minEss}, and the
 * kept chain at least {@code minStepsPerTau} autocorrelation times long.
 *
 * <p>The defaults ({@link #DEFAULT}: 1.01, 400, 50) follow the sources. Vehtari et al. (2021)
 * recommend \( \hat R &lt; 1.01 \) (the older 1.1 misses chains that have not mixed) and bulk and
 * tail ESS above 400 for four chains (100 per chain), enough for the 5 %/95 % quantiles and a Monte
 * Carlo error of the mean of 5 % of a posterior standard deviation. Emcee's documentation asks for
 * chains longer than about 50 τ before τ, and so any ESS computed from it, can be trusted; the
 * ensemble's walkers move together, so this guards against an ESS inflated by walkers that look
 * independent only because the chain is short.
 *
 * @param maxRHat        the largest acceptable \( \hat R \) (exclusive), &gt; 1
 * @param minEss         the smallest acceptable bulk and tail ESS, &gt;= 0
 * @param minStepsPerTau the least number of kept steps per autocorrelation time, &gt;= 0
 */
public record ConvergenceCriteria(double maxRHat, double minEss, double minStepsPerTau) {

    /** R-hat &lt; 1.01, bulk and tail ESS &gt;= 400, kept steps &gt;= 50 τ. */
    public static final ConvergenceCriteria DEFAULT = new ConvergenceCriteria(1.01, 400, 50);

    /** Checks the thresholds. */
    public ConvergenceCriteria {
        if (!(maxRHat > 1) || !Double.isFinite(maxRHat)) {
            throw new IllegalArgumentException("maxRHat = " + maxRHat + ": must be finite and > 1");
        }
        if (!(minEss >= 0) || !Double.isFinite(minEss)) {
            throw new IllegalArgumentException("minEss = " + minEss + ": must be finite and >= 0");
        }
        if (!(minStepsPerTau >= 0) || !Double.isFinite(minStepsPerTau)) {
            throw new IllegalArgumentException("minStepsPerTau = " + minStepsPerTau + ": must be finite and >= 0");
        }
    }
}
