package org.lnpsaxs.optimize.internal;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;

/**
 * The smooth, bijective map from unconstrained coordinates \( u \in \mathbb{R}^F \) (one per free
 * parameter) onto the fit box, with the ordering constraints built in, and its exact chain rule.
 *
 * <p>A free parameter with box \([l, h]\): \( \theta = l + (h - l)\,s(u) \), \( s(u) = 1/(1+e^{-u}) \),
 * so \( \partial\theta/\partial u = (h-l)\,s(u)(1-s(u)) \); one searched on a log scale
 * ({@link FitSpace#withLogScale}): \( \theta = l\,(h/l)^{s(u)} \), so
 * \( \partial\theta/\partial u = \theta\,\ln(h/l)\,s(u)(1-s(u)) \). An ordered pair \( \theta_a \le \theta_b \)
 * (boxes \([l_a,h_a]\), \([l_b,h_b]\) with \( l_a \le l_b \), \( h_a \le h_b \)) is mapped
 * sequentially:
 * \[ \theta_a = l_a + (h_a - l_a)\,s(u_a),\qquad L_b = \max(\theta_a, l_b),\qquad
 *    \theta_b = L_b + (h_b - L_b)\,s(u_b), \]
 * a bijection of \( \mathbb{R}^2 \) onto \( \{\theta_a \in [l_a,h_a],\ \theta_b \in [\max(\theta_a,l_b), h_b]\} \)
 * that is \( C^\infty \) wherever \( \theta_a \ne l_b \) (everywhere when the two boxes are equal,
 * as for the LNP model's {@code m_q1}, {@code m_q2}). It is preferred to sorting the pair, which
 * would map two points u onto one θ and is not differentiable where the two values meet, and to
 * a penalty, which would let the optimiser cross the constraint and create the label-switched
 * copies of every mode that the constraint is there to remove. When one member of a pair is
 * fixed at \(v\), the other's box is cut at \(v\): \( \theta_b \in [\max(v, l_b), h_b] \) or
 * \( \theta_a \in [l_a, \min(h_a, v)] \).
 *
 * <p>Fixed parameters take their value from the {@link FitSpace}, or per parameter set from a
 * {@code base} array ({@code batch * P} values; only the fixed entries are read) — the profile
 * likelihood uses that to hold one parameter at a different value in every set of one batch.
 * Arrays are batch-major: {@code u[b*F + k]}, {@code theta[b*P + j]}. Instances are immutable
 * and thread-safe. Not a user class: the fitter builds it from the {@link FitSpace}.
 */
public final class Reparameterization {

    /** Clamp of the box fraction in {@link #toFree}: keeps u finite (|u| ≤ 27.6) at the box edges. */
    static final double EDGE = 1e-12;

    private static final int FIXED = 0;
    private static final int SIMPLE = 1;
    private static final int FIRST = 2;
    private static final int SECOND = 3;
    private static final int LOG = 4;

    private final FitSpace space;
    private final int p;
    private final int f;
    private final int[] role;
    private final int[] partner;
    private final int[] freeOf;
    private final int[] freeIndex;
    private final double[] lo;
    private final double[] hi;
    private final double[] fixedValue;

    /** The map for {@code space}. */
    public Reparameterization(FitSpace space) {
        this.space = space;
        ParameterSpace box = space.box();
        this.p = box.size();
        this.role = new int[p];
        this.partner = new int[p];
        this.freeOf = new int[p];
        this.lo = box.lowerBounds();
        this.hi = box.upperBounds();
        this.fixedValue = new double[p];
        this.freeIndex = space.freeIndices();
        this.f = freeIndex.length;
        java.util.Arrays.fill(freeOf, -1);
        for (int k = 0; k < f; k++) {
            freeOf[freeIndex[k]] = k;
        }
        for (int j = 0; j < p; j++) {
            role[j] = space.isFixed(j) ? FIXED : space.isLogScale(j) ? LOG : SIMPLE;
            partner[j] = -1;
            fixedValue[j] = space.isFixed(j) ? space.fixedValue(j) : Double.NaN;
        }
        for (OrderedPair pair : space.orderedPairs()) {
            int a = box.indexOf(pair.first());
            int b = box.indexOf(pair.second());
            partner[a] = b;
            partner[b] = a;
            if (role[a] != FIXED) {
                role[a] = FIRST;
            }
            if (role[b] != FIXED) {
                role[b] = SECOND;
            }
        }
    }

