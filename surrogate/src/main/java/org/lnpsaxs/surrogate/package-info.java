/**
 * The ND4J neural surrogate of the LNP simulator: the map from the nine simulator parameters to
 * I(q) on a fixed q grid (Å⁻¹), as the closed-form intensity of the mean particle (package
 * {@code lnp}) corrected and completed by two small networks (package {@code nn}):
 * \( I_k = \bar I_k\,10^{E_k} + N_c\,10^{D_k} \); its training data ({@code data}), training
 * ({@code train}), model files, evaluation ({@code eval}) and batched inference with exact input
 * gradients ({@link org.lnpsaxs.surrogate.Surrogate}). Intensities are in the simulator's
 * arbitrary units.
 */
package org.lnpsaxs.surrogate;
