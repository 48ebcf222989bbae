package org.lnpsaxs.core.model;

/**
 * A model of the scattered intensity on a fixed q grid, evaluated for many parameter sets at once.
 *
 * <p>Arrays are flat and batch-major: parameter set {@code b} occupies
 * {@code theta[b*P .. b*P+P-1]} with {@code P = parameters().size()}, and its curve occupies
 * {@code out[b*N .. b*N+N-1]} with {@code N = qSize()}. This batched call is the implementation;
 * {@link #evaluate(double...)} is a convenience over it. Implementations state the unit of the
 * intensity they return (for example cm⁻¹ for sasmodels-style models, arbitrary units for the
 * LNP simulator). Implementations must be safe to call from several threads at once.
 */
public interface BatchedModel {

    /** The parameters, their order, units and bounds. */
    ParameterSpace parameters();

    /** The q grid in Å⁻¹ (a copy; ascending). */
    double[] q();

    /** The number of q points. */
    int qSize();

    /**
     * Evaluates {@code batch} parameter sets.
     *
     * @param theta {@code batch * parameters().size()} values, batch-major
     * @param batch the number of parameter sets
     * @param out   receives {@code batch * qSize()} intensities, batch-major
     * @throws IllegalArgumentException if a value is outside its parameter's bounds
     */
    void evaluate(double[] theta, int batch, double[] out);

    /** One curve for one parameter vector (calls the batched path). */
    default double[] evaluate(double... theta) {
        if (theta.length != parameters().size()) {
            throw new IllegalArgumentException("expected " + parameters().size() + " parameter values "
                    + parameters().names() + ", got " + theta.length);
        }
        double[] out = new double[qSize()];
        evaluate(theta, 1, out);
        return out;
    }
}
