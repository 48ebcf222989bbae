package org.lnpsaxs.core.resolution;

import java.util.Arrays;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.special.Erf;
import org.lnpsaxs.core.data.QGrid;

/**
 * Pinhole resolution smearing: each measured point \( q_i \) sees the model through a Gaussian of
 * standard deviation \( \sigma_i = \Delta q_i \) (Å⁻¹), truncated to
 * \( [q_i - 2.5\sigma_i,\ q_i + 3\sigma_i] \) and renormalised, as sasmodels'
 * {@code Pinhole1D} does:
 * \[ I_s(q_i) = \frac{\int_{q_i-2.5\sigma_i}^{q_i+3\sigma_i} G(q'; q_i, \sigma_i)\,I(|q'|)\,dq'}
 *                    {\int_{q_i-2.5\sigma_i}^{q_i+3\sigma_i} G(q'; q_i, \sigma_i)\,dq'}. \]
 * Two discretisations, both returned as a {@link ResolutionOperator}:
 * <ul>
 * <li>{@link #sasmodels(QGrid, double[])}: sasmodels 1.0.6 step by step (what SasView computes for
 *   data with dQ). \( q_\mathrm{calc} \) is the data q plus a linear extrapolation down to
 *   \( \min(q - 2.5\Delta q) \) and up to \( \max(q + 3\Delta q) \) with the first and last step
 *   sizes; points with \( |q_\mathrm{calc}| &lt; 0.02\min q \) are dropped; bin edges are the
 *   midpoints (the outer bins extended by half a step); the weight of bin j is its Gaussian mass
 *   \( [\mathrm{erf}((e_{j+1}-q_i)/\sqrt2\sigma_i) - \mathrm{erf}((e_j-q_i)/\sqrt2\sigma_i)] \) with
 *   \( \sigma_i = \max(\Delta q_i, 10^{-8}) \), zero for \( q_{\mathrm{calc},j} \) outside
 *   \( [q_i-2.5\sigma_i, q_i+3\sigma_i] \), and each row is renormalised to sum 1. On a coarse grid
 *   this is not a converged convolution (the README of the reference files quotes 1.7 % for its
 *   res5 case), but it reproduces SasView.</li>
 * <li>{@link #converged(QGrid, double[], int, int)}: the same truncated, renormalised Gaussian
 *   integrated with Gauss–Legendre quadrature, {@code panels} equal panels of
 *   {@code nodesPerPanel} nodes over \( [q_i-2.5\sigma_i, q_i+3\sigma_i] \) for every output point
 *   (split at \( q' = 0 \), where \( I(|q'|) \) has a kink). The error is that of Gauss–Legendre
 *   on \( G\cdot I \): for a particle of largest diameter \( D \) (Å) the curve oscillates like
 *   \( \cos(qD) \), about \( 5.5\sigma D/2\pi \) periods per window. With the default 16 panels ×
 *   16 nodes (256 model evaluations per output point), the relative error against adaptive
 *   quadrature, measured for \( |3j_1(qR)/qR|^2 \) on 0.002–0.5 Å⁻¹, is below 3·10⁻¹³ for
 *   D ≤ 2000 Å at dq/q = 0.05 (and D = 240 Å at dq/q = 0.5), and 1·10⁻⁹ for D = 4000 Å at
 *   dq/q = 0.05 (σD = 100 at q = 0.5); 8 × 8 nodes give only 10⁻⁸–10⁻² there. Keep
 *   \( \sigma D \lesssim 6\cdot\mathrm{panels} \) for ~10⁻⁹.</li>
 * </ul>
 * The calculation grid of either operator holds \( |q_\mathrm{calc}| \), ascending and without
 * repeats; where sasmodels keeps a negative \( q_\mathrm{calc} \) its weight goes to the model at
 * \( |q_\mathrm{calc}| \), as sasmodels evaluates it there.
 */
public final class Pinhole {

