package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.surrogate.internal.VectorKernels;

/**
 * The radial average's vector kernels ({@link VectorKernels#bandApply},
 * {@link VectorKernels#bandApplyTranspose}) against the plain loops they replace, bit for bit:
 * on random diagonal matrices of many shapes (bands, shifts, output lengths around the vector
 * length, spare nodes at either end) and on the shipped grid's operator itself.
 */
class RadialOperatorVectorTest {

    @Test
    void givesThePlainLoopsResultsBitForBitOnRandomBands() {
        SplittableRandom r = new SplittableRandom(9);
        int cases = 0;
        for (int bands : new int[] {1, 2, 5, 15, 16}) {
            for (int shift : new int[] {0, 1, 3, 7}) {
                for (int nq : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 40, 300}) {
                    for (int spare : new int[] {0, 1, 9}) {
                        check(r, bands, shift, nq, shift + bands - 1 + nq + spare);
                        cases++;
                    }
                }
            }
        }
        assertEquals(5 * 4 * 10 * 3, cases);
    }

    @Test
    void givesThePlainLoopsResultsBitForBitOnTheShippedGrid() {
        RadialOperator op = RadialOperator.of(QGrid.PAPER.values(), 5.0, 1024, 1);
        SplittableRandom r = new SplittableRandom(10);
        double[] f = new double[op.nodes()];
        double[] y = new double[op.outputs()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.exp(-3 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble() - 0.5;
        }
        double[] out = new double[op.outputs()];
        double[] g = new double[op.nodes()];
        double[] tmp = new double[Math.max(op.nodes(), op.outputs())];
        op.apply(f, out, tmp);
        op.applyTranspose(y, g, tmp);
        // the paper's grid is stored by diagonals; the same through the plain loops
        double[][] diag = op.diagonals();
        assertNotNull(diag, "the paper's grid is stored by diagonals");
        double[] plainOut = new double[op.outputs()];
        double[] plainG = new double[op.nodes()];
        RadialOperator.plainApplyDiagonals(diag, op.diagonalShift(), f, plainOut, tmp, op.outputs());
        RadialOperator.plainApplyTransposeDiagonals(diag, op.diagonalShift(), y, plainG, tmp, op.outputs());
        assertArrayEquals(plainOut, out, 0.0);
        assertArrayEquals(plainG, g, 0.0);
    }

    private static void check(SplittableRandom r, int bands, int shift, int nq, int nodes) {
        double[][] diag = new double[bands][nq];
        for (double[] d : diag) {
            for (int j = 0; j < nq; j++) {
                d[j] = r.nextDouble() - 0.5;
            }
        }
        double[] f = new double[nodes];
        for (int i = 0; i < nodes; i++) {
            f[i] = r.nextDouble() - 0.5;
        }
        double[] y = new double[nq];
        for (int j = 0; j < nq; j++) {
            y[j] = r.nextDouble() - 0.5;
        }
        double[] tmp = new double[Math.max(nodes, nq)];
        double[] plainOut = new double[nq];
        double[] vectorOut = new double[nq];
        Arrays.fill(vectorOut, Double.NaN);
        RadialOperator.plainApplyDiagonals(diag, shift, f, plainOut, tmp, nq);
        VectorKernels.bandApply(diag, shift, f, vectorOut, nq);
        String shape = bands + " bands, shift " + shift + ", " + nq + " outputs, " + nodes + " nodes";
        assertArrayEquals(plainOut, vectorOut, 0.0, shape);
        double[] plainG = new double[nodes];
        double[] vectorG = new double[nodes];
        Arrays.fill(vectorG, Double.NaN);
        RadialOperator.plainApplyTransposeDiagonals(diag, shift, y, plainG, tmp, nq);
        VectorKernels.bandApplyTranspose(diag, shift, y, vectorG, nq, nodes);
        assertArrayEquals(plainG, vectorG, 0.0, shape + " (transpose)");
    }
}
