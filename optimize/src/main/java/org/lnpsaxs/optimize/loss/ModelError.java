package org.lnpsaxs.optimize.loss;

import java.util.Arrays;
import java.util.Objects;

/**
 * The error of a model curve in \( \ln I \), as a Gaussian process along q: the difference
 * \( \ln I_\mathrm{model}(q) - \ln I_\mathrm{true}(q) \) has standard deviation \( \sigma(q) \)
 * (dimensionless, natural-log units) and correlation
 * \[ \rho(\Delta q) = \Big(1 + \frac{\sqrt3\,|\Delta q|}{\ell}\Big)\exp\Big(-\frac{\sqrt3\,|\Delta q|}{\ell}\Big) \]
 * (the Matérn kernel of smoothness 3/2, stationary in q, correlation length \( \ell \) in Å⁻¹;
 * \( \ell = 0 \) means independent points). The covariance of two points is
 * \( \sigma(q_i)\sigma(q_j)\rho(q_i - q_j) \).
 *
 * <p>σ is given at the points of {@code q} (strictly ascending, Å⁻¹) and interpolated linearly
 * between them; a point outside [q₁, q_N] is refused. A surrogate model ships its measured error
 * this way (the LNP surrogate's model file, see docs/surrogate.md); an analytic model has none.
 * Immutable: the arrays are copied in and out.
 *
 * <p>The error's size may depend on the parameters: with an {@link ErrorAmplitude} a(θ) the
 * standard deviation is \( a(\theta)\,\sigma(q) \) (the correlation unchanged); without one it is
 * σ(q) everywhere. {@link #covariance} is the covariance at a = 1.
 *
 * <p>With a {@link SizeEstimateTerm} the part of the error that a size distribution's location
 * and width estimates see scales with the width at the best fit; the likelihood applies it once,
 * at a fit's best parameters ({@link LogIntensityLikelihood#withSizeEstimateTerm}).
 *
 * @param q                 the grid of σ, strictly ascending, Å⁻¹ (at least one point)
 * @param sigma             σ(q) ≥ 0 in ln I at each grid point
 * @param correlationLength ℓ ≥ 0, Å⁻¹ (0: independent points)
 * @param description       one line saying what the error is of and where it was measured
 * @param amplitude         how the error's size depends on the parameters, or {@code null} when it does not
 * @param sizeEstimates     how the size estimates' part of the error depends on the width at the best
 *                          fit, or {@code null} for no such term
 */
