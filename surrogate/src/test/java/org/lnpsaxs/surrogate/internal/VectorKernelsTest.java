package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The vector kernel against the plain loops it replaces: the same numbers bit for bit, for every
 * shape the networks have and the odd ones around them (inputs not a multiple of four, outputs not
 * a multiple of the vector length, blocks of 1 to 8 rows). The tests run with
 * {@code --add-modules jdk.incubator.vector} (the build's surefire argument line).
 */
class VectorKernelsTest {

    private static final int[] COUNTS = {1, 2, 3, 4, 5, 6, 7, 9, 16, 31, 32, 33, 64, 300};
    private static final int[] WIDTHS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 32, 64, 300};

    @Test
    void givesThePlainLoopsResultsBitForBit() {
        SplittableRandom r = new SplittableRandom(5);
        int cases = 0;
        for (int count : COUNTS) {
            for (int n : WIDTHS) {
                for (int m = 1; m <= 8; m++) {
                    double[][] in = random(r, m, count);
                    double[][] rows = random(r, count, n);
                    double[][] plain = random(r, m, n);
                    double[][] vector = new double[m][];
                    for (int k = 0; k < m; k++) {
                        vector[k] = plain[k].clone();
                    }
                    JavaMlp.plainAddRows(in, rows, count, plain, n, m);
                    VectorKernels.addRows(in, rows, count, vector, n, m);
                    for (int k = 0; k < m; k++) {
                        assertArrayEquals(plain[k], vector[k], 0.0,
                                "count " + count + ", width " + n + ", rows " + m + ", row " + k);
                    }
                    cases++;
                }
            }
        }
        assertEquals(COUNTS.length * WIDTHS.length * 8, cases);
    }

    /** The exponential: the same numbers as the plain loops, inside and outside the polynomial's range. */
    @Test
    void expGivesThePlainLoopsResultsBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        int cases = 0;
        for (int n : new int[] {1, 5, 8, 9, 16, 31, 300}) {
            for (double spread : new double[] {1, 30, 60}) {
                for (boolean special : new boolean[] {false, true}) {
                    double[] x = new double[n];
                    for (int k = 0; k < n; k++) {
                        x[k] = spread * (2 * r.nextDouble() - 1);
                    }
                    if (special) {
                        x[r.nextInt(n)] = Double.NaN;
                        x[r.nextInt(n)] = Double.POSITIVE_INFINITY;
                    }
                    double a = -2.302585092994046;
                    double c = 0.25;
                    double[] plain = new double[n];
                    double[] vector = new double[n];
                    FastExp.plainExp(x, a, c, plain, n);
                    VectorKernels.exp(x, a, c, vector, n);
                    assertArrayEquals(plain, vector, 0.0, n + " values, spread " + spread + (special ? ", NaN and inf" : ""));
                    cases++;
                }
            }
        }
        assertEquals(7 * 3 * 2, cases);
    }

    /**
     * The composed intensity: mean · eE + eD element by element, as the plain loop computes it, at an
     * offset into the output; the values before the offset and after the row are left alone.
     */
    @Test
    void composeGivesThePlainLoopsResultsBitForBit() {
        SplittableRandom r = new SplittableRandom(8);
        for (int n : new int[] {1, 7, 8, 9, 17, 300}) {
            for (int off : new int[] {0, 3, 300}) {
                double[] mean = new double[n];
                double[] eE = new double[n];
                double[] eD = new double[n];
                for (int j = 0; j < n; j++) {
                    mean[j] = Math.exp(20 * r.nextDouble() - 10);
                    eE[j] = Math.exp(r.nextDouble() - 0.5);
                    eD[j] = Math.exp(20 * r.nextDouble() - 10);
                }
                double[] plain = new double[off + n + 2];
                java.util.Arrays.fill(plain, -1.0);
                double[] vector = plain.clone();
                for (int j = 0; j < n; j++) {
                    plain[off + j] = mean[j] * eE[j] + eD[j];
                }
                VectorKernels.compose(mean, eE, eD, vector, off, n);
                assertArrayEquals(plain, vector, 0.0, n + " values at offset " + off);
            }
        }
    }

    /** Rows beyond m and columns beyond n are left alone (the buffers are larger than the block). */
    @Test
    void touchesOnlyTheBlocksRowsAndColumns() {
        SplittableRandom r = new SplittableRandom(6);
        double[][] in = random(r, 8, 32);
        double[][] rows = random(r, 32, 300);
        double[][] acc = random(r, 8, 300);
        double[][] before = new double[8][];
        for (int k = 0; k < 8; k++) {
            before[k] = acc[k].clone();
        }
        VectorKernels.addRows(in, rows, 32, acc, 150, 5);
        for (int k = 0; k < 8; k++) {
            for (int o = 0; o < 300; o++) {
                boolean inside = k < 5 && o < 150;
                assertEquals(inside, acc[k][o] != before[k][o], "row " + k + ", column " + o);
            }
        }
    }

    /**
     * With the module and vectors of at least four doubles (as on the build's machines) the
     * surrogate chooses the kernels. Whether they still run depends on this JVM's JIT: the watch
     * may have switched it to the plain loops (the same numbers; {@code VectorWatchTest} holds its
     * rule), and then the kernel's name says so.
     */
    @Test
    void theKernelsAreChosenWhereTheModuleIsThere() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the tests run without --add-modules jdk.incubator.vector (surefire.argLine)");
        if (VectorKernels.lanes() >= 4) {
            assertTrue(Vectors.ENABLED, Vectors.kernel());
            String running = "vector (" + VectorKernels.lanes() + " doubles)";
            assertTrue(Vectors.kernel().equals(running) || Vectors.kernel().startsWith("plain loops (vector kernels left: "),
                    Vectors.kernel());
        } else {
            assertFalse(Vectors.ENABLED);
            assertEquals("plain loops", Vectors.kernel());
        }
    }

    private static double[][] random(SplittableRandom r, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble() * 2 - 1;
            }
        }
        return a;
    }
}
