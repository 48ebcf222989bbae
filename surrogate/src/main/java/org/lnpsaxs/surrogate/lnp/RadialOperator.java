package org.lnpsaxs.surrogate.lnp;

import java.util.Arrays;

import org.lnpsaxs.core.simulator.RadialAverage;
import org.lnpsaxs.surrogate.internal.VectorKernels;
import org.lnpsaxs.surrogate.internal.Vectors;

/**
 * The LNP simulator's radial average of a 2-D power spectrum, applied to a radially symmetric
 * function: a banded linear map from values on a fine linear grid of nodes in Q to the output q
 * grid.
 *
 * <p>The average is the simulator's own, {@link RadialAverage} (its one definition, shared with
 * {@code org.lnpsaxs.core.simulator.LnpSimulator}): over the pixels
 * \( Q_p = \Delta q\sqrt{k_x^2 + k_y^2} \) of the Nf × Nf plane, \( \Delta q = 2\pi/(N_f\Delta x) \),
 * \[ I(q_j) = \sum_p w_{jp}\,e^{-(Q_p\Delta x)^2} f(Q_p) \Big/ \sum_p w_{jp}, \qquad
 *    w_{jp} = \exp\!\big(-\tfrac12((Q_p - q_j)/s)^2\big)/Q_p,\quad s = \tfrac12\Delta q, \]
 * over the pixels with \( 0 &lt; Q_p \) and \( |Q_p - q_j| \le 5s \) (the Gaussian smoothing
 * \( e^{-(Q\Delta x)^2} \) of the plane included). For a radially symmetric \(f\), each pixel's
 * \( f(Q_p) \) is replaced by the six-point (quintic) Lagrange interpolant of \(f\) on the nodes
 * \( Q_n = Q_0 + n h \); the pixel sums then fold into one matrix \( M_{jn} \), so that
 * \( I(q_j) = \sum_n M_{jn} f(Q_n) \), exact up to the interpolation error. The simulator's
 * pixel matrix and this one are built from the same {@link RadialAverage#forEachPixel} weights
 * in the same order (a test pins them to each other).
 *
 * <p>Nodes: when the output grid is uniform (spacing Δ, like the paper's), \( h = \Delta/L \) with
 * \( L = {\tt refine}\cdot\lceil \Delta/(0.6\,\Delta q)\rceil \), aligned with the output points;
 * when L = 1 (the paper's grid: Δ = 0.54 Δq) every row of M has the same band, so M is stored by
 * diagonals and applied with loops over the output index (which the JIT vectorises; with the JDK's
 * vector module, by {@code internal.VectorKernels}, with the same numbers). Otherwise
 * (L &gt; 1, or a non-uniform grid with \( h = \Delta q/(2\,{\tt refine}) \) from \( Q_0 = 0 \)) M is
 * stored row by row. Nodes may
 * lie at negative Q (f is taken even). With refine 1 on the paper's grid (h = 6.7e-4 Å⁻¹) the
 * interpolation error of a core-shell sphere's intensity is about 2e-5 decades on average, at most a
 * few 1e-3 in the deepest minima of the largest particles (measured against refine 16). Units: q, Q
 * in Å⁻¹, Δx in Å; M is dimensionless.
 *
 * <p>Immutable.
 */
public final class RadialOperator {

    /** Default refinement. */
    public static final int DEFAULT_REFINE = 1;
    /** Points of the Lagrange interpolation (quintic). */
    static final int POINTS = 6;

    private final double[] q;
    private final double voxel;
    private final int plane;
    private final double h;
    private final double q0;
    private final int nodes;
    /** Diagonal storage (uniform grids): out[j] = Σ_d diag[d][j] f[j + shift + d]. */
    private final double[][] diag;
    private final int shift;
    /** The diagonals with {@link #pad} zeros on either side, for the block transpose (else null). */
    private final double[][] padded;
    private final int pad;
    /** Row storage (other grids): row j holds nodes first[j] .. first[j] + width[j] - 1. */
    private final int[] first;
    private final int[] width;
    private final int[] offset;
    private final double[] m;
    private final int entries;

