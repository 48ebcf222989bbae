package org.lnpsaxs.core.formfactor;

import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The kernel of a sasmodels-style particle model: for each parameter set, the squared scattering
 * amplitude \( 10^{-4} F^2(q) \) and the form volume \( V \), with reverse-mode derivatives.
 *
 * <p>Units: shape parameters in Å, SLDs in 10⁻⁶ Å⁻², q in Å⁻¹; {@code f2} is in cm⁻¹·Å³ (the
 * 10⁻⁴ factor of sasmodels converts (10⁻⁶ Å⁻²)²·Å⁶ to cm⁻¹·Å³), {@code volume} in Å³, so that
 * \( I = \mathrm{scale}\cdot f2/V + \mathrm{background} \) is in cm⁻¹. The parameter space holds
 * only the kernel's own parameters (no {@code scale}, no {@code background}), in sasmodels' order.
 * A polydisperse average is \( \mathrm{scale}\,\langle f2\rangle/\langle V\rangle + \mathrm{background} \).
 *
 * <p>Arrays are flat and batch-major ({@code theta[b*P + j]}, {@code f2[b*nq + i]},
 * {@code volume[b]}). Implementations are stateless and thread-safe.
 */
public interface FormFactor {

    /** The sasmodels name of the model, e.g. {@code sphere}, {@code core_shell_sphere}. */
    String name();

    /** The kernel parameters in order (lengths Å, SLDs 10⁻⁶ Å⁻²). */
    ParameterSpace parameters();

    /**
     * Computes \( 10^{-4}F^2 \) and \( V \) for a batch.
     *
     * @param q      the q values, Å⁻¹
     * @param theta  {@code batch * P} parameter values
     * @param batch  number of parameter sets
     * @param f2     receives {@code batch * q.length} values, cm⁻¹·Å³
     * @param volume receives {@code batch} form volumes, Å³
     */
    void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume);

    /**
     * Reverse mode: given \( \partial L/\partial f2 \) and \( \partial L/\partial V \) for each set,
     * writes \( \partial L/\partial\theta \) (overwritten, {@code batch * P} values).
     *
     * @param dLdF2    {@code batch * q.length} upstream gradients (may be {@code null}: zero)
     * @param dLdV     {@code batch} upstream gradients (may be {@code null}: zero)
     * @param dLdTheta receives {@code batch * P} values
     */
    void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                               double[] dLdTheta);

    /**
     * The forward pass and the reverse mode in one call: writes {@code f2} and {@code volume} as
     * {@link #compute} does and {@code dLdTheta} as {@link #vectorJacobianProduct} does. Callers
     * whose upstream gradient is linear in a per-set factor known only after the forward pass
     * (such as \( \mathrm{scale}/V \)) pass the unscaled gradient here and scale afterwards.
     * The default calls the two methods; the analytic form factors override it so that each
     * \( \sin \), \( \cos \) is computed once.
     *
     * @param dLdF2    {@code batch * q.length} upstream gradients (may be {@code null}: zero)
     * @param dLdV     {@code batch} upstream gradients (may be {@code null}: zero)
     * @param f2       receives {@code batch * q.length} values, cm⁻¹·Å³
     * @param volume   receives {@code batch} form volumes, Å³
     * @param dLdTheta receives {@code batch * P} values
     */
    default void computeWithVectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2,
                                                  double[] dLdV, double[] f2, double[] volume,
                                                  double[] dLdTheta) {
        compute(q, theta, batch, f2, volume);
        vectorJacobianProduct(q, theta, batch, dLdF2, dLdV, dLdTheta);
    }
}
