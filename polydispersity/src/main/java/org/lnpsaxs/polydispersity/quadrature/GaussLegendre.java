package org.lnpsaxs.polydispersity.quadrature;

/**
 * Gauss–Legendre nodes \( t_k \) and weights \( W_k \) on [−1, 1]:
 * \( \int_{-1}^{1} f(t)\,dt \approx \sum_k W_k f(t_k) \), exact for polynomials of degree
 * \( 2n-1 \). Nodes are the roots of the Legendre polynomial \( P_n \), found by Newton's method
 * from \( \cos(\pi(k+3/4)/(n+1/2)) \); \( W_k = 2/((1-t_k^2)\,P_n'(t_k)^2) \). Nodes ascend.
 */
final class GaussLegendre {

    private GaussLegendre() {
    }

    /**
     * The n-point rule.
     *
     * @param n the number of nodes, 1 to 10000
     * @return {@code {nodes, weights}}, each of length n, nodes ascending in (−1, 1)
     */
    public static double[][] rule(int n) {
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("Gauss-Legendre rule: n = " + n + " nodes; allowed 1 to 10000");
        }
        double[] t = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                // p1 = P_n(x), p0 = P_{n-1}(x)
                dp = n == 1 ? 1 : n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) <= 1e-16 * Math.max(1e-3, Math.abs(x))) {
                    break;
                }
            }
            // derivative at the converged root
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n == 1 ? 1 : n * (x * p1 - p0) / (x * x - 1);
            double weight = 2.0 / ((1 - x) * (1 + x) * dp * dp);
            // x descends from near 1: fill from both ends, ascending order
            t[n - 1 - i] = x;
            t[i] = -x;
            w[n - 1 - i] = weight;
            w[i] = weight;
        }
        if (n % 2 == 1) {
            t[n / 2] = 0;
        }
        return new double[][] {t, w};
    }
}
