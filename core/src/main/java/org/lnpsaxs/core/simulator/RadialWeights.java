package org.lnpsaxs.core.simulator;

/**
 * The simulator's form of the {@link RadialAverage}: a sparse pixel → q matrix with the
 * smoothing and the normalisation folded in,
 * \( W_{jp} = m_p w_{jp}\,e^{-(Q_p\Delta x)^2} / \sum_{p'} m_{p'} w_{jp'} \), applied to the |F|²
 * of every realisation. Pixels are numbered as in {@link RadialAverage}; every numbered pixel has
 * a row (empty for the pixels that feed no q). Immutable.
 */
final class RadialWeights {

    final RadialAverage average;
    final int planeSize;
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

    RadialWeights(RadialAverage average) {
        this.average = average;
        this.planeSize = average.plane();
        this.nq = average.outputs();
        this.kMax = average.maxFrequency();
        this.half = new int[kMax + 1];
        this.start = new int[kMax + 2];
        for (int kx = 0; kx <= kMax; kx++) {
            half[kx] = average.halfHeight(kx);
            start[kx] = average.columnStart(kx);
        }
        this.pixels = average.pixels();
        start[kMax + 1] = pixels;
        int[] count = new int[pixels];
        int[] first = new int[pixels];
        long[] entries = new long[1];
        average.forEachPixel((p, qp, smoothing, firstQ, n, w) -> {
            first[p] = firstQ;
            count[p] = n;
            entries[0] += n;
        });
        if (entries[0] > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("radial average: " + entries[0] + " weights exceed the largest array ("
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        this.ptr = new int[pixels + 1];
        int e = 0;
        for (int p = 0; p < pixels; p++) {
            ptr[p] = e;
            e += count[p];
        }
        ptr[pixels] = e;
        this.qFirst = first;
        this.weight = new double[e];
        average.forEachPixel((p, qp, smoothing, firstQ, n, w) -> {
            int at = ptr[p];
            for (int i = 0; i < n; i++) {
                weight[at + i] = w[i] * smoothing / average.normalisation(firstQ + i);
            }
        });
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

    /**
     * Bytes the weights of a plane of {@code planeSize} pixels at voxel {@code voxel} Å would hold
     * for a grid of {@code points} q from {@code qMin} to {@code qMax} Å⁻¹ (an estimate, before
     * building them; as a double, since an absurd plane or grid overflows a long).
     */
    static double estimateBytes(double qMin, double qMax, int points, int planeSize, double voxel) {
        double dq = 2.0 * Math.PI / (planeSize * voxel);
        double k = (qMax + RadialAverage.WINDOW * 0.5 * dq) / dq;
        return estimatePixels(qMax, planeSize, voxel) * (12 + 8 * perPixel(qMin, qMax, points, dq)) + 8.0 * k;
    }

    /** The numbered pixels of such a plane (an estimate within a few per cent). */
    static double estimatePixels(double qMax, int planeSize, double voxel) {
        double dq = 2.0 * Math.PI / (planeSize * voxel);
        double k = (qMax + RadialAverage.WINDOW * 0.5 * dq) / dq;
        return Math.PI * k * k / 2 + 2 * k + 1;
    }

    private static double perPixel(double qMin, double qMax, int points, double dq) {
        double spacing = points > 1 ? (qMax - qMin) / (points - 1) : dq;
        return Math.min(points, 2 * RadialAverage.WINDOW * 0.5 * dq / Math.max(spacing, 1e-12) + 2);
    }
}
