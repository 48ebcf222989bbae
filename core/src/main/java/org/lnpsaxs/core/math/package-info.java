/**
 * Small numerical helpers shared by several modules, each with one home:
 * {@link org.lnpsaxs.core.math.Invariant}, the Porod-type invariant \( Q_w = \int q^2 I\,dq \) of a
 * curve by the trapezoid rule (q in Å⁻¹, the result in the intensity's unit times Å⁻³), and
 * {@link org.lnpsaxs.core.math.Quantiles}, sample quantiles with linear interpolation between
 * order statistics (numpy's default), and {@link org.lnpsaxs.core.math.Cholesky}, the Cholesky
 * factor of a symmetric positive-definite matrix.
 */
package org.lnpsaxs.core.math;
