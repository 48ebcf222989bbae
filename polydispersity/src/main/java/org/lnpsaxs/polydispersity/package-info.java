/**
 * The size-distribution layer: averages of a monodisperse model over distributions of its size
 * parameters, with reverse-mode gradients.
 *
 * <ul>
 * <li>{@link org.lnpsaxs.polydispersity.PolydisperseModel} — the paper's number-weighted average
 * \( \langle I\rangle(q) = \sum_k w_k\, I(q; x_k, \theta) \) (\( \sum_k w_k = 1 \)) over any
 * {@link org.lnpsaxs.core.model.BatchedModel}; differentiable
 * ({@link org.lnpsaxs.polydispersity.DifferentiablePolydisperseModel}) when the model is. Used for
 * the LNP simulator and its surrogate, whose intensities (arbitrary units) already scale like V².</li>
 * <li>{@link org.lnpsaxs.polydispersity.SasPolydisperseModel} — sasmodels' average over a
 * {@link org.lnpsaxs.core.formfactor.FormFactor},
 * \( I = \mathrm{scale}\,\langle 10^{-4}F^2\rangle/\langle V\rangle + \mathrm{background} \) in cm⁻¹.</li>
 * <li>{@link org.lnpsaxs.polydispersity.Dispersion} — which parameter is distributed, with which
 * distribution ({@code distribution} package) and quadrature rule ({@code quadrature} package),
 * and how the distribution's parameters are named. Several dispersions form an outer product
 * with product weights.</li>
 * <li>{@link org.lnpsaxs.core.model.FusedDifferentiableModel} — evaluation and reverse pass in
 * one call, sharing the forward work.</li>
 * </ul>
 * Both layers have two tiers over one implementation: the batched calls on positional parameter
 * vectors (what fits use) and a named tier with sasmodels' names and defaults —
 * {@code with("radius", 250)}, {@code with("radius_pd", 0.1)}, {@code with("radius_pd_type", "schulz")},
 * {@code evaluate()}. Lengths in Å, q in Å⁻¹, SLDs in 10⁻⁶ Å⁻².
 */
package org.lnpsaxs.polydispersity;