    /** The fit space this map serves. */
    public FitSpace space() {
        return space;
    }

    /** The number of unconstrained coordinates (free parameters), F. */
    public int freeSize() {
        return f;
    }

    /** The number of model parameters, P. */
    public int size() {
        return p;
    }

    private double fixedOf(double[] base, int b, int j) {
        if (base == null) {
            return fixedValue[j];
        }
        return base.length == p ? base[j] : base[b * p + j];
    }

    private static double sigmoid(double u) {
        return 1.0 / (1.0 + Math.exp(-u));
    }

    /** Keeps a mapped value inside its interval despite rounding (lo + (hi − lo)·1 may exceed hi by an ulp). */
    private static double clamp(double v, double lower, double upper) {
        return Math.max(lower, Math.min(upper, v));
    }

    /** \( l\,(h/l)^{s(u)} \), kept inside [l, h]. */
    private double logMap(int j, double u) {
        return clamp(lo[j] * Math.exp(Math.log(hi[j] / lo[j]) * sigmoid(u)), lo[j], hi[j]);
    }

    private static double logit(double x) {
        double c = Math.min(1 - EDGE, Math.max(EDGE, x));
        return Math.log(c / (1 - c));
    }

    /**
     * Maps unconstrained coordinates to model parameters.
     *
     * @param u     {@code batch * F} coordinates
     * @param base  values of the fixed parameters: {@code null} (the fit space's), {@code P}
     *              values shared by all sets, or {@code batch * P} values, one row per set
     * @param batch the number of sets
     * @param theta receives {@code batch * P} parameter values
     */
    public void toPhysical(double[] u, double[] base, int batch, double[] theta) {
        for (int b = 0; b < batch; b++) {
            int ub = b * f;
            int tb = b * p;
            for (int j = 0; j < p; j++) {
                if (role[j] == FIXED) {
                    theta[tb + j] = fixedOf(base, b, j);
                } else if (role[j] == SIMPLE) {
                    theta[tb + j] = clamp(lo[j] + (hi[j] - lo[j]) * sigmoid(u[ub + freeOf[j]]), lo[j], hi[j]);
                } else if (role[j] == LOG) {
                    theta[tb + j] = logMap(j, u[ub + freeOf[j]]);
                }
            }
            for (int j = 0; j < p; j++) {
                if (role[j] == FIRST) {
                    double upper = upperOfFirst(j, theta, tb, b);
                    theta[tb + j] = clamp(lo[j] + (upper - lo[j]) * sigmoid(u[ub + freeOf[j]]), lo[j], upper);
                }
            }
            for (int j = 0; j < p; j++) {
                if (role[j] == SECOND) {
                    double lower = lowerOfSecond(j, theta, tb, b);
                    theta[tb + j] = clamp(lower + (hi[j] - lower) * sigmoid(u[ub + freeOf[j]]), lower, hi[j]);
                }
            }
        }
    }

    /** The upper end of a pair's first member: its box, cut at the partner when that is fixed. */
    private double upperOfFirst(int j, double[] theta, int tb, int b) {
        int k = partner[j];
        if (role[k] != FIXED) {
            return hi[j];
        }
        double v = theta[tb + k];
        if (v < lo[j]) {
            throw new IllegalArgumentException("ordering " + space.box().get(j).name() + " <= " + space.box().get(k).name()
                    + ": fixed " + space.box().get(k).name() + " = " + v + " (set " + b + ") is below the box of "
                    + space.box().get(j).name() + " " + space.box().get(j).rangeText());
        }
        return Math.min(hi[j], v);
    }

