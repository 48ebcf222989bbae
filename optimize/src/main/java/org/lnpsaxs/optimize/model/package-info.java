/**
 * The models the fitter knows: a differentiable intensity model with a size distribution, its
 * default fit box and a description of its size distribution.
 *
 * <p>{@link org.lnpsaxs.optimize.model.LnpFitModel} ({@code lnp}): the neural surrogate of the
 * LNP simulator averaged over a truncated log-normal outer radius (the paper's model, arbitrary
 * intensity units, fixed q grid). {@link org.lnpsaxs.optimize.model.AnalyticFitModel}
 * ({@code sphere}, {@code core_shell_sphere}): sasmodels' form factors with the same radius
 * distribution, in cm⁻¹, on the data's q. Lengths in Å, q in Å⁻¹, SLDs in 10⁻⁶ Å⁻².
 */
package org.lnpsaxs.optimize.model;
