/**
 * The physics the LNP surrogate builds in, in closed form (not learned).
 *
 * <p>In the LNP simulator the particle's density minus the solvent's is
 * \( \rho - 1 = c_c 1_{core} + c_s 1_{shell} + \delta\, 1_{core} \) with the core contrast
 * \( c_c = \mathrm{GRF\_shift} \), the shell contrast
 * \( c_s = \mathrm{relative\_rho\_shell}\,(1 + \mathrm{GRF\_shift}) - 1 \) and the interior
 * fluctuation \( \delta = t(Y) - E[t(Y)] \) (sigmoid of the standardised Gaussian field minus its
 * expectation), so \( E[\delta] = 0 \) and the expected intensity has no cross term:
 * \[ E[I(q)] = \big\langle |c_c A_c + c_s A_s|^2 \big\rangle + E\big\langle |F_\delta|^2\big\rangle, \]
 * where ⟨·⟩ is the simulator's smoothing and radial average. The first term, the mean particle
 * (a homogeneous core-shell sphere), is {@link org.lnpsaxs.surrogate.lnp.MeanParticle}, averaged
 * exactly as the simulator does by {@link org.lnpsaxs.surrogate.lnp.RadialOperator}; the second
 * depends only on the core radius and the spectrum and is learned by the surrogate (see
 * {@link org.lnpsaxs.surrogate.nn.NetworkSpec}); {@link org.lnpsaxs.surrogate.lnp.ClosedFormLnp}
 * computes it in closed form instead, from the field's correlation and the core's overlap volume,
 * and adds the mean particle: the simulator's expected intensity with no network.
 * {@link org.lnpsaxs.surrogate.lnp.LnpFeatures} maps
 * the nine parameters to the derived values and the networks' features, with the reverse pass.
 *
 * <p>Units: lengths in Å, q in Å⁻¹, intensities in the simulator's units (squared DFT of the
 * projected contrast in voxel units, \( I(0) = (\sum_{voxels}(\rho - 1))^2 \)).
 */
package org.lnpsaxs.surrogate.lnp;
