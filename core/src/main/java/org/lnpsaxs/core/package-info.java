/**
 * The core of lnpsaxs: library facts ({@link org.lnpsaxs.core.Lnpsaxs}). Sub-packages hold the
 * model interfaces ({@code model}), scattering data and q grids ({@code data}), analytic form
 * factors ({@code formfactor}), resolution smearing ({@code resolution}) and the LNP simulator
 * ({@code simulator}).
 *
 * <p>Units follow sasmodels: q in Å⁻¹, lengths in Å, SLD in 10⁻⁶ Å⁻², absolute intensity in
 * cm⁻¹. The LNP simulator keeps the paper's relative density units (solvent = 1) and arbitrary
 * intensity units.
 */
package org.lnpsaxs.core;
