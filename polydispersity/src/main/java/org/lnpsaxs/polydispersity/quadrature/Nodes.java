package org.lnpsaxs.polydispersity.quadrature;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The nodes of a quadrature rule for one distribution: positions (Å), weights (summing to 1) and
 * their derivatives with respect to the distribution's P parameters, node-major
 * (\( \partial x_k/\partial\theta_j \) at {@code [k * P + j]}). A convenience value for users
 * (immutable: every accessor returns a copy); the layers use the array form of
 * {@link QuadratureRule#nodes(org.lnpsaxs.polydispersity.distribution.SizeDistribution,
 * double[], double[], double[], double[], int)}.
 */
public final class Nodes {

    private final double[] x;
    private final double[] w;
    private final double[] dxdTheta;
    private final double[] dwdTheta;
    private final int parameterCount;

    /**
     * Nodes from arrays (copied).
     *
     * @param x              node positions, Å
     * @param w              weights
     * @param dxdTheta       \( \partial x_k/\partial\theta_j \), {@code x.length * parameterCount} values
     * @param dwdTheta       \( \partial w_k/\partial\theta_j \), {@code x.length * parameterCount} values
     * @param parameterCount P
     */
    public Nodes(double[] x, double[] w, double[] dxdTheta, double[] dwdTheta, int parameterCount) {
        if (w.length != x.length || dxdTheta.length != x.length * parameterCount
                || dwdTheta.length != x.length * parameterCount) {
            throw new IllegalArgumentException("nodes: " + x.length + " positions, " + w.length + " weights, "
                    + dxdTheta.length + " and " + dwdTheta.length + " derivatives for " + parameterCount
                    + " parameters do not match");
        }
        this.x = x.clone();
        this.w = w.clone();
        this.dxdTheta = dxdTheta.clone();
        this.dwdTheta = dwdTheta.clone();
        this.parameterCount = parameterCount;
    }

    /** The number of nodes. */
    public int size() {
        return x.length;
    }

    /** The node positions \( x_k \), Å (a copy). */
    public double[] x() {
        return x.clone();
    }

    /** The weights \( w_k \), summing to 1 (a copy). */
    public double[] w() {
        return w.clone();
    }

    /** \( \partial x_k/\partial\theta_j \) at {@code [k * P + j]} (a copy). */
    public double[] dxdTheta() {
        return dxdTheta.clone();
    }

    /** \( \partial w_k/\partial\theta_j \) at {@code [k * P + j]} (a copy). */
    public double[] dwdTheta() {
        return dwdTheta.clone();
    }

    /** The number P of distribution parameters. */
    public int parameterCount() {
        return parameterCount;
    }

    /** \( \sum_k w_k\,g(x_k) \) for a function g. */
    public double average(DoubleUnaryOperator g) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += w[k] * g.applyAsDouble(x[k]);
        }
        return s;
    }

    /** E.g. {@code Nodes[32 nodes, x 101.6 .. 482.3 Å]}. */
    @Override
    public String toString() {
        if (x.length == 0) {
            return "Nodes[none]";
        }
        return String.format(Locale.ROOT, "Nodes[%d node%s, x %.4g .. %.4g Å]", x.length, x.length == 1 ? "" : "s",
                x[0], x[x.length - 1]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nodes n && n.parameterCount == parameterCount && Arrays.equals(n.x, x)
                && Arrays.equals(n.w, w) && Arrays.equals(n.dxdTheta, dxdTheta) && Arrays.equals(n.dwdTheta, dwdTheta);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + Arrays.hashCode(w);
    }
}
