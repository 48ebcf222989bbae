package org.lnpsaxs.optimize.loss;

import java.util.Arrays;
import java.util.List;

import org.lnpsaxs.core.math.Cholesky;

/**
 * A Gaussian likelihood in \( \ln I \) that knows both the data's uncertainty and the model's own
 * error (CLI name {@code loglik}). With \( y_i = \ln D_i \), \( m_i = \ln M_i \) on the fitting
 * grid and the unknown scale \( s = e^{a} \) (additive in \( \ln I \)),
 * \[ y = m + a\mathbf 1 + \varepsilon,\qquad \varepsilon \sim \mathcal N(0, C),\qquad
 *    C = \mathrm{diag}(v_i) + \Sigma_\mathrm{model}, \]
 * where \( v_i = (\sigma_i/D_i)^2/\min(1,\kappa) \) is the data's variance in \( \ln I \) (σ
 * through its relative value; κ the point weight, n/N when n measured points were interpolated
 * onto N &gt; n grid points, so that N correlated points do not count as N measurements) and
 * \( \Sigma_\mathrm{model} \) the covariance of the model's error ({@link ModelError}: σ(q) and a
 * Matérn-3/2 correlation along q; absent for analytic models). C does not depend on the
 * parameters, so its Cholesky factor \( C = LL^T \) is computed once, here.
 *
 * <p><b>Value.</b> The scale is profiled in closed form (generalised least squares):
 * with \( u = L^{-1}\mathbf 1 \), \( e = L^{-1}(y - m) \), \( \hat a = u^Te/u^Tu \) and the whitened
 * residual \( r = e - \hat a u \),
 * \[ L(M) = r^Tr = \min_a\,(y - m - a\mathbf 1)^T C^{-1}(y - m - a\mathbf 1)
 *        = -2\ln p(y \mid \theta, \hat a) - N\ln 2\pi - \ln\det C . \]
 * The omitted constant does not depend on θ ({@link #normalisation()} gives it). Because C is
 * fixed, profiling the scale equals marginalising \( a = \ln s \) under a flat prior up to a
 * further constant (\( \ln(u^Tu/2\pi) \)), so \( \exp(-L/2) \) is the scale-marginalised
 * likelihood: {@link #isLikelihood()} is true.
 *
 * <p><b>Background</b> is not profiled: in \( \ln I \) a constant background does not enter
 * linearly, so it has no closed form; a model that needs one carries it as a free parameter
 * (the analytic models' relative background), which a posterior then marginalises. The LNP
 * model has none.
 *
 * <p><b>Gradient</b> (exact; the envelope theorem removes \( \partial\hat a/\partial M \), as
 * \( u^Tr = 0 \)): \( \partial L/\partial M_i = -2\,(L^{-T}r)_i / M_i \).
 *
 * <p>Cost per curve: two triangular solves, O(N²). A model curve with a non-positive or
 * non-finite intensity scores {@code +Infinity} with a zero gradient. Data in any unit (positive);
 * q in Å⁻¹. Immutable and thread-safe.
 */
public final class LogIntensityLikelihood implements Loss {

    /** Relative diagonal jitter tried, in turn, when C is not numerically positive definite. */
    private static final double[] JITTER = {0, 1e-12, 1e-10, 1e-8};

    private final int n;
    private final double[] logData;
    private final double[] dataVariance;
    private final ModelError modelError;
    /** The lower Cholesky factor of C, row-major packed as a full N×N array. */
    private final double[] chol;
    private final double[] u;
    private final double uu;
    private final double[] zData;
    private final double logDet;

