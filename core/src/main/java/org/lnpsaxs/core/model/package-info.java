/**
 * The batched model interfaces that every forward model implements: named parameters with units
 * and bounds ({@link org.lnpsaxs.core.model.Parameter}, {@link org.lnpsaxs.core.model.ParameterSpace}),
 * value-only batched evaluation ({@link org.lnpsaxs.core.model.BatchedModel}: the LNP simulator),
 * and reverse-mode differentiable evaluation ({@link org.lnpsaxs.core.model.DifferentiableModel}:
 * the analytic form factors, the neural surrogate, the size-distribution layer).
 *
 * <p>Conventions: q in Å⁻¹, lengths in Å, SLD in 10⁻⁶ Å⁻²; arrays flat and batch-major.
 */
package org.lnpsaxs.core.model;
