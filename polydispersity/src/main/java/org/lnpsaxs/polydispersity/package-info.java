/**
 * Size distributions, quadrature rules and the reverse-mode differentiable layer that averages a
 * monodisperse model over them: \( I(q) = \sum_k w_k\, I(q; R_k, \theta) \) (number-weighted,
 * the paper's) or sasmodels' \( \mathrm{scale}\,\langle F^2\rangle/\langle V\rangle + \mathrm{background} \).
 * Lengths in Å.
 */
package org.lnpsaxs.polydispersity;
