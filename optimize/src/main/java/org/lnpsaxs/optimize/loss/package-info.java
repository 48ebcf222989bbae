/**
 * Losses that compare batches of model curves with one data curve, with exact gradients with
 * respect to the model curve.
 *
 * <p>{@link org.lnpsaxs.optimize.loss.ScaleFreeLoss} is the paper's loss: model and data each
 * divided by \( Q_w = \int q^2 I\,dq \) (trapezoid rule on the fitting grid), then
 * \( 0.1\,\mathrm{mean}(\Delta\ln\hat I)^2 + \mathrm{mean}(\Delta\hat I/10^5)^2 \); it needs no σ
 * and no scale. {@link org.lnpsaxs.optimize.loss.ChiSquaredLoss} is
 * \( \sum (sM + b - D)^2/\sigma^2 \) with the scale s and background b solved in closed form for
 * every curve (envelope theorem for the gradient). Both are invariant to the model's scale.
 * q in Å⁻¹; intensities in the data's unit.
 */
package org.lnpsaxs.optimize.loss;
