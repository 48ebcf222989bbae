package org.lnpsaxs.core.simulator;

import org.lnpsaxs.core.data.QGrid;

/**
 * The paper's radial average of a 2-D power spectrum onto a q grid, as a sparse pixel → q matrix,
 * with the σ = 1 pixel Gaussian smoothing folded in.
 *
 * <p>The plane is the Nf × Nf DFT of a projection with pixel Δx, so pixel \( (k_x, k_y) \) sits
 * at \( Q = \Delta q\sqrt{k_x^2 + k_y^2} \), \( \Delta q = 2\pi/(N_f\Delta x) \). The average is
 * \[ I(q_j) = \sum_p w_{jp}\,e^{-(Q_p\Delta x)^2}\,|F_p|^2 \Big/ \sum_p w_{jp}, \qquad
 *    w_{jp} = \frac{\exp\!\big(-\tfrac12((Q_p - q_j)/s)^2\big)}{Q_p}, \quad s = \tfrac12\Delta q, \]
 * over all pixels but \( Q = 0 \). The factor \( e^{-(Q\Delta x)^2} \) is the squared transfer
 * function of the paper's Fourier-space Gaussian smoothing with σ = 1 pixel. Weights below
 * \( e^{-12.5} \) (\( |Q - q| &gt; 5s \)) are dropped and each row renormalised (the paper keeps its
 * 1024 largest weights per q, which drops the same far tail).
 *
 * <p>Only the half plane \( k_x \ge 0 \) is stored: \( |F(-\mathbf{k})| = |F(\mathbf{k})| \) for a
 * real image, so a pixel with \( k_x &gt; 0 \) carries the weight of its mirror too. Pixels are
 * numbered column by column: column \( k_x = 0..K \) holds \( k_y = -h_{k_x}..h_{k_x} \), the
 * pixels with \( Q \le q_{max} + 5s \). Immutable.
 */
final class RadialWeights {

    /** Gaussian window half-width, in units of s. */
    static final double WINDOW = 5.0;

    final int planeSize;
    final double voxel;
    final double dq;
    final double s;
    final int nq;
    /** Largest |kx| (and |ky|) of a stored pixel. */
    final int kMax;
    /** Column kx holds ky = -half[kx] .. half[kx]; its first pixel is number start[kx]. */
    final int[] half;
    final int[] start;
    final int pixels;
    /** CSR by pixel: pixel p feeds q indices qFirst[p] .. qFirst[p] + (ptr[p+1]-ptr[p]) - 1. */
    final int[] ptr;
    final int[] qFirst;
    final double[] weight;

    RadialWeights(QGrid grid, int planeSize, double voxel) {
        this.planeSize = planeSize;
        this.voxel = voxel;
        this.dq = 2.0 * Math.PI / (planeSize * voxel);
        this.s = 0.5 * dq;
        double[] q = grid.values();
        this.nq = q.length;
        double reach = q[nq - 1] + WINDOW * s;
        double nyquist = Math.PI / voxel;
        if (reach > nyquist * (planeSize - 2) / planeSize) {
            throw new IllegalArgumentException("q grid reaches q = " + q[nq - 1] + " 1/Å; with voxel " + voxel
                    + " Å and plane " + planeSize + " the largest usable q is " + (nyquist * (planeSize - 2) / planeSize - WINDOW * s)
                    + " 1/Å (π/voxel less the averaging window)");
        }
        double kr = reach / dq;
        this.kMax = (int) Math.floor(kr);
        double kr2 = kr * kr;
        this.half = new int[kMax + 1];
        this.start = new int[kMax + 2];
        int count = 0;
        for (int kx = 0; kx <= kMax; kx++) {
            int h = FieldSynthesizer.Region.maxOffset(kr2 - (double) kx * kx);
            half[kx] = Math.max(h, 0);
            start[kx] = count;
            count += 2 * half[kx] + 1;
        }
        start[kMax + 1] = count;
        this.pixels = count;
        // first pass: the q range of each pixel and the normalisation of each q
        double lowReach = q[0] - WINDOW * s;
        int[] first = new int[count];
        int[] last = new int[count];
        double[] norm = new double[nq];
        int entries = 0;
        for (int kx = 0; kx <= kMax; kx++) {
            int h = half[kx];
            for (int ky = -h; ky <= h; ky++) {
                int p = start[kx] + ky + h;
                double qp = dq * Math.sqrt((double) kx * kx + (double) ky * ky);
                first[p] = 0;
                last[p] = -1;
                if (qp == 0 || qp > reach || qp < lowReach) {
                    continue;
                }
                int j0 = lowerIndex(q, qp - WINDOW * s);
                int j = j0;
                double mult = kx > 0 ? 2.0 : 1.0;
                while (j < nq && q[j] <= qp + WINDOW * s) {
                    double d = (qp - q[j]) / s;
                    norm[j] += mult * Math.exp(-0.5 * d * d) / qp;
                    j++;
                }
                first[p] = j0;
                last[p] = j - 1;
                entries += Math.max(0, j - j0);
            }
        }
        for (int j = 0; j < nq; j++) {
            if (!(norm[j] > 0)) {
                throw new IllegalArgumentException("q = " + q[j] + " 1/Å has no pixel of the " + planeSize
                        + "-point plane within its averaging window");
            }
        }
        this.ptr = new int[count + 1];
        this.qFirst = first;
        this.weight = new double[entries];
        int e = 0;
        for (int kx = 0; kx <= kMax; kx++) {
            int h = half[kx];
            for (int ky = -h; ky <= h; ky++) {
                int p = start[kx] + ky + h;
                ptr[p] = e;
                if (last[p] < first[p]) {
                    continue;
                }
                double qp = dq * Math.sqrt((double) kx * kx + (double) ky * ky);
                double mult = kx > 0 ? 2.0 : 1.0;
                double smooth = Math.exp(-(qp * voxel) * (qp * voxel));
                for (int j = first[p]; j <= last[p]; j++) {
                    double d = (qp - q[j]) / s;
                    weight[e++] = mult * Math.exp(-0.5 * d * d) / qp * smooth / norm[j];
                }
            }
        }
        ptr[count] = e;
    }

    /** The first index j with q[j] ≥ x. */
    private static int lowerIndex(double[] q, double x) {
        // q is strictly increasing: the insertion point is the first index with q[j] >= x
        int i = java.util.Arrays.binarySearch(q, x);
        return i >= 0 ? i : -i - 1;
    }

    /** Adds the radial average of {@code power} (one value per stored pixel) to {@code curve}. */
    void apply(double[] power, double[] curve) {
        for (int p = 0; p < pixels; p++) {
            double v = power[p];
            int j = qFirst[p];
            for (int e = ptr[p], end = ptr[p + 1]; e < end; e++, j++) {
                curve[j] += weight[e] * v;
            }
        }
    }

    /** Bytes held. */
    long bytes() {
        return 8L * weight.length + 12L * pixels + 8L * half.length;
    }

    /** Bytes a plane of this size would hold for {@code grid} (an estimate, before building it). */
    static long estimateBytes(QGrid grid, int planeSize, double voxel) {
        double dq = 2.0 * Math.PI / (planeSize * voxel);
        double k = (grid.max() + WINDOW * 0.5 * dq) / dq;
        double pix = Math.PI * k * k / 2 + 2 * k + 1;
        double spacing = grid.size() > 1 ? (grid.max() - grid.min()) / (grid.size() - 1) : dq;
        double perPixel = Math.min(grid.size(), 2 * WINDOW * 0.5 * dq / Math.max(spacing, 1e-12) + 2);
        return (long) (pix * (12 + 8 * perPixel));
    }
}
