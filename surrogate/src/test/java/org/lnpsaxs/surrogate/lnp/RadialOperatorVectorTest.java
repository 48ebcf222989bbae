package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The block kernels ({@link VectorKernels#bandApplyRows}, {@link VectorKernels#bandApplyTransposeRows}),
     * eight rows at a time, give each row the single-row kernel's numbers bit for bit, for blocks of
     * 1 to 17 rows over the shapes above, and leave the rows beyond the block untouched.
     */
    @Test
    void blocksOfRowsGiveEachRowTheSingleRowResultBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int cases = 0;
        for (int bands : new int[] {1, 5, 16}) {
            for (int shift : new int[] {0, 3}) {
                for (int nq : new int[] {3, 8, 9, 17, 300}) {
                    for (int spare : new int[] {0, 9}) {
                        for (int m : new int[] {1, 7, 8, 9, 16, 17}) {
                            checkRows(r, bands, shift, nq, shift + bands - 1 + nq + spare, m);
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(3 * 2 * 5 * 2 * 6, cases);
    }

    /**
     * The shipped grid's operator a block at a time ({@link RadialOperator#applyRows},
     * {@link RadialOperator#applyTransposeRows}) against the same operator row by row, bit for bit,
     * over three blocks that reuse one scratch (its zero margins must survive every call).
     */
    @Test
    void theShippedOperatorABlockAtATimeEqualsItRowByRow() {
        RadialOperator op = RadialOperator.of(QGrid.PAPER.values(), 5.0, 1024, 1);
        SplittableRandom r = new SplittableRandom(12);
        double[] tmp = new double[Math.max(op.nodes(), op.outputs())];
        double[][] scratch = new double[8][op.transposeScratchLength()];
        for (int m : new int[] {8, 19, 8}) {
            double[][] f = new double[m][op.nodes()];
            double[][] y = new double[m][op.outputs()];
            for (int k = 0; k < m; k++) {
                for (int i = 0; i < op.nodes(); i++) {
                    f[k][i] = Math.exp(-3 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
                }
                for (int j = 0; j < op.outputs(); j++) {
                    y[k][j] = r.nextDouble() - 0.5;
                }
            }
            double[][] out = new double[m][op.outputs()];
            double[][] g = new double[m][op.nodes()];
            op.applyRows(f, out, m, tmp);
            op.applyTransposeRows(y, g, m, tmp, scratch);
            for (int k = 0; k < m; k++) {
                double[] one = new double[op.outputs()];
                double[] oneG = new double[op.nodes()];
                op.apply(f[k], one, tmp);
                op.applyTranspose(y[k], oneG, tmp);
                assertArrayEquals(one, out[k], 0.0, m + " rows: row " + k);
                assertArrayEquals(oneG, g[k], 0.0, m + " rows: row " + k + " (transpose)");
            }
        }
    }

    private static void checkRows(SplittableRandom r, int bands, int shift, int nq, int nodes, int m) {
        double[][] diag = new double[bands][nq];
        for (double[] d : diag) {
            for (int j = 0; j < nq; j++) {
                d[j] = r.nextDouble() - 0.5;
            }
        }
        int rows = m + 1; // one row beyond the block, which must stay untouched
        double[][] f = new double[rows][nodes];
        double[][] y = new double[rows][nq];
        for (int k = 0; k < rows; k++) {
            for (int i = 0; i < nodes; i++) {
                f[k][i] = r.nextDouble() - 0.5;
            }
            for (int j = 0; j < nq; j++) {
                y[k][j] = r.nextDouble() - 0.5;
            }
        }
        double[][] out = new double[rows][nq];
        double[][] g = new double[rows][nodes];
        for (int k = 0; k < rows; k++) {
            Arrays.fill(out[k], Double.NaN);
            Arrays.fill(g[k], Double.NaN);
        }
        VectorKernels.bandApplyRows(diag, shift, f, out, nq, m);
        int pad = RadialOperator.transposePad(bands, shift, nq, nodes);
        double[][] scratch = new double[8][nq + 2 * pad];
        VectorKernels.bandApplyTransposeRows(diag, RadialOperator.padDiagonals(diag, pad), pad, shift, y, g, nq, nodes, m,
                scratch);
        String shape = bands + " bands, shift " + shift + ", " + nq + " outputs, " + nodes + " nodes, " + m + " rows";
        for (int k = 0; k < m; k++) {
            double[] one = new double[nq];
            VectorKernels.bandApply(diag, shift, f[k], one, nq);
            assertArrayEquals(one, out[k], 0.0, shape + ": row " + k);
            double[] oneG = new double[nodes];
            VectorKernels.bandApplyTranspose(diag, shift, y[k], oneG, nq, nodes);
            assertArrayEquals(oneG, g[k], 0.0, shape + ": row " + k + " (transpose)");
        }
        for (double v : out[m]) {
            assertTrue(Double.isNaN(v), shape + ": the row beyond the block was written");
        }
        for (double v : g[m]) {
            assertTrue(Double.isNaN(v), shape + ": the row beyond the block was written (transpose)");
        }
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
