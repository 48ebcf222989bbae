package org.lnpsaxs.core.resolution;

import java.util.Arrays;
import java.util.Locale;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.lnpsaxs.core.data.QGrid;

/**
 * Slit resolution smearing of a line-collimated (Kratky, Bonse–Hart / USANS) instrument: the
 * measured point \( q_i \) sees the model averaged along the slit, over \( 0 \le u \le L_i \)
 * (the slit length dQl, Å⁻¹, in the canSAS and sasmodels convention: the half-length of the
 * slit), and, when the slit has a width \( W_i \) (dQw, Å⁻¹), over a uniform shift
 * \( -W_i \le t \le W_i \) along q:
 * \[ I_s(q_i) = \frac{1}{2W_i L_i} \int_{-W_i}^{W_i}\! \int_0^{L_i}
 *     I\!\left(\sqrt{(q_i+t)^2 + u^2}\right) du\, dt, \qquad
 *    I_s(q_i) = \frac{1}{L_i}\int_0^{L_i} I\!\left(\sqrt{q_i^2+u^2}\right) du \ \ (W_i = 0). \]
 * A point with \( L_i = W_i = 0 \) is not smeared; a width without a length is refused (sasmodels
 * 1.0.6 does not define it either). Two discretisations, both a {@link ResolutionOperator}:
 * <ul>
 * <li>{@link #sasmodels(QGrid, double[], double[])}: what sasmodels' {@code Slit1D} computes for
 *   data with dQl (and dQw). \( q_\mathrm{calc} \) is the data q extended geometrically, with the
 *   data's mean logarithmic step, down to \( \min(q - W) \) and up to
 *   \( \max\sqrt{(q+W)^2+L^2} \) ({@link #sasmodelsQCalc}), points below \( 0.02\min q \)
 *   dropped. Bin edges are the midpoints of \( q_\mathrm{calc} \) (outer bins extended by half a
 *   step). For a length only, bin j gets the exact slit measure of its q interval under the
 *   substitution \( u = \sqrt{q'^2 - q_i^2} \):
 *   \( W_{ij} = [u(e_{j+1}) - u(e_j)]/L_i \) with \( u(e) = \sqrt{\mathrm{clip}(e^2 - q_i^2, 0, L_i^2)} \)
 *   (\( u = 0 \) for \( e &lt; |q_i| \)); with a width as well, the average of that row over the
 *   61 shifted centres \( q_i + kW_i/30 \), \( k = -30\ldots30 \). Rows are not renormalised (they
 *   sum to 1 when \( q_\mathrm{calc} \) covers the slit). On a coarse grid this is a midpoint
 *   rule, not a converged integral, but it reproduces SasView.</li>
 * <li>{@link #converged(QGrid, double[], double[], int, int, int)}: the same integral by
 *   Gauss–Legendre quadrature per output point: equal panels over \( [0, L_i] \) (and over
 *   \( [-W_i, W_i] \), split at \( t = -q_i \) where \( |q_i+t| \) has a kink). The model at
 *   \( \sqrt{q^2+u^2} \) oscillates like \( \cos(uD) \) for a particle of largest diameter D (Å),
 *   \( L D/2\pi \) periods over the slit, so keep that below the number of length panels (a USANS
 *   slit of 0.117 Å⁻¹ and D = 10⁴ Å needs about 200); for smooth curves (a Guinier law) the
 *   default agrees with the closed form to about 10⁻¹⁴.</li>
 * </ul>
 * q, L and W in Å⁻¹; the calculation grid holds non-negative q, ascending, without repeats.
 */
public final class Slit {

    /** Half the number of shifted centres sasmodels averages over a slit width ({@code n_length}). */
    public static final int WIDTH_STEPS = 30;
    /** Default length panels of the converged operator. */
    public static final int DEFAULT_LENGTH_PANELS = 32;
    /** Default width panels of the converged operator (when a width is given). */
    public static final int DEFAULT_WIDTH_PANELS = 2;
    /** Default Gauss–Legendre nodes per panel of the converged operator. */
    public static final int DEFAULT_NODES_PER_PANEL = 16;

    private Slit() {
    }

    /** A constant slit length L (Å⁻¹, &gt; 0) at every point, no width. */
    public static double[] lengths(QGrid q, double length) {
        if (!Double.isFinite(length) || !(length > 0)) {
            throw new IllegalArgumentException("slit length " + length + " is not a finite value > 0 (1/Å)");
        }
        double[] l = new double[q.size()];
        Arrays.fill(l, length);
        return l;
    }

