package org.lnpsaxs.core.simulator;

import java.util.Arrays;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Synthesises pairs of Gaussian random fields on a periodic n³ box straight from Fourier space.
 *
 * <p>For each lattice wave vector \( \mathbf{k} \) it draws an independent circular complex
 * Gaussian \( W_\mathbf{k} \) (real and imaginary parts standard normal), multiplies it by
 * \( \sqrt{G(|\mathbf{k}|)} \) and applies one unscaled complex inverse 3-D DFT,
 * \( X(\mathbf{x}) = \sum_\mathbf{k} W_\mathbf{k}\sqrt{G_\mathbf{k}}\,e^{i\mathbf{k}\cdot\mathbf{x}} \).
 * Because \( G \) is even and \( W \) circular, \( \mathrm{Re}\,X \) and \( \mathrm{Im}\,X \) are two
 * independent real stationary Gaussian fields, each with covariance
 * \( \sum_\mathbf{k} G_\mathbf{k}\cos(\mathbf{k}\cdot\mathbf{r}) \): exactly the law of the paper's
 * \( \mathrm{Re}\,\mathrm{IFFT}(\mathrm{FFT}(Z)\sqrt G) \) for real white noise \( Z \), up to a
 * constant factor that standardisation removes. One complex transform thus yields two
 * realisations, with no forward transform.
 *
 * <p>The transform runs line by line (JTransforms 1-D FFTs, each single-threaded; parallelism is
 * the caller's, over realisation pairs) and is pruned where that is exact: lattice points where
 * \( G \) carries less than {@link #TAIL_MASS} of the variance get no noise (their lines are
 * skipped), the second pass runs only for the z planes the caller needs, and the last pass only
 * for the (y, z) lines the caller asks for, which it hands over without storing them.
 *
 * <p>Noise is a pure function of (seed, pair index, box size, k): each Fourier line
 * \( (k_x, k_y) \) has its own keyed stream, drawn in the order \( k_z = 0, 1, -1, 2, -2, \dots \),
 * so that a different spectral cut-off draws a prefix of the same numbers, and no result depends
 * on which thread draws what.
 */
final class FieldSynthesizer {

    /** Variance fraction below which high-|k| lattice points are left without noise. */
    static final double TAIL_MASS = 1e-9;
    /** Lines gathered together in the second pass (cache blocking). */
    private static final int BLOCK = 8;

    final int n;
    final double voxel;
    /** sqrt(G) by squared integer frequency s = fx²+fy²+fz² (G(0) = 0). */
    private final float[] sqrtG;
    /** Lattice points with s ≤ sCut carry noise. */
    final int sCut;
    /** Σ over noisy lattice points of G: the expected mean square of Re X (and of Im X). */
    final double variance;

    /**
     * Plans fields of spectral density {@code g} on an {@code n}³ box of voxel {@code voxel} Å.
     */
    FieldSynthesizer(SpectralDensity g, int n, double voxel) {
        if (n < 2) {
            throw new IllegalArgumentException("box size " + n + " is too small");
        }
        this.n = n;
        this.voxel = voxel;
        int half = n / 2;
        int sMax = 3 * half * half;
        double dk = 2.0 * Math.PI / (n * voxel);
        double[] gs = new double[sMax + 1];
        for (int s = 1; s <= sMax; s++) {
            gs[s] = g.value(dk * Math.sqrt(s));
        }
        long[] mult = LatticeShells.multiplicities(n);
        double total = 0.0;
        for (int s = 0; s <= sMax; s++) {
            total += mult[s] * gs[s];
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException("the spectral density " + g + " has no power on the lattice of a "
                    + n + "^3 box with voxel " + voxel + " Å (reaches k = " + (Math.PI / voxel * Math.sqrt(3)) + " 1/Å)");
        }
        // cut the high-|k| tail holding less than TAIL_MASS of the variance
        int cut = sMax;
        double tail = 0.0;
        while (cut > 0 && tail + mult[cut] * gs[cut] <= TAIL_MASS * total) {
            tail += mult[cut] * gs[cut];
            cut--;
        }
        this.sCut = cut;
        this.variance = total - tail;
        this.sqrtG = new float[cut + 1];
        for (int s = 0; s <= cut; s++) {
            sqrtG[s] = (float) Math.sqrt(gs[s]);
        }
    }

    /** The signed frequency of array index {@code i} (FFT order; -n/2 for i = n/2). */
    int freq(int i) {
        return i < (n + 1) / 2 ? i : i - n;
    }

    /** Receives the lines of the last pass: complex values, x along the line. */
    interface LineSink {
        /**
         * One line of the pair at fixed (y, z): {@code buf[off + 2x]} is the first field's value at
         * x, {@code buf[off + 2x + 1]} the second's (both unscaled).
         */
        void line(float[] buf, int off, int y, int z);
    }

    /** Which (y, z) lines of the box a caller needs: rows y0..y1, each with a z range. */
    static final class Region {
        final int y0;
        final int y1;
        final int[] zLo;
        final int[] zHi;
        final int zMin;
        final int zMax;

        Region(int y0, int y1, int[] zLo, int[] zHi) {
            this.y0 = y0;
            this.y1 = y1;
            this.zLo = zLo;
            this.zHi = zHi;
            int a = Integer.MAX_VALUE;
            int b = Integer.MIN_VALUE;
            for (int i = 0; i < zLo.length; i++) {
                if (zLo[i] <= zHi[i]) {
                    a = Math.min(a, zLo[i]);
                    b = Math.max(b, zHi[i]);
                }
            }
            this.zMin = a;
            this.zMax = b;
        }

        /** The whole n³ box. */
        static Region full(int n) {
            int[] lo = new int[n];
            int[] hi = new int[n];
            Arrays.fill(hi, n - 1);
            return new Region(0, n - 1, lo, hi);
        }

        /**
         * The lines through a ball of squared radius {@code r2} (voxel units) centred on voxel
         * (c, c, c): (y, z) with (y-c)² + (z-c)² ≤ r2.
         */
        static Region ball(int n, int c, double r2) {
            int r = (int) Math.floor(Math.sqrt(r2));
            while ((long) (r + 1) * (r + 1) <= r2) {
                r++;
            }
            while ((long) r * r > r2) {
                r--;
            }
            int[] lo = new int[2 * r + 1];
            int[] hi = new int[2 * r + 1];
            for (int dy = -r; dy <= r; dy++) {
                int h = maxOffset(r2 - (double) dy * dy);
                lo[dy + r] = c - h;
                hi[dy + r] = c + h;
            }
            return new Region(c - r, c + r, lo, hi);
        }

        /** The largest integer h ≥ 0 with h² ≤ rest (−1 when rest &lt; 0). */
        static int maxOffset(double rest) {
            if (rest < 0) {
                return -1;
            }
            int h = (int) Math.floor(Math.sqrt(rest));
            while ((double) (h + 1) * (h + 1) <= rest) {
                h++;
            }
            while (h > 0 && (double) h * h > rest) {
                h--;
            }
            return h;
        }
    }

    /** Scratch space of one worker: the complex box, line buffers, an FFT and a random source. */
    static final class Workspace {
        final int n;
        final float[] data;
        final float[] block;
        final float[] lines;
        final FloatFFT_1D fft;
        final NormalSampler rng = new NormalSampler();

        Workspace(int n) {
            this.n = n;
            this.data = new float[2 * n * n * n];
            this.block = new float[BLOCK * 2 * n];
            this.lines = new float[2 * n * n];
            this.fft = new FloatFFT_1D(n);
        }

        /** Bytes held by a workspace for box size n. */
        static long bytes(int n) {
            long n3 = (long) n * n * n;
            return 4L * (2 * n3 + 2L * BLOCK * n + 2L * n * n) + 64L * n;
        }
    }

    /**
     * Draws the noise of pair {@code pair} into the workspace (Fourier space, first step of
     * {@link #synthesize}).
     */
    void fillSpectrum(Workspace ws, long seed, long pair) {
        final int n = this.n;
        final float[] a = ws.data;
        final NormalSampler rng = ws.rng;
        final float[] amp = sqrtG;
        final int plus = (n + 1) / 2;     // +m exists for m < plus
        final int minus = n / 2;          // -m exists for m <= minus
        for (int ix = 0; ix < n; ix++) {
            int fx = freq(ix);
            for (int iy = 0; iy < n; iy++) {
                int fy = freq(iy);
                int s0 = fx * fx + fy * fy;
                int off = (ix * n + iy) * n * 2;
                if (s0 > sCut) {
                    Arrays.fill(a, off, off + 2 * n, 0f);
                    continue;
                }
                rng.reseed(lineKey(seed, pair, fx, fy));
                int mMax = Math.min(minus, (int) Math.floor(Math.sqrt(sCut - s0)));
                while (mMax * mMax > sCut - s0) {
                    mMax--;
                }
                // each lattice point's complex value comes from one 64-bit word: two deviates
                for (int m = 0; m <= mMax; m++) {
                    float w = amp[s0 + m * m];
                    if (m < plus) {
                        draw(rng, a, off + 2 * m, w);
                    }
                    if (m > 0) {
                        draw(rng, a, off + 2 * (n - m), w);
                    }
                }
                // the undrawn middle of the line (|fz| > mMax) is zero
                int from = 2 * (Math.min(mMax, plus - 1) + 1);
                int to = 2 * (n - mMax);
                if (to > from) {
                    Arrays.fill(a, off + from, off + to, 0f);
                }
            }
        }
    }

    /** One circular complex Gaussian times {@code w} into {@code a[p]}, {@code a[p + 1]}. */
    private static void draw(NormalSampler rng, float[] a, int p, float w) {
        long bits = rng.nextLong();
        int lo = (int) bits;
        int hi = (int) (bits >>> 32);
        float g0 = NormalSampler.fast32(lo);
        float g1 = NormalSampler.fast32(hi);
        if (g0 != g0) {
            g0 = rng.gaussian32(lo);
        }
        if (g1 != g1) {
            g1 = rng.gaussian32(hi);
        }
        a[p] = w * g0;
        a[p + 1] = w * g1;
    }

    private long lineKey(long seed, long pair, int fx, int fy) {
        long h = NormalSampler.mix(seed ^ 0x6A09E667F3BCC909L);
        h = NormalSampler.mix(h + 0x9E3779B97F4A7C15L + pair);
        h = NormalSampler.mix(h + 0x9E3779B97F4A7C15L + n);
        return NormalSampler.mix(h + 0x9E3779B97F4A7C15L + (((long) fx << 32) ^ (fy & 0xFFFFFFFFL)));
    }

    /**
     * The sample mean squares over the whole box of the two fields of the spectrum now in the
     * workspace (Parseval; their sample means are exactly 0 because G(0) = 0):
     * {@code {mean(Re X²), mean(Im X²)}}.
     */
    double[] sampleMeanSquares(Workspace ws) {
        final int n = this.n;
        final float[] a = ws.data;
        double s1 = 0.0;
        double s2 = 0.0;
        for (int ix = 0; ix < n; ix++) {
            int fx = freq(ix);
            int jx = (n - ix) % n;
            for (int iy = 0; iy < n; iy++) {
                int fy = freq(iy);
                if (fx * fx + fy * fy > sCut) {
                    continue;
                }
                int jy = (n - iy) % n;
                int off = (ix * n + iy) * n * 2;
                int moff = (jx * n + jy) * n * 2;
                for (int iz = 0; iz < n; iz++) {
                    int p = off + 2 * iz;
                    int q = moff + 2 * ((n - iz) % n);
                    float re = a[p];
                    float im = a[p + 1];
                    s1 += re * re + im * im;
                    s2 += re * a[q] - im * a[q + 1];   // Re(A_k A_{-k})
                }
            }
        }
        return new double[] {0.5 * (s1 + s2), 0.5 * (s1 - s2)};
    }

    /**
     * Transforms the spectrum in the workspace (filled by {@link #fillSpectrum}) to real space
     * and hands the lines of {@code region} to {@code sink}, row by row (y ascending, then z).
     */
    void transform(Workspace ws, Region region, LineSink sink) {
        final int n = this.n;
        final float[] a = ws.data;
        final FloatFFT_1D fft = ws.fft;
        // pass 1: along kz, lines (kx, ky) that hold noise
        for (int ix = 0; ix < n; ix++) {
            int fx = freq(ix);
            for (int iy = 0; iy < n; iy++) {
                int fy = freq(iy);
                if (fx * fx + fy * fy <= sCut) {
                    fft.complexInverse(a, (ix * n + iy) * n * 2, false);
                }
            }
        }
        if (region.zMin > region.zMax) {
            return;
        }
        // pass 2: along ky, slabs kx that hold noise, planes z the region needs
        final float[] blk = ws.block;
        final int line = 2 * n;
        for (int ix = 0; ix < n; ix++) {
            int fx = freq(ix);
            if (fx * fx > sCut) {
                continue;
            }
            int slab = ix * n * n * 2;
            for (int z0 = region.zMin; z0 <= region.zMax; z0 += BLOCK) {
                int cnt = Math.min(BLOCK, region.zMax - z0 + 1);
                for (int iy = 0; iy < n; iy++) {
                    int src = slab + (iy * n + z0) * 2;
                    for (int b = 0; b < cnt; b++) {
                        blk[b * line + 2 * iy] = a[src + 2 * b];
                        blk[b * line + 2 * iy + 1] = a[src + 2 * b + 1];
                    }
                }
                for (int b = 0; b < cnt; b++) {
                    fft.complexInverse(blk, b * line, false);
                }
                // only the rows y that the last pass reads
                for (int iy = region.y0; iy <= region.y1; iy++) {
                    int dst = slab + (iy * n + z0) * 2;
                    for (int b = 0; b < cnt; b++) {
                        a[dst + 2 * b] = blk[b * line + 2 * iy];
                        a[dst + 2 * b + 1] = blk[b * line + 2 * iy + 1];
                    }
                }
            }
        }
        // pass 3: along kx, lines (y, z) of the region, handed to the sink
        final float[] lines = ws.lines;
        for (int y = region.y0; y <= region.y1; y++) {
            int zl = region.zLo[y - region.y0];
            int zh = region.zHi[y - region.y0];
            if (zl > zh) {
                continue;
            }
            int cnt = zh - zl + 1;
            for (int ix = 0; ix < n; ix++) {
                int src = ((ix * n + y) * n + zl) * 2;
                int dst = 2 * ix;
                for (int b = 0; b < cnt; b++) {
                    lines[b * line + dst] = a[src + 2 * b];
                    lines[b * line + dst + 1] = a[src + 2 * b + 1];
                }
            }
            for (int b = 0; b < cnt; b++) {
                fft.complexInverse(lines, b * line, false);
                sink.line(lines, b * line, y, zl + b);
            }
        }
    }
}
