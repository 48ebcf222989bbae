package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The reverse passes' reductions: the vector kernels give {@link PartialSums}' numbers bit for
 * bit, on lengths around the eight partials and on the model's own (300 q values, 320 nodes); the
 * elementwise outputs are the plain formulas' exactly; and the sums agree with sums taken in
 * 60-digit decimal arithmetic to rounding.
 */
class PartialSumsTest {

    private static final double LN10 = Math.log(10);

    @Test
    void composeBackwardIsThePlainLoopsAndTheExactSum() {
        SplittableRandom r = new SplittableRandom(21);
        for (int nq : new int[] {1, 5, 7, 8, 9, 15, 16, 17, 299, 300, 301}) {
            double[] gI = values(r, nq + 3);
            double[] mean = values(r, nq);
            double[] eE = values(r, nq);
            double[] eD = values(r, nq);
            double[][] plain = {new double[nq], new double[nq + 2], new double[nq + 2]};
            double[][] vector = {new double[nq], new double[nq + 2], new double[nq + 2]};
            double p = PartialSums.composeBackward(gI, 3, mean, eE, eD, plain[0], plain[1], plain[2], 2, nq, LN10);
            double v = VectorKernels.composeBackward(gI, 3, mean, eE, eD, vector[0], vector[1], vector[2], 2, nq, LN10);
            assertEquals(Double.doubleToLongBits(p), Double.doubleToLongBits(v), "sum, nq = " + nq);
            BigDecimal exact = BigDecimal.ZERO;
            for (int k = 0; k < nq; k++) {
                double g = gI[3 + k];
                assertEquals(g * eE[k], plain[0][k], 0.0, "gMean " + k);
                assertEquals(g * mean[k] * eE[k] * LN10, plain[2][2 + k], 0.0, "gE " + k);
                assertEquals(g * eD[k] * LN10, plain[1][2 + k], 0.0, "gD " + k);
                for (int a = 0; a < 3; a++) {
                    assertEquals(Double.doubleToLongBits(plain[a][a == 0 ? k : 2 + k]),
                            Double.doubleToLongBits(vector[a][a == 0 ? k : 2 + k]), "output " + a + " at " + k);
                }
                exact = exact.add(new BigDecimal(plain[1][2 + k]), MathContext.DECIMAL128);
            }
            assertEquals(exact.doubleValue(), p, 1e-14 * scale(plain[1]) * nq, "sum against exact, nq = " + nq);
        }
    }

    @Test
    void particleBackwardIsThePlainLoopsAndTheExactSums() {
        SplittableRandom r = new SplittableRandom(22);
        for (int nodes : new int[] {1, 7, 8, 9, 13, 16, 24, 319, 320, 321}) {
            double[] gn = values(r, nodes);
            double[] br = values(r, nodes);
            double[] bc = values(r, nodes);
            double[] sr = values(r, nodes);
            double[] sc = values(r, nodes);
            double cs = 0.7;
            double d = -1.3;
            double[] plain = new double[PartialSums.SUMS_LENGTH];
            double[] vector = new double[PartialSums.SUMS_LENGTH];
            PartialSums.particleBackward(gn, br, bc, sr, sc, cs, d, nodes, plain);
            VectorKernels.particleBackward(gn, br, bc, sr, sc, cs, d, nodes, vector);
            BigDecimal[] exact = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
            double[] size = new double[4];
            for (int n = 0; n < nodes; n++) {
                double ga = 2 * gn[n] * (cs * br[n] + d * bc[n]);
                double[] t = {ga * (br[n] - bc[n]), ga * bc[n], ga * sr[n], ga * sc[n]};
                for (int s = 0; s < 4; s++) {
                    exact[s] = exact[s].add(new BigDecimal(t[s]), MathContext.DECIMAL128);
                    size[s] = Math.max(size[s], Math.abs(t[s]));
                }
            }
            for (int s = 0; s < 4; s++) {
                assertEquals(Double.doubleToLongBits(plain[s]), Double.doubleToLongBits(vector[s]),
                        "sum " + s + ", nodes = " + nodes);
                assertEquals(exact[s].doubleValue(), plain[s], 1e-14 * size[s] * nodes, "sum " + s + " against exact");
            }
        }
    }

    private static double[] values(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextDouble() - 0.5) * Math.exp(4 * r.nextDouble());
        }
        return v;
    }

    private static double scale(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
