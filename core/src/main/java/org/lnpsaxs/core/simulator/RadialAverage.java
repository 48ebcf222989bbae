package org.lnpsaxs.core.simulator;

import java.util.Arrays;

/**
 * The paper's radial average of a 2-D power spectrum onto a q grid: the one definition of which
 * pixels feed which q, with which weight. The simulator materialises it as a pixel → q matrix
 * (applied to the |F|² of every realisation); the surrogate
 * ({@code org.lnpsaxs.surrogate.lnp.RadialOperator}) folds it with an interpolation of a radially
 * symmetric function into a node → q matrix. Both read the weights from {@link #forEachPixel},
 * in the same order, so the two agree to rounding.
 *
 * <p>The plane is the Nf × Nf DFT of a projection with pixel Δx, so pixel \( (k_x, k_y) \) sits
 * at \( Q = \Delta q\sqrt{k_x^2 + k_y^2} \), \( \Delta q = 2\pi/(N_f\Delta x) \). The average is
 * \[ I(q_j) = \sum_p w_{jp}\,e^{-(Q_p\Delta x)^2}\,|F_p|^2 \Big/ \sum_p w_{jp}, \qquad
 *    w_{jp} = \frac{\exp\!\big(-\tfrac12((Q_p - q_j)/s)^2\big)}{Q_p}, \quad s = \tfrac12\Delta q, \]
 * over all pixels but \( Q = 0 \). The factor \( e^{-(Q\Delta x)^2} \) is the squared transfer
 * function of the paper's Fourier-space Gaussian smoothing with σ = 1 pixel. Weights with
 * \( |Q - q| &gt; 5s \) (below \( e^{-12.5} \)) are dropped and each row renormalised (the paper
 * keeps its 1024 largest weights per q, which drops the same far tail).
 *
 * <p>Only the half plane \( k_x \ge 0 \) is visited: \( |F(-\mathbf{k})| = |F(\mathbf{k})| \) for
 * a real image, so a pixel with \( k_x &gt; 0 \) carries the weight of its mirror too (its
 * \( w_{jp} \) is doubled). Pixels are numbered column by column: column \( k_x = 0..K \) holds
 * \( k_y = -h_{k_x}..h_{k_x} \), the pixels with \( Q \le q_{max} + 5s \).
 *
 * <p>Units: q and Q in Å⁻¹, Δx in Å; weights in Å. Immutable and thread-safe.
 */
public final class RadialAverage {

    /** Gaussian window half-width, in units of s. */
    public static final double WINDOW = 5.0;
    /** The smallest plane side. */
    public static final int MIN_PLANE = 8;

    private final double[] q;
    private final double voxel;
    private final int plane;
    private final double dq;
    private final double s;
    private final double reach;
    private final int kMax;
    private final int[] half;
    private final int[] start;
    private final int pixels;
    private final double[] norm;

    private RadialAverage(double[] q, double voxel, int plane) {
        this.q = q;
        this.voxel = voxel;
        this.plane = plane;
        this.dq = 2.0 * Math.PI / (plane * voxel);
        this.s = 0.5 * dq;
        int nq = q.length;
        this.reach = q[nq - 1] + WINDOW * s;
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
        double[] sums = new double[nq];
        forEachPixel((p, qp, smoothing, firstQ, n, w) -> {
            for (int i = 0; i < n; i++) {
                sums[firstQ + i] += w[i];
            }
        });
        for (int j = 0; j < nq; j++) {
            if (!(sums[j] > 0)) {
                throw new IllegalArgumentException("q = " + q[j] + " 1/Å has no pixel of the " + plane
                        + "-point plane within its averaging window");
            }
        }
        this.norm = sums;
    }

    /**
     * The average of a plane of {@code plane} × {@code plane} pixels of a projection with voxel
     * {@code voxel} (Å) onto the grid {@code q} (Å⁻¹, finite, strictly increasing, ≥ 0).
     *
     * @throws IllegalArgumentException when the grid is empty or not increasing, the voxel is not
     *                                  finite and positive, the plane is smaller than
     *                                  {@link #MIN_PLANE}, the grid reaches beyond the plane's
     *                                  usable range ({@link #largestUsableQ}), or a q has no pixel
     *                                  within its window
     */
    public static RadialAverage of(double[] q, double voxel, int plane) {
        checkSettings(voxel, plane);
        if (q.length == 0) {
            throw new IllegalArgumentException("radial average: the q grid has no points");
        }
        for (int j = 0; j < q.length; j++) {
            if (!(q[j] >= 0) || !Double.isFinite(q[j])) {
                throw new IllegalArgumentException("radial average: q[" + j + "] = " + q[j]
                        + " is not a finite value >= 0 (1/Å)");
            }
            if (j > 0 && !(q[j] > q[j - 1])) {
                throw new IllegalArgumentException("radial average: the q grid must increase (index " + j + ")");
            }
        }
        checkReach(q[q.length - 1], voxel, plane);
        return new RadialAverage(q.clone(), voxel, plane);
    }

    private static void checkSettings(double voxel, int plane) {
        if (!(voxel > 0) || !Double.isFinite(voxel)) {
            throw new IllegalArgumentException("radial average: voxel " + voxel + " Å must be finite and > 0");
        }
        if (plane < MIN_PLANE) {
            throw new IllegalArgumentException("radial average: plane " + plane + " must be at least " + MIN_PLANE);
        }
    }

