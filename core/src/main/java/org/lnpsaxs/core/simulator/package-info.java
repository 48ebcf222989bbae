/**
 * The paper's LNP forward model: a spherical particle of outer radius R (Å) with a shell of
 * thickness t (Å) whose core holds a Gaussian-random-field density, simulated directly by FFTs.
 * Densities are relative to the solvent (solvent = 1) and intensities are in arbitrary units
 * (squared projected voxel-density contrast); q in Å⁻¹. {@link org.lnpsaxs.core.simulator.LnpParameters}
 * holds the nine parameters.
 */
package org.lnpsaxs.core.simulator;
