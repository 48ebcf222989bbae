package org.lnpsaxs.core.simulator;

/**
 * Standard normal deviates from a re-seedable SplitMix64 stream, by a 256-layer ziggurat.
 *
 * <p>Not thread-safe: every worker owns one. {@link #reseed} starts a fresh stream from a 64-bit
 * key, so that a block of noise (one Fourier line of one realisation) is a pure function of its
 * key and can be drawn in any order, by any thread. The ziggurat is the Marsaglia–Tsang scheme
 * (2000) with the layer index and the abscissa taken from disjoint bits of one 64-bit word
 * (Doornik 2005) and Marsaglia's exact tail method. The algorithm is written here (not taken from
 * the JDK) so that a seed gives the same numbers on every Java version.
 */
final class NormalSampler {

    private static final int LAYERS = 256;
    /** Start of the tail, and the common area of the layers, for 256 layers. */
    private static final double TAIL = 3.6541528853610088;
    private static final double AREA = 0.00492867323399;
    /** X[i]: right edge of layer i (X[0] is the virtual width of the base layer); X[256] = 0. */
    private static final double[] X = new double[LAYERS + 1];
    /** F[i] = exp(-X[i]^2/2). */
    private static final double[] F = new double[LAYERS + 1];
    /** RATIO[i] = X[i+1]/X[i]: |u| below it is accepted at once. */
    private static final double[] RATIO = new double[LAYERS];

    static {
        double f = Math.exp(-0.5 * TAIL * TAIL);
        X[0] = AREA / f;
        X[1] = TAIL;
        for (int i = 2; i < LAYERS; i++) {
            double prev = X[i - 1];
            X[i] = Math.sqrt(-2.0 * Math.log(AREA / prev + Math.exp(-0.5 * prev * prev)));
        }
        X[LAYERS] = 0.0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = Math.exp(-0.5 * X[i] * X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            RATIO[i] = X[i + 1] / X[i];
        }
    }

    /** The 256-layer single-precision ziggurat: two deviates from one 64-bit word. */
    private static final int LAYERS32 = LAYERS;
    private static final double TAIL32 = TAIL;
    private static final double AREA32 = AREA;
    private static final float[] X32 = new float[LAYERS32 + 1];
    private static final double[] X32D = new double[LAYERS32 + 1];
    private static final double[] F32 = new double[LAYERS32 + 1];
    private static final float[] RATIO32 = new float[LAYERS32];

    static {
        X32D[0] = AREA32 / Math.exp(-0.5 * TAIL32 * TAIL32);
        X32D[1] = TAIL32;
        for (int i = 2; i < LAYERS32; i++) {
            double prev = X32D[i - 1];
            X32D[i] = Math.sqrt(-2.0 * Math.log(AREA32 / prev + Math.exp(-0.5 * prev * prev)));
        }
        X32D[LAYERS32] = 0.0;
        for (int i = 0; i <= LAYERS32; i++) {
            F32[i] = Math.exp(-0.5 * X32D[i] * X32D[i]);
            X32[i] = (float) X32D[i];
        }
        for (int i = 0; i < LAYERS32; i++) {
            RATIO32[i] = (float) (X32D[i + 1] / X32D[i]);
        }
    }

    private long state;

    /** Starts a new stream whose numbers depend on {@code key} only. */
    void reseed(long key) {
        state = key;
    }

    /** The next 64 random bits (SplitMix64). */
    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** A uniform deviate in (0, 1]. */
    double nextOpenUniform() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** A standard normal deviate. */
    double nextGaussian() {
        while (true) {
            long bits = nextLong();
            int i = (int) (bits & (LAYERS - 1));
            // bits 11..63 as a signed fraction in [-1, 1): disjoint from the layer bits
            double u = (bits >> 11) * 0x1.0p-52;
            if (Math.abs(u) < RATIO[i]) {
                return u * X[i];
            }
            if (i == 0) {
                return u < 0 ? -tail() : tail();
            }
            double x = u * X[i];
            double y = F[i] + nextOpenUniform() * (F[i + 1] - F[i]);
            if (y < Math.exp(-0.5 * x * x)) {
                return x;
            }
        }
    }

    /** A deviate from the normal tail beyond {@link #TAIL} (Marsaglia 1964). */
    private double tail() {
        return tail(TAIL);
    }

    private double tail(double start) {
        while (true) {
            double x = -Math.log(nextOpenUniform()) / start;
            double y = -Math.log(nextOpenUniform());
            if (y + y >= x * x) {
                return start + x;
            }
        }
    }

    /**
     * The ziggurat's fast path for the 32 random bits {@code w}: the deviate, or NaN when
     * {@link #gaussian32} must finish the job (about 1.3 % of words). Small enough to inline.
     */
    static float fast32(int w) {
        int i = w & (LAYERS32 - 1);
        float u = (w >> 8) * 0x1.0p-23f;
        return Math.abs(u) < RATIO32[i] ? u * X32[i] : Float.NaN;
    }

    /**
     * A standard normal deviate in single precision from the 32 random bits {@code w} (layer
     * from bits 0..7, a signed 24-bit abscissa from bits 8..31), drawing more numbers from the
     * stream only when the ziggurat's fast test fails (about 1.3 % of the time).
     */
    float gaussian32(int w) {
        while (true) {
            int i = w & (LAYERS32 - 1);
            float u = (w >> 8) * 0x1.0p-23f;
            if (Math.abs(u) < RATIO32[i]) {
                return u * X32[i];
            }
            if (i == 0) {
                double t = tail(TAIL32);
                return (float) (u < 0 ? -t : t);
            }
            double x = u * X32D[i];
            double y = F32[i] + nextOpenUniform() * (F32[i + 1] - F32[i]);
            if (y < Math.exp(-0.5 * x * x)) {
                return (float) x;
            }
            w = (int) nextLong();
        }
    }

    /** The SplitMix64 / Stafford "mix 13" finaliser: a bijective 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A key for a block of noise identified by several integers (order matters). */
    static long key(long seed, long... ids) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long id : ids) {
            h = mix(h + 0x9E3779B97F4A7C15L + id);
        }
        return h;
    }
}