    private RadialOperator(double[] q, double voxel, int plane, double h, double q0, int nodes, double[][] diag,
                           int shift, int[] first, int[] width, int[] offset, double[] m, int entries) {
        this.q = q;
        this.voxel = voxel;
        this.plane = plane;
        this.h = h;
        this.q0 = q0;
        this.nodes = nodes;
        this.diag = diag;
        this.shift = shift;
        this.pad = diag == null ? 0 : transposePad(diag.length, shift, q.length, nodes);
        this.padded = diag == null ? null : padDiagonals(diag, pad);
        this.first = first;
        this.width = width;
        this.offset = offset;
        this.m = m;
        this.entries = entries;
    }

    /** Whether q is uniform to 1e-9 of its spacing. */
    private static boolean uniform(double[] q) {
        if (q.length < 3) {
            return false;
        }
        double step = (q[q.length - 1] - q[0]) / (q.length - 1);
        for (int j = 0; j < q.length; j++) {
            if (Math.abs(q[j] - (q[0] + j * step)) > 1e-9 * step) {
                return false;
            }
        }
        return true;
    }

    /**
     * The operator of a simulator with voxel {@code voxel} (Å) and plane {@code plane} on the
     * output grid {@code q} (Å⁻¹, increasing), with refinement {@code refine} (see the class
     * comment).
     *
     * @throws IllegalArgumentException when the grid is empty, not increasing, reaches beyond the
     *                                  plane's Nyquist limit, or a q has no pixel in its window
     */
    public static RadialOperator of(double[] q, double voxel, int plane, int refine) {
        if (refine < 1) {
            throw new IllegalArgumentException("radial operator: refine " + refine + " must be at least 1");
        }
        RadialAverage average = RadialAverage.of(q, voxel, plane);
        double dq = average.pixelSpacing();
        double s = average.width();
        int nq = q.length;
        double reach = q[nq - 1] + RadialAverage.WINDOW * s;
        boolean uni = uniform(q);
        int half = POINTS / 2;
        double h;
        double q0;
        int steps = refine;
        if (uni) {
            double spacing = (q[nq - 1] - q[0]) / (nq - 1);
            // nodes no coarser than 0.6 Δq (the pixel spacing)
            steps = refine * Math.max(1, (int) Math.ceil(spacing / (0.6 * dq) - 1e-9));
            h = spacing / steps;
            // the full window below q[0], so that every row has the same band (the lowest rows' extra
            // nodes carry zeros; nodes at Q < 0 are allowed, f being even)
            int below = (int) Math.ceil(RadialAverage.WINDOW * s / h) + half + 1;
            q0 = q[0] - below * h;
        } else {
            h = dq / (2.0 * refine);
            q0 = 0;
        }
        int nodes = (int) Math.ceil((reach - q0) / h) + POINTS + 1;
        double[][] rows = new double[nq][nodes];
        double[] lag = new double[POINTS];
        average.forEachPixel((p, qp, smooth, firstQ, count, w) -> {
            // Lagrange interpolation on the nodes i-half+1 .. i+half around qp
            double pos = (qp - q0) / h;
            int i = (int) Math.floor(pos);
            i = Math.max(half - 1, Math.min(nodes - half - 1, i));
            double t = pos - i;
            for (int a = 0; a < POINTS; a++) {
                double xa = a - half + 1;
                double l = 1;
                for (int c = 0; c < POINTS; c++) {
                    if (c != a) {
                        double xc = c - half + 1;
                        l *= (t - xc) / (xa - xc);
                    }
                }
                lag[a] = l;
            }
            int n0 = i - half + 1;
            for (int k = 0; k < count; k++) {
                double ws = w[k] * smooth;
                double[] row = rows[firstQ + k];
                for (int a = 0; a < POINTS; a++) {
                    row[n0 + a] += ws * lag[a];
                }
            }
        });
        int[] first = new int[nq];
        int[] last = new int[nq];
        for (int j = 0; j < nq; j++) {
            double norm = average.normalisation(j);
            int lo = 0;
            while (lo < nodes && rows[j][lo] == 0) {
                lo++;
            }
            int hi = nodes - 1;
            while (hi > lo && rows[j][hi] == 0) {
                hi--;
            }
            first[j] = lo;
            last[j] = hi;
            for (int n = lo; n <= hi; n++) {
                rows[j][n] /= norm;
            }
        }
        if (uni && steps == 1) {
            int dLo = Integer.MAX_VALUE;
            int dHi = Integer.MIN_VALUE;
            for (int j = 0; j < nq; j++) {
                dLo = Math.min(dLo, first[j] - j);
                dHi = Math.max(dHi, last[j] - j);
            }
            if (dLo < 0 || dHi + nq > nodes) {
                throw new IllegalStateException("radial operator: band outside the nodes (internal error)");
            }
            double[][] diag = new double[dHi - dLo + 1][nq];
            for (int d = dLo; d <= dHi; d++) {
                for (int j = 0; j < nq; j++) {
                    diag[d - dLo][j] = rows[j][j + d];
                }
            }
            return new RadialOperator(q.clone(), voxel, plane, h, q0, nodes, diag, dLo, null, null, null, null,
                    diag.length * nq);
        }
        int[] width = new int[nq];
        int[] offset = new int[nq];
        int total = 0;
        for (int j = 0; j < nq; j++) {
            width[j] = last[j] - first[j] + 1;
            offset[j] = total;
            total += width[j];
        }
        double[] m = new double[total];
        for (int j = 0; j < nq; j++) {
            System.arraycopy(rows[j], first[j], m, offset[j], width[j]);
        }
        return new RadialOperator(q.clone(), voxel, plane, h, q0, nodes, null, 0, first, width, offset, m, total);
    }

