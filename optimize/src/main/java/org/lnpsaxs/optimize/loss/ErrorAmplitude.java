package org.lnpsaxs.optimize.loss;

/**
 * How the size of a model's error depends on the model's parameters: the error's standard
 * deviation is \( a(\theta)\,\sigma(q) \) with σ(q) and the correlation of a {@link ModelError}
 * and a dimensionless factor \( a(\theta) &gt; 0 \), smooth in θ. A surrogate is not equally
 * accurate everywhere (the LNP surrogate's error grows as the particle's contrast vanishes); the
 * {@code loglik} likelihood then has a covariance that depends on θ, and its value gains the
 * log-determinant and scale-precision terms that a fixed covariance leaves out
 * ({@link LogIntensityLikelihood}). Implementations are immutable and thread-safe.
 */
public interface ErrorAmplitude {

    /**
     * The factor a(θ) at one full parameter vector (the bound model's parameter order, parameter
     * units), and optionally its gradient.
     *
     * @param theta      parameter vectors, row-major
     * @param offset     where this vector starts in {@code theta}
     * @param parameters P, the length of one parameter vector
     * @param gradient   receives ∂a/∂θ_j for j &lt; P (overwritten) from {@code gOffset}; {@code null} for
     *                   the value only
     * @param gOffset    where the gradient starts in {@code gradient}
     * @return a(θ) &gt; 0, finite
     */
    double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset);

    /** One line: the form, its numbers and what it was measured on. */
    String description();
}
