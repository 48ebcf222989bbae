/**
 * Quasi-random sampling of parameter boxes: {@link org.lnpsaxs.core.sampling.ScrambledSobol}, a
 * seeded, randomised (linearly scrambled and digitally shifted) Sobol sequence in the unit cube
 * \([0,1)^d\), used for training sets of the neural surrogate and for the starts of multi-start
 * fits. A point u of the unit cube maps to a box \([l_j, h_j]\) by \( \theta_j = l_j + u_j (h_j - l_j) \);
 * the values are dimensionless.
 */
package org.lnpsaxs.core.sampling;
