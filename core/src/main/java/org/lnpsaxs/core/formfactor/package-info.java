/**
 * Analytic particle form factors exactly as sasmodels defines them, with reverse-mode parameter
 * gradients.
 *
 * <p>A {@link org.lnpsaxs.core.formfactor.FormFactor} is a sasmodels kernel: for each parameter
 * set it returns \( f2(q) = 10^{-4}F(q)^2 \) in cm⁻¹·Å³ and the form volume \( V \) in Å³, batched
 * over parameter sets, with a vector-Jacobian product. The built-in kernels are
 * {@link org.lnpsaxs.core.formfactor.Sphere} (\( F = \Delta\rho\,V\,j(qR) \)) and
 * {@link org.lnpsaxs.core.formfactor.CoreShellSphere}
 * (\( F = V_c(\rho_c-\rho_s)j(qR) + V_o(\rho_s-\rho_\mathrm{solv})j(q(R+t)) \), normalised by the
 * outer volume \( V_o \)), where \( j(x) = 3(\sin x - x\cos x)/x^3 \) is evaluated by
 * {@link org.lnpsaxs.core.formfactor.SphericalBessel} with sasmodels' low-x series.
 * {@link org.lnpsaxs.core.formfactor.FormFactors} finds them by name.
 *
 * <p>{@link org.lnpsaxs.core.formfactor.SasModel} turns a kernel into a differentiable model on a
 * q grid, \( I = \mathrm{scale}\cdot f2/V + \mathrm{background} \) in cm⁻¹, with sasmodels'
 * parameter names, order and defaults. Polydisperse averages
 * \( \mathrm{scale}\,\langle f2\rangle/\langle V\rangle + \mathrm{background} \) are built on the
 * kernels by the {@code polydispersity} module.
 *
 * <p>Units: q in Å⁻¹, lengths in Å, SLD in 10⁻⁶ Å⁻², intensity in cm⁻¹.
 */
package org.lnpsaxs.core.formfactor;
