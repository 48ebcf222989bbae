package org.lnpsaxs.optimize.loss;

/**
 * A {@link Loss} whose value depends on the parameters themselves, not only through the model
 * curve: the {@code loglik} likelihood when the model's error has a parameter-dependent size
 * ({@link ErrorAmplitude}), so that its covariance, log-determinant and scale precision change
 * with θ. The fitting machinery calls {@link #evaluate(double[], int, double[], int, double[], double[], double[])}
 * with the parameter vectors and adds the direct gradient to the one through the model curve.
 * The plain {@link Loss#evaluate} holds the parameter-dependent part at its reference point
 * ({@link #at} sets it; as constructed, the amplitude is 1). Immutable and thread-safe.
 */
public interface ParameterDependentLoss extends Loss {

    /** Whether the value depends on the parameters beyond the model curve (false: a plain loss). */
    boolean dependsOnParameters();

    /**
     * Evaluates a batch at its parameter vectors.
     *
     * @param theta      {@code batch * parameters} full parameter vectors (the bound model's order, parameter units)
     * @param parameters P, the length of one parameter vector
     * @param model      {@code batch * N} model intensities at those parameters
     * @param batch      the number of curves
     * @param values     receives {@code batch} values
     * @param dLdModel   receives {@code batch * N} gradients with respect to the intensities (overwritten), or {@code null}
     * @param dLdTheta   receives {@code batch * P} direct gradients with respect to the parameters (overwritten;
     *                   the part through the model curve is not in it), or {@code null}
     */
    void evaluate(double[] theta, int parameters, double[] model, int batch, double[] values, double[] dLdModel,
                  double[] dLdTheta);

    /** The value of one curve at its parameters (calls the batched path). */
    default double value(double[] theta, double[] model) {
        checkLength(model);
        double[] v = new double[1];
        evaluate(theta, theta.length, model, 1, v, null, null);
        return v[0];
    }

    /**
     * This loss with its parameter-dependent part held at {@code theta} (a plain loss of the
     * curve alone, for curvature, alignment and residuals at a best fit).
     */
    Loss at(double[] theta);
}
