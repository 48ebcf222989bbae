package org.lnpsaxs.core.simulator;

import java.util.Arrays;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * The power \( |F|^2 \) of a small M × M real image zero-padded to Nf × Nf, on the pixels that
 * {@link RadialWeights} needs only: a pruned 2-D DFT, exact.
 *
 * <p>Only M rows of the padded plane are non-zero and only the columns \( 0 \le k_x \le K \) are
 * needed, so it takes M real row transforms of length Nf and K + 1 complex column transforms of
 * length Nf, against Nf real plus Nf/2 + 1 complex transforms for the full plane. Where the
 * image sits inside the padded plane only changes phases, so it starts at the origin.
 * Not thread-safe: one per worker.
 */
final class PlaneSpectrum {

    private final RadialWeights weights;
    private final int nf;
    private final FloatFFT_1D fft;
    private final float[] row;
    /** Column kx as a complex line of length Nf (rows a = 0..M-1 filled, the rest 0). */
    private final float[] columns;

    PlaneSpectrum(RadialWeights weights) {
        this.weights = weights;
        this.nf = weights.planeSize;
        this.fft = new FloatFFT_1D(nf);
        this.row = new float[nf];
        this.columns = new float[(weights.kMax + 1) * 2 * nf];
    }

    /** Bytes held by one instance for these weights. */
    static long bytes(int planeSize, int kMax) {
        return 4L * planeSize + 4L * (kMax + 1) * 2L * planeSize + 1024;
    }

    /**
     * Adds \( |F|^2 \) of the {@code m} × {@code m} image {@code img} (row-major) to
     * {@code power}, one value per pixel of the weights.
     */
    void accumulate(double[] img, int m, double[] power) {
        if (m > nf) {
            throw new IllegalArgumentException("image of " + m + " pixels exceeds the plane of " + nf);
        }
        final int k = weights.kMax;
        final int line = 2 * nf;
        final float[] col = columns;
        final float[] r = row;
        // rows: real forward transforms, columns 0..K kept
        for (int a = 0; a < m; a++) {
            int off = a * m;
            for (int b = 0; b < m; b++) {
                r[b] = (float) img[off + b];
            }
            Arrays.fill(r, m, nf, 0f);
            fft.realForward(r);
            col[2 * a] = r[0];          // kx = 0: real
            col[2 * a + 1] = 0f;
            for (int kx = 1; kx <= k; kx++) {
                col[kx * line + 2 * a] = r[2 * kx];
                col[kx * line + 2 * a + 1] = r[2 * kx + 1];
            }
        }
        // rows m.. of each column are zero padding (the previous transform filled them)
        for (int kx = 0; kx <= k; kx++) {
            Arrays.fill(col, kx * line + 2 * m, kx * line + line, 0f);
        }
        // columns: complex forward transforms, ky = -h..h kept
        for (int kx = 0; kx <= k; kx++) {
            int off = kx * line;
            fft.complexForward(col, off);
            int h = weights.half[kx];
            int p = weights.start[kx] + h;  // pixel ky = 0
            for (int ky = -h; ky <= h; ky++) {
                int idx = off + 2 * (ky < 0 ? ky + nf : ky);
                double re = col[idx];
                double im = col[idx + 1];
                power[p + ky] += re * re + im * im;
            }
        }
    }
}