    /**
     * The zero margin that the block transpose ({@link VectorKernels#bandApplyTransposeRows}) needs
     * on either side of each diagonal and each input row, so that every node's sum runs over all D
     * diagonals in whole vectors, the edges included.
     */
    static int transposePad(int bands, int shift, int nq, int nodes) {
        return Math.max(0, Math.max(shift + bands - 1, nodes - shift - nq));
    }

    /** The diagonals with {@code pad} zeros before and after each. */
    static double[][] padDiagonals(double[][] diag, int pad) {
        double[][] p = new double[diag.length][];
        for (int d = 0; d < diag.length; d++) {
            p[d] = new double[diag[d].length + 2 * pad];
            System.arraycopy(diag[d], 0, p[d], pad, diag[d].length);
        }
        return p;
    }

    /** The length of each of {@link #applyTransposeRows}'s 8 scratch rows. */
    public int transposeScratchLength() {
        return q.length + 2 * pad;
    }

    /** The node spacing h, Å⁻¹. */
    public double spacing() {
        return h;
    }

    /** The position of node 0, Å⁻¹ (node n sits at {@code firstNode() + n h}; may be ≤ 0). */
    public double firstNode() {
        return q0;
    }

    /** The number of nodes. */
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

    /** The diagonals of the stored matrix (uniform grids), else null; for tests in this package. */
    double[][] diagonals() {
        return diag;
    }

    /** The node index of diagonal 0 at output 0 (uniform grids); for tests in this package. */
    int diagonalShift() {
        return shift;
    }

    /** Stored matrix entries (the multiply-adds of one {@link #apply}). */
    public int entries() {
        return entries;
    }

    /**
     * {@code out[j] = Σ_n M_jn f[n]} for all output points j (overwrites {@code outputs()} values).
     *
     * @param f    node values ({@link #nodes()})
     * @param out  receives {@link #outputs()} values
     * @param tmp  scratch of at least {@link #outputs()} values
     */
    public void apply(double[] f, double[] out, double[] tmp) {
        int nq = q.length;
        if (diag != null && Vectors.active()) {
            VectorKernels.bandApply(diag, shift, f, out, nq);
            return;
        }
        if (diag != null) {
            plainApplyDiagonals(diag, shift, f, out, tmp, nq);
            return;
        }
        final double[] mm = m;
        for (int j = 0; j < nq; j++) {
            int base = first[j];
            int off = offset[j];
            int w = width[j];
            double a0 = 0;
            double a1 = 0;
            int k = 0;
            for (; k + 1 < w; k += 2) {
                a0 += mm[off + k] * f[base + k];
                a1 += mm[off + k + 1] * f[base + k + 1];
            }
            for (; k < w; k++) {
                a0 += mm[off + k] * f[base + k];
            }
            out[j] = a0 + a1;
        }
    }

