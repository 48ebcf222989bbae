package org.lnpsaxs.polydispersity.quadrature;

import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;

/**
 * sasmodels' polydispersity grid (sasmodels 1.0.6, {@code weights.py}): npts points spaced
 * linearly over ±nsigmas·σ around the centre c,
 * \( x_i = c + (-n_\sigma\sigma + i\,\Delta) \), \( \Delta = 2n_\sigma\sigma/(n_\text{pts}-1) \)
 * (numpy's linspace, the last point set to \( +n_\sigma\sigma \)), points outside the parameter
 * limits [lb, ub] dropped (lb raised to 1e-8 for lognormal and schulz), and weights
 * \( w_i = \mathrm{pdf}(x_i)/\sum_j \mathrm{pdf}(x_j) \) (sasmodels' unnormalised weight formulas
 * differ from the densities only by constant factors, which cancel). A point mass (pd = 0) or
 * npts = 1 gives the single point c, as in sasmodels. npts = 0 (sasmodels' default when
 * {@code _pd_n} is not given) is allowed only with pd = 0: a width on zero points is refused rather
 * than silently reduced to one point.
 *
 * <p>Derivatives: \( \partial x_i/\partial c = 1 + \mathrm{pd}\,s_i \),
 * \( \partial x_i/\partial\mathrm{pd} = c\,s_i \) with \( s_i = -n_\sigma + 2 n_\sigma i/(n_\text{pts}-1) \);
 * the weights follow from \( p_i = \mathrm{pdf}(x_i;\theta) \) by the chain rule and the
 * normalisation. Dropping a point at a limit is a discontinuity that the derivatives ignore.
 * An explicit npts = 1 is sasmodels' single point c even when pd &gt; 0 (the user asked for it).
 *
 * <p>Defaults: SasView's GUI uses {@value #DEFAULT_POINTS} points and {@value #DEFAULT_NSIGMAS}
 * σ for every type ({@link #defaults()}); the limits default to [0, ∞).
 */
public final class SasmodelsGrid implements QuadratureRule {

    /** SasView's default number of points. */
    public static final int DEFAULT_POINTS = 35;
    /** SasView's default half-width in σ. */
    public static final double DEFAULT_NSIGMAS = 3.0;

    private final int npts;
    private final double nsigmas;
    private final double lb;
    private final double ub;

    private SasmodelsGrid(int npts, double nsigmas, double lb, double ub) {
        if (npts < 0 || npts > 100_000) {
            throw new IllegalArgumentException("sasmodels grid: npts = " + npts + "; allowed 0 to 100000");
        }
        if (!(nsigmas > 0) || !Double.isFinite(nsigmas)) {
            throw new IllegalArgumentException("sasmodels grid: nsigmas = " + nsigmas + "; need a finite value > 0");
        }
        if (Double.isNaN(lb) || Double.isNaN(ub) || lb > ub) {
            throw new IllegalArgumentException("sasmodels grid: limits [" + lb + ", " + ub + "] are not an interval");
        }
        this.npts = npts;
        this.nsigmas = nsigmas;
        this.lb = lb;
        this.ub = ub;
    }

    /** A grid with npts (0 to 100000) points over ±nsigmas·σ and limits [0, ∞). */
    public static SasmodelsGrid of(int npts, double nsigmas) {
        return new SasmodelsGrid(npts, nsigmas, 0, Double.POSITIVE_INFINITY);
    }

    /** SasView's defaults: {@value #DEFAULT_POINTS} points over ±{@value #DEFAULT_NSIGMAS} σ. */
    public static SasmodelsGrid defaults() {
        return of(DEFAULT_POINTS, DEFAULT_NSIGMAS);
    }

    @Override
    public SasmodelsGrid withParameterLimits(double lower, double upper) {
        return new SasmodelsGrid(npts, nsigmas, lower, upper);
    }

    /** The number of points before truncation. */
    public int npts() {
        return npts;
    }

    /** The half-width of the grid in σ. */
    public double nsigmas() {
        return nsigmas;
    }

