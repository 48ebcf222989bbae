package org.lnpsaxs.surrogate.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The surrogate's hot loops written with the JDK's vector API ({@code jdk.incubator.vector}), used
 * only where {@link Vectors#ENABLED} (the JVM runs with {@code --add-modules jdk.incubator.vector}).
 * Each computes what the plain loop it replaces computes with the same operations on every
 * element, in the same order — multiplies and adds never fused — so its results are bit for bit
 * the plain loop's (tested); what is faster is where the partial sums live.
 * <ul>
 *   <li>{@link #addRows}, the networks' multiply-adds of {@link JavaMlp}: acc[r][o] += Σ_i in[r][i] ·
 *   rows[i][o] for the rows r &lt; m of a block, four weight rows per step, the four products summed
 *   left to right and the sum added to the accumulator. Two vectors of outputs of eight block rows
 *   (sixteen accumulators) stay in registers over all the inputs, each load of weights serves every
 *   row of the block and each broadcast input both vectors, where the plain loops (which C2
 *   vectorises over the output index alone) load and store the accumulator for every four inputs
 *   and reload the weights for every row.</li>
 *   <li>{@link #bandApply} and {@link #bandApplyTranspose}, the radial average stored by diagonals
 *   ({@code org.lnpsaxs.surrogate.lnp.RadialOperator}): each output vector sums its diagonals in
 *   registers, reading the shifted input in place, where the plain loops copy a shifted slice and
 *   load and store the output once per diagonal; {@link #bandApplyRows} and
 *   {@link #bandApplyTransposeRows} do it for eight rows of a block at once, each load of a diagonal
 *   serving all eight (the transpose on zero-padded copies, so that its edges need no scalar
 *   loop).</li>
 *   <li>{@link #compose}, the composed intensity mean · 10^E + 10^D of a row written into a batch's
 *   output at the row's offset.</li>
 *   <li>{@link #exp}, {@link FastExp}'s polynomial and squarings on whole vectors, with its range
 *   check on the same vectors, where the plain loops leave the vectorising to C2 and check the
 *   range in a second pass.</li>
 *   <li>{@link #composeBackward} and {@link #particleBackward}, the reverse passes of the
 *   composition and of the mean particle, whose sums {@link PartialSums} defines with eight
 *   partial sums: the partials are the lanes of a vector, where the plain loops keep eight scalar
 *   partials.</li>
 *   <li>{@link #rotations}, the mean particle's sines and cosines on an even grid
 *   ({@code org.lnpsaxs.surrogate.lnp.MeanParticle}): {@value #CHAINS} segments of
 *   {@value #CHAIN_LANES} interleaved rotation chains, each lane of a vector one chain, where the
 *   plain loop advances the same chains one element at a time.</li>
 * </ul>
 * Elements beyond the last whole vector go through scalar loops with the same arithmetic.
 * Dimensionless numbers, no units. Stateless and thread-safe. Not a user class.
 */
public final class VectorKernels {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Segments of {@link #rotations}. */
    public static final int CHAINS = 4;
    /** Interleaved chains per segment of {@link #rotations}: element 8m + j belongs to chain j. */
    public static final int CHAIN_LANES = 8;

    private VectorKernels() {
    }

    /** Doubles per vector on this machine (8 with AVX-512, 4 with AVX2, 2 with SSE or NEON). */
    public static int lanes() {
        return SPECIES.length();
    }

    /**
     * acc[r][0..n) += Σ_{i &lt; count} in[r][i] · rows[i][0..n) for r &lt; m, bit for bit as the plain
     * loops of {@link JavaMlp}.
     */
    public static void addRows(double[][] in, double[][] rows, int count, double[][] acc, int n, int m) {
        int lanes = SPECIES.length();
        int whole = n - n % lanes;
        int r = 0;
        int pairs = whole - whole % (2 * lanes);
        for (; r + 7 < m; r += 8) {
            eightByTwo(in, rows, count, acc, pairs, r);
            if (count % 4 != 0) {
                eightByTwoTail(in, rows, count, acc, pairs, r);
            }
            eight(in, rows, count, acc, pairs, whole, r);
        }
        for (; r + 3 < m; r += 4) {
            four(in, rows, count, acc, whole, r);
        }
        for (; r < m; r++) {
            one(in[r], rows, count, acc[r], whole);
        }
        if (whole < n) {
            for (r = 0; r < m; r++) {
                tail(in[r], rows, count, acc[r], whole, n);
            }
        }
    }

    /**
     * Block rows r0 .. r0 + 7, output columns [0, pairs) two vectors at a time: sixteen accumulators,
     * so that each input of a row, broadcast once, serves two output vectors (each lane's arithmetic
     * that of {@link #eight}).
     */
    private static void eightByTwo(double[][] in, double[][] rows, int count, double[][] acc, int pairs, int r0) {
        int lanes = SPECIES.length();
        double[] x0 = in[r0];
        double[] x1 = in[r0 + 1];
        double[] x2 = in[r0 + 2];
        double[] x3 = in[r0 + 3];
        double[] x4 = in[r0 + 4];
        double[] x5 = in[r0 + 5];
        double[] x6 = in[r0 + 6];
        double[] x7 = in[r0 + 7];
        for (int o = 0; o < pairs; o += 2 * lanes) {
            int p = o + lanes;
            DoubleVector c0 = DoubleVector.fromArray(SPECIES, acc[r0], o);
            DoubleVector c1 = DoubleVector.fromArray(SPECIES, acc[r0 + 1], o);
            DoubleVector c2 = DoubleVector.fromArray(SPECIES, acc[r0 + 2], o);
            DoubleVector c3 = DoubleVector.fromArray(SPECIES, acc[r0 + 3], o);
            DoubleVector c4 = DoubleVector.fromArray(SPECIES, acc[r0 + 4], o);
            DoubleVector c5 = DoubleVector.fromArray(SPECIES, acc[r0 + 5], o);
            DoubleVector c6 = DoubleVector.fromArray(SPECIES, acc[r0 + 6], o);
            DoubleVector c7 = DoubleVector.fromArray(SPECIES, acc[r0 + 7], o);
            DoubleVector d0 = DoubleVector.fromArray(SPECIES, acc[r0], p);
            DoubleVector d1 = DoubleVector.fromArray(SPECIES, acc[r0 + 1], p);
            DoubleVector d2 = DoubleVector.fromArray(SPECIES, acc[r0 + 2], p);
            DoubleVector d3 = DoubleVector.fromArray(SPECIES, acc[r0 + 3], p);
            DoubleVector d4 = DoubleVector.fromArray(SPECIES, acc[r0 + 4], p);
            DoubleVector d5 = DoubleVector.fromArray(SPECIES, acc[r0 + 5], p);
            DoubleVector d6 = DoubleVector.fromArray(SPECIES, acc[r0 + 6], p);
            DoubleVector d7 = DoubleVector.fromArray(SPECIES, acc[r0 + 7], p);
            for (int i = 0; i + 3 < count; i += 4) {
                DoubleVector w0 = DoubleVector.fromArray(SPECIES, rows[i], o);
                DoubleVector w1 = DoubleVector.fromArray(SPECIES, rows[i + 1], o);
                DoubleVector w2 = DoubleVector.fromArray(SPECIES, rows[i + 2], o);
                DoubleVector w3 = DoubleVector.fromArray(SPECIES, rows[i + 3], o);
                DoubleVector v0 = DoubleVector.fromArray(SPECIES, rows[i], p);
                DoubleVector v1 = DoubleVector.fromArray(SPECIES, rows[i + 1], p);
                DoubleVector v2 = DoubleVector.fromArray(SPECIES, rows[i + 2], p);
                DoubleVector v3 = DoubleVector.fromArray(SPECIES, rows[i + 3], p);
                DoubleVector b0;
                DoubleVector b1;
                DoubleVector b2;
                DoubleVector b3;
                b0 = DoubleVector.broadcast(SPECIES, x0[i]);
                b1 = DoubleVector.broadcast(SPECIES, x0[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x0[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x0[i + 3]);
                c0 = c0.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d0 = d0.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x1[i]);
                b1 = DoubleVector.broadcast(SPECIES, x1[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x1[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x1[i + 3]);
                c1 = c1.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d1 = d1.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x2[i]);
                b1 = DoubleVector.broadcast(SPECIES, x2[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x2[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x2[i + 3]);
                c2 = c2.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d2 = d2.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x3[i]);
                b1 = DoubleVector.broadcast(SPECIES, x3[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x3[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x3[i + 3]);
                c3 = c3.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d3 = d3.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x4[i]);
                b1 = DoubleVector.broadcast(SPECIES, x4[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x4[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x4[i + 3]);
                c4 = c4.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d4 = d4.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x5[i]);
                b1 = DoubleVector.broadcast(SPECIES, x5[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x5[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x5[i + 3]);
                c5 = c5.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d5 = d5.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x6[i]);
                b1 = DoubleVector.broadcast(SPECIES, x6[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x6[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x6[i + 3]);
                c6 = c6.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d6 = d6.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
                b0 = DoubleVector.broadcast(SPECIES, x7[i]);
                b1 = DoubleVector.broadcast(SPECIES, x7[i + 1]);
                b2 = DoubleVector.broadcast(SPECIES, x7[i + 2]);
                b3 = DoubleVector.broadcast(SPECIES, x7[i + 3]);
                c7 = c7.add(w0.mul(b0).add(w1.mul(b1)).add(w2.mul(b2)).add(w3.mul(b3)));
                d7 = d7.add(v0.mul(b0).add(v1.mul(b1)).add(v2.mul(b2)).add(v3.mul(b3)));
            }
            c0.intoArray(acc[r0], o);
            c1.intoArray(acc[r0 + 1], o);
            c2.intoArray(acc[r0 + 2], o);
            c3.intoArray(acc[r0 + 3], o);
            c4.intoArray(acc[r0 + 4], o);
            c5.intoArray(acc[r0 + 5], o);
            c6.intoArray(acc[r0 + 6], o);
            c7.intoArray(acc[r0 + 7], o);
            d0.intoArray(acc[r0], p);
            d1.intoArray(acc[r0 + 1], p);
            d2.intoArray(acc[r0 + 2], p);
            d3.intoArray(acc[r0 + 3], p);
            d4.intoArray(acc[r0 + 4], p);
            d5.intoArray(acc[r0 + 5], p);
            d6.intoArray(acc[r0 + 6], p);
            d7.intoArray(acc[r0 + 7], p);
        }
    }

    /**
     * The inputs beyond the last whole four of {@link #eightByTwo}'s rows and columns, added to acc one
     * at a time, row by row and vector by vector (each lane's arithmetic that of {@link #eight}'s
     * scalar-input loop). A method of its own so that C1's compilation of {@code eightByTwo} stays
     * small: with it inside, C1 (which inlines the vector API's Java code) could run out of virtual
     * registers compiling {@code eightByTwo}, and a JVM where that happened never had it compiled by C2
     * (docs/benchmarks.md, "The vector API's warm-up can outlast a short run").
     */
    private static void eightByTwoTail(double[][] in, double[][] rows, int count, double[][] acc, int pairs, int r0) {
        int from = count - count % 4;
        for (int r = r0; r < r0 + 8; r++) {
            double[] x = in[r];
            double[] a = acc[r];
            for (int o = 0; o < pairs; o += SPECIES.length()) {
                DoubleVector c = DoubleVector.fromArray(SPECIES, a, o);
                for (int i = from; i < count; i++) {
                    c = c.add(DoubleVector.fromArray(SPECIES, rows[i], o).mul(DoubleVector.broadcast(SPECIES, x[i])));
                }
                c.intoArray(a, o);
            }
        }
    }

    /** Block rows r0 .. r0 + 7, output columns [from, whole), one vector at a time. */
    private static void eight(double[][] in, double[][] rows, int count, double[][] acc, int from, int whole, int r0) {
        double[] x0 = in[r0];
        double[] x1 = in[r0 + 1];
        double[] x2 = in[r0 + 2];
        double[] x3 = in[r0 + 3];
        double[] x4 = in[r0 + 4];
        double[] x5 = in[r0 + 5];
        double[] x6 = in[r0 + 6];
        double[] x7 = in[r0 + 7];
        for (int o = from; o < whole; o += SPECIES.length()) {
            DoubleVector c0 = DoubleVector.fromArray(SPECIES, acc[r0], o);
            DoubleVector c1 = DoubleVector.fromArray(SPECIES, acc[r0 + 1], o);
            DoubleVector c2 = DoubleVector.fromArray(SPECIES, acc[r0 + 2], o);
            DoubleVector c3 = DoubleVector.fromArray(SPECIES, acc[r0 + 3], o);
            DoubleVector c4 = DoubleVector.fromArray(SPECIES, acc[r0 + 4], o);
            DoubleVector c5 = DoubleVector.fromArray(SPECIES, acc[r0 + 5], o);
            DoubleVector c6 = DoubleVector.fromArray(SPECIES, acc[r0 + 6], o);
            DoubleVector c7 = DoubleVector.fromArray(SPECIES, acc[r0 + 7], o);
            int i = 0;
            for (; i + 3 < count; i += 4) {
                DoubleVector w0 = DoubleVector.fromArray(SPECIES, rows[i], o);
                DoubleVector w1 = DoubleVector.fromArray(SPECIES, rows[i + 1], o);
                DoubleVector w2 = DoubleVector.fromArray(SPECIES, rows[i + 2], o);
                DoubleVector w3 = DoubleVector.fromArray(SPECIES, rows[i + 3], o);
                c0 = c0.add(w0.mul(x0[i]).add(w1.mul(x0[i + 1])).add(w2.mul(x0[i + 2])).add(w3.mul(x0[i + 3])));
                c1 = c1.add(w0.mul(x1[i]).add(w1.mul(x1[i + 1])).add(w2.mul(x1[i + 2])).add(w3.mul(x1[i + 3])));
                c2 = c2.add(w0.mul(x2[i]).add(w1.mul(x2[i + 1])).add(w2.mul(x2[i + 2])).add(w3.mul(x2[i + 3])));
                c3 = c3.add(w0.mul(x3[i]).add(w1.mul(x3[i + 1])).add(w2.mul(x3[i + 2])).add(w3.mul(x3[i + 3])));
                c4 = c4.add(w0.mul(x4[i]).add(w1.mul(x4[i + 1])).add(w2.mul(x4[i + 2])).add(w3.mul(x4[i + 3])));
                c5 = c5.add(w0.mul(x5[i]).add(w1.mul(x5[i + 1])).add(w2.mul(x5[i + 2])).add(w3.mul(x5[i + 3])));
                c6 = c6.add(w0.mul(x6[i]).add(w1.mul(x6[i + 1])).add(w2.mul(x6[i + 2])).add(w3.mul(x6[i + 3])));
                c7 = c7.add(w0.mul(x7[i]).add(w1.mul(x7[i + 1])).add(w2.mul(x7[i + 2])).add(w3.mul(x7[i + 3])));
            }
            for (; i < count; i++) {
                DoubleVector w = DoubleVector.fromArray(SPECIES, rows[i], o);
                c0 = c0.add(w.mul(x0[i]));
                c1 = c1.add(w.mul(x1[i]));
                c2 = c2.add(w.mul(x2[i]));
                c3 = c3.add(w.mul(x3[i]));
                c4 = c4.add(w.mul(x4[i]));
                c5 = c5.add(w.mul(x5[i]));
                c6 = c6.add(w.mul(x6[i]));
                c7 = c7.add(w.mul(x7[i]));
            }
            c0.intoArray(acc[r0], o);
            c1.intoArray(acc[r0 + 1], o);
            c2.intoArray(acc[r0 + 2], o);
            c3.intoArray(acc[r0 + 3], o);
            c4.intoArray(acc[r0 + 4], o);
            c5.intoArray(acc[r0 + 5], o);
            c6.intoArray(acc[r0 + 6], o);
            c7.intoArray(acc[r0 + 7], o);
        }
    }

    /** Block rows r0 .. r0 + 3, output columns [0, whole). */
    private static void four(double[][] in, double[][] rows, int count, double[][] acc, int whole, int r0) {
        double[] x0 = in[r0];
        double[] x1 = in[r0 + 1];
        double[] x2 = in[r0 + 2];
        double[] x3 = in[r0 + 3];
        for (int o = 0; o < whole; o += SPECIES.length()) {
            DoubleVector c0 = DoubleVector.fromArray(SPECIES, acc[r0], o);
            DoubleVector c1 = DoubleVector.fromArray(SPECIES, acc[r0 + 1], o);
            DoubleVector c2 = DoubleVector.fromArray(SPECIES, acc[r0 + 2], o);
            DoubleVector c3 = DoubleVector.fromArray(SPECIES, acc[r0 + 3], o);
            int i = 0;
            for (; i + 3 < count; i += 4) {
                DoubleVector w0 = DoubleVector.fromArray(SPECIES, rows[i], o);
                DoubleVector w1 = DoubleVector.fromArray(SPECIES, rows[i + 1], o);
                DoubleVector w2 = DoubleVector.fromArray(SPECIES, rows[i + 2], o);
                DoubleVector w3 = DoubleVector.fromArray(SPECIES, rows[i + 3], o);
                c0 = c0.add(w0.mul(x0[i]).add(w1.mul(x0[i + 1])).add(w2.mul(x0[i + 2])).add(w3.mul(x0[i + 3])));
                c1 = c1.add(w0.mul(x1[i]).add(w1.mul(x1[i + 1])).add(w2.mul(x1[i + 2])).add(w3.mul(x1[i + 3])));
                c2 = c2.add(w0.mul(x2[i]).add(w1.mul(x2[i + 1])).add(w2.mul(x2[i + 2])).add(w3.mul(x2[i + 3])));
                c3 = c3.add(w0.mul(x3[i]).add(w1.mul(x3[i + 1])).add(w2.mul(x3[i + 2])).add(w3.mul(x3[i + 3])));
            }
            for (; i < count; i++) {
                DoubleVector w = DoubleVector.fromArray(SPECIES, rows[i], o);
                c0 = c0.add(w.mul(x0[i]));
                c1 = c1.add(w.mul(x1[i]));
                c2 = c2.add(w.mul(x2[i]));
                c3 = c3.add(w.mul(x3[i]));
            }
            c0.intoArray(acc[r0], o);
            c1.intoArray(acc[r0 + 1], o);
            c2.intoArray(acc[r0 + 2], o);
            c3.intoArray(acc[r0 + 3], o);
        }
    }

    /** One block row, output columns [0, whole). */
    private static void one(double[] x, double[][] rows, int count, double[] acc, int whole) {
        for (int o = 0; o < whole; o += SPECIES.length()) {
            DoubleVector c = DoubleVector.fromArray(SPECIES, acc, o);
            int i = 0;
            for (; i + 3 < count; i += 4) {
                DoubleVector w0 = DoubleVector.fromArray(SPECIES, rows[i], o);
                DoubleVector w1 = DoubleVector.fromArray(SPECIES, rows[i + 1], o);
                DoubleVector w2 = DoubleVector.fromArray(SPECIES, rows[i + 2], o);
                DoubleVector w3 = DoubleVector.fromArray(SPECIES, rows[i + 3], o);
                c = c.add(w0.mul(x[i]).add(w1.mul(x[i + 1])).add(w2.mul(x[i + 2])).add(w3.mul(x[i + 3])));
            }
            for (; i < count; i++) {
                c = c.add(DoubleVector.fromArray(SPECIES, rows[i], o).mul(x[i]));
            }
            c.intoArray(acc, o);
        }
    }

    /** One block row, output columns [from, n), scalar, with the same arithmetic per element. */
    private static void tail(double[] x, double[][] rows, int count, double[] acc, int from, int n) {
        for (int o = from; o < n; o++) {
            double v = acc[o];
            int i = 0;
            for (; i + 3 < count; i += 4) {
                v += x[i] * rows[i][o] + x[i + 1] * rows[i + 1][o] + x[i + 2] * rows[i + 2][o] + x[i + 3] * rows[i + 3][o];
            }
            for (; i < count; i++) {
                v += x[i] * rows[i][o];
            }
            acc[o] = v;
        }
    }

    /**
     * out[j] = Σ_{d &lt; D} diag[d][j] · f[shift + d + j] for j &lt; nq (overwritten), the sum taken from
     * 0 in the order of d, as the plain loop of the radial operator takes it.
     */
    public static void bandApply(double[][] diag, int shift, double[] f, double[] out, int nq) {
        int lanes = SPECIES.length();
        int whole = nq - nq % lanes;
        int bands = diag.length;
        int j = 0;
        // four output vectors at a time: four independent chains of additions in flight
        for (; j + 4 * lanes <= whole; j += 4 * lanes) {
            int j2 = j + lanes;
            int j3 = j + 2 * lanes;
            int j4 = j + 3 * lanes;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            DoubleVector a2 = DoubleVector.zero(SPECIES);
            DoubleVector a3 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                double[] dg = diag[d];
                int o = shift + d;
                a0 = a0.add(DoubleVector.fromArray(SPECIES, dg, j).mul(DoubleVector.fromArray(SPECIES, f, o + j)));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, dg, j2).mul(DoubleVector.fromArray(SPECIES, f, o + j2)));
                a2 = a2.add(DoubleVector.fromArray(SPECIES, dg, j3).mul(DoubleVector.fromArray(SPECIES, f, o + j3)));
                a3 = a3.add(DoubleVector.fromArray(SPECIES, dg, j4).mul(DoubleVector.fromArray(SPECIES, f, o + j4)));
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j2);
            a2.intoArray(out, j3);
            a3.intoArray(out, j4);
        }
        for (; j + 2 * lanes <= whole; j += 2 * lanes) {
            int j2 = j + lanes;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                double[] dg = diag[d];
                int o = shift + d;
                a0 = a0.add(DoubleVector.fromArray(SPECIES, dg, j).mul(DoubleVector.fromArray(SPECIES, f, o + j)));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, dg, j2).mul(DoubleVector.fromArray(SPECIES, f, o + j2)));
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j2);
        }
        for (; j < whole; j += lanes) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                acc = acc.add(DoubleVector.fromArray(SPECIES, diag[d], j).mul(DoubleVector.fromArray(SPECIES, f, shift + d + j)));
            }
            acc.intoArray(out, j);
        }
        for (; j < nq; j++) {
            double v = 0;
            for (int d = 0; d < bands; d++) {
                v += diag[d][j] * f[shift + d + j];
            }
            out[j] = v;
        }
    }

    /**
     * {@link #bandApply} for the rows r &lt; m of a block: out[r][j] = Σ_d diag[d][j] · f[r][shift + d + j],
     * each row's numbers bit for bit those of {@link #bandApply} on that row. Eight rows at a time
     * share each load of a diagonal (the single-row kernel loads a diagonal for every row).
     */
    public static void bandApplyRows(double[][] diag, int shift, double[][] f, double[][] out, int nq, int m) {
        int r = 0;
        for (; r + 7 < m; r += 8) {
            bandApplyEight(diag, shift, f, out, nq, r);
        }
        for (; r < m; r++) {
            bandApply(diag, shift, f[r], out[r], nq);
        }
    }

    /** {@link #bandApplyRows} for the rows r0 .. r0 + 7. */
    private static void bandApplyEight(double[][] diag, int shift, double[][] f, double[][] out, int nq, int r0) {
        int lanes = SPECIES.length();
        int whole = nq - nq % lanes;
        int bands = diag.length;
        double[] f0 = f[r0];
        double[] f1 = f[r0 + 1];
        double[] f2 = f[r0 + 2];
        double[] f3 = f[r0 + 3];
        double[] f4 = f[r0 + 4];
        double[] f5 = f[r0 + 5];
        double[] f6 = f[r0 + 6];
        double[] f7 = f[r0 + 7];
        for (int j = 0; j < whole; j += lanes) {
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            DoubleVector a2 = DoubleVector.zero(SPECIES);
            DoubleVector a3 = DoubleVector.zero(SPECIES);
            DoubleVector a4 = DoubleVector.zero(SPECIES);
            DoubleVector a5 = DoubleVector.zero(SPECIES);
            DoubleVector a6 = DoubleVector.zero(SPECIES);
            DoubleVector a7 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                DoubleVector w = DoubleVector.fromArray(SPECIES, diag[d], j);
                int o = shift + d + j;
                a0 = a0.add(w.mul(DoubleVector.fromArray(SPECIES, f0, o)));
                a1 = a1.add(w.mul(DoubleVector.fromArray(SPECIES, f1, o)));
                a2 = a2.add(w.mul(DoubleVector.fromArray(SPECIES, f2, o)));
                a3 = a3.add(w.mul(DoubleVector.fromArray(SPECIES, f3, o)));
                a4 = a4.add(w.mul(DoubleVector.fromArray(SPECIES, f4, o)));
                a5 = a5.add(w.mul(DoubleVector.fromArray(SPECIES, f5, o)));
                a6 = a6.add(w.mul(DoubleVector.fromArray(SPECIES, f6, o)));
                a7 = a7.add(w.mul(DoubleVector.fromArray(SPECIES, f7, o)));
            }
            a0.intoArray(out[r0], j);
            a1.intoArray(out[r0 + 1], j);
            a2.intoArray(out[r0 + 2], j);
            a3.intoArray(out[r0 + 3], j);
            a4.intoArray(out[r0 + 4], j);
            a5.intoArray(out[r0 + 5], j);
            a6.intoArray(out[r0 + 6], j);
            a7.intoArray(out[r0 + 7], j);
        }
        for (int r = r0; r < r0 + 8; r++) {
            double[] fr = f[r];
            double[] or = out[r];
            for (int j = whole; j < nq; j++) {
                double v = 0;
                for (int d = 0; d < bands; d++) {
                    v += diag[d][j] * fr[shift + d + j];
                }
                or[j] = v;
            }
        }
    }

    /**
     * {@link #bandApplyTranspose} for the rows r &lt; m of a block: g[r] = Mᵀ y[r], each row's numbers
     * bit for bit those of {@link #bandApplyTranspose} on that row. Eight rows at a time share each
     * load of a diagonal (a block's last m mod 8 rows go by the single-row kernel). The eight rows are
     * first copied into {@code scratch} (8 rows of at least nq + 2 pad values, zero outside
     * [pad, pad + nq): only that middle is ever written) and the diagonals come zero-padded alike
     * ({@code padded}, with {@code pad} zeros on either side, pad ≥ shift + D − 1 and ≥ nodes − shift − nq), so that
     * every node, the edges included, sums all D products in whole vectors: the products beyond the
     * band are 0 · 0, and adding a zero leaves every partial sum as it was, so the numbers are those
     * of the sums over the diagonals that reach each node.
     */
    public static void bandApplyTransposeRows(double[][] diag, double[][] padded, int pad, int shift, double[][] y,
                                              double[][] g, int nq, int nodes, int m, double[][] scratch) {
        int r = 0;
        for (; r + 7 < m; r += 8) {
            for (int k = 0; k < 8; k++) {
                System.arraycopy(y[r + k], 0, scratch[k], pad, nq);
            }
            bandTransposeEight(padded, pad, shift, scratch, g, nodes, r);
        }
        for (; r < m; r++) {
            bandApplyTranspose(diag, shift, y[r], g[r], nq, nodes);
        }
    }

    /** {@link #bandApplyTransposeRows} for the rows r0 .. r0 + 7, their inputs padded in {@code y[0 .. 7]}. */
    private static void bandTransposeEight(double[][] diag, int pad, int shift, double[][] y, double[][] g, int nodes,
                                           int r0) {
        int lanes = SPECIES.length();
        int bands = diag.length;
        double[] y0 = y[0];
        double[] y1 = y[1];
        double[] y2 = y[2];
        double[] y3 = y[3];
        double[] y4 = y[4];
        double[] y5 = y[5];
        double[] y6 = y[6];
        double[] y7 = y[7];
        int base = pad - shift;
        int n = 0;
        for (; n + lanes <= nodes; n += lanes) {
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            DoubleVector a2 = DoubleVector.zero(SPECIES);
            DoubleVector a3 = DoubleVector.zero(SPECIES);
            DoubleVector a4 = DoubleVector.zero(SPECIES);
            DoubleVector a5 = DoubleVector.zero(SPECIES);
            DoubleVector a6 = DoubleVector.zero(SPECIES);
            DoubleVector a7 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                int j = base + n - d;
                DoubleVector w = DoubleVector.fromArray(SPECIES, diag[d], j);
                a0 = a0.add(w.mul(DoubleVector.fromArray(SPECIES, y0, j)));
                a1 = a1.add(w.mul(DoubleVector.fromArray(SPECIES, y1, j)));
                a2 = a2.add(w.mul(DoubleVector.fromArray(SPECIES, y2, j)));
                a3 = a3.add(w.mul(DoubleVector.fromArray(SPECIES, y3, j)));
                a4 = a4.add(w.mul(DoubleVector.fromArray(SPECIES, y4, j)));
                a5 = a5.add(w.mul(DoubleVector.fromArray(SPECIES, y5, j)));
                a6 = a6.add(w.mul(DoubleVector.fromArray(SPECIES, y6, j)));
                a7 = a7.add(w.mul(DoubleVector.fromArray(SPECIES, y7, j)));
            }
            a0.intoArray(g[r0], n);
            a1.intoArray(g[r0 + 1], n);
            a2.intoArray(g[r0 + 2], n);
            a3.intoArray(g[r0 + 3], n);
            a4.intoArray(g[r0 + 4], n);
            a5.intoArray(g[r0 + 5], n);
            a6.intoArray(g[r0 + 6], n);
            a7.intoArray(g[r0 + 7], n);
        }
        for (int k = 0; k < 8; k++) {
            double[] yk = y[k];
            double[] gk = g[r0 + k];
            for (int i = n; i < nodes; i++) {
                double v = 0;
                for (int d = 0; d < bands; d++) {
                    int j = base + i - d;
                    v += diag[d][j] * yk[j];
                }
                gk[i] = v;
            }
        }
    }

    /**
     * The transpose: g[n] = Σ_d diag[d][n − shift − d] · y[n − shift − d] over the d with
     * 0 ≤ n − shift − d &lt; nq, for n &lt; nodes (overwritten; 0 where no d reaches n), the sum taken
     * from 0 in the order of d, as the plain loop of the radial operator takes it.
     */
    public static void bandApplyTranspose(double[][] diag, int shift, double[] y, double[] g, int nq, int nodes) {
        int lanes = SPECIES.length();
        int bands = diag.length;
        // whole vectors where every diagonal reaches every lane: shift + D − 1 <= n and n + lanes <= shift + nq
        int from = shift + bands - 1;
        int to = shift + nq - lanes;
        int n = 0;
        for (; n < Math.min(from, nodes); n++) {
            g[n] = bandTransposeAt(diag, shift, y, nq, n);
        }
        for (; n + 3 * lanes <= to && n + 4 * lanes <= nodes; n += 4 * lanes) {
            int n2 = n + lanes;
            int n3 = n + 2 * lanes;
            int n4 = n + 3 * lanes;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            DoubleVector a2 = DoubleVector.zero(SPECIES);
            DoubleVector a3 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                double[] dg = diag[d];
                int j = n - shift - d;
                a0 = a0.add(DoubleVector.fromArray(SPECIES, dg, j).mul(DoubleVector.fromArray(SPECIES, y, j)));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, dg, j + lanes).mul(DoubleVector.fromArray(SPECIES, y, j + lanes)));
                a2 = a2.add(DoubleVector.fromArray(SPECIES, dg, j + 2 * lanes).mul(DoubleVector.fromArray(SPECIES, y, j + 2 * lanes)));
                a3 = a3.add(DoubleVector.fromArray(SPECIES, dg, j + 3 * lanes).mul(DoubleVector.fromArray(SPECIES, y, j + 3 * lanes)));
            }
            a0.intoArray(g, n);
            a1.intoArray(g, n2);
            a2.intoArray(g, n3);
            a3.intoArray(g, n4);
        }
        for (; n + lanes <= to && n + 2 * lanes <= nodes; n += 2 * lanes) {
            int n2 = n + lanes;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                double[] dg = diag[d];
                int j = n - shift - d;
                int j2 = n2 - shift - d;
                a0 = a0.add(DoubleVector.fromArray(SPECIES, dg, j).mul(DoubleVector.fromArray(SPECIES, y, j)));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, dg, j2).mul(DoubleVector.fromArray(SPECIES, y, j2)));
            }
            a0.intoArray(g, n);
            a1.intoArray(g, n2);
        }
        for (; n <= to && n + lanes <= nodes; n += lanes) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (int d = 0; d < bands; d++) {
                int j = n - shift - d;
                acc = acc.add(DoubleVector.fromArray(SPECIES, diag[d], j).mul(DoubleVector.fromArray(SPECIES, y, j)));
            }
            acc.intoArray(g, n);
        }
        for (; n < nodes; n++) {
            g[n] = bandTransposeAt(diag, shift, y, nq, n);
        }
    }

    /** One element of the transpose, over the diagonals that reach it, in the order of d. */
    private static double bandTransposeAt(double[][] diag, int shift, double[] y, int nq, int n) {
        int lo = Math.max(0, n - shift - nq + 1);
        int hi = Math.min(diag.length - 1, n - shift);
        double v = 0;
        for (int d = lo; d <= hi; d++) {
            int j = n - shift - d;
            v += diag[d][j] * y[j];
        }
        return v;
    }

    /**
     * out[k] = e^{a (x[k] + c)} for k &lt; n by {@link FastExp}'s method, bit for bit as
     * {@link FastExp#exp(double[], double, double, double[], int)} computes it in plain loops
     * (the same polynomial by Horner's scheme, the same eight squarings, and {@link Math#exp} where
     * |t| &gt; {@value FastExp#LIMIT} or t is not finite).
     */
    public static void exp(double[] x, double a, double c, double[] out, int n) {
        int lanes = SPECIES.length();
        int whole = n - n % lanes;
        boolean inside = true;
        for (int k = 0; k < whole; k += lanes) {
            DoubleVector t = DoubleVector.fromArray(SPECIES, x, k).add(c).mul(a);
            inside &= t.abs().compare(VectorOperators.LE, FastExp.LIMIT).allTrue();
            DoubleVector u = t.mul(FastExp.SCALE);
            DoubleVector p = u.mul(FastExp.C11).add(FastExp.C10);
            p = u.mul(p).add(FastExp.C9);
            p = u.mul(p).add(FastExp.C8);
            p = u.mul(p).add(FastExp.C7);
            p = u.mul(p).add(FastExp.C6);
            p = u.mul(p).add(FastExp.C5);
            p = u.mul(p).add(FastExp.C4);
            p = u.mul(p).add(FastExp.C3);
            p = u.mul(p).add(FastExp.C2);
            p = u.mul(p).add(1);
            p = u.mul(p).add(1);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p.intoArray(out, k);
        }
        for (int k = whole; k < n; k++) {
            out[k] = FastExp.exp(a * (x[k] + c));
        }
        if (!inside) {
            for (int k = 0; k < whole; k++) {
                double t = a * (x[k] + c);
                if (!(Math.abs(t) <= FastExp.LIMIT)) {
                    out[k] = Math.exp(t);
                }
            }
        }
    }

    /**
     * Sines and cosines on an even grid by rotation chains, bit for bit as the plain loop of
     * {@code org.lnpsaxs.surrogate.lnp.MeanParticle}: for segments k &lt; {@value #CHAINS} and
     * lanes j &lt; {@value #CHAIN_LANES}, element {@code k·seg + 8m + j} of {@code s} and {@code c}
     * (m &lt; seg/8) is lane j of segment k after m steps, starting from {@code start[16k + j]}
     * (sine) and {@code start[16k + 8 + j]} (cosine); each step is s' = s·cs + c·sn,
     * c' = c·cs − s·sn (a rotation by the angle whose cosine and sine are cs, sn). seg is a
     * multiple of 8.
     */
    public static void rotations(double[] start, double cs, double sn, double[] s, double[] c, int seg) {
        int lanes = SPECIES.length();
        int steps = seg / CHAIN_LANES;
        for (int v = 0; v < CHAIN_LANES; v += lanes) {
            DoubleVector s0 = DoubleVector.fromArray(SPECIES, start, v);
            DoubleVector c0 = DoubleVector.fromArray(SPECIES, start, CHAIN_LANES + v);
            DoubleVector s1 = DoubleVector.fromArray(SPECIES, start, 2 * CHAIN_LANES + v);
            DoubleVector c1 = DoubleVector.fromArray(SPECIES, start, 3 * CHAIN_LANES + v);
            DoubleVector s2 = DoubleVector.fromArray(SPECIES, start, 4 * CHAIN_LANES + v);
            DoubleVector c2 = DoubleVector.fromArray(SPECIES, start, 5 * CHAIN_LANES + v);
            DoubleVector s3 = DoubleVector.fromArray(SPECIES, start, 6 * CHAIN_LANES + v);
            DoubleVector c3 = DoubleVector.fromArray(SPECIES, start, 7 * CHAIN_LANES + v);
            for (int m = 0; m < steps; m++) {
                int at = CHAIN_LANES * m + v;
                s0.intoArray(s, at);
                c0.intoArray(c, at);
                s1.intoArray(s, seg + at);
                c1.intoArray(c, seg + at);
                s2.intoArray(s, 2 * seg + at);
                c2.intoArray(c, 2 * seg + at);
                s3.intoArray(s, 3 * seg + at);
                c3.intoArray(c, 3 * seg + at);
                DoubleVector x;
                x = s0.mul(cs).add(c0.mul(sn));
                c0 = c0.mul(cs).sub(s0.mul(sn));
                s0 = x;
                x = s1.mul(cs).add(c1.mul(sn));
                c1 = c1.mul(cs).sub(s1.mul(sn));
                s1 = x;
                x = s2.mul(cs).add(c2.mul(sn));
                c2 = c2.mul(cs).sub(s2.mul(sn));
                s2 = x;
                x = s3.mul(cs).add(c3.mul(sn));
                c3 = c3.mul(cs).sub(s3.mul(sn));
                s3 = x;
            }
        }
    }

    /**
     * The composed intensity {@code out[off + j] = mean[j] · eE[j] + eD[j]} for j &lt; n (a multiply,
     * then an add: the plain loop's numbers bit for bit), in whole vectors where C2 leaves the plain
     * loop scalar (its store goes to another offset of an array that might be one of the loads).
     */
    public static void compose(double[] mean, double[] eE, double[] eD, double[] out, int off, int n) {
        int lanes = SPECIES.length();
        int whole = n - n % lanes;
        int j = 0;
        for (; j < whole; j += lanes) {
            DoubleVector.fromArray(SPECIES, mean, j).mul(DoubleVector.fromArray(SPECIES, eE, j))
                    .add(DoubleVector.fromArray(SPECIES, eD, j)).intoArray(out, off + j);
        }
        for (; j < n; j++) {
            out[off + j] = mean[j] * eE[j] + eD[j];
        }
    }

    /**
     * {@link PartialSums#composeBackward}, bit for bit: the partial sums are the lanes of one
     * vector (two with four lanes; other lane counts run the plain loop).
     */
    public static double composeBackward(double[] gI, int go, double[] mean, double[] eE, double[] eD, double[] gMean,
                                         double[] gD, double[] gE, int o, int nq, double ln10) {
        int lanes = SPECIES.length();
        if (lanes != PartialSums.PARTIALS && 2 * lanes != PartialSums.PARTIALS) {
            return PartialSums.composeBackward(gI, go, mean, eE, eD, gMean, gD, gE, o, nq, ln10);
        }
        int whole = nq - nq % PartialSums.PARTIALS;
        boolean halves = lanes < PartialSums.PARTIALS;
        // no helper takes or returns a vector: one that C2 declines to inline would box it
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = DoubleVector.zero(SPECIES);
        for (int k = 0; k < whole; k += PartialSums.PARTIALS) {
            DoubleVector g = DoubleVector.fromArray(SPECIES, gI, go + k);
            DoubleVector e = DoubleVector.fromArray(SPECIES, eE, k);
            g.mul(e).intoArray(gMean, k);
            g.mul(DoubleVector.fromArray(SPECIES, mean, k)).mul(e).mul(ln10).intoArray(gE, o + k);
            DoubleVector gd = g.mul(DoubleVector.fromArray(SPECIES, eD, k)).mul(ln10);
            gd.intoArray(gD, o + k);
            acc0 = acc0.add(gd);
            if (halves) {
                int k2 = k + lanes;
                DoubleVector g2 = DoubleVector.fromArray(SPECIES, gI, go + k2);
                DoubleVector e2 = DoubleVector.fromArray(SPECIES, eE, k2);
                g2.mul(e2).intoArray(gMean, k2);
                g2.mul(DoubleVector.fromArray(SPECIES, mean, k2)).mul(e2).mul(ln10).intoArray(gE, o + k2);
                DoubleVector gd2 = g2.mul(DoubleVector.fromArray(SPECIES, eD, k2)).mul(ln10);
                gd2.intoArray(gD, o + k2);
                acc1 = acc1.add(gd2);
            }
        }
        double sum = 0;
        for (int l = 0; l < lanes; l++) {
            sum += acc0.lane(l);
        }
        for (int l = 0; halves && l < lanes; l++) {
            sum += acc1.lane(l);
        }
        return PartialSums.composeTail(gI, go, mean, eE, eD, gMean, gD, gE, o, whole, nq, ln10, sum);
    }

    /**
     * {@link PartialSums#particleBackward}, bit for bit: each sum's partials are the lanes of one
     * vector (two with four lanes; other lane counts run the plain loop).
     */
    public static void particleBackward(double[] gn, double[] br, double[] bc, double[] sr, double[] sc, double cs,
                                        double d, int nodes, double[] sums) {
        int lanes = SPECIES.length();
        if (lanes != PartialSums.PARTIALS && 2 * lanes != PartialSums.PARTIALS) {
            PartialSums.particleBackward(gn, br, bc, sr, sc, cs, d, nodes, sums);
            return;
        }
        int whole = nodes - nodes % PartialSums.PARTIALS;
        DoubleVector aCs = DoubleVector.zero(SPECIES);
        DoubleVector aCc = DoubleVector.zero(SPECIES);
        DoubleVector aR = DoubleVector.zero(SPECIES);
        DoubleVector aRc = DoubleVector.zero(SPECIES);
        DoubleVector bCs = DoubleVector.zero(SPECIES);
        DoubleVector bCc = DoubleVector.zero(SPECIES);
        DoubleVector bR = DoubleVector.zero(SPECIES);
        DoubleVector bRc = DoubleVector.zero(SPECIES);
        boolean halves = lanes < PartialSums.PARTIALS;
        for (int n = 0; n < whole; n += PartialSums.PARTIALS) {
            DoubleVector b = DoubleVector.fromArray(SPECIES, br, n);
            DoubleVector c = DoubleVector.fromArray(SPECIES, bc, n);
            DoubleVector ga = DoubleVector.fromArray(SPECIES, gn, n).mul(2.0).mul(b.mul(cs).add(c.mul(d)));
            aCs = aCs.add(ga.mul(b.sub(c)));
            aCc = aCc.add(ga.mul(c));
            aR = aR.add(ga.mul(DoubleVector.fromArray(SPECIES, sr, n)));
            aRc = aRc.add(ga.mul(DoubleVector.fromArray(SPECIES, sc, n)));
            if (halves) {
                int m = n + lanes;
                DoubleVector b2 = DoubleVector.fromArray(SPECIES, br, m);
                DoubleVector c2 = DoubleVector.fromArray(SPECIES, bc, m);
                DoubleVector ga2 = DoubleVector.fromArray(SPECIES, gn, m).mul(2.0).mul(b2.mul(cs).add(c2.mul(d)));
                bCs = bCs.add(ga2.mul(b2.sub(c2)));
                bCc = bCc.add(ga2.mul(c2));
                bR = bR.add(ga2.mul(DoubleVector.fromArray(SPECIES, sr, m)));
                bRc = bRc.add(ga2.mul(DoubleVector.fromArray(SPECIES, sc, m)));
            }
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int l = 0; l < lanes; l++) {
            s0 += aCs.lane(l);
            s1 += aCc.lane(l);
            s2 += aR.lane(l);
            s3 += aRc.lane(l);
        }
        for (int l = 0; halves && l < lanes; l++) {
            s0 += bCs.lane(l);
            s1 += bCc.lane(l);
            s2 += bR.lane(l);
            s3 += bRc.lane(l);
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        PartialSums.particleTail(gn, br, bc, sr, sc, cs, d, whole, nodes, sums);
    }
}
