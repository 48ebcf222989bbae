package org.lnpsaxs.core.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Cholesky factor against closed forms and against its own definition L L^T = A. */
class CholeskyTest {

    @Test
    void aTwoByTwoMatrixHasItsClosedFormFactor() {
        // A = [[4, 2], [2, 5]]: L = [[2, 0], [1, 2]]
        assertArrayEquals(new double[] {2, 0, 1, 2}, Cholesky.lower(new double[] {4, 2, 2, 5}, 2), 0);
    }

    @Test
    void theFactorReproducesRandomSpdMatrices() {
        Random r = new Random(4);
        for (int n : new int[] {1, 3, 10, 40}) {
            double[] b = new double[n * n];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? n : 0;
                    for (int k = 0; k < n; k++) {
                        s += b[i * n + k] * b[j * n + k];
                    }
                    a[i * n + j] = s;
                }
            }
            double[] l = Cholesky.lower(a, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += l[i * n + k] * l[j * n + k];
                    }
                    assertEquals(a[i * n + j], s, 1e-12 * n * n, "n " + n + " (" + i + ", " + j + ")");
                    if (j > i) {
                        assertEquals(0.0, l[i * n + j]);
                    }
                }
            }
        }
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteHasNoFactor() {
        assertNull(Cholesky.lower(new double[] {1, 2, 2, 1}, 2));
        assertNull(Cholesky.lower(new double[] {0, 0, 0, 1}, 2));
        assertNull(Cholesky.lower(new double[] {Double.NaN}, 1));
        assertThrows(IllegalArgumentException.class, () -> Cholesky.lower(new double[3], 2));
    }
}
