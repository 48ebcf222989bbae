/**
 * Fitting SAXS data with many starts and analysing the ensemble of equally good fits.
 *
 * <p>{@link org.lnpsaxs.optimize.FitProblem} holds what to fit (a
 * {@link org.lnpsaxs.optimize.model.FitModel}, data prepared by
 * {@link org.lnpsaxs.optimize.data.FitData}, a {@link org.lnpsaxs.optimize.param.FitSpace} and a
 * {@link org.lnpsaxs.optimize.loss.Loss}); {@link org.lnpsaxs.optimize.Fitter} runs scrambled-Sobol
 * starts through a batched optimiser (L-BFGS or the paper's AdamW), selects the ensemble
 * ({@link org.lnpsaxs.optimize.ensemble}) and analyses it
 * ({@link org.lnpsaxs.optimize.identifiability}); {@link org.lnpsaxs.optimize.FitResult} holds
 * everything, and {@link org.lnpsaxs.optimize.report.FitReport} writes it as JSON. Losses: the
 * paper's scale-free loss \( 0.1\,\mathrm{mean}(\Delta\ln\hat I)^2 + \mathrm{mean}(\Delta\hat I/10^5)^2 \)
 * with \( \hat I = I/\int q^2 I\,dq \), or χ² with closed-form scale and background. q in Å⁻¹,
 * lengths in Å.
 */
package org.lnpsaxs.optimize;
