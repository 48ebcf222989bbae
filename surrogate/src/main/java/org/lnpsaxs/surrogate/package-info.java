/**
 * The ND4J neural surrogate of the LNP simulator: the map from the nine simulator parameters to
 * log₁₀ I(q) on a fixed q grid (Å⁻¹), its training data, training, model files and batched
 * inference with input gradients. Intensities are in the simulator's arbitrary units.
 */
package org.lnpsaxs.surrogate;
