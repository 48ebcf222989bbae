package org.lnpsaxs.polydispersity.distribution;

import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A probability distribution of one size parameter x (a radius or a thickness, in Å) with its own
 * parameters θ (for example a mean in Å and a dimensionless width), as an immutable value: the
 * density, the cumulative distribution, its inverse, and the derivatives of all three with
 * respect to θ. These derivatives carry the reverse pass of the size-distribution layer through
 * the node positions \( x_k = F^{-1}(u_k; \theta) \) and through the weights.
 *
 * <p>Units: x and the values returned by {@link #inverseCdf} in Å (the unit of the parameter the
 * distribution describes); {@link #pdf} in 1/Å; {@link #cdf} dimensionless. Gradient arrays hold
 * one entry per parameter, in the order of {@link #parameters()}.
 *
 * <p>Implementations are immutable and thread-safe; {@link #withParameters} returns a new value.
 */
public interface SizeDistribution {

    /** A short name, e.g. {@code truncated_lognormal}, {@code gaussian}, {@code lognormal}, {@code schulz}. */
    String name();

    /** The distribution's own parameters (names without any prefix), their units and bounds. */
    ParameterSpace parameters();

    /** The current parameter values (a copy), in the order of {@link #parameters()}. */
    double[] parameterValues();

    /**
     * A distribution of the same family with other parameter values.
     *
     * @throws IllegalArgumentException naming the parameter when a value is not allowed
     */
    SizeDistribution withParameters(double... values);

    /** The lower end of the support, Å (may be {@code -Infinity}). */
    double supportLower();

    /** The upper end of the support, Å (may be {@code +Infinity}). */
    double supportUpper();

    /** The probability density at x, 1/Å (0 outside the support). */
    double pdf(double x);

    /** \( \partial\,\mathrm{pdf}/\partial x \) at x, 1/Å². */
    double pdfDerivative(double x);

    /** The cumulative probability \( F(x) = P(X \le x) \). */
    double cdf(double x);

    /** The quantile \( F^{-1}(u) \), Å, for u in [0, 1]. */
    double inverseCdf(double u);

    /**
     * \( \partial\,\mathrm{pdf}(x)/\partial\theta_j \) at fixed x.
     *
     * @param grad receives {@code parameters().size()} values
     */
    void pdfGradient(double x, double[] grad);

    /**
     * \( \partial F(x)/\partial\theta_j \) at fixed x.
     *
     * @param grad receives {@code parameters().size()} values
     */
    void cdfGradient(double x, double[] grad);

    /**
     * \( \partial F^{-1}(u)/\partial\theta_j \) at fixed u. The default uses the implicit-function
     * rule \( \partial x/\partial\theta = -(\partial F/\partial\theta)/\mathrm{pdf}(x) \);
     * implementations override it where a closed form is more accurate.
     *
     * @param grad receives {@code parameters().size()} values, Å per unit of each parameter
     */
    default void inverseCdfGradient(double u, double[] grad) {
        double x = inverseCdf(u);
        cdfGradient(x, grad);
        double f = pdf(x);
        if (!(f > 0)) {
            throw new ArithmeticException(name() + ": density is " + f + " at the quantile x = " + x
                    + " (u = " + u + "); the quantile has no derivative there");
        }
        for (int j = 0; j < parameters().size(); j++) {
            grad[j] = -grad[j] / f;
        }
    }

    /**
     * The quantile and its gradient at once: returns {@link #inverseCdf}(u), Å, and fills
     * {@code grad} as {@link #inverseCdfGradient} does, with the same values bit for bit. The
     * default calls both; implementations whose gradient needs the quantile override it to compute
     * the quantile once (a quadrature in CDF space asks for both at every node and every step).
     *
     * @param grad receives {@code parameters().size()} values, Å per unit of each parameter
     */
    default double inverseCdfWithGradient(double u, double[] grad) {
        inverseCdfGradient(u, grad);
        return inverseCdf(u);
    }
}