    /** Truncation below the centre, in standard deviations (sasmodels' {@code PINHOLE_N_SIGMA[0]}). */
    public static final double SIGMAS_BELOW = 2.5;
    /** Truncation above the centre, in standard deviations (sasmodels' {@code PINHOLE_N_SIGMA[1]}). */
    public static final double SIGMAS_ABOVE = 3.0;
    /** The smallest width sasmodels uses in the weights, Å⁻¹ ({@code MINIMUM_RESOLUTION}). */
    public static final double MINIMUM_RESOLUTION = 1e-8;
    /** Calculation points below this fraction of min q are dropped ({@code MINIMUM_ABSOLUTE_Q}). */
    public static final double MINIMUM_ABSOLUTE_Q = 0.02;
    /** Default panels per output point of the converged operator. */
    public static final int DEFAULT_PANELS = 16;
    /** Default Gauss–Legendre nodes per panel of the converged operator. */
    public static final int DEFAULT_NODES_PER_PANEL = 16;

    /**
     * The most weights an operator may hold (about 16 bytes each while it is built): wider
     * resolutions or denser grids are refused before anything is allocated for them.
     */
    public static final long MAX_WEIGHTS = 20_000_000L;
    /** The most calculation points of sasmodels' extrapolated grid. */
    public static final int MAX_CALCULATION_POINTS = 2_000_000;

    private static final double SQRT2 = Math.sqrt(2.0);

    private Pinhole() {
    }

    /** The widths \( \Delta q_i = (\Delta q/q)\cdot q_i \), Å⁻¹, of a constant relative resolution. */
    public static double[] widths(QGrid q, double dqOverQ) {
        if (!Double.isFinite(dqOverQ) || dqOverQ < 0) {
            throw new IllegalArgumentException("dq/q = " + dqOverQ + " is not a finite value >= 0");
        }
        double[] dq = new double[q.size()];
        for (int i = 0; i < dq.length; i++) {
            dq[i] = dqOverQ * q.get(i);
        }
        return dq;
    }

    /** sasmodels' operator for a constant relative resolution dq/q (1-σ). */
    public static ResolutionOperator sasmodels(QGrid q, double dqOverQ) {
        return sasmodels(q, widths(q, dqOverQ));
    }

    /**
     * sasmodels' operator ({@code Pinhole1D(q, dq)}) with its default calculation grid.
     *
     * @param q  the output grid (at least 2 points), Å⁻¹
     * @param dq the 1-σ width at each point, Å⁻¹ (finite, ≥ 0)
     */
    public static ResolutionOperator sasmodels(QGrid q, double[] dq) {
        return sasmodels(q, dq, null);
    }

    /**
     * sasmodels' operator with an explicit calculation grid ({@code Pinhole1D(q, dq, q_calc)}),
     * e.g. a dense grid; {@code qCalc} is sorted, then filtered like the default one.
     *
     * @param qCalc the calculation points, Å⁻¹ (at least 2, finite; {@code null}: sasmodels' default)
     */
    public static ResolutionOperator sasmodels(QGrid q, double[] dq, double[] qCalc) {
        checkWidths(q, dq);
        double[] qv = q.values();
        double[] calc;
        if (qCalc == null) {
            calc = sasmodelsQCalc(q, dq);
        } else {
            calc = qCalc.clone();
            for (int j = 0; j < calc.length; j++) {
                if (!Double.isFinite(calc[j])) {
                    throw new IllegalArgumentException("qCalc[" + j + "] = " + calc[j] + " is not finite");
                }
            }
            Arrays.sort(calc);
            calc = dropNearZero(calc, q.min());
        }
        if (calc.length < 2) {
            throw new IllegalArgumentException("the calculation grid needs at least 2 points, has " + calc.length);
        }
        double[] edges = binEdges(calc);
        long weights = 0;
        double widest = 0;
        for (int i = 0; i < qv.length; i++) {
            double width = Math.max(dq[i], MINIMUM_RESOLUTION);
            widest = Math.max(widest, dq[i]);
            weights += Math.max(0, firstAbove(calc, qv[i] + SIGMAS_ABOVE * width)
                    - firstAtLeast(calc, qv[i] - SIGMAS_BELOW * width));
        }
        checkWeights(weights, q, widest);
        ResolutionOperator.Builder rows = new ResolutionOperator.Builder(q);
        double[] rowW = new double[calc.length];
        for (int i = 0; i < qv.length; i++) {
            double qi = qv[i];
            double width = Math.max(dq[i], MINIMUM_RESOLUTION);
            double lo = qi - SIGMAS_BELOW * width;
            double hi = qi + SIGMAS_ABOVE * width;
            int first = firstAtLeast(calc, lo);
            int last = firstAbove(calc, hi) - 1;
            double scale = SQRT2 * width;
            double sum = 0.0;
            double cdf = Erf.erf((edges[first] - qi) / scale);
            for (int j = first; j <= last; j++) {
                double next = Erf.erf((edges[j + 1] - qi) / scale);
                rowW[j] = next - cdf;
                sum += rowW[j];
                cdf = next;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("no calculation point within [" + lo + ", " + hi
                        + "] 1/Å of q = " + qi + " (dq = " + dq[i] + "); the calculation grid does not cover it");
            }
            for (int j = first; j <= last; j++) {
                rows.add(calc[j], rowW[j] / sum);
            }
            rows.endRow();
        }
        return rows.build();
    }

