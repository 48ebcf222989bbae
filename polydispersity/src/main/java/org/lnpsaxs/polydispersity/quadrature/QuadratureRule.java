package org.lnpsaxs.polydispersity.quadrature;

import org.lnpsaxs.polydispersity.distribution.SizeDistribution;

/**
 * A rule that replaces a size distribution by K nodes \( x_k \) with weights \( w_k \)
 * (\( \sum_k w_k = 1 \)), so that \( \langle g\rangle = \int g(x)\,\mathrm{pdf}(x)\,dx \approx
 * \sum_k w_k\, g(x_k) \), together with the derivatives \( \partial x_k/\partial\theta_j \) and
 * \( \partial w_k/\partial\theta_j \) with respect to the distribution's parameters θ.
 *
 * <p>Units: nodes in the unit of the distributed parameter (Å), weights dimensionless. Layout of
 * the derivative arrays: node k, parameter j at {@code [(offset + k) * P + j]}, with
 * {@code P = d.parameters().size()}. Rules are immutable and thread-safe.
 */
public interface QuadratureRule {

    /** A short description, e.g. {@code gauss-legendre-cdf(32)}. */
    String name();

    /** An upper bound on the number of nodes, for sizing buffers. */
    int maxNodes();

    /**
     * Whether the weights can depend on the distribution parameters (false when they are
     * constants and only the nodes move, as for Gauss–Legendre nodes in CDF space).
     */
    boolean weightsDependOnParameters();

    /**
     * The rule adapted to the range [lb, ub] of values that the distributed parameter may take
     * in the model (sasmodels drops grid points outside it; other rules ignore it). The default
     * returns this rule.
     */
    default QuadratureRule withParameterLimits(double lb, double ub) {
        return this;
    }

    /**
     * The rule adapted to the model it serves: the distribution family (a template value of the
     * dispersion), the range [lb, ub] that the distributed parameter may take, and the model's
     * largest q (Å⁻¹), which sets how fast the averaged curve oscillates in x (about
     * \( \cos(2qx) \)). The layers call this once when they are built. The default is
     * {@link #withParameterLimits(double, double)}; {@link AdaptiveGaussLegendre} also resolves
     * q up to {@code qMax}.
     */
    default QuadratureRule adaptedTo(SizeDistribution family, double lb, double ub, double qMax) {
        return withParameterLimits(lb, ub);
    }

    /**
     * Whether {@link #adaptedTo} gives a rule whose nodes depend on the model's largest q (false by
     * default; true for {@link AdaptiveGaussLegendre}). A layer may then average q values well below
     * its largest with a rule adapted to a smaller q (fewer nodes), as
     * {@link org.lnpsaxs.polydispersity.SasPolydisperseModel} does in its q bands.
     */
    default boolean dependsOnQMax() {
        return false;
    }

    /**
     * Writes the nodes, weights and (optionally) their derivatives.
     *
     * @param d      the distribution
     * @param x      receives the nodes at {@code x[offset + k]}
     * @param w      receives the weights at {@code w[offset + k]}, summing to 1
     * @param dx     receives \( \partial x_k/\partial\theta_j \) (may be {@code null}: not wanted)
     * @param dw     receives \( \partial w_k/\partial\theta_j \) (may be {@code null}: not wanted)
     * @param offset the first node index to write
     * @return the number of nodes K written (at most {@link #maxNodes()})
     * @throws IllegalArgumentException if the rule does not apply to this distribution or leaves
     *                                  no node
     */
    int nodes(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset);

    /**
     * The number of nodes {@link #nodes} writes for {@code d} (the default writes them; a rule may
     * count them for less).
     *
     * @throws IllegalArgumentException as {@link #nodes}
     */
    default int nodeCount(SizeDistribution d) {
        return nodes(d).size();
    }

    /** The nodes, weights and derivatives as a value (calls the array form). */
    default Nodes nodes(SizeDistribution d) {
        int p = d.parameters().size();
        int m = maxNodes();
        double[] x = new double[m];
        double[] w = new double[m];
        double[] dx = new double[m * p];
        double[] dw = new double[m * p];
        int k = nodes(d, x, w, dx, dw, 0);
        return new Nodes(java.util.Arrays.copyOf(x, k), java.util.Arrays.copyOf(w, k),
                java.util.Arrays.copyOf(dx, k * p), java.util.Arrays.copyOf(dw, k * p), p);
    }
}
