/**
 * Ensembles of near-optimal fits: which of the multi-start results count as equally good fits
 * of the data. {@link org.lnpsaxs.optimize.ensemble.EnsembleRule.Paper} is the paper's rule
 * (loss ≤ 1.2 × the mean of the best 10 %, clamped to 5–30 % of the starts);
 * {@link org.lnpsaxs.optimize.ensemble.EnsembleRule.DeltaChi2} admits χ² ≤ χ²_min + Δ when σ is
 * known. Losses are dimensionless.
 */
package org.lnpsaxs.optimize.ensemble;
