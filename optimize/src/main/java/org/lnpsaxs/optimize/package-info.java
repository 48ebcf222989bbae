/**
 * Fitting SAXS data: losses (the paper's scale-free loss, σ-weighted χ²), bounded
 * reparameterisation, batched multi-start optimisation, ensembles of near-optimal fits and their
 * identifiability analysis. q in Å⁻¹, lengths in Å.
 */
package org.lnpsaxs.optimize;
