/**
 * Measured curves prepared for fitting: {@link org.lnpsaxs.optimize.data.FitData} keeps the usable
 * rows inside [q-min, q-max] (flagged rows are dropped with a logged count) and, for models with a
 * fixed q grid such as the surrogate, interpolates the data onto that grid with the monotone cubic
 * of {@link org.lnpsaxs.optimize.data.MonotoneCubic} in \( \ln I \) (σ through σ/I). q in Å⁻¹;
 * intensities and σ in the data's own unit.
 */
package org.lnpsaxs.optimize.data;
