package org.lnpsaxs.optimize.posterior;

/**
 * An unnormalised log probability density over unconstrained coordinates \( u \in \mathbb{R}^d \),
 * evaluated for many points in one call, as the samplers see it.
 *
 * <p>Arrays are batch-major: point {@code b} is {@code x[b*d] .. x[b*d + d - 1]}. Each point's
 * value depends only on that point, never on which other points share the batch, so a sampler's
 * output does not depend on how the density batches its work. A point that cannot be scored
 * (outside a support, a model that fails there) has the value {@code -Infinity}; the samplers
 * reject it. {@code NaN} and {@code +Infinity} are errors. The density is called from one thread
 * at a time; it may use threads of its own inside a call.
 *
 * <p>The density is in natural-log units and only needs to be known up to an additive constant.
 * When it comes from a fit, it is the log posterior in the fit's unconstrained coordinates,
 * Jacobian of the reparameterisation included (otherwise the prior is not the one intended).
 */
public interface BatchLogDensity {

    /** The number of coordinates d of each point. */
    int dimension();

    /**
     * Log densities at {@code batch} points.
     *
     * @param x     {@code batch * d} coordinates, batch-major
     * @param batch number of points
     * @param out   receives {@code batch} values ({@code -Infinity} where a point cannot be scored)
     */
    void logDensity(double[] x, int batch, double[] out);

    /** Whether {@link #logDensityAndGradient} is available. */
    default boolean hasGradient() {
        return false;
    }

    /**
     * Log densities and their gradients with respect to the coordinates at {@code batch} points.
     * The values equal those of {@link #logDensity}; where a value is {@code -Infinity} the
     * gradient row is unspecified.
     *
     * @param x        {@code batch * d} coordinates, batch-major
     * @param batch    number of points
     * @param out      receives {@code batch} values
     * @param gradient receives {@code batch * d} partial derivatives, batch-major
     * @throws UnsupportedOperationException when {@link #hasGradient()} is false
     */
    default void logDensityAndGradient(double[] x, int batch, double[] out, double[] gradient) {
        throw new UnsupportedOperationException(
                "this log density has no gradient (hasGradient() is false); use logDensity");
    }
}
