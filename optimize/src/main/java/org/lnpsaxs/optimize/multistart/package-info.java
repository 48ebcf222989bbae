/**
 * Batched multi-start minimisation. A {@link org.lnpsaxs.optimize.multistart.BatchObjective} holds
 * many independent problems of the same dimension ("starts") evaluated together;
 * {@link org.lnpsaxs.optimize.multistart.AdamW} (the paper's schedule; racing stops the starts far above
 * the best after 80 % of the steps) and
 * {@link org.lnpsaxs.optimize.multistart.Lbfgs} (per-start histories, batched Armijo line search,
 * convergence judged against each start's estimated loss noise, racing that retires starts far
 * above the best) advance every start together and report to an
 * {@link org.lnpsaxs.optimize.multistart.OptimizationListener}. The fit's objective (the loss of
 * every start from one batched model call, back-propagated through the model's vector-Jacobian
 * product to the unconstrained coordinates) lives in {@code org.lnpsaxs.optimize.internal}.
 * Results do not depend on the number of threads. The optimisers work in unconstrained
 * coordinates.
 */
package org.lnpsaxs.optimize.multistart;
