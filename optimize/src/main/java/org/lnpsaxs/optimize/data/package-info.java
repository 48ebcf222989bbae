/**
 * Measured curves prepared for fitting: {@link org.lnpsaxs.optimize.data.FitData} takes a
 * {@link org.lnpsaxs.core.data.ScatteringCurve}, leaves out the flagged rows the loss cannot take
 * (σ = 0 always; I ≤ 0 only for a loss that takes logarithms) and the rows outside the q range, each
 * with a logged count, and builds the fitting grid: the measured q, or — for models with a fixed q
 * grid such as the surrogate — the model-grid points inside the measured range, onto which the
 * data are interpolated by a monotone cubic (Fritsch–Carlson) in \( \ln I \) (σ through σ/I).
 * q in Å⁻¹; intensities and σ in the data's own unit.
 */
package org.lnpsaxs.optimize.data;
