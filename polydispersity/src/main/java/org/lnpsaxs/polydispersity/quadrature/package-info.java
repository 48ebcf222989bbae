/**
 * Quadrature rules that replace a size distribution by nodes \( x_k \) (Å) and weights
 * \( w_k \) (\( \sum_k w_k = 1 \)), with their derivatives with respect to the distribution's
 * parameters: the paper's Gauss–Legendre nodes in CDF space
 * ({@link org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf}, \( x_k = F^{-1}(u_k) \),
 * constant weights) and sasmodels' linear grid over ±nσ with truncation at the parameter limits
 * and renormalised density weights ({@link org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid}).
 */
package org.lnpsaxs.polydispersity.quadrature;
