/**
 * Batched multi-start minimisation. {@link org.lnpsaxs.optimize.multistart.Starts} places scrambled
 * Sobol starting points in the fit box shrunk by 5 %; {@link org.lnpsaxs.optimize.multistart.FitObjective}
 * evaluates the loss of all starts with one batched model call and back-propagates
 * \( \partial L/\partial I \) through the model's vector-Jacobian product to the unconstrained
 * coordinates; {@link org.lnpsaxs.optimize.multistart.AdamW} (the paper's schedule) and
 * {@link org.lnpsaxs.optimize.multistart.Lbfgs} (per-start histories, batched Armijo line search,
 * early retirement of converged starts) advance every start together. Results do not depend on the
 * number of threads. Parameters are in their model units; the optimisers work in unconstrained
 * coordinates.
 */
package org.lnpsaxs.optimize.multistart;
