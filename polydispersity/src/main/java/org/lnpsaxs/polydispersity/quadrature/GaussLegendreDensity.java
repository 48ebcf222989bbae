package org.lnpsaxs.polydispersity.quadrature;


import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;

/**
 * Gauss–Legendre nodes in x over the distribution's effective support, weighted by the density:
 * with \( [a, b] = [F^{-1}(\varepsilon), F^{-1}(1-\varepsilon)] \) clipped to the support and to
 * the parameter limits, \( x_k = \tfrac{a+b}{2} + \tfrac{b-a}{2} t_k \) and
 * \( w_k = W_k\,\mathrm{pdf}(x_k)/\sum_j W_j\,\mathrm{pdf}(x_j) \). Beyond the paper: an option
 * for accurate averages with few nodes.
 *
 * <p>Why: the paper's nodes in CDF space ({@link GaussLegendreCdf}) integrate
 * \( g(F^{-1}(u)) \), which is nearly singular at u → 1 when a truncation cuts a thin tail and
 * \( g \propto x^6 \) (intensities at low q); they converge only algebraically there. Here the
 * integrand \( \mathrm{pdf}(x)\,g(x) \) is smooth on [a, b] and the rule converges
 * geometrically, until the nodes no longer resolve the oscillations of g in x (q·(b−a) large).
 * docs/polydispersity.md lists measured errors of both rules.
 *
 * <p>Derivatives: \( \partial x_k/\partial\theta = (\partial a + \partial b)/2 + t_k(\partial b - \partial a)/2 \)
 * with \( \partial a = \partial F^{-1}(\varepsilon)/\partial\theta \) (0 where a is a fixed
 * truncation or limit), and the weights by the chain rule through pdf and the normalisation.
 * A point mass (a sasmodels distribution with pd = 0) gives the single node c.
 */
public final class GaussLegendreDensity implements QuadratureRule {

    /** The default tail probability left out at each end. */
    public static final double DEFAULT_TAIL = 1e-12;

    private final int n;
    private final double[] t;
    private final double[] weights;
    private final double tail;
    private final double lb;
    private final double ub;

    private GaussLegendreDensity(int n, double tail, double lb, double ub) {
        if (!(tail > 0 && tail < 0.1)) {
            throw new IllegalArgumentException("tail probability " + tail + " is outside (0, 0.1)");
        }
        if (Double.isNaN(lb) || Double.isNaN(ub) || lb >= ub) {
            throw new IllegalArgumentException("parameter limits [" + lb + ", " + ub + "] are not an interval");
        }
        double[][] rule = GaussLegendre.rule(n);
        this.n = n;
        this.t = rule[0];
        this.weights = rule[1];
        this.tail = tail;
        this.lb = lb;
        this.ub = ub;
    }

    /** The rule with n nodes (1 to 10000), tail probability {@value #DEFAULT_TAIL}, no limits. */
    public static GaussLegendreDensity of(int n) {
        return new GaussLegendreDensity(n, DEFAULT_TAIL, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A copy that leaves out probability {@code tailProbability} at each end. */
    public GaussLegendreDensity withTail(double tailProbability) {
        return new GaussLegendreDensity(n, tailProbability, lb, ub);
    }

    @Override
    public GaussLegendreDensity withParameterLimits(double lower, double upper) {
        return new GaussLegendreDensity(n, tail, lower, upper);
    }

    @Override
    public String name() {
        return "gauss-legendre-density(" + n + ")";
    }

    @Override
    public int maxNodes() {
        return n;
    }

    @Override
    public boolean weightsDependOnParameters() {
        return true;
    }

    @Override
    public int nodes(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset) {
        int p = d.parameters().size();
        if (d instanceof SasDistribution s && s.isPointMass()) {
            return PointMass.write(s, p, x, w, dx, dw, offset);
        }
        boolean derivatives = dx != null || dw != null;
        double[] da = new double[p];
        double[] db = new double[p];
        double a = d.inverseCdf(tail);
        double b = d.inverseCdf(1 - tail);
        double lowerFix = Math.max(lb, d.supportLower());
        double upperFix = Math.min(ub, d.supportUpper());
        if (a <= lowerFix) {
            a = lowerFix;
        } else if (derivatives) {
            d.inverseCdfGradient(tail, da);
        }
        if (b >= upperFix) {
            b = upperFix;
        } else if (derivatives) {
            d.inverseCdfGradient(1 - tail, db);
        }
        if (!(b > a)) {
            throw new IllegalArgumentException(d + ": no probability inside the parameter limits [" + lb + ", " + ub + "]");
        }
        double mid = 0.5 * (a + b);
        double half = 0.5 * (b - a);
        double sum = 0;
        double[] grad = derivatives ? new double[p] : null;
        double[] sumD = derivatives ? new double[p] : null;
        for (int k = 0; k < n; k++) {
            int at = offset + k;
            double xk = mid + half * t[k];
            double pk = weights[k] * d.pdf(xk);
            x[at] = xk;
            w[at] = pk;
            sum += pk;
            if (derivatives) {
                double slope = d.pdfDerivative(xk);
                d.pdfGradient(xk, grad);
                for (int j = 0; j < p; j++) {
                    double dxk = 0.5 * (da[j] + db[j]) + 0.5 * t[k] * (db[j] - da[j]);
                    if (dx != null) {
                        dx[at * p + j] = dxk;
                    }
                    double dp = weights[k] * (slope * dxk + grad[j]);
                    if (dw != null) {
                        dw[at * p + j] = dp;
                    }
                    sumD[j] += dp;
                }
            }
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(d + ": the density vanishes at every node in [" + a + ", " + b + "]");
        }
        for (int k = 0; k < n; k++) {
            int at = offset + k;
            double wk = w[at] / sum;
            w[at] = wk;
            if (dw != null) {
                for (int j = 0; j < p; j++) {
                    dw[at * p + j] = (dw[at * p + j] - wk * sumD[j]) / sum;
                }
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return name();
    }
}
