package org.lnpsaxs.polydispersity.quadrature;

/**
 * The nodes of a quadrature rule for one distribution: positions (Å), weights (summing to 1) and
 * their derivatives with respect to the distribution's P parameters, node-major
 * ({@code dxdTheta[k * P + j]}). A convenience value for users; the layers use the array form
 * of {@link QuadratureRule#nodes(org.lnpsaxs.polydispersity.distribution.SizeDistribution,
 * double[], double[], double[], double[], int)}.
 *
 * @param x              node positions, Å
 * @param w              weights
 * @param dxdTheta       \( \partial x_k/\partial\theta_j \)
 * @param dwdTheta       \( \partial w_k/\partial\theta_j \)
 * @param parameterCount P
 */
public record Nodes(double[] x, double[] w, double[] dxdTheta, double[] dwdTheta, int parameterCount) {

    /** The number of nodes. */
    public int size() {
        return x.length;
    }

    /** \( \sum_k w_k\,g(x_k) \) for a function g. */
    public double average(java.util.function.DoubleUnaryOperator g) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += w[k] * g.applyAsDouble(x[k]);
        }
        return s;
    }
}
