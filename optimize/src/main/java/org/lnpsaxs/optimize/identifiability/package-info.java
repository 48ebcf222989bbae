/**
 * Identifiability analysis of an ensemble of near-optimal fits: which parameters (and which
 * combinations) the data pin down, and whether equally good fits fall into distinct modes.
 *
 * <p>Per parameter: the spread (p95 − p05) relative to its fit box and a verdict (never "well
 * determined" on a bound of the box or with a Fisher standard error above the value); Pearson and Spearman
 * correlations; principal directions of the box-scaled ensemble \( x_j = (\theta_j - l_j)/(h_j - l_j) \)
 * (sloppy = large variance, stiff = small); modes from Gaussian mixtures chosen by BIC, each with
 * its centre, spread, best loss and size distribution; the Fisher information
 * \( \tfrac12 J^T H J \) at the best fit in box-scaled coordinates; profile likelihoods.
 * Parameters keep their model units (Å, Å⁻¹, dimensionless).
 */
package org.lnpsaxs.optimize.identifiability;
