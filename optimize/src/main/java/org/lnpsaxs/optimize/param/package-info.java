/**
 * The fit's search space and its unconstrained coordinates.
 *
 * <p>{@link org.lnpsaxs.optimize.param.FitSpace} holds the box of every model parameter (same
 * units as the model: Å, Å⁻¹, dimensionless), the fixed parameters and the ordering constraints;
 * {@link org.lnpsaxs.optimize.param.Reparameterization} maps \( u \in \mathbb{R}^F \) smoothly
 * and bijectively onto the box, \( \theta = l + (h-l)\,\mathrm{sigmoid}(u) \), with
 * \( \theta_a \le \theta_b \) built in by a sequential map, and gives the exact chain rule.
 */
package org.lnpsaxs.optimize.param;
