/**
 * Accuracy of the surrogate on held-out simulations: per-curve mean |Δlog₁₀ I| (decades) and its
 * median, mean, 90th percentile and maximum over curves ({@link org.lnpsaxs.surrogate.eval.Accuracy}),
 * and the evaluation of a model against a held-out dataset with a plot-ready table
 * ({@link org.lnpsaxs.surrogate.eval.Evaluation}). The paper's bar: median ≤ 0.012 and 90th
 * percentile ≤ 0.036.
 */
package org.lnpsaxs.surrogate.eval;