    /** sasmodels' operator for a constant slit length L (Å⁻¹) and no width. */
    public static ResolutionOperator sasmodels(QGrid q, double length) {
        return sasmodels(q, lengths(q, length), null);
    }

    /**
     * sasmodels' operator ({@code Slit1D(q, q_length, q_width)}) with its default calculation grid.
     *
     * @param q      the output grid (at least 2 points), Å⁻¹
     * @param length the slit length dQl at each point, Å⁻¹ (finite, ≥ 0)
     * @param width  the slit width dQw at each point, Å⁻¹ (finite, ≥ 0), or {@code null} for none
     */
    public static ResolutionOperator sasmodels(QGrid q, double[] length, double[] width) {
        double[] w = checked(q, length, width);
        double[] calc = sasmodelsQCalc(q, length, w);
        double[] edges = Pinhole.binEdges(calc);
        double[] qv = q.values();
        long count = 0;
        for (int i = 0; i < qv.length; i++) {
            double reach = Math.sqrt((qv[i] + w[i]) * (qv[i] + w[i]) + length[i] * length[i]);
            int bins = Math.max(1, Pinhole.firstAbove(calc, reach) - Pinhole.firstAtLeast(calc, Math.max(0, qv[i] - w[i])) + 2);
            count += w[i] > 0 ? (long) (2 * WIDTH_STEPS + 1) * bins : bins;
        }
        checkWeights(count, q);
        ResolutionOperator.Builder rows = new ResolutionOperator.Builder(q);
        for (int i = 0; i < qv.length; i++) {
            double qi = qv[i];
            if (length[i] == 0.0) {
                rows.add(qi, 1.0);
            } else if (w[i] == 0.0) {
                lengthWeights(rows, calc, edges, qi, length[i], 1.0);
            } else {
                double share = 1.0 / (2 * WIDTH_STEPS + 1);
                for (int k = -WIDTH_STEPS; k <= WIDTH_STEPS; k++) {
                    lengthWeights(rows, calc, edges, qi + k * w[i] / WIDTH_STEPS, length[i], share);
                }
            }
            rows.endRow();
        }
        return rows.build();
    }

    /**
     * Adds to the current row {@code share} times the slit-length weights of centre {@code s}:
     * bin j gets \( [u(e_{j+1}) - u(e_j)]/L \), \( u(e) = \sqrt{\mathrm{clip}(e^2-s^2, 0, L^2)} \).
     */
    private static void lengthWeights(ResolutionOperator.Builder rows, double[] calc, double[] edges, double s,
                                      double length, double share) {
        double abs = Math.abs(s);
        double limit = Math.sqrt(s * s + length * length);
        double top = limit * limit - s * s;
        int n = calc.length;
        // bins whose upper edge passes |s| and whose lower edge is below the limit
        int j = Math.max(0, Pinhole.firstAbove(edges, abs) - 1);
        double previous = u(edges[j], abs, s, limit, top);
        for (; j < n && edges[j] <= limit; j++) {
            double next = u(edges[j + 1], abs, s, limit, top);
            double weight = (next - previous) / length;
            if (weight != 0.0) {
                rows.add(calc[j], share * weight);
            }
            previous = next;
        }
    }

    private static double u(double edge, double abs, double s, double limit, double top) {
        if (edge < abs) {
            return 0.0;
        }
        return Math.sqrt(edge > limit ? top : edge * edge - s * s);
    }

