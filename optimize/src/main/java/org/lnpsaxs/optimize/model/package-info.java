/**
 * The models the fitter knows and how to add one. A {@link org.lnpsaxs.optimize.model.FitModel}
 * is a differentiable intensity model with a size distribution; {@code bind(grid)} ties it to the
 * fitting grid once and gives a {@link org.lnpsaxs.optimize.model.BoundModel} (the model on
 * exactly that grid, its default fit box, its size summaries). A model with a fixed grid (the
 * surrogate) is seen through a {@link org.lnpsaxs.optimize.model.GridWindow}.
 *
 * <p>{@link org.lnpsaxs.optimize.model.AnalyticFitModel} turns a sasmodels-style
 * {@link org.lnpsaxs.core.formfactor.FormFactor} into a fit model with a truncated log-normal
 * radius ({@code sphere}, {@code core_shell_sphere}, or a user's form factor); its size summary is
 * {@link org.lnpsaxs.optimize.model.SizeSummary#truncatedLogNormal}. Models are found by name in
 * {@link org.lnpsaxs.optimize.model.FitModels}, which reads every
 * {@link org.lnpsaxs.optimize.model.FitModelProvider} on the class path (and those registered at run
 * time); the {@code lnp} model comes with the surrogate module. Lengths in Å, q in Å⁻¹, SLDs in
 * 10⁻⁶ Å⁻²; analytic intensities in cm⁻¹, the LNP model's in simulator units.
 */
package org.lnpsaxs.optimize.model;