    /**
     * The largest output q (Å⁻¹) a plane of {@code plane} pixels at voxel {@code voxel} Å can
     * average: its usable Nyquist limit \( \tfrac{\pi}{\Delta x}\tfrac{N_f - 2}{N_f} \) less the
     * window 5s.
     */
    public static double largestUsableQ(double voxel, int plane) {
        double dq = 2.0 * Math.PI / (plane * voxel);
        return Math.PI / voxel * (plane - 2) / plane - WINDOW * 0.5 * dq;
    }

    /** Refuses a largest q beyond {@link #largestUsableQ}, naming the limit. */
    static void checkReach(double qMax, double voxel, int plane) {
        double dq = 2.0 * Math.PI / (plane * voxel);
        double nyquist = Math.PI / voxel;
        if (qMax + WINDOW * 0.5 * dq > nyquist * (plane - 2) / plane) {
            throw new IllegalArgumentException("q grid reaches q = " + qMax + " 1/Å; with voxel " + voxel
                    + " Å and plane " + plane + " the largest usable q is " + largestUsableQ(voxel, plane)
                    + " 1/Å (π/voxel less the averaging window)");
        }
    }

    /** Receives the weights of one pixel. */
    @FunctionalInterface
    public interface PixelVisitor {
        /**
         * Pixel {@code pixel} at \( Q_p \) = {@code qp} feeds the output points
         * {@code firstQ .. firstQ + count - 1} with the unnormalised weights
         * {@code weights[0 .. count - 1]} \( = m_p w_{jp} \) (Å; \( m_p \) = 2 for \( k_x &gt; 0 \),
         * the mirror pixel, else 1).
         *
         * @param pixel     the pixel's number (see the class comment)
         * @param qp        \( Q_p \), Å⁻¹
         * @param smoothing \( e^{-(Q_p\Delta x)^2} \)
         * @param firstQ    the first output index
         * @param count     how many output points, ≥ 1
         * @param weights   scratch holding the weights; valid during the call only
         */
        void pixel(int pixel, double qp, double smoothing, int firstQ, int count, double[] weights);
    }

    /**
     * Visits every pixel that feeds at least one output point, in pixel order (\( k_x \)
     * ascending, then \( k_y \)). The average of a plane of values \( P_p \) (|F|² per pixel) is
     * \( I_j = \sum_p \mathtt{weights} \cdot \mathtt{smoothing} \cdot P_p / \)
     * {@link #normalisation}{@code (j)}, summed in this order.
     */
    public void forEachPixel(PixelVisitor visitor) {
        int nq = q.length;
        double lowReach = q[0] - WINDOW * s;
        double[] w = new double[nq];
        for (int kx = 0; kx <= kMax; kx++) {
            int h = half[kx];
            double mult = kx > 0 ? 2.0 : 1.0;
            for (int ky = -h; ky <= h; ky++) {
                double qp = dq * Math.sqrt((double) kx * kx + (double) ky * ky);
                if (qp == 0 || qp > reach || qp < lowReach) {
                    continue;
                }
                int j0 = lowerIndex(q, qp - WINDOW * s);
                int j = j0;
                while (j < nq && q[j] <= qp + WINDOW * s) {
                    double d = (qp - q[j]) / s;
                    w[j - j0] = mult * Math.exp(-0.5 * d * d) / qp;
                    j++;
                }
                if (j > j0) {
                    double smooth = Math.exp(-(qp * voxel) * (qp * voxel));
                    visitor.pixel(start[kx] + ky + h, qp, smooth, j0, j - j0, w);
                }
            }
        }
    }

    /** The first index j with q[j] ≥ x. */
    private static int lowerIndex(double[] q, double x) {
        // q is strictly increasing: the insertion point is the first index with q[j] >= x
        int i = Arrays.binarySearch(q, x);
        return i >= 0 ? i : -i - 1;
    }

    /** \( \sum_p m_p w_{jp} \) over the pixels of output point j, Å. */
    public double normalisation(int j) {
        return norm[j];
    }

    /** The output grid, Å⁻¹ (a copy). */
    public double[] q() {
        return q.clone();
    }

    /** The number of output points. */
    public int outputs() {
        return q.length;
    }

    /** The voxel size Δx, Å. */
    public double voxel() {
        return voxel;
    }

    /** The plane side Nf, pixels. */
    public int plane() {
        return plane;
    }

    /** The pixel spacing \( \Delta q = 2\pi/(N_f\Delta x) \), Å⁻¹. */
    public double pixelSpacing() {
        return dq;
    }

    /** The Gaussian width \( s = \Delta q/2 \), Å⁻¹. */
    public double width() {
        return s;
    }

    /** The largest \( |k_x| \) (and \( |k_y| \)) of a numbered pixel. */
    public int maxFrequency() {
        return kMax;
    }

    /** Column \( k_x \) holds \( k_y = -h..h \) with h = {@code halfHeight(kx)}. */
    int halfHeight(int kx) {
        return half[kx];
    }

    /** The number of pixel \( (k_x, k_y = -h_{k_x}) \). */
    int columnStart(int kx) {
        return start[kx];
    }

    /** The number of numbered pixels. */
    public int pixels() {
        return pixels;
    }

    @Override
    public String toString() {
        return "RadialAverage[" + q.length + " q from " + q[0] + " to " + q[q.length - 1] + " 1/Å, voxel " + voxel
                + " Å, plane " + plane + "]";
    }
}
