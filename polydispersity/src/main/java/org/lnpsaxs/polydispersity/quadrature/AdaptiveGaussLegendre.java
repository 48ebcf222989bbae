package org.lnpsaxs.polydispersity.quadrature;

import java.util.Arrays;
import java.util.Locale;

import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * The accurate rule for scattering averages: composite Gauss–Legendre quadrature of
 * \( \int \mathrm{pdf}(x)\,g(x)\,dx \) in x, on panels that reach as far into the upper tail as
 * \( x^6 \)-weighted averages need and that are fine enough to resolve the oscillations of
 * \( g(x) \approx \cos(2qx) \) up to the model's largest q. Beyond the paper: the paper's
 * {@link GaussLegendreCdf} stops at z ≈ 3 and misses the \( R^6 \)-weighted tail (low by 38 % at
 * low q for CV 0.6) and, with 32 nodes, cannot resolve the high-q oscillations.
 *
 * <p>Construction, with the distribution's log-scale location μ and width σ (exact for the
 * log-normals; \( \sigma^2 = \ln(1+\mathrm{pd}^2) \), \( \mu = \ln c - \sigma^2/2 \) for
 * {@code gaussian} and {@code schulz}), ε = {@value #TAIL}, and [lo, hi] the distribution's support
 * intersected with the parameter limits:
 * <ol>
 * <li>range: \( a = \max(lo, F^{-1}(\varepsilon)) \),
 *   \( b = \min(hi, \max(F^{-1}(1-\varepsilon), e^{\mu + 6\sigma^2 + 5\sigma})) \) (for gaussian and
 *   schulz, whose upper tails are lighter than a log-normal's, \( F^{-1}(1-\varepsilon) \) is the
 *   moment-matched log-normal's \( e^{\mu + 7.03\sigma} \)): the upper end
 *   covers the \( x^6 \)-weighted log-normal (centre \( \mu + 6\sigma^2 \)) to 5 of its σ, where
 *   small-q intensities (\( \propto V^2 \propto x^6 \)) still have weight;</li>
 * <li>panels: from \( s = \max(a, e^{\mu - 7.1\sigma}) \) to b, equal in ln x, each at most
 *   {@value #PANEL_SIGMAS} σ wide (plus one panel [a, s] in x where a distribution's lower tail is
 *   heavier than a log-normal's, as a wide Gaussian's is);</li>
 * <li>oscillations: each panel is cut into equal pieces with \( q_\mathrm{loc}\,h \le \)
 *   {@value #KAPPA} (h the piece's width in Å), with \( q_\mathrm{loc} = q_\max \) up to
 *   \( e^{\mu + 2\sigma^2 + 4\sigma} \) (4 σ beyond the centre of the \( x^2 \)-weighted log-normal,
 *   the weight of high-q intensities \( \propto x^2 \)) and \( \min(q_\max, 15/x) \) beyond, where only
 *   q with \( qx \lesssim 15 \) still see the tail;</li>
 * <li>{@value #NODES_PER_PIECE} Gauss–Legendre nodes per piece, weights
 *   \( W_k\,h_k\,\mathrm{pdf}(x_k) \) renormalised to sum 1.</li>
 * </ol>
 * The node count therefore grows with \( q_\max \) times the width of the distribution: about 50
 * nodes for a narrow distribution, hundreds to thousands for a wide one at high q (measured in
 * docs/polydispersity.md). Within the analytic fit models' box (CV ≤ 0.6, any radius the q range
 * resolves, all q) the measured error is below 10⁻⁴ relative to a converged integral
 * ({@code AccurateQuadratureTest}).
 *
 * <p>Derivatives: the range ends move with θ (through μ, σ, or the quantiles' gradients; not where
 * they sit on a fixed limit), the panel and piece edges are fixed fractions of them (geometric for
 * the ln-x panels, linear inside a panel), so \( \partial x_k/\partial\theta \) and
 * \( \partial w_k/\partial\theta \) follow by the chain rule through the edges, pdf and the
 * normalisation. The number of panels and pieces is a step function of θ: the rule is
 * differentiable between steps, and a step changes the average by about the rule's error.
 *
 * <p>The rule needs the model's largest q: layers adapt it with
 * {@link #adaptedTo(SizeDistribution, double, double, double)}; without it (q<sub>max</sub> = 0)
 * only the tails are covered. At most {@value #MAX_NODES} nodes; a distribution that would need more
 * (an untruncated distribution of a very large size at high q) is refused with a message that says
 * so. Supported families: the truncated log-normal and sasmodels' gaussian, lognormal and schulz.
 */
public final class AdaptiveGaussLegendre implements QuadratureRule {

    /** Tail probability left out at each end. */
    public static final double TAIL = 1e-12;
    /** Gauss–Legendre nodes per piece. */
    public static final int NODES_PER_PIECE = 12;
    /** The largest q·h (Å⁻¹·Å) of a piece. */
    public static final double KAPPA = 11;
    /** The largest width of an ln-x panel, in σ. */
    public static final double PANEL_SIGMAS = 3;
    /** The largest number of nodes. */
    public static final int MAX_NODES = 16384;

    /**
     * Standard deviations below the centre of the number-weighted log-normal where the ln-x panels
     * start: just below the quantile at ε (z = −7.03), so that a log-normal needs no extra panel.
     */
    private static final double Z_LOW = 7.1;
    /** The standard normal quantile at 1 − ε. */
    private static final double Z_QUANTILE = 7.034484;
    /** Standard deviations beyond the centre of the x⁶-weighted log-normal. */
    private static final double Z_HIGH = 5;
    /** Standard deviations beyond the centre of the x²-weighted log-normal resolved at q_max. */
    private static final double Z_OSCILLATION = 4;
    /** The largest q·x whose oscillations are resolved beyond that. */
    private static final double TAIL_QX = 15;
    /** Panels are never more than this many (only reached for σ ≳ 15). */
    private static final int MAX_PANELS = 64;

    /** A bound of (ln b − ln s)/σ − 6σ for the truncated log-normal, whose mass is ≥ 0.26 (mean in [A, B]). */
    private static final double TRUNCATED_QUANTILE_Z = 7.5;

    private final double lb;
    private final double ub;
    private final double qMax;
    private final double sigmaMax;
    private final int maxNodes;
    private final double[] t;
    private final double[] weights;

    private AdaptiveGaussLegendre(double lb, double ub, double qMax, double sigmaMax) {
        if (Double.isNaN(lb) || Double.isNaN(ub) || lb >= ub) {
            throw new IllegalArgumentException("parameter limits [" + lb + ", " + ub + "] are not an interval");
        }
        if (!(qMax >= 0) || !Double.isFinite(qMax)) {
            throw new IllegalArgumentException("q_max = " + qMax + " 1/Å; need a finite value >= 0");
        }
        this.lb = lb;
        this.ub = ub;
        this.qMax = qMax;
        this.sigmaMax = sigmaMax;
        double[][] rule = GaussLegendre.rule(NODES_PER_PIECE);
        this.t = rule[0];
        this.weights = rule[1];
        this.maxNodes = bound(lb, ub, qMax, sigmaMax);
    }

    /** The rule with no parameter limits and q<sub>max</sub> = 0 (layers adapt it to their model). */
    public static AdaptiveGaussLegendre of() {
        return new AdaptiveGaussLegendre(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY);
    }

    /** A copy resolving oscillations up to {@code newQMax} (1/Å). */
    public AdaptiveGaussLegendre withQMax(double newQMax) {
        return new AdaptiveGaussLegendre(lb, ub, newQMax, sigmaMax);
    }

    /** The largest q (1/Å) whose oscillations the nodes resolve. */
    public double qMax() {
        return qMax;
    }

    @Override
    public AdaptiveGaussLegendre withParameterLimits(double lower, double upper) {
        return new AdaptiveGaussLegendre(lower, upper, qMax, sigmaMax);
    }

    /**
     * Adapted to the model: the limits intersected with the family's support when it is fixed
     * (the truncation of a {@link TruncatedLogNormal}), so that {@link #maxNodes()} is a tight bound,
     * and {@code qMax}.
     */
    @Override
    public AdaptiveGaussLegendre adaptedTo(SizeDistribution family, double lower, double upper, double modelQMax) {
        double lo = lower;
        double hi = upper;
        double sMax = Double.POSITIVE_INFINITY;
        if (family instanceof TruncatedLogNormal tln) {
            lo = Math.max(lo, tln.truncationLower());
            hi = Math.min(hi, tln.truncationUpper());
            sMax = Math.sqrt(Math.log1p(TruncatedLogNormal.MAX_CV * TruncatedLogNormal.MAX_CV));
        }
        return new AdaptiveGaussLegendre(lo, hi, modelQMax, sMax);
    }

    /** True: the node count grows with the model's largest q. */
    @Override
    public boolean dependsOnQMax() {
        return true;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "adaptive-gauss-legendre(q_max=%s 1/Å)", number(qMax));
    }

    /**
     * An upper bound of the node count, {@value #NODES_PER_PIECE} × (panels + q<sub>max</sub>·(ub − lb)/κ)
     * (each panel has at most one piece more than its share of q·width/κ), with the number of
     * panels bounded by the family's largest σ (the truncated log-normal's CV ≤ 2) or by
     * {@value #MAX_PANELS}; {@value #MAX_NODES} when a limit is infinite.
     */
    @Override
    public int maxNodes() {
        return maxNodes;
    }

    private static int bound(double lb, double ub, double qMax, double sigmaMax) {
        double width = ub - Math.max(0, lb);
        if (!Double.isFinite(width)) {
            return MAX_NODES;
        }
        double panels = MAX_PANELS;
        if (Double.isFinite(sigmaMax)) {
            double span = Z_LOW + Math.max(TRUNCATED_QUANTILE_Z, 6 * sigmaMax + Z_HIGH);
            panels = Math.min(MAX_PANELS, Math.ceil(span / PANEL_SIGMAS));
        }
        // the leading x panel, the ln-x panels, and the pieces q_loc·h/κ summed over all of them
        double pieces = 1 + panels + Math.ceil(qMax * width / KAPPA);
        return (int) Math.min(MAX_NODES, NODES_PER_PIECE * pieces);
    }

    @Override
    public boolean weightsDependOnParameters() {
        return true;
    }

    @Override
    public int nodes(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset) {
        return write(d, x, w, dx, dw, offset, false);
    }

    /** The node count of {@link #nodes}, from the range and the pieces alone (no node is written). */
    @Override
    public int nodeCount(SizeDistribution d) {
        return write(d, null, null, null, null, 0, true);
    }

    private int write(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset,
                      boolean countOnly) {
        int p = d.parameters().size();
        if (d instanceof SasDistribution s && s.isPointMass()) {
            return countOnly ? 1 : PointMass.write(s, p, x, w, dx, dw, offset);
        }
        boolean derivatives = dx != null || dw != null;
        LogScale ls = LogScale.of(d);
        double mu = ls.mu;
        double sigma = ls.sigma;
        double lo = Math.max(lb, d.supportLower());
        double hi = Math.min(ub, d.supportUpper());
        // range [a, b] and the start s of the ln-x panels, with their gradients
        double[] da = new double[p];
        double[] ds = new double[p];
        double[] db = new double[p];
        // sizes are positive: a is never below 0
        double a = d.inverseCdf(TAIL);
        if (a <= lo || a <= 0) {
            a = Math.max(lo, 0);
        } else if (derivatives) {
            d.inverseCdfGradient(TAIL, da);
        }
        double logStart = mu - Z_LOW * sigma;
        double s = Math.exp(logStart);
        if (s <= a) {
            s = a;
            System.arraycopy(da, 0, ds, 0, p);
        } else if (derivatives) {
            for (int j = 0; j < p; j++) {
                ds[j] = s * (ls.dMu[j] - Z_LOW * ls.dSigma[j]);
            }
        }
        // the upper quantile at ε: the family's own for the log-normals (exact, and truncation-aware);
        // the moment-matched log-normal's for gaussian and schulz, whose upper tails are lighter
        boolean logNormal = ls.exact;
        double quantile = logNormal ? d.inverseCdf(1 - TAIL) : Math.exp(mu + Z_QUANTILE * sigma);
        double tail = Math.exp(mu + 6 * sigma * sigma + Z_HIGH * sigma);
        double b;
        if (quantile >= tail) {
            b = quantile;
            if (b < hi && derivatives) {
                if (logNormal) {
                    d.inverseCdfGradient(1 - TAIL, db);
                } else {
                    for (int j = 0; j < p; j++) {
                        db[j] = b * (ls.dMu[j] + Z_QUANTILE * ls.dSigma[j]);
                    }
                }
            }
        } else {
            b = tail;
            if (b < hi && derivatives) {
                for (int j = 0; j < p; j++) {
                    db[j] = b * (ls.dMu[j] + (12 * sigma + Z_HIGH) * ls.dSigma[j]);
                }
            }
        }
        if (b >= hi) {
            b = hi;
            Arrays.fill(db, 0.0);
        }
        if (!(b > a)) {
            throw new IllegalArgumentException(d + ": no probability inside the parameter limits ["
                    + number(lb) + ", " + number(ub) + "] Å");
        }
        if (s >= b) {
            s = b;
            System.arraycopy(db, 0, ds, 0, p);
        }
        double xOscillation = Math.exp(mu + 2 * sigma * sigma + Z_OSCILLATION * sigma);
        int panels = s > a ? 1 : 0;
        int logPanels = 0;
        if (b > s) {
            double span = Math.log(b / s);
            logPanels = (int) Math.min(MAX_PANELS, Math.max(1, Math.ceil(span / (PANEL_SIGMAS * sigma))));
        }
        panels += logPanels;
        // count the pieces first, so that the node count can be checked before writing
        int total = 0;
        int[] pieces = new int[panels];
        for (int k = 0; k < panels; k++) {
            double lower = edge(k, a, s, b, logPanels);
            double upper = edge(k + 1, a, s, b, logPanels);
            double qLocal = lower < xOscillation ? qMax : Math.min(qMax, TAIL_QX / lower);
            pieces[k] = (int) Math.max(1, Math.ceil(qLocal * (upper - lower) / KAPPA));
            total += pieces[k] * NODES_PER_PIECE;
        }
        if (total > maxNodes) {
            throw new TooManyNodesException(d + ": resolving q up to " + number(qMax) + " 1/Å over ["
                    + String.format(Locale.ROOT, "%.4g, %.4g", a, b) + "] Å needs " + total
                    + " quadrature nodes, more than " + maxNodes + "; truncate the distribution or narrow the q range",
                    qMax, a, b, total, maxNodes);
        }
        if (countOnly) {
            return total;
        }
        double[] eLower = new double[p];
        double[] eUpper = new double[p];
        double[] grad = derivatives ? new double[p] : null;
        double[] sumD = new double[p];
        double sum = 0;
        int at = offset;
        for (int k = 0; k < panels; k++) {
            double lower = edge(k, a, s, b, logPanels);
            double upper = edge(k + 1, a, s, b, logPanels);
            if (derivatives) {
                edgeGradient(k, a, s, b, logPanels, da, ds, db, eLower);
                edgeGradient(k + 1, a, s, b, logPanels, da, ds, db, eUpper);
            }
            int n = pieces[k];
            for (int i = 0; i < n; i++) {
                double fu = (double) i / n;
                double fv = (double) (i + 1) / n;
                double u = lower + fu * (upper - lower);
                double v = i == n - 1 ? upper : lower + fv * (upper - lower);
                double mid = 0.5 * (u + v);
                double half = 0.5 * (v - u);
                for (int m = 0; m < NODES_PER_PIECE; m++) {
                    double xk = mid + half * t[m];
                    double f = d.pdf(xk);
                    double r = weights[m] * half * f;
                    x[at] = xk;
                    w[at] = r;
                    sum += r;
                    if (derivatives) {
                        double slope = d.pdfDerivative(xk);
                        d.pdfGradient(xk, grad);
                        for (int j = 0; j < p; j++) {
                            double du = eLower[j] + fu * (eUpper[j] - eLower[j]);
                            double dv = eLower[j] + fv * (eUpper[j] - eLower[j]);
                            double dxk = 0.5 * (du + dv) + 0.5 * t[m] * (dv - du);
                            double dHalf = 0.5 * (dv - du);
                            double dr = weights[m] * (dHalf * f + half * (slope * dxk + grad[j]));
                            if (dx != null) {
                                dx[at * p + j] = dxk;
                            }
                            if (dw != null) {
                                dw[at * p + j] = dr;
                            }
                            sumD[j] += dr;
                        }
                    }
                    at++;
                }
            }
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(d + ": the density vanishes at every node in ["
                    + String.format(Locale.ROOT, "%.4g, %.4g", a, b) + "] Å");
        }
        for (int k = offset; k < at; k++) {
            double wk = w[k] / sum;
            w[k] = wk;
            if (dw != null) {
                for (int j = 0; j < p; j++) {
                    dw[k * p + j] = (dw[k * p + j] - wk * sumD[j]) / sum;
                }
            }
        }
        return at - offset;
    }

    /** Edge e of the panels: a, then (when s > a) s, then geometric from s to b. */
    private static double edge(int e, double a, double s, double b, int logPanels) {
        int lead = s > a ? 1 : 0;
        if (e == 0) {
            return a;
        }
        int j = e - lead;
        if (j == 0) {
            return s;
        }
        if (j == logPanels) {
            return b;
        }
        return s * Math.pow(b / s, (double) j / logPanels);
    }

    private static void edgeGradient(int e, double a, double s, double b, int logPanels, double[] da, double[] ds,
                                     double[] db, double[] out) {
        int lead = s > a ? 1 : 0;
        if (e == 0) {
            System.arraycopy(da, 0, out, 0, out.length);
            return;
        }
        int j = e - lead;
        if (j == 0) {
            System.arraycopy(ds, 0, out, 0, out.length);
            return;
        }
        if (j == logPanels) {
            System.arraycopy(db, 0, out, 0, out.length);
            return;
        }
        double f = (double) j / logPanels;
        double value = s * Math.pow(b / s, f);
        for (int i = 0; i < out.length; i++) {
            out[i] = value * ((1 - f) * ds[i] / s + f * db[i] / b);
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveGaussLegendre r && r.lb == lb && r.ub == ub && r.qMax == qMax;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lb) * 31 + Double.hashCode(ub) * 17 + Double.hashCode(qMax);
    }

    /** The log-scale location μ and width σ of a distribution and their gradients. */
    private static final class LogScale {
        final double mu;
        final double sigma;
        final double[] dMu;
        final double[] dSigma;
        /** Whether the distribution is a log-normal (else μ, σ are moment-matched). */
        final boolean exact;

        private LogScale(double mu, double sigma, double[] dMu, double[] dSigma, boolean exact) {
            this.mu = mu;
            this.sigma = sigma;
            this.dMu = dMu;
            this.dSigma = dSigma;
            this.exact = exact;
        }

        static LogScale of(SizeDistribution d) {
            if (d instanceof TruncatedLogNormal tln) {
                return momentMatched(tln.mean(), tln.cv(), true);
            }
            if (d instanceof SasDistribution s) {
                if (s.type() == SasDistribution.Type.LOGNORMAL) {
                    return new LogScale(Math.log(s.center()), s.pd(), new double[] {1 / s.center(), 0},
                            new double[] {0, 1}, true);
                }
                return momentMatched(s.center(), s.pd(), false);
            }
            throw new IllegalArgumentException("the adaptive Gauss-Legendre rule supports the truncated log-normal "
                    + "and the gaussian, lognormal and schulz distributions; got " + d.name());
        }

        /** σ² = ln(1 + cv²), μ = ln m − σ²/2 (the log-normal of mean m and CV cv). */
        private static LogScale momentMatched(double mean, double cv, boolean exact) {
            double s2 = Math.log1p(cv * cv);
            double sigma = Math.sqrt(s2);
            double dSigmaDCv = cv / (sigma * (1 + cv * cv));
            return new LogScale(Math.log(mean) - 0.5 * s2, sigma, new double[] {1 / mean, -cv / (1 + cv * cv)},
                    new double[] {0, dSigmaDCv}, exact);
        }
    }
}
