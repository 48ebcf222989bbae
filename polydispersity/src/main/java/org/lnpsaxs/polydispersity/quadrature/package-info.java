/**
 * Quadrature rules that replace a size distribution by nodes \( x_k \) (Å) and weights
 * \( w_k \) (\( \sum_k w_k = 1 \)), with their derivatives with respect to the distribution's
 * parameters: the paper's Gauss–Legendre nodes in CDF space
 * ({@link org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf}, \( x_k = F^{-1}(u_k) \),
 * constant weights) and sasmodels' linear grid over ±nσ with truncation at the parameter limits
 * and renormalised density weights ({@link org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid}),
 * Gauss–Legendre in x weighted by the density
 * ({@link org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity}), and the accurate rule for
 * scattering averages ({@link org.lnpsaxs.polydispersity.quadrature.AdaptiveGaussLegendre}:
 * composite Gauss–Legendre that covers the \( x^6 \)-weighted tail and resolves the oscillations
 * up to the model's largest q). {@link org.lnpsaxs.polydispersity.quadrature.Quadrature} names the
 * choice for fits: {@code paper} or {@code accurate}.
 */
package org.lnpsaxs.polydispersity.quadrature;
