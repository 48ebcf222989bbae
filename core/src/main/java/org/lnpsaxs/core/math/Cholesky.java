package org.lnpsaxs.core.math;

/**
 * The Cholesky factorisation \( A = L L^T \) of a symmetric positive-definite matrix, the one
 * implementation the project's likelihoods, mixtures and samplers share. Matrices are row-major
 * {@code n × n} arrays of doubles in whatever unit the caller's matrix has (L has its square
 * root); only the lower triangle of A is read.
 */
public final class Cholesky {

    private Cholesky() {
    }

    /**
     * The lower factor L (row-major {@code n × n}, zeros above the diagonal), or {@code null} when A
     * is not positive definite in floating point (a pivot that is not positive, or not finite).
     *
     * @param a row-major {@code n × n} values (at least {@code n * n})
     * @param n the order
     */
    public static double[] lower(double[] a, int n) {
        if (n < 0 || a.length < (long) n * n) {
            throw new IllegalArgumentException("Cholesky: " + a.length + " values for order " + n);
        }
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (!(sum > 0) || sum == Double.POSITIVE_INFINITY) {
                        return null;
                    }
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        return l;
    }
}
