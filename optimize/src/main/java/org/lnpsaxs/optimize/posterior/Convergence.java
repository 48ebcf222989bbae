package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The convergence diagnostics of a {@link Chain}, per coordinate, and the verdict against
 * {@link ConvergenceCriteria}.
 *
 * <p><b>How walkers are treated.</b> Each walker's kept states (after burn-in) are one chain, and
 * \( \hat R \) and the ESS are computed over the walkers as in {@link Diagnostics}. The walkers of
 * an ensemble sampler are not independent chains: each move uses the other half-ensemble. Their
 * dependence is weak once the ensemble has spread over the posterior, but in a short run it can
 * make the walkers look more independent than they are; the verdict therefore also asks for a
 * kept chain of at least {@code minStepsPerTau} autocorrelation times, τ being emcee's estimate
 * (walker autocorrelation functions averaged; see {@link Diagnostics#autocorrelationTime}).
 * Walkers stuck in different modes give \( \hat R \gg 1 \), so a posterior whose modes were not
 * mixed is never called converged. The chain is not thinned for the diagnostics (thinning only
 * loses information); a chain thinned by the sampler has τ in kept steps.
 *
 * @param names              coordinate names
 * @param rHat               rank-normalised split \( \hat R \) (max of bulk and folded) per coordinate
 * @param essBulk            bulk ESS per coordinate
 * @param essTail            tail ESS per coordinate
 * @param autocorrelationTime τ per coordinate, in kept steps
 * @param acceptanceFraction accepted fraction of all proposals over the kept steps
 * @param walkers            walkers (chains)
 * @param steps              kept steps per walker
 * @param criteria           the thresholds applied
 * @param converged          whether every threshold is met for every coordinate
 * @param failures           one line per failed threshold (empty when converged)
 */
public record Convergence(List<String> names, double[] rHat, double[] essBulk, double[] essTail,
                          double[] autocorrelationTime, double acceptanceFraction, int walkers, int steps,
                          ConvergenceCriteria criteria, boolean converged, List<String> failures) {

    /** Diagnoses every coordinate of {@code chain} and judges it by {@code criteria}. */
    public static Convergence of(Chain chain, ConvergenceCriteria criteria) {
        int d = chain.dimension();
        double[] rHat = new double[d];
        double[] bulk = new double[d];
        double[] tail = new double[d];
        double[] tau = new double[d];
        List<String> fail = new ArrayList<>();
        List<String> names = chain.names();
        if (chain.steps() < 4) {
            throw new IllegalArgumentException("convergence: the chain has " + chain.steps()
                    + " kept steps; the diagnostics need at least 4");
        }
        for (int j = 0; j < d; j++) {
            double[][] c = chain.walkerChains(j);
            double[] all = Diagnostics.all(c);
            rHat[j] = all[0];
            bulk[j] = all[1];
            tail[j] = all[2];
            tau[j] = all[3];
            String n = names.get(j);
            if (Double.isNaN(rHat[j])) {
                fail.add(n + ": every draw is identical, so convergence cannot be judged");
                continue;
            }
            if (!(rHat[j] < criteria.maxRHat())) {
                fail.add(String.format(Locale.ROOT, "%s: R-hat %.4g >= %.4g", n, rHat[j], criteria.maxRHat()));
            }
            if (!(bulk[j] >= criteria.minEss())) {
                fail.add(String.format(Locale.ROOT, "%s: bulk ESS %.0f < %.0f", n, bulk[j], criteria.minEss()));
            }
            if (Double.isNaN(tail[j])) {
                fail.add(n + ": tail ESS undefined (at least 5 % of the draws share the lowest or the highest value: "
                        + "a chain that does not move)");
            } else if (!(tail[j] >= criteria.minEss())) {
                fail.add(String.format(Locale.ROOT, "%s: tail ESS %.0f < %.0f", n, tail[j], criteria.minEss()));
            }
            if (!(chain.steps() >= criteria.minStepsPerTau() * tau[j])) {
                fail.add(String.format(Locale.ROOT, "%s: %d kept steps < %.0f autocorrelation times (tau = %.1f)", n,
                        chain.steps(), criteria.minStepsPerTau(), tau[j]));
            }
        }
        return new Convergence(names, rHat, bulk, tail, tau, chain.acceptanceFraction(), chain.walkers(),
                chain.steps(), criteria, fail.isEmpty(), List.copyOf(fail));
    }

    /** An effective sample size as printed: whole draws, or "undefined" where it is NaN (a chain that does not move). */
    public static String essText(double ess) {
        return Double.isNaN(ess) ? "undefined" : String.format(Locale.ROOT, "%.0f", ess);
    }

    /** The conservative ESS of coordinate j: the smaller of the bulk and the tail ESS. */
    public double ess(int j) {
        return Math.min(essBulk[j], essTail[j]);
    }

    /** The largest \( \hat R \) over the coordinates (NaN if any is NaN). */
    public double maxRHat() {
        double m = Double.NEGATIVE_INFINITY;
        for (double r : rHat) {
            if (Double.isNaN(r)) {
                return Double.NaN;
            }
            m = Math.max(m, r);
        }
        return m;
    }

    /** The smallest conservative ESS over the coordinates. */
    public double minEss() {
        double m = Double.POSITIVE_INFINITY;
        for (int j = 0; j < essBulk.length; j++) {
            m = Math.min(m, ess(j));
        }
        return m;
    }

    /**
     * How many times longer the kept chain would have to be for every criterion to pass, extrapolated
     * from this chain: per coordinate the largest of minEss / ESS (the ESS grows in proportion to the
     * kept steps), minStepsPerTau × τ / steps, and \( (\hat R^2 - 1)/(\hat R_{max}^2 - 1) \) (the excess of
     * the pooled over the within-chain variance taken to fall as 1/steps, which holds for chains that
     * mix at a steady rate and not for chains stuck in different modes). 1 when converged; NaN when a
     * coordinate has no diagnostics (draws all identical, or an undefined ESS).
     */
    public double lengthFactor() {
        if (converged) {
            return 1;
        }
        double g = 1;
        for (int j = 0; j < rHat.length; j++) {
            double e = ess(j);
            if (!Double.isFinite(rHat[j]) || !Double.isFinite(e) || !Double.isFinite(autocorrelationTime[j])) {
                return Double.NaN;
            }
            if (e < criteria.minEss()) {
                g = Math.max(g, e > 0 ? criteria.minEss() / e : Double.POSITIVE_INFINITY);
            }
            g = Math.max(g, criteria.minStepsPerTau() * autocorrelationTime[j] / steps);
            double m = criteria.maxRHat();
            if (rHat[j] >= m) {
                g = Math.max(g, (rHat[j] * rHat[j] - 1) / (m * m - 1));
            }
        }
        return g;
    }

    /** The largest autocorrelation time over the coordinates. */
    public double maxAutocorrelationTime() {
        double m = 0;
        for (double t : autocorrelationTime) {
            m = Math.max(m, t);
        }
        return m;
    }
}
