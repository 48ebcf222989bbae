package org.lnpsaxs.surrogate.lnp;

import java.util.Arrays;

/**
 * The LNP simulator's radial average of a 2-D power spectrum, applied to a radially symmetric
 * function: a banded linear map from values on a fine linear grid in Q to the output q grid.
 *
 * <p>The simulator ({@code org.lnpsaxs.core.simulator.LnpSimulator}) averages the pixels of the
 * Nf × Nf plane, \( Q_p = \Delta q\sqrt{k_x^2 + k_y^2} \), \( \Delta q = 2\pi/(N_f\Delta x) \):
 * \[ I(q_j) = \sum_p w_{jp}\,e^{-(Q_p\Delta x)^2} f(Q_p) \Big/ \sum_p w_{jp}, \qquad
 *    w_{jp} = \exp\!\big(-\tfrac12((Q_p - q_j)/s)^2\big)/Q_p,\quad s = \tfrac12\Delta q, \]
 * over the pixels with \( 0 &lt; Q_p \) and \( |Q_p - q_j| \le 5s \) (the Gaussian smoothing
 * \( e^{-(Q\Delta x)^2} \) of the plane included). For a radially symmetric \(f\), each pixel's
 * \( f(Q_p) \) is replaced by the cubic Lagrange interpolant of \(f\) on the nodes
 * \( Q_n = n h \), \( h = \Delta q/{\tt refine} \); the pixel sums then fold into one matrix
 * \( M_{jn} \), so that \( I(q_j) = \sum_n M_{jn} f(Q_n) \), exact up to the interpolation error
 * (relative \( \approx (2hR)^4/24 \) of the envelope for a sphere of radius R; about 4e-4 at
 * R = 500 Å with the default refinement 4). Units: q, Q in Å⁻¹, Δx in Å; M is dimensionless.
 *
 * <p>Row j holds the nodes {@code first[j] .. first[j] + width[j] - 1}. Immutable.
 */
public final class RadialOperator {

    /** Gaussian window half-width of the simulator's average, in units of s. */
    static final double WINDOW = 5.0;
    /** Default nodes per plane pixel spacing Δq. */
    public static final int DEFAULT_REFINE = 4;

    private final double[] q;
    private final double voxel;
    private final int plane;
    private final double h;
    private final int nodes;
    private final int[] first;
    private final int[] width;
    /** Row j's weights start at offset[j] in {@link #m}. */
    private final int[] offset;
    private final double[] m;

    private RadialOperator(double[] q, double voxel, int plane, double h, int nodes, int[] first, int[] width,
                           int[] offset, double[] m) {
        this.q = q;
        this.voxel = voxel;
        this.plane = plane;
        this.h = h;
        this.nodes = nodes;
        this.first = first;
        this.width = width;
        this.offset = offset;
        this.m = m;
    }

