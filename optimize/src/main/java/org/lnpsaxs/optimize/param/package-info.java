/**
 * The fit's search space: {@link org.lnpsaxs.optimize.param.FitSpace} holds the box of every model
 * parameter (same units as the model: Å, Å⁻¹, dimensionless), the fixed parameters, the ordering
 * constraints ({@link org.lnpsaxs.optimize.param.OrderedPair}) and the parameters searched on a
 * log scale. The optimisers work in unconstrained coordinates \( u \in \mathbb{R}^F \) mapped
 * smoothly and bijectively onto the box, \( \theta = l + (h-l)\,\mathrm{sigmoid}(u) \), with
 * \( \theta_a \le \theta_b \) built in by a sequential map (the reparameterisation in
 * {@code org.lnpsaxs.optimize.internal}).
 */
package org.lnpsaxs.optimize.param;
