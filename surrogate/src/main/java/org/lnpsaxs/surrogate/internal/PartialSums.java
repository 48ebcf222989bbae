package org.lnpsaxs.surrogate.internal;

/**
 * The reverse passes of the surrogate's composition and mean particle, whose sums over the q grid
 * (or the radial operator's nodes) are defined with {@value #PARTIALS} partial sums: element k
 * goes into partial k mod 8, the partials are added in order from 0, and the elements beyond the
 * last multiple of eight are added one by one after them. This order replaces one sequential chain
 * of additions (about four cycles each, 300 of them per row) by eight independent ones; a
 * vector of eight doubles holds the partials in {@link VectorKernels}, which gives the same
 * numbers bit for bit. The elementwise products are those of the loops they replace, in the same
 * order. Dimensionless numbers, no units. Stateless and thread-safe. Not a user class.
 */
public final class PartialSums {

    /** The number of partial sums. */
    public static final int PARTIALS = 8;
    /** The length of {@link #particleBackward}'s {@code sums} array (four sums' partials). */
    public static final int SUMS_LENGTH = 4 * PARTIALS;

    private PartialSums() {
    }

    /**
     * The composition's reverse pass for one row: for k &lt; nq, with g = gI[go + k],
     * gMean[k] = g·eE[k], gE[o + k] = g·mean[k]·eE[k]·ln10 and gD[o + k] = g·eD[k]·ln10; returns
     * Σ_k gD[o + k] in the partial sums' order.
     */
    public static double composeBackward(double[] gI, int go, double[] mean, double[] eE, double[] eD, double[] gMean,
                                         double[] gD, double[] gE, int o, int nq, double ln10) {
        int whole = nq - nq % PARTIALS;
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        double p4 = 0;
        double p5 = 0;
        double p6 = 0;
        double p7 = 0;
        for (int k = 0; k < whole; k += PARTIALS) {
            p0 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k, ln10);
            p1 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 1, ln10);
            p2 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 2, ln10);
            p3 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 3, ln10);
            p4 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 4, ln10);
            p5 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 5, ln10);
            p6 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 6, ln10);
            p7 += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k + 7, ln10);
        }
        double sum = 0 + p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7;
        return composeTail(gI, go, mean, eE, eD, gMean, gD, gE, o, whole, nq, ln10, sum);
    }

    /** {@link #composeBackward}'s elements k in [from, nq), their gD added to {@code sum} one by one. */
    static double composeTail(double[] gI, int go, double[] mean, double[] eE, double[] eD, double[] gMean,
                              double[] gD, double[] gE, int o, int from, int nq, double ln10, double sum) {
        double v = sum;
        for (int k = from; k < nq; k++) {
            v += compose(gI, go, mean, eE, eD, gMean, gD, gE, o, k, ln10);
        }
        return v;
    }

    private static double compose(double[] gI, int go, double[] mean, double[] eE, double[] eD, double[] gMean,
                                  double[] gD, double[] gE, int o, int k, double ln10) {
        double g = gI[go + k];
        gMean[k] = g * eE[k];
        gE[o + k] = g * mean[k] * eE[k] * ln10;
        double gd = g * eD[k] * ln10;
        gD[o + k] = gd;
        return gd;
    }

    /**
     * The mean particle's reverse pass over its nodes: with a = cs·br[n] + d·bc[n] and
     * ga = 2·gn[n]·a for n &lt; nodes, the sums (in the partial sums' order) of ga·(br[n] − bc[n]),
     * ga·bc[n], ga·sr[n] and ga·sc[n] into {@code sums[0 .. 3]}; {@code sums} holds at least
     * {@link #SUMS_LENGTH} values, the rest scratch for the partials.
     */
    public static void particleBackward(double[] gn, double[] br, double[] bc, double[] sr, double[] sc, double cs,
                                        double d, int nodes, double[] sums) {
        int whole = nodes - nodes % PARTIALS;
        final double[] p = sums;
        java.util.Arrays.fill(p, 0, SUMS_LENGTH, 0.0);
        for (int n = 0; n < whole; n += PARTIALS) {
            for (int j = 0; j < PARTIALS; j++) {
                int i = n + j;
                double a = cs * br[i] + d * bc[i];
                double ga = 2 * gn[i] * a;
                p[j] += ga * (br[i] - bc[i]);
                p[PARTIALS + j] += ga * bc[i];
                p[2 * PARTIALS + j] += ga * sr[i];
                p[3 * PARTIALS + j] += ga * sc[i];
            }
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < PARTIALS; j++) {
            s0 += p[j];
            s1 += p[PARTIALS + j];
            s2 += p[2 * PARTIALS + j];
            s3 += p[3 * PARTIALS + j];
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        particleTail(gn, br, bc, sr, sc, cs, d, whole, nodes, sums);
    }

    /** {@link #particleBackward}'s nodes in [from, nodes), added to {@code sums} one by one. */
    static void particleTail(double[] gn, double[] br, double[] bc, double[] sr, double[] sc, double cs, double d,
                             int from, int nodes, double[] sums) {
        for (int n = from; n < nodes; n++) {
            double a = cs * br[n] + d * bc[n];
            double ga = 2 * gn[n] * a;
            sums[0] += ga * (br[n] - bc[n]);
            sums[1] += ga * bc[n];
            sums[2] += ga * sr[n];
            sums[3] += ga * sc[n];
        }
    }
}