    /**
     * The operator of a simulator with voxel {@code voxel} (Å) and plane {@code plane} on the
     * output grid {@code q} (Å⁻¹, increasing), with {@code refine} fine nodes per Δq.
     *
     * @throws IllegalArgumentException when the grid is empty, not increasing, reaches beyond the
     *                                  plane's Nyquist limit, or a q has no pixel in its window
     */
    public static RadialOperator of(double[] q, double voxel, int plane, int refine) {
        if (q.length == 0 || !(voxel > 0) || plane < 8 || refine < 1) {
            throw new IllegalArgumentException("radial operator: need q points, voxel > 0, plane >= 8, refine >= 1");
        }
        for (int j = 1; j < q.length; j++) {
            if (!(q[j] > q[j - 1])) {
                throw new IllegalArgumentException("radial operator: q grid must increase (index " + j + ")");
            }
        }
        double dq = 2 * Math.PI / (plane * voxel);
        double s = 0.5 * dq;
        int nq = q.length;
        double reach = q[nq - 1] + WINDOW * s;
        if (reach > Math.PI / voxel * (plane - 2) / plane) {
            throw new IllegalArgumentException("q grid reaches " + q[nq - 1] + " 1/Å, beyond the plane's usable range");
        }
        double lowReach = q[0] - WINDOW * s;
        double h = dq / refine;
        int nodes = (int) Math.ceil(reach / h) + 3;
        double[][] rows = new double[nq][nodes];
        double[] norm = new double[nq];
        int kMax = (int) Math.floor(reach / dq);
        double[] lag = new double[4];
        for (int kx = 0; kx <= kMax; kx++) {
            for (int ky = -kMax; ky <= kMax; ky++) {
                double qp = dq * Math.sqrt((double) kx * kx + (double) ky * ky);
                if (qp == 0 || qp > reach || qp < lowReach) {
                    continue;
                }
                double mult = kx > 0 ? 2.0 : 1.0;
                double smooth = Math.exp(-(qp * voxel) * (qp * voxel));
                // cubic Lagrange on nodes i-1 .. i+2 around qp
                int i = (int) Math.floor(qp / h);
                i = Math.max(1, Math.min(nodes - 3, i));
                double t = qp / h - i;
                lag[0] = -t * (t - 1) * (t - 2) / 6;
                lag[1] = (t + 1) * (t - 1) * (t - 2) / 2;
                lag[2] = -(t + 1) * t * (t - 2) / 2;
                lag[3] = (t + 1) * t * (t - 1) / 6;
                int j = lowerIndex(q, qp - WINDOW * s);
                for (; j < nq && q[j] <= qp + WINDOW * s; j++) {
                    double d = (qp - q[j]) / s;
                    double w = mult * Math.exp(-0.5 * d * d) / qp;
                    norm[j] += w;
                    double ws = w * smooth;
                    for (int a = 0; a < 4; a++) {
                        rows[j][i - 1 + a] += ws * lag[a];
                    }
                }
            }
        }
        int[] first = new int[nq];
        int[] width = new int[nq];
        int[] offset = new int[nq];
        int total = 0;
        for (int j = 0; j < nq; j++) {
            if (!(norm[j] > 0)) {
                throw new IllegalArgumentException("q = " + q[j] + " 1/Å has no pixel within its averaging window");
            }
            int lo = 0;
            while (lo < nodes && rows[j][lo] == 0) {
                lo++;
            }
            int hi = nodes - 1;
            while (hi > lo && rows[j][hi] == 0) {
                hi--;
            }
            first[j] = lo;
            width[j] = hi - lo + 1;
            offset[j] = total;
            total += width[j];
        }
        double[] m = new double[total];
        for (int j = 0; j < nq; j++) {
            for (int k = 0; k < width[j]; k++) {
                m[offset[j] + k] = rows[j][first[j] + k] / norm[j];
            }
        }
        return new RadialOperator(q.clone(), voxel, plane, h, nodes, first, width, offset, m);
    }

    private static int lowerIndex(double[] q, double x) {
        int lo = 0;
        int hi = q.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (q[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The node spacing h, Å⁻¹ (node n sits at Q = n h). */
    public double spacing() {
        return h;
    }

    /** The number of nodes (node 0 at Q = 0). */
    public int nodes() {
        return nodes;
    }

    /** The number of output q points. */
    public int outputs() {
        return q.length;
    }

    /** The output grid, Å⁻¹ (a copy). */
    public double[] q() {
        return q.clone();
    }

    /** The voxel size Δx, Å. */
    public double voxel() {
        return voxel;
    }

    /** The plane size Nf. */
    public int plane() {
        return plane;
    }

    /** Stored matrix entries (the cost of one {@link #apply}). */
    public int entries() {
        return m.length;
    }

    /**
     * {@code out[oo + j] = Σ_n M_jn f[fo + n]} for all output points j (overwrites).
     *
     * @param f  node values, {@link #nodes()} of them from {@code fo}
     * @param out receives {@link #outputs()} values from {@code oo}
     */
    public void apply(double[] f, int fo, double[] out, int oo) {
        final double[] mm = m;
        for (int j = 0; j < first.length; j++) {
            int base = fo + first[j];
            int off = offset[j];
            int w = width[j];
            double acc = 0;
            for (int k = 0; k < w; k++) {
                acc += mm[off + k] * f[base + k];
            }
            out[oo + j] = acc;
        }
    }

    /**
     * The transpose: {@code g[go + n] = Σ_j M_jn y[yo + j]} (overwrites all nodes), for reverse mode.
     */
    public void applyTranspose(double[] y, int yo, double[] g, int go) {
        Arrays.fill(g, go, go + nodes, 0.0);
        final double[] mm = m;
        for (int j = 0; j < first.length; j++) {
            int base = go + first[j];
            int off = offset[j];
            int w = width[j];
            double yj = y[yo + j];
            for (int k = 0; k < w; k++) {
                g[base + k] += mm[off + k] * yj;
            }
        }
    }
}
