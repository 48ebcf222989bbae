/**
 * Size distributions as immutable values with pdf, cdf, inverse cdf and their derivatives with
 * respect to the distribution's own parameters:
 * {@link org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal} (the paper's: mean m and CV,
 * \( \sigma^2 = \ln(1+\mathrm{CV}^2) \), \( \mu = \ln m - \sigma^2/2 \), truncated to [A, B] Å) and
 * sasmodels' {@link org.lnpsaxs.polydispersity.distribution.SasDistribution} families
 * {@code gaussian}, {@code lognormal} (median, ln-width) and {@code schulz}, with
 * \( \sigma = \mathrm{pd}\cdot c \) for size parameters. x in Å, densities in 1/Å. The special
 * functions behind them (normal and incomplete-gamma) are package-private.
 */
package org.lnpsaxs.polydispersity.distribution;