    /** The lower end of a pair's second member: max(first member's value, its own lower bound). */
    private double lowerOfSecond(int j, double[] theta, int tb, int b) {
        int k = partner[j];
        double v = theta[tb + k];
        if (role[k] == FIXED && v > hi[j]) {
            throw new IllegalArgumentException("ordering " + space.box().get(k).name() + " <= " + space.box().get(j).name()
                    + ": fixed " + space.box().get(k).name() + " = " + v + " (set " + b + ") is above the box of "
                    + space.box().get(j).name() + " " + space.box().get(j).rangeText());
        }
        return Math.max(v, lo[j]);
    }

    /**
     * The exact chain rule: \( \partial L/\partial u \) from \( \partial L/\partial\theta \) at the points
     * {@code u}. Gradients with respect to fixed parameters are dropped.
     *
     * @param u        {@code batch * F} coordinates
     * @param base     fixed values as in {@link #toPhysical}
     * @param batch    number of sets
     * @param dLdTheta {@code batch * P} gradients with respect to the model parameters
     * @param dLdU     receives {@code batch * F} gradients (overwritten)
     */
    public void gradientToFree(double[] u, double[] base, int batch, double[] dLdTheta, double[] dLdU) {
        double[] theta = new double[p];
        for (int b = 0; b < batch; b++) {
            int ub = b * f;
            int tb = b * p;
            // the forward values of this set (needed for the pair derivatives)
            toPhysicalOne(u, ub, base, b, theta);
            for (int j = 0; j < p; j++) {
                int r = role[j];
                if (r == FIXED) {
                    continue;
                }
                int k = freeOf[j];
                double s = sigmoid(u[ub + k]);
                double ds = s * (1 - s);
                if (r == SIMPLE) {
                    dLdU[ub + k] = dLdTheta[tb + j] * (hi[j] - lo[j]) * ds;
                } else if (r == LOG) {
                    dLdU[ub + k] = dLdTheta[tb + j] * theta[j] * Math.log(hi[j] / lo[j]) * ds;
                } else if (r == FIRST) {
                    int m = partner[j];
                    double upper = role[m] == FIXED ? Math.min(hi[j], theta[m]) : hi[j];
                    double dThetaDu = (upper - lo[j]) * ds;
                    double g = dLdTheta[tb + j];
                    if (role[m] == SECOND && theta[j] > lo[m]) {
                        // θ_b = θ_a + (h_b − θ_a) s_b depends on θ_a with slope 1 − s_b
                        double sb = sigmoid(u[ub + freeOf[m]]);
                        g += dLdTheta[tb + m] * (1 - sb);
                    }
                    dLdU[ub + k] = g * dThetaDu;
                } else {
                    int m = partner[j];
                    double lower = Math.max(theta[m], lo[j]);
                    dLdU[ub + k] = dLdTheta[tb + j] * (hi[j] - lower) * ds;
                }
            }
        }
    }

    /** \( \ln(s(u)(1-s(u))) = -\mathrm{softplus}(u) - \mathrm{softplus}(-u) \), finite for every finite u. */
    private static double logSigmoidSlope(double u) {
        double a = Math.abs(u);
        // softplus(u) + softplus(-u) = |u| + 2 log1p(exp(-|u|))
        return -(a + 2 * Math.log1p(Math.exp(-a)));
    }