    /**
     * sasmodels' default calculation grid for {@code Pinhole1D(q, dq)}: the data q with a linear
     * extrapolation ({@code linear_extrapolation}) to \( [\min(q-2.5\Delta q), \max(q+3\Delta q)] \),
     * then the points with \( |q| &lt; 0.02\min q \) dropped. Values may be negative (sasmodels
     * evaluates the model at their absolute value); ascending.
     */
    public static double[] sasmodelsQCalc(QGrid q, double[] dq) {
        checkWidths(q, dq);
        if (q.size() < 2) {
            throw new IllegalArgumentException("sasmodels' pinhole smearing needs at least 2 q points, got " + q.size());
        }
        double[] qv = q.values();
        double qMin = Double.POSITIVE_INFINITY;
        double qMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < qv.length; i++) {
            qMin = Math.min(qMin, qv[i] - SIGMAS_BELOW * dq[i]);
            qMax = Math.max(qMax, qv[i] + SIGMAS_ABOVE * dq[i]);
        }
        return dropNearZero(linearExtrapolation(qv, qMin, qMax), q.min());
    }

    /**
     * sasmodels' {@code linear_extrapolation}: extends the ascending {@code q} down to {@code qMin}
     * with steps of about the first interval and up to {@code qMax} with steps of about the last
     * interval (numpy {@code linspace} arithmetic: \( a + k\,(b-a)/n \), last point exact).
     */
    static double[] linearExtrapolation(double[] q, double qMin, double qMax) {
        int n = q.length;
        double low = 0;
        if (qMin + 2 * MINIMUM_RESOLUTION < q[0]) {
            low = q[1] > q[0] ? Math.ceil((q[0] - qMin) / (q[1] - q[0])) : 15;
        }
        double high = 0;
        if (qMax - 2 * MINIMUM_RESOLUTION > q[n - 1]) {
            high = q[n - 1] > q[n - 2] ? Math.ceil((qMax - q[n - 1]) / (q[n - 1] - q[n - 2])) : 15;
        }
        if (!(low + n + high <= MAX_CALCULATION_POINTS)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "pinhole smearing over [%.4g, %.4g]"
                    + " 1/Å with the grid's end steps needs %.3g calculation points, more than the limit of %d: the"
                    + " resolution is far wider than the q grid's spacing", qMin, qMax, low + n + high,
                    MAX_CALCULATION_POINTS));
        }
        int nLow = (int) low;
        double stepLow = nLow > 0 ? (q[0] - qMin) / nLow : 0;
        int nHigh = (int) high;
        double stepHigh = nHigh > 0 ? (qMax - q[n - 1]) / nHigh : 0;
        double[] out = new double[nLow + n + nHigh];
        for (int k = 0; k < nLow; k++) {
            out[k] = k * stepLow + qMin;
        }
        System.arraycopy(q, 0, out, nLow, n);
        for (int k = 1; k <= nHigh; k++) {
            out[nLow + n + k - 1] = k == nHigh ? qMax : k * stepHigh + q[n - 1];
        }
        return out;
    }

    /**
     * The dense geometric calculation grid of the reference files' {@code pinhole_dense} cases
     * ({@code generate.py: dense_q_calc}): from \( 0.9\min(q-2.5\Delta q) \) to
     * \( 1.1\max(q+3\Delta q) \) with ratio \( 1 + \min(\Delta q/q)/s \), i.e. {@code s} steps per σ.
     * Not part of sasmodels; pass it to {@link #sasmodels(QGrid, double[], double[])}.
     *
     * @param stepsPerSigma s (the reference files use 1000)
     */
    public static double[] geometricQCalc(QGrid q, double[] dq, double stepsPerSigma) {
        checkWidths(q, dq);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double minRelative = Double.POSITIVE_INFINITY;
        for (int i = 0; i < q.size(); i++) {
            double qi = q.get(i);
            lo = Math.min(lo, qi - SIGMAS_BELOW * dq[i]);
            hi = Math.max(hi, qi + SIGMAS_ABOVE * dq[i]);
            minRelative = Math.min(minRelative, dq[i] / qi);
        }
        lo *= 0.9;
        hi *= 1.1;
        if (!(lo > 0) || !(minRelative > 0) || !(stepsPerSigma > 0)) {
            throw new IllegalArgumentException("a geometric grid needs q - 2.5 dq > 0 and dq/q > 0 everywhere");
        }
        double ratio = 1.0 + minRelative / stepsPerSigma;
        int n = (int) Math.ceil(Math.log(hi / lo) / Math.log(ratio)) + 1;
        double[] out = new double[n];
        double a = Math.log10(lo);
        double step = (Math.log10(hi) - a) / (n - 1);
        for (int k = 0; k < n; k++) {
            out[k] = Math.pow(10.0, k * step + a);
        }
        out[0] = lo;
        out[n - 1] = hi;
        return out;
    }

    /** The converged operator for a constant relative resolution, with the default quadrature. */
    public static ResolutionOperator converged(QGrid q, double dqOverQ) {
        return converged(q, widths(q, dqOverQ));
    }

    /** The converged operator with the default quadrature (16 panels × 16 nodes per point). */
    public static ResolutionOperator converged(QGrid q, double[] dq) {
        return converged(q, dq, DEFAULT_PANELS, DEFAULT_NODES_PER_PANEL);
    }

    /**
     * The truncated, renormalised Gaussian integrated by Gauss–Legendre quadrature per output point.
     * A point with \( \Delta q_i = 0 \) is not smeared.
     *
     * @param q             the output grid, Å⁻¹
     * @param dq            the 1-σ width at each point, Å⁻¹ (finite, ≥ 0)
     * @param panels        equal panels over \( [q_i-2.5\sigma_i, q_i+3\sigma_i] \) (≥ 1)
     * @param nodesPerPanel Gauss–Legendre nodes per panel (1 to 64)
     */
    public static ResolutionOperator converged(QGrid q, double[] dq, int panels, int nodesPerPanel) {
        checkWidths(q, dq);
        if (panels < 1) {
            throw new IllegalArgumentException("panels = " + panels + " must be >= 1");
        }
        if (nodesPerPanel < 1 || nodesPerPanel > 64) {
            throw new IllegalArgumentException("nodesPerPanel = " + nodesPerPanel + " must be in [1, 64]");
        }
        double widest = 0;
        for (double w : dq) {
            widest = Math.max(widest, w);
        }
        checkWeights((long) q.size() * (panels + 1) * nodesPerPanel, q, widest);
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(nodesPerPanel);
        double[] x = new double[nodesPerPanel];
        double[] w = new double[nodesPerPanel];
        for (int k = 0; k < nodesPerPanel; k++) {
            x[k] = rule.getPoint(k);
            w[k] = rule.getWeight(k);
        }
        ResolutionOperator.Builder rows = new ResolutionOperator.Builder(q);
        int maxNodes = (panels + 1) * nodesPerPanel;
        double[] nodeQ = new double[maxNodes];
        double[] nodeW = new double[maxNodes];
        double[] breaks = new double[panels + 2];
        for (int i = 0; i < q.size(); i++) {
            double qi = q.get(i);
            double sigma = dq[i];
            if (sigma == 0.0) {
                rows.add(qi, 1.0);
                rows.endRow();
                continue;
            }
            double lo = qi - SIGMAS_BELOW * sigma;
            double hi = qi + SIGMAS_ABOVE * sigma;
            int nb = 0;
            for (int p = 0; p <= panels; p++) {
                double b = p == panels ? hi : lo + p * (hi - lo) / panels;
                if (p > 0 && breaks[nb - 1] < 0 && b > 0) {
                    breaks[nb++] = 0.0; // the kink of I(|q'|)
                }
                breaks[nb++] = b;
            }
            int count = 0;
            double sum = 0.0;
            for (int p = 0; p + 1 < nb; p++) {
                double a = breaks[p];
                double b = breaks[p + 1];
                double half = 0.5 * (b - a);
                double mid = 0.5 * (a + b);
                for (int k = 0; k < nodesPerPanel; k++) {
                    double node = mid + half * x[k];
                    double z = (node - qi) / sigma;
                    double weight = half * w[k] * Math.exp(-0.5 * z * z);
                    nodeQ[count] = node;
                    nodeW[count] = weight;
                    sum += weight;
                    count++;
                }
            }
            for (int k = 0; k < count; k++) {
                rows.add(nodeQ[k], nodeW[k] / sum);
            }
            rows.endRow();
        }
        return rows.build();
    }

    private static void checkWeights(long weights, QGrid q, double widestDq) {
        if (weights > MAX_WEIGHTS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "pinhole smearing of %d q points"
                    + " (widest dq %.4g 1/Å) needs %d weights, more than the limit of %d: use fewer q points or a"
                    + " narrower resolution", q.size(), widestDq, weights, MAX_WEIGHTS));
        }
    }

    private static void checkWidths(QGrid q, double[] dq) {
        if (dq.length != q.size()) {
            throw new IllegalArgumentException(dq.length + " resolution widths for " + q.size() + " q points");
        }
        for (int i = 0; i < dq.length; i++) {
            if (!Double.isFinite(dq[i]) || dq[i] < 0) {
                throw new IllegalArgumentException("dq[" + i + "] = " + dq[i] + " (at q = " + q.get(i)
                        + ") is not a finite width >= 0 (1/Å)");
            }
        }
    }

    /** Keeps the points with \( |q| \ge 0.02\,q_\mathrm{min} \) (sasmodels' {@code MINIMUM_ABSOLUTE_Q}). */
    private static double[] dropNearZero(double[] calc, double qMin) {
        double cutoff = MINIMUM_ABSOLUTE_Q * qMin;
        int n = 0;
        double[] out = new double[calc.length];
        for (double c : calc) {
            if (Math.abs(c) >= cutoff) {
                out[n++] = c;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** sasmodels' {@code bin_edges}: midpoints, the outer bins extended by half their neighbouring step. */
    static double[] binEdges(double[] x) {
        int n = x.length;
        double[] e = new double[n + 1];
        e[0] = x[0] - 0.5 * (x[1] - x[0]);
        for (int j = 1; j < n; j++) {
            e[j] = 0.5 * (x[j] + x[j - 1]);
        }
        e[n] = x[n - 1] + 0.5 * (x[n - 1] - x[n - 2]);
        return e;
    }

    /** The first index i with a[i] >= v in ascending {@code a} (a.length if none); shared with {@link Slit}. */
    static int firstAtLeast(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index i with a[i] > v in ascending {@code a} (a.length if none); shared with {@link Slit}. */
    static int firstAbove(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
