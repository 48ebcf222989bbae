package org.lnpsaxs.core.sampling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, randomised Sobol sequence in the unit cube \([0,1)^d\): quasi-random points for
 * training sets and multi-start fits.
 *
 * <p><b>Construction.</b> Dimension {@code j} (0-based) uses the Sobol generator matrix
 * \(C_j\) built from Joe &amp; Kuo's direction numbers ({@code new-joe-kuo-6}, search criterion D(6),
 * as shipped in Apache Commons Math 3.6.1; dimension 0 is the van der Corput sequence) with
 * {@value #BITS} binary digits. Point {@code n} is the Gray-code-ordered Sobol point:
 * \( x_j(n) = \bigoplus_{b:\,g_b(n)=1} v_{j,b} \) with \( g(n) = n \oplus \lfloor n/2 \rfloor \)
 * and \( v_{j,b} \) the columns of \(C_j\). Unscrambled, the points are exactly those of
 * {@code org.apache.commons.math3.random.SobolSequenceGenerator}.
 *
 * <p><b>Scrambling</b> (Matoušek's "random linear scrambling" plus a random digital shift):
 * every dimension gets its own random lower-triangular binary matrix \(L_j\) with unit diagonal
 * and its own random digit vector \(e_j\), so that \( x'_j(n) = L_j\, C_j\, g(n) \oplus e_j \)
 * over GF(2). Because \(L_j\) is non-singular and lower-triangular, digit \(i\) of the output depends
 * only on digits \(1..i\) of the unscrambled point, so every elementary interval keeps its point
 * count: the scrambled points are still a digital \((t, m, d)\)-net in base 2 with the same \(t\),
 * and in particular each one-dimensional projection of the points with indices
 * \([k 2^m, (k+1) 2^m)\) has exactly one point in every interval \([i/2^m, (i+1)/2^m)\).
 * This is not Owen's nested uniform scrambling (whose digit permutations depend on all higher
 * digits); it has the same net-preservation and is cheap: the scrambled direction numbers are
 * computed once, and each point costs one XOR per set Gray-code bit and dimension.
 *
 * <p><b>Seeds.</b> The random bits of dimension {@code j} come from a {@link SplittableRandom}
 * seeded by a mix of {@code (seed, j)}, so the same seed always gives the same points, and the
 * first {@code d} coordinates of a higher-dimensional sequence equal the {@code d}-dimensional
 * sequence with the same seed.
 *
 * <p><b>Use.</b> Instances are immutable and thread-safe: {@link #point(long, double[], int)}
 * gives any point by its index (skip-ahead is free), {@link #points(long, int)} a block, and
 * {@link #cursor(long)} a sequential reader with {@link Cursor#next(double[])} (cheaper per point:
 * one XOR per dimension). Values are in {@code [0, 1)}, multiples of \(2^{-52}\).
 */
public final class ScrambledSobol {

    /** Binary digits per coordinate (the resolution is \(2^{-52}\)); indices must be below \(2^{52}\). */
    public static final int BITS = 52;

    /** The largest supported dimension (the direction-number table has 1000 dimensions). */
    public static final int MAX_DIMENSION = 1000;

    /** The largest supported point index + 1. */
    public static final long MAX_INDEX = 1L << BITS;

    private static final double SCALE = 1.0 / (1L << BITS);
    private static final String TABLE =
            "/assets/org/apache/commons/math3/random/new-joe-kuo-6.1000";

    private final int dimension;
    private final long seed;
    private final boolean scrambled;
    /** direction[j * BITS + b]: column b of the (scrambled) generator matrix of dimension j. */
    private final long[] direction;
    /** The digital shift of each dimension (0 when unscrambled). */
    private final long[] shift;

    private ScrambledSobol(int dimension, long seed, boolean scrambled) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "Sobol dimension " + dimension + " is outside the supported range [1, " + MAX_DIMENSION + "]");
        }
        this.dimension = dimension;
        this.seed = seed;
        this.scrambled = scrambled;
        this.direction = new long[dimension * BITS];
        this.shift = new long[dimension];
        List<int[]> table = DirectionTable.rows(dimension);
        for (int j = 0; j < dimension; j++) {
            long[] v = j == 0 ? vanDerCorput() : directionNumbers(table.get(j - 1));
            if (scrambled) {
                SplittableRandom rng = new SplittableRandom(mix(seed, j));
                long[] rows = lowerTriangular(rng);
                for (int b = 0; b < BITS; b++) {
                    v[b] = multiply(rows, v[b]);
                }
                shift[j] = rng.nextLong() & ((1L << BITS) - 1);
            }
            System.arraycopy(v, 0, direction, j * BITS, BITS);
        }
    }

    /**
     * A scrambled sequence.
     *
     * @param dimension the number of coordinates, 1 to {@value #MAX_DIMENSION}
     * @param seed      the scrambling seed; the same seed gives the same points
     */
    public static ScrambledSobol of(int dimension, long seed) {
        return new ScrambledSobol(dimension, seed, true);
    }

    /** The plain (unscrambled) Sobol sequence, whose point 0 is the origin. */
    public static ScrambledSobol unscrambled(int dimension) {
        return new ScrambledSobol(dimension, 0L, false);
    }

    /**
     * The first {@code n} points of the scrambled sequence of this dimension and seed, flat and
     * point-major: coordinate {@code j} of point {@code i} is at {@code [i * dimension + j]}.
     */
    public static double[] points(int n, int dimension, long seed) {
        return of(dimension, seed).points(0, n);
    }

    /** The number of coordinates. */
    public int dimension() {
        return dimension;
    }

    /** The scrambling seed (meaningless when {@link #isScrambled()} is false). */
    public long seed() {
        return seed;
    }

    /** Whether the points are scrambled. */
    public boolean isScrambled() {
        return scrambled;
    }

    /**
     * Writes point {@code index} into {@code out[offset .. offset + dimension - 1]}.
     *
     * @throws IllegalArgumentException if {@code index} is negative or not below {@link #MAX_INDEX}
     */
    public void point(long index, double[] out, int offset) {
        checkIndex(index);
        long gray = index ^ (index >>> 1);
        for (int j = 0; j < dimension; j++) {
            long x = shift[j];
            int base = j * BITS;
            long g = gray;
            while (g != 0) {
                int b = Long.numberOfTrailingZeros(g);
                x ^= direction[base + b];
                g &= g - 1;
            }
            out[offset + j] = x * SCALE;
        }
    }

    /** Point {@code index} as a new array. */
    public double[] point(long index) {
        double[] out = new double[dimension];
        point(index, out, 0);
        return out;
    }

    /**
     * The {@code n} points with indices {@code start .. start + n - 1}, flat and point-major
     * ({@code n * dimension} values).
     */
    public double[] points(long start, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("number of points must be >= 0, got " + n);
        }
        double[] out = new double[Math.multiplyExact(n, dimension)];
        if (n == 0) {
            return out;
        }
        Cursor c = cursor(start);
        double[] p = new double[dimension];
        for (int i = 0; i < n; i++) {
            c.next(p);
            System.arraycopy(p, 0, out, i * dimension, dimension);
        }
        return out;
    }

    /** A sequential reader whose first {@link Cursor#next} returns point {@code start}. */
    public Cursor cursor(long start) {
        Cursor c = new Cursor();
        c.skipTo(start);
        return c;
    }

    /** A sequential reader starting at point 0. */
    public Cursor cursor() {
        return cursor(0);
    }

    @Override
    public String toString() {
        return "ScrambledSobol[dimension " + dimension + (scrambled ? ", seed " + seed : ", unscrambled") + "]";
    }

    /**
     * Reads the points in order; each step costs one XOR per dimension (Gray-code update). Not
     * thread-safe: give each thread its own cursor.
     */
    public final class Cursor {
        private final long[] x = new long[dimension];
        private long next;

        private Cursor() {
        }

        /** The index of the point the next call to {@link #next} returns. */
        public long nextIndex() {
            return next;
        }

        /** Moves to point {@code index} (any index in {@code [0, MAX_INDEX)}, forwards or backwards). */
        public void skipTo(long index) {
            checkIndex(index);
            long gray = index ^ (index >>> 1);
            for (int j = 0; j < dimension; j++) {
                long v = shift[j];
                long g = gray;
                while (g != 0) {
                    v ^= direction[j * BITS + Long.numberOfTrailingZeros(g)];
                    g &= g - 1;
                }
                x[j] = v;
            }
            next = index;
        }

        /**
         * Writes the next point into {@code out[0 .. dimension - 1]} and advances.
         *
         * @throws IllegalStateException after the last point ({@link #MAX_INDEX} - 1)
         */
        public void next(double[] out) {
            if (out.length < dimension) {
                throw new IllegalArgumentException("output holds " + out.length + " values, need " + dimension);
            }
            if (next >= MAX_INDEX) {
                throw new IllegalStateException("the Sobol sequence is exhausted after 2^" + BITS + " points");
            }
            for (int j = 0; j < dimension; j++) {
                out[j] = x[j] * SCALE;
            }
            long following = next + 1;
            if (following < MAX_INDEX) {
                // gray(n) xor gray(n+1) has exactly the bit ctz(n+1) set
                int b = Long.numberOfTrailingZeros(following);
                for (int j = 0; j < dimension; j++) {
                    x[j] ^= direction[j * BITS + b];
                }
            }
            next = following;
        }
    }

    private static void checkIndex(long index) {
        if (index < 0 || index >= MAX_INDEX) {
            throw new IllegalArgumentException("Sobol point index " + index + " is outside [0, 2^" + BITS + ")");
        }
    }

    /** Direction numbers of dimension 0: v_b = 2^(BITS-1-b) (the identity generator matrix). */
    private static long[] vanDerCorput() {
        long[] v = new long[BITS];
        for (int b = 0; b < BITS; b++) {
            v[b] = 1L << (BITS - 1 - b);
        }
        return v;
    }

    /**
     * Direction numbers from a Joe–Kuo row {s, a, m_1..m_s}: v_k = m_k 2^(BITS-k) (k = 1-based),
     * and for k > s the recurrence
     * v_k = v_{k-s} ⊕ (v_{k-s} ≫ s) ⊕ ⨁_{i=1}^{s-1} a_i v_{k-i}, a_i the bits of a (a_1 the highest).
     */
    private static long[] directionNumbers(int[] row) {
        int s = row[0];
        int a = row[1];
        long[] v = new long[BITS];
        for (int k = 1; k <= Math.min(s, BITS); k++) {
            v[k - 1] = ((long) row[1 + k]) << (BITS - k);
        }
        for (int k = s + 1; k <= BITS; k++) {
            long vk = v[k - s - 1] ^ (v[k - s - 1] >>> s);
            for (int i = 1; i < s; i++) {
                if (((a >>> (s - 1 - i)) & 1) == 1) {
                    vk ^= v[k - i - 1];
                }
            }
            v[k - 1] = vk;
        }
        return v;
    }

    /**
     * A random lower-triangular GF(2) matrix with unit diagonal, as one row mask per output digit.
     * Digit i (1-based, most significant first) sits at bit BITS - i; row i holds its own bit and
     * random bits for the more significant digits 1..i-1.
     */
    private static long[] lowerTriangular(SplittableRandom rng) {
        long[] rows = new long[BITS];
        for (int i = 1; i <= BITS; i++) {
            int own = BITS - i;
            long above = (i == 1) ? 0L : (rng.nextLong() & (((1L << (i - 1)) - 1) << (own + 1)));
            rows[i - 1] = above | (1L << own);
        }
        return rows;
    }

    /** L · v over GF(2): output digit i is the parity of (row_i AND v). */
    private static long multiply(long[] rows, long v) {
        long out = 0;
        for (int i = 1; i <= BITS; i++) {
            if ((Long.bitCount(rows[i - 1] & v) & 1) == 1) {
                out |= 1L << (BITS - i);
            }
        }
        return out;
    }

    /** SplitMix64-style mix of the seed and the dimension index (decorrelates dimensions). */
    private static long mix(long seed, int j) {
        long z = seed + 0x9E3779B97F4A7C15L * (j + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Joe–Kuo's table (rows for dimensions 2..1000), read once from Commons Math's jar. */
    private static final class DirectionTable {
        private static final List<int[]> ROWS = read();

        static List<int[]> rows(int dimension) {
            return ROWS.subList(0, dimension - 1);
        }

        private static List<int[]> read() {
            try (InputStream in = ScrambledSobol.class.getResourceAsStream(TABLE)) {
                if (in == null) {
                    throw new IllegalStateException("Sobol direction numbers " + TABLE
                            + " not found on the class path (they ship in commons-math3 3.6.1)");
                }
                List<int[]> rows = new ArrayList<>(MAX_DIMENSION - 1);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                String line = r.readLine(); // header: d s a m_i
                int lineNo = 1;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 4) {
                        throw new IllegalStateException(TABLE + " line " + lineNo + ": too few fields");
                    }
                    int d = Integer.parseInt(f[0]);
                    if (d != rows.size() + 2) {
                        throw new IllegalStateException(TABLE + " line " + lineNo + ": dimension " + d
                                + ", expected " + (rows.size() + 2));
                    }
                    int s = Integer.parseInt(f[1]);
                    int[] row = new int[2 + s];
                    row[0] = s;
                    row[1] = Integer.parseInt(f[2]);
                    for (int k = 0; k < s; k++) {
                        row[2 + k] = Integer.parseInt(f[3 + k]);
                    }
                    rows.add(row);
                }
                if (rows.size() < MAX_DIMENSION - 1) {
                    throw new IllegalStateException(TABLE + " holds " + (rows.size() + 1)
                            + " dimensions, expected " + MAX_DIMENSION);
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Sobol direction numbers " + TABLE, e);
            }
        }
    }
}
