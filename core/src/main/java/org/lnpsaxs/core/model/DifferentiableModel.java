package org.lnpsaxs.core.model;

/**
 * A {@link BatchedModel} that also offers reverse-mode derivatives: the vector-Jacobian product
 * \( \partial L/\partial\theta_j = \sum_i (\partial L/\partial I_i)\,(\partial I_i/\partial\theta_j) \)
 * for every parameter set of a batch.
 *
 * <p>The call is stateless (it may recompute the forward pass), so it is thread-safe and needs no
 * tape. Layout as in {@link BatchedModel}: {@code dLdI} is {@code batch * qSize()} values and
 * {@code dLdTheta} receives {@code batch * parameters().size()} values (overwritten, not
 * accumulated). Units: {@code dLdTheta[j]} is in units of L per unit of parameter {@code j}.
 */
public interface DifferentiableModel extends BatchedModel {

    /**
     * Computes the vector-Jacobian product for a batch.
     *
     * @param theta    parameter sets, batch-major
     * @param batch    number of sets
     * @param dLdI     upstream gradient with respect to each intensity, batch-major
     * @param dLdTheta receives the gradient with respect to each parameter, batch-major
     */
    void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta);
}