    /**
     * A likelihood against {@code data} on the grid {@code q}.
     *
     * @param q           N strictly ascending q values, Å⁻¹
     * @param data        N positive intensities (any unit)
     * @param sigma       N positive standard uncertainties of the data (same unit), or {@code null}
     *                    when the data have none (then only the model's error enters, and it must
     *                    be given)
     * @param pointWeight κ &gt; 0 (1 for measured points; n/N for data interpolated onto N grid points)
     * @param modelError  the model's error in ln I, or {@code null} for none (analytic models)
     * @throws IllegalArgumentException if lengths differ, a value is invalid, there is neither σ
     *                                  nor a model error, or the covariance is singular
     */
    public LogIntensityLikelihood(double[] q, double[] data, double[] sigma, double pointWeight, ModelError modelError) {
        this.n = q.length;
        if (n < 2 || data.length != n || (sigma != null && sigma.length != n)) {
            throw new IllegalArgumentException("loglik loss needs at least 2 points and one intensity (and sigma, if given)"
                    + " per q value, got " + n + " q, " + data.length + " intensities and "
                    + (sigma == null ? "no" : String.valueOf(sigma.length)) + " sigmas");
        }
        if (!(pointWeight > 0) || !Double.isFinite(pointWeight)) {
            throw new IllegalArgumentException("loglik point weight must be finite and > 0, got " + pointWeight);
        }
        if (sigma == null && modelError == null) {
            throw new IllegalArgumentException("the loglik loss needs the data's uncertainties (a sigma column) or a model"
                    + " with a known error (the lnp surrogate's error model); this curve and model have neither");
        }
        this.logData = new double[n];
        this.dataVariance = new double[n];
        double inflate = 1 / Math.min(1, pointWeight);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(q[i]) || (i > 0 && !(q[i] > q[i - 1]))) {
                throw new IllegalArgumentException("loglik loss: q must be finite and strictly ascending (q[" + i + "] = "
                        + q[i] + ")");
            }
            if (!(data[i] > 0) || !Double.isFinite(data[i])) {
                throw new IllegalArgumentException("loglik loss: data intensity at q = " + q[i] + " is " + data[i]
                        + "; the likelihood in ln I needs positive values (rows with I <= 0 must be left out)");
            }
            logData[i] = Math.log(data[i]);
            if (sigma != null) {
                if (!(sigma[i] > 0) || !Double.isFinite(sigma[i])) {
                    throw new IllegalArgumentException("loglik loss: sigma at q = " + q[i] + " is " + sigma[i]
                            + "; need a finite sigma > 0 (rows with sigma = 0 must be left out)");
                }
                double rel = sigma[i] / data[i];
                dataVariance[i] = rel * rel * inflate;
            }
        }
        this.modelError = modelError;
        double[][] c = modelError == null ? new double[n][n] : modelError.covariance(q);
        for (int i = 0; i < n; i++) {
            c[i][i] += dataVariance[i];
        }
        this.chol = cholesky(c);
        this.u = new double[n];
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        forward(chol, n, ones, 0, u);
        double s = 0;
        for (double v : u) {
            s += v * v;
        }
        this.uu = s;
        this.zData = new double[n];
        forward(chol, n, logData, 0, zData);
        double ld = 0;
        for (int i = 0; i < n; i++) {
            ld += 2 * Math.log(chol[i * n + i]);
        }
        this.logDet = ld;
    }

    /** Lower Cholesky factor (row-major N×N), with a tiny relative jitter only if C needs it. */
    private static double[] cholesky(double[][] c) {
        int n = c.length;
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            if (!(c[i][i] > 0)) {
                throw new IllegalArgumentException("loglik loss: the covariance has a zero variance at point " + i
                        + " (neither the data's sigma nor the model error covers it)");
            }
            maxDiag = Math.max(maxDiag, c[i][i]);
        }
        double[] a = new double[n * n];
        for (double jitter : JITTER) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i * n + j] = c[i][j] + (i == j ? jitter * maxDiag : 0);
                }
            }
            double[] l = Cholesky.lower(a, n);
            if (l != null) {
                return l;
            }
        }
        throw new IllegalArgumentException("loglik loss: the covariance of data and model error is not positive definite");
    }

    /** Solves L x = b (b from offset {@code o}). */
    private static void forward(double[] l, int n, double[] b, int o, double[] x) {
        for (int i = 0; i < n; i++) {
            double s = b[o + i];
            int row = i * n;
            for (int k = 0; k < i; k++) {
                s -= l[row + k] * x[k];
            }
            x[i] = s / l[row + i];
        }
    }

    /** Solves Lᵀ x = b in place. */
    private static void backward(double[] l, int n, double[] x) {
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
    }

    @Override
    public String name() {
        return LossType.LOGLIK.label();
    }

    @Override
    public int size() {
        return n;
    }

    /** The scale: profiled in closed form (equivalently, marginalised under a flat prior on ln s). */
    @Override
    public List<String> solvedParameters() {
        return List.of(SCALE);
    }

    /** The value is −2 ln L up to a constant independent of the parameters: {@code true}. */
    @Override
    public boolean isLikelihood() {
        return true;
    }

    /** The model's error that enters the covariance, or {@code null} when the model has none. */
    public ModelError modelError() {
        return modelError;
    }

    /** The data's variance in ln I at each point, after the point weight (a copy; zeros without σ). */
    public double[] dataVariance() {
        return dataVariance.clone();
    }

    /**
     * \( \mathbf 1^T C^{-1}\mathbf 1 \), the precision of the profiled \( \ln s \) (its variance
     * for fixed parameters is the inverse); \( \ln(\mathbf 1^TC^{-1}\mathbf 1/2\pi) \) is the
     * constant between the profiled and the scale-marginalised −2 ln L.
     */
    public double scalePrecision() {
        return uu;
    }

    /** \( \ln\det C \). */
    public double logDeterminant() {
        return logDet;
    }

    /**
     * The constant \( N\ln 2\pi + \ln\det C \): {@code value + normalisation()} is
     * \( -2\ln p(y\mid\theta,\hat a) \), the Gaussian density of the log data at the profiled scale.
     */
    public double normalisation() {
        return n * Math.log(2 * Math.PI) + logDet;
    }

    /**
     * The profiled scale \( \hat s = e^{\hat a} \) for one model curve (data unit per model unit).
     *
     * @throws IllegalArgumentException if a model intensity is not positive
     */
    public double scale(double[] model) {
        checkLength(model);
        double[] z = new double[n];
        double[] lm = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(model[i] > 0) || !Double.isFinite(model[i])) {
                throw new IllegalArgumentException("loglik loss: model intensity at point " + i + " is " + model[i]
                        + "; it must be positive");
            }
            lm[i] = Math.log(model[i]);
        }
        forward(chol, n, lm, 0, z);
        double ue = 0;
        for (int i = 0; i < n; i++) {
            ue += u[i] * (zData[i] - z[i]);
        }
        return Math.exp(ue / uu);
    }

    @Override
    public void evaluate(double[] model, int batch, double[] values, double[] dLdModel) {
        double[] lm = new double[n];
        double[] z = new double[n];
        for (int b = 0; b < batch; b++) {
            int o = b * n;
            boolean ok = true;
            for (int i = 0; i < n; i++) {
                double m = model[o + i];
                if (!(m > 0) || !Double.isFinite(m)) {
                    ok = false;
                    break;
                }
                lm[i] = Math.log(m);
            }
            if (!ok) {
                values[b] = Double.POSITIVE_INFINITY;
                if (dLdModel != null) {
                    Arrays.fill(dLdModel, o, o + n, 0.0);
                }
                continue;
            }
            forward(chol, n, lm, 0, z);
            double ue = 0;
            for (int i = 0; i < n; i++) {
                z[i] = zData[i] - z[i];
                ue += u[i] * z[i];
            }
            double a = ue / uu;
            double v = 0;
            for (int i = 0; i < n; i++) {
                z[i] -= a * u[i];
                v += z[i] * z[i];
            }
            values[b] = v;
            if (dLdModel != null) {
                backward(chol, n, z);
                for (int i = 0; i < n; i++) {
                    dLdModel[o + i] = -2 * z[i] / model[o + i];
                }
            }
        }
    }

    /** The model curve times the profiled scale. */
    @Override
    public double[] align(double[] model) {
        double s = scale(model);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = s * model[i];
        }
        return out;
    }

    /**
     * The Gauss–Newton Hessian with the scale profiled: with the whitened residual Jacobian
     * \( X = [\,L^{-1}\mathrm{diag}(1/M)J,\ u\,] \) (signs dropped, they cancel),
     * \( H = 2X^TX \) and the Schur complement over the last (ln s) column.
     */
    @Override
    public double[][] gaussNewton(double[] model, double[][] jacobian) {
        checkLength(model);
        int k = jacobian.length == 0 ? 0 : jacobian[0].length;
        double[][] w = new double[k + 1][];
        double[] col = new double[n];
        for (int a = 0; a < k; a++) {
            for (int i = 0; i < n; i++) {
                col[i] = jacobian[i][a] / model[i];
            }
            w[a] = new double[n];
            forward(chol, n, col, 0, w[a]);
        }
        w[k] = u;
        double[][] h = new double[k + 1][k + 1];
        for (int a = 0; a <= k; a++) {
            for (int c = 0; c <= a; c++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += w[a][i] * w[c][i];
                }
                h[a][c] = 2 * s;
                h[c][a] = 2 * s;
            }
        }
        double[][] out = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int c = 0; c < k; c++) {
                out[a][c] = h[a][c] - h[a][k] * h[k][c] / h[k][k];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "LogIntensityLikelihood[" + n + " points, " + (modelError == null ? "no model error" : modelError) + "]";
    }
}