    /**
     * The log absolute Jacobian determinant \( \ln|\det \partial\theta_{free}/\partial u| \) of the
     * map at the points {@code u}: the term that turns a density over the free parameters into
     * one over u (a uniform prior on the box becomes \( \exp \) of this). The map is triangular (a
     * pair's second member depends on the first, never the reverse), so the determinant is the
     * product of the diagonal slopes: \( (h-l)\,s(1-s) \) for a plain parameter,
     * \( \theta\ln(h/l)\,s(1-s) \) on a log scale, and \( (h'-l')\,s(1-s) \) with the
     * interval \( [l', h'] \) a pair member is mapped onto. Computed as a sum of logarithms, with
     * \( \ln(s(1-s)) \) in a form that stays finite for large |u|.
     *
     * @param u     {@code batch * F} coordinates
     * @param base  fixed values as in {@link #toPhysical}
     * @param batch number of sets
     * @param out   receives {@code batch} values
     */
    public void logJacobian(double[] u, double[] base, int batch, double[] out) {
        double[] theta = new double[p];
        for (int b = 0; b < batch; b++) {
            int ub = b * f;
            toPhysicalOne(u, ub, base, b, theta);
            double sum = 0;
            for (int j = 0; j < p; j++) {
                int r = role[j];
                if (r == FIXED) {
                    continue;
                }
                double uk = u[ub + freeOf[j]];
                double width;
                if (r == SIMPLE) {
                    width = hi[j] - lo[j];
                } else if (r == LOG) {
                    width = theta[j] * Math.log(hi[j] / lo[j]);
                } else if (r == FIRST) {
                    int m = partner[j];
                    width = (role[m] == FIXED ? Math.min(hi[j], theta[m]) : hi[j]) - lo[j];
                } else {
                    width = hi[j] - Math.max(theta[partner[j]], lo[j]);
                }
                sum += Math.log(width) + logSigmoidSlope(uk);
            }
            out[b] = sum;
        }
    }

    private void toPhysicalOne(double[] u, int ub, double[] base, int b, double[] theta) {
        for (int j = 0; j < p; j++) {
            if (role[j] == FIXED) {
                theta[j] = fixedOf(base, b, j);
            } else if (role[j] == SIMPLE) {
                theta[j] = clamp(lo[j] + (hi[j] - lo[j]) * sigmoid(u[ub + freeOf[j]]), lo[j], hi[j]);
            } else if (role[j] == LOG) {
                theta[j] = logMap(j, u[ub + freeOf[j]]);
            }
        }
        for (int j = 0; j < p; j++) {
            if (role[j] == FIRST) {
                double upper = upperOfFirst(j, theta, 0, b);
                theta[j] = clamp(lo[j] + (upper - lo[j]) * sigmoid(u[ub + freeOf[j]]), lo[j], upper);
            }
        }
        for (int j = 0; j < p; j++) {
            if (role[j] == SECOND) {
                double lower = lowerOfSecond(j, theta, 0, b);
                theta[j] = clamp(lower + (hi[j] - lower) * sigmoid(u[ub + freeOf[j]]), lower, hi[j]);
            }
        }
    }

    /**
     * The inverse map: unconstrained coordinates of parameter sets that satisfy the box and the
     * ordering. Values on a box edge map to \( |u| \approx 27.6 \) (box fraction clamped to
     * [1e-12, 1 − 1e-12]).
     *
     * @param theta {@code batch * P} parameter values (fixed entries are ignored)
     * @param batch number of sets
     * @param u     receives {@code batch * F} coordinates
     * @throws IllegalArgumentException if a free value is outside its box or breaks an ordering
     */
    public void toFree(double[] theta, int batch, double[] u) {
        ParameterSpace box = space.box();
        for (int b = 0; b < batch; b++) {
            int ub = b * f;
            int tb = b * p;
            for (int j = 0; j < p; j++) {
                int r = role[j];
                if (r == FIXED) {
                    continue;
                }
                double v = theta[tb + j];
                Parameter par = box.get(j);
                if (!(v >= lo[j] && v <= hi[j])) {
                    throw new IllegalArgumentException("parameter " + par.name() + " = " + v + " (set " + b
                            + ") is outside its fit box " + par.rangeText());
                }
                double l = lo[j];
                double h = hi[j];
                if (r == FIRST && role[partner[j]] == FIXED) {
                    h = Math.min(h, theta[tb + partner[j]]);
                } else if (r == SECOND) {
                    int m = partner[j];
                    double first = theta[tb + m];
                    if (v < first) {
                        throw new IllegalArgumentException("parameter set " + b + " breaks the ordering "
                                + box.get(m).name() + " <= " + par.name() + " (" + first + " > " + v + ")");
                    }
                    l = Math.max(first, l);
                }
                if (r == LOG) {
                    u[ub + freeOf[j]] = logit(Math.log(v / l) / Math.log(h / l));
                } else {
                    u[ub + freeOf[j]] = h > l ? logit((v - l) / (h - l)) : 0.0;
                }
            }
        }
    }
}
