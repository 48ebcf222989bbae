package org.lnpsaxs.optimize.loss;

import java.util.Locale;

/**
 * How a model's error, as the estimates of a size distribution's location and width see it,
 * depends on that width: the part of the error's covariance that moves those two estimates has its
 * variance multiplied by
 * \[ f = \big(w / w_\mathrm{ref}\big)^{-P}, \]
 * w the width parameter (for the LNP model {@code radius_cv}, dimensionless) at the best fit, the
 * rest of the error unchanged. Measured for the LNP surrogate (docs/calibration.md, "The broad-size
 * term at the posterior"): the direct simulator's error fills only a fraction of the error model's
 * share of the size pair's variance once the distribution is broad, so a width-independent error
 * makes broad distributions' size intervals too wide and narrow ones' too narrow.
 *
 * <p>With the whitened problem at the best fit — the covariance \( C = D + E \) (data variance D, model
 * error E, both in (ln I)²), the Jacobian X = [∂ ln I/∂θ, 1] (the last column the profiled scale)
 * and the generalised-least-squares step map \( G = (X^TC^{-1}X)^{-1}X^TC^{-1} \) — let B be G's two
 * rows of the location and the width. Then
 * \[ E' = T E T^T,\qquad T = I + (\sqrt f - 1)\,E B^T (B E B^T)^{-1} B, \]
 * so that \( B E' B^T = f\,B E B^T \) exactly (B T = √f B), and an error direction that B does not
 * see is left as it was. {@link LogIntensityLikelihood#withSizeEstimateTerm} builds the likelihood
 * with E' in place of E; a fit holds it fixed, as it holds the error's size.
 *
 * @param location     the position of the location parameter (for LNP {@code radius_mean}) among
 *                     the bound model's parameters
 * @param width        the position of the width parameter (for LNP {@code radius_cv}), another one
 * @param referenceWidth w_ref &gt; 0, in the width parameter's unit: where f = 1
 * @param power        P ≥ 0 (0: f = 1 everywhere, no change)
 */
public record SizeEstimateTerm(int location, int width, double referenceWidth, double power) {

    /**
     * Checks the numbers.
     *
     * @throws IllegalArgumentException if a position is negative or both are the same, w_ref is not
     *                                  finite and &gt; 0, or P is not finite and ≥ 0
     */
    public SizeEstimateTerm {
        if (location < 0 || width < 0 || location == width) {
            throw new IllegalArgumentException("size-estimate term: the location's and the width's positions must be two"
                    + " different parameter positions >= 0, got " + location + " and " + width);
        }
        if (!(referenceWidth > 0) || !Double.isFinite(referenceWidth)) {
            throw new IllegalArgumentException("size-estimate term: the reference width must be finite and > 0, got "
                    + referenceWidth);
        }
        if (!(power >= 0) || !Double.isFinite(power)) {
            throw new IllegalArgumentException("size-estimate term: the power must be finite and >= 0, got " + power);
        }
    }

    /**
     * The variance factor f at the full parameter vector {@code theta} (the bound model's order).
     *
     * @throws IllegalArgumentException if the width there is not finite and &gt; 0
     */
    public double factor(double[] theta) {
        double w = theta[width];
        if (!(w > 0) || !Double.isFinite(w)) {
            throw new IllegalArgumentException("size-estimate term: the width parameter is " + w + "; it must be finite"
                    + " and > 0");
        }
        return Math.pow(w / referenceWidth, -power);
    }

    /** One line: the form and its numbers. */
    public String description() {
        return String.format(Locale.ROOT, "the size estimates' part of the error in variance x (width / %.4g)^-%.4g",
                referenceWidth, power);
    }
}
