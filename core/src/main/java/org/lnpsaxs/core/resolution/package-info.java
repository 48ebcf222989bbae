/**
 * Instrumental resolution as precomputed linear operators, so that gradients pass straight
 * through.
 *
 * <p>A {@link org.lnpsaxs.core.resolution.ResolutionOperator} maps intensities on a calculation
 * grid \( q_\mathrm{calc} \) to smeared intensities on the output grid,
 * \( I_s(q_i) = \sum_j W_{ij} I(q_{\mathrm{calc},j}) \), with rows that sum to 1 and the transpose
 * for the reverse mode. {@link org.lnpsaxs.core.resolution.Pinhole} builds the pinhole operator
 * (a Gaussian of width \( \Delta q \) truncated to \( [q-2.5\Delta q, q+3\Delta q] \) and
 * renormalised) two ways: exactly as sasmodels 1.0.6 / SasView does, and as a converged
 * Gauss–Legendre quadrature of the same integral. {@link org.lnpsaxs.core.resolution.Slit} builds
 * the slit operator of a line-collimated instrument (the intensity averaged along a slit of length
 * dQl and, optionally, across a width dQw) the same two ways.
 * {@link org.lnpsaxs.core.resolution.SmearedModel} applies an operator to any differentiable
 * model defined on \( q_\mathrm{calc} \); with sasmodels models the background is smeared too,
 * which is the same as adding it afterwards because the rows sum to 1.
 * {@link org.lnpsaxs.core.resolution.ResolutionSpec} parses the text forms a person writes
 * ({@code none}, {@code data}, {@code data-exact}, {@code pinhole:F}, {@code pinhole-exact:F},
 * {@code slit:H}, {@code slit-exact:H}) into the operator for a grid, or for a measured curve
 * ({@code data}: its slit, else its dq, else none) as an
 * {@link org.lnpsaxs.core.resolution.AppliedResolution} that says what was applied.
 *
 * <p>Units: q and \( \Delta q \) in Å⁻¹; intensities keep their unit (cm⁻¹ for sasmodels models).
 */
package org.lnpsaxs.core.resolution;
