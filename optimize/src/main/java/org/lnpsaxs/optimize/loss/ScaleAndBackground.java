package org.lnpsaxs.optimize.loss;

/**
 * The closed-form scale and background of a χ² fit: the data are described by
 * \( s\,M(q) + b \).
 *
 * @param scale      s ≥ 0, data intensity unit per model intensity unit
 * @param background b, in the data's intensity unit (cm⁻¹ for absolute data)
 */
public record ScaleAndBackground(double scale, double background) {
}
