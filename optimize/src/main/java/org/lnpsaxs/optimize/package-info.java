/**
 * Fitting SAXS data with many starts and analysing the ensemble of equally good fits.
 *
 * <p>A {@link org.lnpsaxs.optimize.model.FitModel} (from the registry
 * {@link org.lnpsaxs.optimize.model.FitModels}, or {@link org.lnpsaxs.optimize.model.AnalyticFitModel#of}
 * for a user's form factor) is bound once to the q grid of the data
 * ({@link org.lnpsaxs.optimize.model.BoundModel}); {@link org.lnpsaxs.optimize.FitProblem} holds it
 * with the measured {@link org.lnpsaxs.core.data.ScatteringCurve} prepared for the loss
 * ({@link org.lnpsaxs.optimize.data.FitData}), the fit space
 * ({@link org.lnpsaxs.optimize.param.FitSpace}) and the {@link org.lnpsaxs.optimize.loss.Loss}.
 * {@link org.lnpsaxs.optimize.Fitter} — its {@link org.lnpsaxs.optimize.FitSettings} — runs
 * scrambled-Sobol starts through a batched optimiser (L-BFGS or the paper's AdamW), selects the
 * ensemble ({@link org.lnpsaxs.optimize.ensemble}) and analyses it
 * ({@link org.lnpsaxs.optimize.identifiability}: spreads, modes, Fisher information, profile
 * likelihoods); {@link org.lnpsaxs.optimize.FitResult} holds everything, and
 * {@link org.lnpsaxs.optimize.report.FitReport} writes it as JSON. Losses: the paper's scale-free
 * loss \( 0.1\,\mathrm{mean}(\Delta\ln\hat I)^2 + \mathrm{mean}(\Delta\hat I/10^5)^2 \) with
 * \( \hat I = I/\int q^2 I\,dq \), or χ² with closed-form scale and background. q in Å⁻¹, lengths
 * in Å. {@code org.lnpsaxs.optimize.internal} is not part of the API.
 */
package org.lnpsaxs.optimize;
