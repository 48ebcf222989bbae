/**
 * The paper's LNP model as a fit model: {@link org.lnpsaxs.surrogate.fit.LnpFitModel} averages the
 * monodisperse neural surrogate over a truncated log-normal outer radius (arbitrary intensity
 * units, the surrogate's fixed q grid in Å⁻¹, lengths in Å), and
 * {@link org.lnpsaxs.surrogate.fit.LnpFitModelProvider} registers it as {@code lnp} with the fit
 * model registry of the optimize module ({@link org.lnpsaxs.optimize.model.FitModels}).
 */
package org.lnpsaxs.surrogate.fit;
