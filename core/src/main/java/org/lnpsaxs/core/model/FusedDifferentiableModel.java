package org.lnpsaxs.core.model;


/**
 * A {@link DifferentiableModel} that evaluates and back-propagates in one call, so that the
 * forward work (for the analytic form factors: one sin/cos per (q, size) node in the forward
 * pass) is not repeated by a separate, stateless {@link #vectorJacobianProduct} call. The
 * upstream gradient is supplied as a callback that sees the intensities first, as a loss does:
 * <pre>{@code
 * model.evaluateAndBackpropagate(theta, batch, out,
 *         (intensity, n, dLdI) -> loss.gradient(intensity, n, dLdI), dLdTheta);
 * }</pre>
 * Units as in {@link DifferentiableModel}: intensities in the model's unit, {@code dLdTheta[j]} in
 * units of L per unit of parameter j. The callback must not call the same model again.
 */
public interface FusedDifferentiableModel extends DifferentiableModel {

    /** Computes \( \partial L/\partial I \) from the intensities of a batch. */
    @FunctionalInterface
    interface UpstreamGradient {
        /**
         * Writes the upstream gradient.
         *
         * @param intensity the model's intensities, {@code batch * qSize()} values (do not modify)
         * @param batch     number of sets
         * @param dLdI      receives \( \partial L/\partial I \), {@code batch * qSize()} values
         */
        void compute(double[] intensity, int batch, double[] dLdI);
    }

    /**
     * Evaluates a batch, asks {@code upstream} for \( \partial L/\partial I \) and returns the
     * vector-Jacobian product. The default evaluates, then calls
     * {@link #vectorJacobianProduct}; implementations override it to share the forward work.
     *
     * @param theta    parameter sets, batch-major
     * @param batch    number of sets
     * @param out      receives the intensities, {@code batch * qSize()} values
     * @param upstream computes \( \partial L/\partial I \) from {@code out}
     * @param dLdTheta receives \( \partial L/\partial\theta \), {@code batch * parameters().size()} values
     */
    default void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                          double[] dLdTheta) {
        evaluate(theta, batch, out);
        double[] g = new double[batch * qSize()];
        upstream.compute(out, batch, g);
        vectorJacobianProduct(theta, batch, g, dLdTheta);
    }

    /**
     * Evaluates a batch and returns the vector-Jacobian product for an upstream gradient known in
     * advance (the forward and the reverse pass in one call). The default calls
     * {@link #evaluateAndBackpropagate}.
     *
     * @param theta    parameter sets, batch-major
     * @param batch    number of sets
     * @param dLdI     \( \partial L/\partial I \), {@code batch * qSize()} values
     * @param out      receives the intensities, {@code batch * qSize()} values
     * @param dLdTheta receives \( \partial L/\partial\theta \), {@code batch * parameters().size()} values
     */
    default void evaluateAndVectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] out,
                                                  double[] dLdTheta) {
        evaluateAndBackpropagate(theta, batch, out,
                (intensity, n, g) -> System.arraycopy(dLdI, 0, g, 0, n * qSize()), dLdTheta);
    }
}
