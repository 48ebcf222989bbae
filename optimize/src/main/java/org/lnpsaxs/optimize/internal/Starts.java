package org.lnpsaxs.optimize.internal;

import org.lnpsaxs.core.sampling.ScrambledSobol;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;

/**
 * Starting points of a multi-start fit: the first {@code n} points of a scrambled Sobol sequence
 * ({@link ScrambledSobol}, one dimension per free parameter, seeded) placed in the fit box
 * shrunk by {@code shrink} of its width at each end, \( [l + \delta(h-l),\ h - \delta(h-l)] \)
 * (δ = 0.05 by default); a parameter searched on a log scale ({@link FitSpace#withLogScale}) is
 * spread uniformly in \( \ln\theta \) over its box shrunk by δ of its log-width at each end.
 * Both members of an ordered pair are drawn in their boxes and then sorted, which gives uniform points of the ordered region when the two boxes are equal. The
 * points are returned as model parameters and as unconstrained coordinates. Not a user class.
 */
public final class Starts {

    /** The default shrink of the box at each end, 5 % of its width. */
    public static final double DEFAULT_SHRINK = 0.05;

    private Starts() {
    }

    /**
     * Starting parameter sets.
     *
     * @param space  the fit space (fixed parameters take their fixed values)
     * @param n      the number of starts
     * @param seed   the Sobol scrambling seed
     * @param shrink the fraction of each box width left out at each end, in [0, 0.5)
     * @return {@code n * P} model parameter values, batch-major
     */
    public static double[] physical(FitSpace space, int n, long seed, double shrink) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of starts must be at least 1, got " + n);
        }
        if (!(shrink >= 0 && shrink < 0.5)) {
            throw new IllegalArgumentException("box shrink must be in [0, 0.5), got " + shrink);
        }
        int p = space.size();
        int[] free = space.freeIndices();
        double[] lo = space.box().lowerBounds();
        double[] hi = space.box().upperBounds();
        double[] theta = new double[n * p];
        double[] unit = free.length == 0 ? new double[0] : ScrambledSobol.of(free.length, seed).points(0L, n);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < p; j++) {
                if (space.isFixed(j)) {
                    theta[s * p + j] = space.fixedValue(j);
                }
            }
            for (int k = 0; k < free.length; k++) {
                int j = free[k];
                double x = unit[s * free.length + k];
                if (space.isLogScale(j)) {
                    double w = Math.log(hi[j] / lo[j]);
                    theta[s * p + j] = Math.min(hi[j], Math.max(lo[j],
                            lo[j] * Math.exp(shrink * w + (1 - 2 * shrink) * w * x)));
                } else {
                    double w = hi[j] - lo[j];
                    double a = lo[j] + shrink * w;
                    double b = hi[j] - shrink * w;
                    theta[s * p + j] = a + (b - a) * x;
                }
            }
            for (OrderedPair pair : space.orderedPairs()) {
                int a = space.box().indexOf(pair.first());
                int b = space.box().indexOf(pair.second());
                int o = s * p;
                if (theta[o + a] > theta[o + b]) {
                    if (!space.isFixed(a) && !space.isFixed(b)) {
                        double t = theta[o + a];
                        theta[o + a] = Math.min(theta[o + b], hi[a]);
                        theta[o + b] = Math.max(t, lo[b]);
                    } else if (space.isFixed(a)) {
                        theta[o + b] = theta[o + a];
                    } else {
                        theta[o + a] = theta[o + b];
                    }
                }
            }
        }
        return theta;
    }

    /**
     * The unconstrained coordinates of {@code theta} ({@code n * P} values), via
     * {@link Reparameterization#toFree}.
     */
    public static double[] unconstrained(Reparameterization reparam, double[] theta, int n) {
        double[] u = new double[n * reparam.freeSize()];
        reparam.toFree(theta, n, u);
        return u;
    }
}