    /** The lower parameter limit, Å. */
    public double lowerLimit() {
        return lb;
    }

    /** The upper parameter limit, Å. */
    public double upperLimit() {
        return ub;
    }

    @Override
    public String name() {
        return "sasmodels-grid(" + npts + " points, ±" + (nsigmas == Math.rint(nsigmas) ? Long.toString((long) nsigmas)
                : Double.toString(nsigmas)) + " sigma)";
    }

    @Override
    public int maxNodes() {
        return Math.max(1, npts);
    }

    @Override
    public boolean weightsDependOnParameters() {
        return true;
    }

    @Override
    public int nodes(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset) {
        if (!(d instanceof SasDistribution)) {
            throw new IllegalArgumentException("the sasmodels grid needs a sasmodels distribution "
                    + "(gaussian, lognormal, schulz), got " + d.name());
        }
        SasDistribution sd = (SasDistribution) d;
        double c = sd.center();
        double pd = sd.pd();
        double sigma = sd.sigma();
        if (npts == 0 && sigma > 0) {
            throw new IllegalArgumentException(d.name() + " distribution with pd = " + pd + " > 0 on a grid of 0 points: "
                    + "give at least 1 point (SasView uses " + DEFAULT_POINTS + "), or pd = 0 for a single size");
        }
        if (sigma == 0 || npts < 2) {
            if (!(c >= lb && c <= ub)) {
                throw new IllegalArgumentException(d.name() + " distribution: centre " + c
                        + " is outside the parameter limits [" + lb + ", " + ub + "]");
            }
            x[offset] = c;
            w[offset] = 1;
            if (dx != null) {
                dx[offset * 2] = 1;
                dx[offset * 2 + 1] = 0;
            }
            if (dw != null) {
                dw[offset * 2] = 0;
                dw[offset * 2 + 1] = 0;
            }
            return 1;
        }
        double lower = sd.gridLowerLimit(lb);
        double start = -nsigmas * sigma;
        double stop = nsigmas * sigma;
        double step = (stop - start) / (npts - 1);
        double sStep = 2 * nsigmas / (npts - 1);
        int k = 0;
        double sum = 0;
        double sumDc = 0;
        double sumDpd = 0;
        double[] grad = new double[2];
        for (int i = 0; i < npts; i++) {
            double y = i == npts - 1 ? stop : i * step + start;
            double xi = c + y;
            if (!(xi >= lower && xi <= ub)) {
                continue;
            }
            int at = offset + k;
            double p = sd.pdf(xi);
            x[at] = xi;
            w[at] = p;
            sum += p;
            if (dx != null || dw != null) {
                double s = i == npts - 1 ? nsigmas : -nsigmas + i * sStep;
                double dxdc = 1.0 + pd * s;
                double dxdpd = c * s;
                if (dx != null) {
                    dx[at * 2] = dxdc;
                    dx[at * 2 + 1] = dxdpd;
                }
                if (dw != null) {
                    double slope = sd.pdfDerivative(xi);
                    sd.pdfGradient(xi, grad);
                    double dpdc = slope * dxdc + grad[0];
                    double dpdpd = slope * dxdpd + grad[1];
                    dw[at * 2] = dpdc;
                    dw[at * 2 + 1] = dpdpd;
                    sumDc += dpdc;
                    sumDpd += dpdpd;
                }
            }
            k++;
        }
        if (k == 0 || !(sum > 0)) {
            throw new IllegalArgumentException(d.name() + " distribution (centre " + c + ", pd " + pd
                    + "): no grid point with positive weight inside the parameter limits [" + lb + ", " + ub + "]");
        }
        for (int i = 0; i < k; i++) {
            int at = offset + i;
            double wi = w[at] / sum;
            w[at] = wi;
            if (dw != null) {
                dw[at * 2] = (dw[at * 2] - wi * sumDc) / sum;
                dw[at * 2 + 1] = (dw[at * 2 + 1] - wi * sumDpd) / sum;
            }
        }
        return k;
    }

    @Override
    public String toString() {
        return name();
    }
}
