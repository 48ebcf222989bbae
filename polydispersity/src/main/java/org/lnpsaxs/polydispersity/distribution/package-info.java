/**
 * Size distributions as immutable values with pdf, cdf, inverse cdf and their derivatives with
 * respect to the distribution's own parameters:
 * {@link org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal} (the paper's: mean m and CV,
 * \( \sigma^2 = \ln(1+\mathrm{CV}^2) \), \( \mu = \ln m - \sigma^2/2 \), truncated to [A, B] Å) and
 * sasmodels' {@link org.lnpsaxs.polydispersity.distribution.Gaussian},
 * {@link org.lnpsaxs.polydispersity.distribution.LogNormal} (median, ln-width) and
 * {@link org.lnpsaxs.polydispersity.distribution.Schulz}, with \( \sigma = \mathrm{pd}\cdot c \)
 * for size parameters. x in Å, densities in 1/Å.
 */
package org.lnpsaxs.polydispersity.distribution;
