package org.lnpsaxs.optimize.posterior;

/**
 * A batched map from sampler coordinates to reported quantities (for instance from unconstrained
 * fit coordinates to parameters in their model units), so that posterior summaries are in the
 * units of what is reported. Arrays are batch-major; the output row width is the number of names
 * given with the transform (see {@link Chain#map}).
 */
@FunctionalInterface
public interface BatchTransform {

    /**
     * Maps {@code batch} points.
     *
     * @param in    {@code batch * d} input coordinates
     * @param batch number of points
     * @param out   receives {@code batch * m} outputs
     */
    void apply(double[] in, int batch, double[] out);
}