    /**
     * sasmodels' default calculation grid for {@code Slit1D}: the data q extended geometrically
     * ({@code geometric_extrapolation}, the data's mean step in ln q) down to \( \min(q - W) \)
     * (a bound ≤ 0 becomes \( 0.02\min q \)) and up to \( \max\sqrt{(q+W)^2+L^2} \), then the
     * points below \( 0.02\min q \) dropped. Ascending, Å⁻¹.
     *
     * @param width the widths, or {@code null} for none
     */
    public static double[] sasmodelsQCalc(QGrid q, double[] length, double[] width) {
        double[] w = checked(q, length, width);
        double[] qv = q.values();
        int n = qv.length;
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            low = Math.min(low, qv[i] - w[i]);
            high = Math.max(high, Math.sqrt((qv[i] + w[i]) * (qv[i] + w[i]) + length[i] * length[i]));
        }
        double dataMin = qv[0];
        double dataMax = qv[n - 1];
        double logStep = (Math.log(dataMax) - Math.log(dataMin)) / (n - 1);
        double[] below = new double[0];
        if (low < dataMin) {
            if (low <= 0) {
                low = dataMin * Pinhole.MINIMUM_ABSOLUTE_Q;
            }
            below = logSpace(low, dataMin, steps(Math.log(dataMin) - Math.log(low), logStep));
            below = Arrays.copyOf(below, below.length - 1);
        }
        double[] above = new double[0];
        if (high > dataMax) {
            above = logSpace(dataMax, high, steps(Math.log(high) - Math.log(dataMax), logStep));
            above = Arrays.copyOfRange(above, 1, above.length);
        }
        double[] all = new double[below.length + n + above.length];
        System.arraycopy(below, 0, all, 0, below.length);
        System.arraycopy(qv, 0, all, below.length, n);
        System.arraycopy(above, 0, all, below.length + n, above.length);
        double cutoff = Pinhole.MINIMUM_ABSOLUTE_Q * dataMin;
        int kept = 0;
        for (double v : all) {
            if (Math.abs(v) >= cutoff) {
                all[kept++] = v;
            }
        }
        return Arrays.copyOf(all, kept);
    }

    private static int steps(double logRange, double logStep) {
        double s = Math.ceil(logRange / logStep);
        if (!(s <= Pinhole.MAX_CALCULATION_POINTS)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "slit smearing needs %.3g calculation points"
                    + " beyond the data (the slit reaches %.3g decades past the data with the data's step of %.3g"
                    + " decades), more than the limit of %d", s, logRange / Math.log(10), logStep / Math.log(10),
                    Pinhole.MAX_CALCULATION_POINTS));
        }
        return (int) s;
    }

    /** numpy's {@code logspace(log10(a), log10(b), steps + 1)}: \( 10^{\log_{10}a + k\,\delta} \), last exactly \( 10^{\log_{10}b} \). */
    private static double[] logSpace(double a, double b, int steps) {
        double la = Math.log10(a);
        double lb = Math.log10(b);
        double[] out = new double[steps + 1];
        double step = (lb - la) / steps;
        for (int k = 0; k < steps; k++) {
            out[k] = Math.pow(10.0, k * step + la);
        }
        out[steps] = Math.pow(10.0, lb);
        return out;
    }

    /** The converged operator for a constant slit length L (Å⁻¹), no width, default quadrature. */
    public static ResolutionOperator converged(QGrid q, double length) {
        return converged(q, lengths(q, length), null);
    }

    /** The converged operator with the default quadrature. */
    public static ResolutionOperator converged(QGrid q, double[] length, double[] width) {
        return converged(q, length, width, DEFAULT_LENGTH_PANELS, DEFAULT_WIDTH_PANELS, DEFAULT_NODES_PER_PANEL);
    }

    /**
     * The slit integral by Gauss–Legendre quadrature per output point.
     *
     * @param q             the output grid, Å⁻¹
     * @param length        the slit length at each point, Å⁻¹ (finite, ≥ 0)
     * @param width         the slit width at each point, Å⁻¹ (finite, ≥ 0), or {@code null}
     * @param lengthPanels  equal panels over \( [0, L_i] \) (≥ 1)
     * @param widthPanels   equal panels over \( [-W_i, W_i] \) (≥ 1)
     * @param nodesPerPanel Gauss–Legendre nodes per panel (1 to 64)
     */
    public static ResolutionOperator converged(QGrid q, double[] length, double[] width, int lengthPanels,
                                               int widthPanels, int nodesPerPanel) {
        double[] w = checked(q, length, width);
        if (lengthPanels < 1 || widthPanels < 1) {
            throw new IllegalArgumentException("lengthPanels = " + lengthPanels + " and widthPanels = " + widthPanels
                    + " must be >= 1");
        }
        if (nodesPerPanel < 1 || nodesPerPanel > 64) {
            throw new IllegalArgumentException("nodesPerPanel = " + nodesPerPanel + " must be in [1, 64]");
        }
        long count = 0;
        for (int i = 0; i < q.size(); i++) {
            long perRow = (long) lengthPanels * nodesPerPanel;
            count += w[i] > 0 ? perRow * (widthPanels + 1L) * nodesPerPanel : perRow;
        }
        checkWeights(count, q);
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(nodesPerPanel);
        double[] x = new double[nodesPerPanel];
        double[] g = new double[nodesPerPanel];
        for (int k = 0; k < nodesPerPanel; k++) {
            x[k] = rule.getPoint(k);
            g[k] = rule.getWeight(k);
        }
        ResolutionOperator.Builder rows = new ResolutionOperator.Builder(q);
        for (int i = 0; i < q.size(); i++) {
            double qi = q.get(i);
            if (length[i] == 0.0) {
                rows.add(qi, 1.0);
                rows.endRow();
                continue;
            }
            double[][] un = nodes(0.0, length[i], lengthPanels, Double.NaN, x, g);
            double[][] tn = w[i] > 0 ? nodes(-w[i], w[i], widthPanels, -qi, x, g) : new double[][] {{0.0}, {1.0}};
            double tSum = 0;
            for (double v : tn[1]) {
                tSum += v;
            }
            double uSum = 0;
            for (double v : un[1]) {
                uSum += v;
            }
            for (int a = 0; a < tn[0].length; a++) {
                double s = qi + tn[0][a];
                for (int b = 0; b < un[0].length; b++) {
                    double u = un[0][b];
                    rows.add(Math.sqrt(s * s + u * u), tn[1][a] * un[1][b] / (tSum * uSum));
                }
            }
            rows.endRow();
        }
        return rows.build();
    }

    /** Gauss–Legendre nodes and weights over [lo, hi] in equal panels, with an extra break at {@code cut} if inside. */
    private static double[][] nodes(double lo, double hi, int panels, double cut, double[] x, double[] g) {
        double[] breaks = new double[panels + 2];
        int nb = 0;
        for (int p = 0; p <= panels; p++) {
            double b = p == panels ? hi : lo + p * (hi - lo) / panels;
            if (p > 0 && breaks[nb - 1] < cut && b > cut) {
                breaks[nb++] = cut;
            }
            breaks[nb++] = b;
        }
        int m = x.length;
        double[] node = new double[(nb - 1) * m];
        double[] weight = new double[(nb - 1) * m];
        for (int p = 0; p + 1 < nb; p++) {
            double half = 0.5 * (breaks[p + 1] - breaks[p]);
            double mid = 0.5 * (breaks[p + 1] + breaks[p]);
            for (int k = 0; k < m; k++) {
                node[p * m + k] = mid + half * x[k];
                weight[p * m + k] = half * g[k];
            }
        }
        return new double[][] {node, weight};
    }

    /** Validates the widths and returns them (zeros when {@code null}). */
    private static double[] checked(QGrid q, double[] length, double[] width) {
        if (q.size() < 2) {
            throw new IllegalArgumentException("slit smearing needs at least 2 q points, got " + q.size());
        }
        if (length == null || length.length != q.size()) {
            throw new IllegalArgumentException((length == null ? "no" : length.length) + " slit lengths for " + q.size()
                    + " q points");
        }
        if (width != null && width.length != q.size()) {
            throw new IllegalArgumentException(width.length + " slit widths for " + q.size() + " q points");
        }
        double[] w = width == null ? new double[q.size()] : width;
        for (int i = 0; i < length.length; i++) {
            if (!Double.isFinite(length[i]) || length[i] < 0) {
                throw new IllegalArgumentException("slit length[" + i + "] = " + length[i] + " (at q = " + q.get(i)
                        + ") is not a finite value >= 0 (1/Å)");
            }
            if (!Double.isFinite(w[i]) || w[i] < 0) {
                throw new IllegalArgumentException("slit width[" + i + "] = " + w[i] + " (at q = " + q.get(i)
                        + ") is not a finite value >= 0 (1/Å)");
            }
            if (length[i] == 0 && w[i] > 0) {
                throw new IllegalArgumentException("slit width[" + i + "] = " + w[i] + " at q = " + q.get(i)
                        + " has no slit length: a slit width alone is not supported (give the slit length dQl)");
            }
        }
        return w;
    }

    private static void checkWeights(long weights, QGrid q) {
        if (weights > Pinhole.MAX_WEIGHTS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "slit smearing of %d q points needs about %d"
                    + " weights, more than the limit of %d: use fewer q points or a coarser quadrature", q.size(), weights,
                    Pinhole.MAX_WEIGHTS));
        }
    }
}