public record ModelError(double[] q, double[] sigma, double correlationLength, String description,
                         ErrorAmplitude amplitude, SizeEstimateTerm sizeEstimates) {

    private static final double SQRT3 = Math.sqrt(3);

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException if q is empty or not strictly ascending and finite, σ has
     *                                  another length or a negative or non-finite value, or ℓ is
     *                                  negative or not finite
     */
    public ModelError {
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(sigma, "sigma");
        Objects.requireNonNull(description, "description");
        if (q.length == 0 || sigma.length != q.length) {
            throw new IllegalArgumentException("model error: needs at least one q point and one sigma per q point, got "
                    + q.length + " q and " + sigma.length + " sigma values");
        }
        for (int i = 0; i < q.length; i++) {
            if (!Double.isFinite(q[i]) || (i > 0 && !(q[i] > q[i - 1]))) {
                throw new IllegalArgumentException("model error: q must be finite and strictly ascending (q[" + i + "] = "
                        + q[i] + " 1/Å)");
            }
            if (!(sigma[i] >= 0) || !Double.isFinite(sigma[i])) {
                throw new IllegalArgumentException("model error: sigma at q = " + q[i] + " 1/Å is " + sigma[i]
                        + "; it must be finite and >= 0 (ln I units)");
            }
        }
        if (!(correlationLength >= 0) || !Double.isFinite(correlationLength)) {
            throw new IllegalArgumentException("model error: the correlation length is " + correlationLength
                    + " 1/Å; it must be finite and >= 0 (0: independent points)");
        }
        q = q.clone();
        sigma = sigma.clone();
    }

    /** An error whose size does not depend on the parameters (no {@link ErrorAmplitude}), without a size-estimate term. */
    public ModelError(double[] q, double[] sigma, double correlationLength, String description) {
        this(q, sigma, correlationLength, description, null, null);
    }

    /** An error with the amplitude {@code amplitude} ({@code null}: none) and no size-estimate term. */
    public ModelError(double[] q, double[] sigma, double correlationLength, String description, ErrorAmplitude amplitude) {
        this(q, sigma, correlationLength, description, amplitude, null);
    }

    /** This error with its size depending on the parameters through {@code a} ({@code null}: not at all). */
    public ModelError withAmplitude(ErrorAmplitude a) {
        return new ModelError(q, sigma, correlationLength, description, a, sizeEstimates);
    }

    /** This error with the size-estimate term {@code term} ({@code null}: none). */
    public ModelError withSizeEstimates(SizeEstimateTerm term) {
        return new ModelError(q, sigma, correlationLength, description, amplitude, term);
    }

    /** The grid of σ, Å⁻¹ (a copy). */
    @Override
    public double[] q() {
        return q.clone();
    }

    /** σ(q) in ln I at the grid points (a copy). */
    @Override
    public double[] sigma() {
        return sigma.clone();
    }

    /** The Matérn-3/2 correlation of two points {@code dq} Å⁻¹ apart (1 at 0). */
    public double correlation(double dq) {
        if (correlationLength == 0) {
            return dq == 0 ? 1 : 0;
        }
        double x = SQRT3 * Math.abs(dq) / correlationLength;
        return (1 + x) * Math.exp(-x);
    }

    /**
     * σ at {@code at} Å⁻¹, interpolated linearly between grid points.
     *
     * @throws IllegalArgumentException if {@code at} is outside the grid [q₁, q_N]
     */
    public double sigmaAt(double at) {
        int n = q.length;
        double tol = 1e-9 * Math.max(Math.abs(q[0]), Math.abs(q[n - 1]));
        if (!(at >= q[0] - tol && at <= q[n - 1] + tol)) {
            throw new IllegalArgumentException("model error: q = " + at + " 1/Å is outside its grid [" + q[0] + ", "
                    + q[n - 1] + "] 1/Å");
        }
        int k = Arrays.binarySearch(q, at);
        if (k >= 0) {
            return sigma[k];
        }
        int hi = -k - 1;
        if (hi <= 0) {
            return sigma[0];
        }
        if (hi >= n) {
            return sigma[n - 1];
        }
        double t = (at - q[hi - 1]) / (q[hi] - q[hi - 1]);
        return sigma[hi - 1] + t * (sigma[hi] - sigma[hi - 1]);
    }

    /**
     * The covariance matrix of the error at the points {@code at} (Å⁻¹, each inside the grid), in
     * (ln I)².
     */
    public double[][] covariance(double[] at) {
        int n = at.length;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = sigmaAt(at[i]);
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            c[i][i] = s[i] * s[i];
            for (int j = 0; j < i; j++) {
                double v = s[i] * s[j] * correlation(at[i] - at[j]);
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        return c;
    }

    /**
     * This error with σ multiplied by {@code factor} (the correlation unchanged), for studies of
     * how the error model's size affects an inference.
     *
     * @throws IllegalArgumentException if the factor is negative or not finite
     */
    public ModelError scaled(double factor) {
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("model error: scale factor " + factor + " must be finite and >= 0");
        }
        double[] s = sigma.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] *= factor;
        }
        return new ModelError(q, s, correlationLength, description + ", sigma x " + factor, amplitude, sizeEstimates);
    }

    /** Equal when every component is, arrays by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelError m && Arrays.equals(q, m.q) && Arrays.equals(sigma, m.sigma)
                && Double.compare(correlationLength, m.correlationLength) == 0 && description.equals(m.description)
                && Objects.equals(amplitude, m.amplitude) && Objects.equals(sizeEstimates, m.sizeEstimates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(q), Arrays.hashCode(sigma), correlationLength, description, amplitude,
                sizeEstimates);
    }

    /** A short summary: the σ range, ℓ and the description. */
    @Override
    public String toString() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double v : sigma) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return String.format(java.util.Locale.ROOT, "ModelError[sigma %.3g..%.3g in ln I on %d points %.4g..%.4g 1/Å,"
                + " Matérn-3/2 correlation length %.3g 1/Å%s; %s]", lo, hi, q.length, q[0], q[q.length - 1],
                correlationLength, (amplitude == null ? "" : ", times " + amplitude.description())
                        + (sizeEstimates == null ? "" : ", " + sizeEstimates.description()), description);
    }
}