    /**
     * {@link #apply} for the rows r &lt; m of a block: {@code out[r] = M f[r]}, each row's numbers bit
     * for bit those of {@link #apply} on that row. With the JDK's vector module and diagonal storage,
     * eight rows at a time share the loads of the matrix; otherwise row by row.
     *
     * @param tmp scratch of at least {@link #outputs()} values
     */
    public void applyRows(double[][] f, double[][] out, int m, double[] tmp) {
        if (diag != null && Vectors.active()) {
            VectorKernels.bandApplyRows(diag, shift, f, out, q.length, m);
            return;
        }
        for (int r = 0; r < m; r++) {
            apply(f[r], out[r], tmp);
        }
    }

    /**
     * {@link #applyTranspose} for the rows r &lt; m of a block: {@code g[r] = Mᵀ y[r]}, each row's
     * numbers bit for bit those of {@link #applyTranspose} on that row (eight rows at a time as in
     * {@link #applyRows}).
     *
     * @param tmp     scratch of at least {@link #nodes()} values
     * @param scratch 8 rows of at least {@link #transposeScratchLength()} values, zero where this
     *                method has not written them (a fresh array, reused only by this method)
     */
    public void applyTransposeRows(double[][] y, double[][] g, int m, double[] tmp, double[][] scratch) {
        if (diag != null && Vectors.active()) {
            VectorKernels.bandApplyTransposeRows(diag, padded, pad, shift, y, g, q.length, nodes, m, scratch);
            return;
        }
        for (int r = 0; r < m; r++) {
            applyTranspose(y[r], g[r], tmp);
        }
    }

    /**
     * The transpose: {@code g[n] = Σ_j M_jn y[j]} (overwrites all {@link #nodes()} values), for
     * reverse mode.
     *
     * @param tmp scratch of at least {@link #nodes()} values
     */
    public void applyTranspose(double[] y, double[] g, double[] tmp) {
        int nq = q.length;
        if (diag != null && Vectors.active()) {
            VectorKernels.bandApplyTranspose(diag, shift, y, g, nq, nodes);
            return;
        }
        Arrays.fill(g, 0, nodes, 0.0);
        if (diag != null) {
            plainApplyTransposeDiagonals(diag, shift, y, g, tmp, nq);
            return;
        }
        final double[] mm = m;
        for (int j = 0; j < nq; j++) {
            int base = first[j];
            int off = offset[j];
            int w = width[j];
            double yj = y[j];
            for (int k = 0; k < w; k++) {
                g[base + k] += mm[off + k] * yj;
            }
        }
    }

    /**
     * The diagonal form of {@link #apply} in plain loops: out[j] = Σ_d diag[d][j] f[shift + d + j],
     * from 0 in the order of d (package-private for the test that holds the vector kernel to it).
     */
    static void plainApplyDiagonals(double[][] diag, int shift, double[] f, double[] out, double[] tmp, int nq) {
        Arrays.fill(out, 0, nq, 0.0);
        for (int d = 0; d < diag.length; d++) {
            // a shifted copy first, so that the product loop uses one index (vectorised)
            System.arraycopy(f, shift + d, tmp, 0, nq);
            double[] dg = diag[d];
            for (int j = 0; j < nq; j++) {
                out[j] += dg[j] * tmp[j];
            }
        }
    }

    /**
     * The diagonal form of {@link #applyTranspose} in plain loops, added into {@code g} (which the
     * caller has zeroed): g[shift + d + j] += diag[d][j] y[j] in the order of d (package-private for
     * the test that holds the vector kernel to it).
     */
    static void plainApplyTransposeDiagonals(double[][] diag, int shift, double[] y, double[] g, double[] tmp, int nq) {
        for (int d = 0; d < diag.length; d++) {
            double[] dg = diag[d];
            int o = shift + d;
            // the shifted slice of g through tmp, so that the product loop uses one index (vectorised)
            System.arraycopy(g, o, tmp, 0, nq);
            for (int j = 0; j < nq; j++) {
                tmp[j] += dg[j] * y[j];
            }
            System.arraycopy(tmp, 0, g, o, nq);
        }
    }
}
