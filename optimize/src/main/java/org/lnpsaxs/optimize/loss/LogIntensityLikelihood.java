package org.lnpsaxs.optimize.loss;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

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
 * <p><b>A model error whose size depends on the parameters</b> ({@link ModelError#amplitude()}
 * a(θ)): then \( C(\theta) = \mathrm{diag}(v) + t\,\Sigma_\mathrm{model} \) with \( t = a(\theta)^2 \),
 * and the scale-marginalised −2 ln L keeps the terms that a fixed covariance drops:
 * \[ L(M, \theta) = r^Tr + \ln\det C(t) + \ln(\mathbf 1^TC(t)^{-1}\mathbf 1) - [\text{the same two terms at } t = 1], \]
 * so that at a = 1 the value is the fixed-covariance one. With the data's variance
 * \( D = \mathrm{diag}(v) \) the generalised eigenproblem \( D^{-1/2}\Sigma D^{-1/2} = Q\Lambda Q^T \) is
 * solved once; then \( C(t)^{-1} = D^{-1/2}Q(I + t\Lambda)^{-1}Q^TD^{-1/2} \) and
 * \( \ln\det C(t) = \sum\ln v_i + \sum\ln(1 + t\lambda_j) \), so every evaluation stays O(N²)
 * whatever t is. Without the data's σ, \( C = t\Sigma \) and \( L = r_1^Tr_1/t + (N - 1)\ln t \).
 * The gradient with respect to θ through t is exact ({@link #evaluate(double[], int, double[], int,
 * double[], double[], double[])}). The curve-only methods ({@link #evaluate(double[], int, double[],
 * double[])}, {@link #align}, {@link #gaussNewton}) use a = 1; {@link #at}(θ) and {@link #heldAt}(a)
 * give a likelihood with a fixed covariance at that size (σ(q) × a, factorised once, the value
 * \( r^Tr \) as above). A fit ({@code Fitter}) holds the size at its pilot fit's best parameters,
 * so its covariance is fixed while it optimises and samples.
 *
 * <p><b>The size estimates' part of the error</b> ({@link ModelError#sizeEstimates()}, a
 * {@link SizeEstimateTerm}): {@link #withSizeEstimateTerm} gives, for a held likelihood, the one with
 * \( E' = E + (f - 1)\,E B^T(BEB^T)^{-1}BE \) in place of the model error E, B the two rows of the
 * generalised-least-squares step map at the best fit that give the size distribution's location and
 * width, f the term's variance factor there; a fit's posterior samples it.
 *
 * <p>Cost per curve: two triangular solves, O(N²) (with a parameter-dependent error, on the
 * θ-dependent path: two N×N products). A model curve with a non-positive or
 * non-finite intensity scores {@code +Infinity} with a zero gradient. Data in any unit (positive);
 * q in Å⁻¹. Immutable and thread-safe.
 */
public final class LogIntensityLikelihood implements ParameterDependentLoss {

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
    /** The inputs, kept to build a copy with the model error held at a size ({@link #heldAt}). */
    private final double[] q;
    private final double[] data;
    private final double[] sigma;
    private final double pointWeight;
    /** With a parameter-dependent error: how its size depends on θ; null for a fixed covariance. */
    private final ErrorAmplitude amplitude;
    /** The size a the model error is held at ({@link #heldAt}); 1 otherwise. */
    private final double held;
    /** With the size-estimate term applied ({@link #withSizeEstimateTerm}): the model error's covariance E', else null. */
    private final double[][] errorCovariance;
    /** With the size-estimate term applied: its variance factor f, else NaN. */
    private final double sizeFactor;
    /** With an amplitude and data σ: P = QᵀD^{-1/2} (row-major N×N), else null. */
    private final double[] proj;
    /** With an amplitude and data σ: the generalised eigenvalues λ ≥ 0, else null. */
    private final double[] lambda;
    /** With an amplitude: P y (data σ) or L⁻¹y (no data σ). */
    private final double[] yT;
    /** With an amplitude: P 1 (data σ) or L⁻¹1 (no data σ). */
    private final double[] oneT;
    /** With an amplitude and data σ: Σ ln(1 + λ_j), the log-determinant term at t = 1. */
    private final double logDetAtOne;
    /** With an amplitude: 1ᵀC⁻¹1 at t = 1. */
    private final double precisionAtOne;

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
        this(q, data, sigma, pointWeight, modelError, 1, null, Double.NaN);
    }

    private LogIntensityLikelihood(double[] q, double[] data, double[] sigma, double pointWeight, ModelError modelError,
                                   double held, double[][] errorCovariance, double sizeFactor) {
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
        this.errorCovariance = errorCovariance;
        this.sizeFactor = sizeFactor;
        double[][] c = modelError == null ? new double[n][n] : errorCovariance != null ? copy(errorCovariance)
                : modelError.covariance(q);
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
        this.q = q.clone();
        this.data = data.clone();
        this.sigma = sigma == null ? null : sigma.clone();
        this.pointWeight = pointWeight;
        this.held = held;
        this.amplitude = modelError == null ? null : modelError.amplitude();
        if (amplitude == null) {
            this.proj = null;
            this.lambda = null;
            this.yT = null;
            this.oneT = null;
            this.logDetAtOne = 0;
            this.precisionAtOne = 0;
        } else if (sigma == null) {
            // C = t Σ: the Cholesky factor of Σ above serves every t
            this.proj = null;
            this.lambda = null;
            this.yT = zData;
            this.oneT = u;
            this.logDetAtOne = 0;
            this.precisionAtOne = uu;
        } else {
            double[][] sm = modelError.covariance(q);
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 / Math.sqrt(dataVariance[i]);
            }
            double[][] sym = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    sym[i][j] = w[i] * sm[i][j] * w[j];
                }
            }
            org.apache.commons.math3.linear.EigenDecomposition ed = new org.apache.commons.math3.linear.EigenDecomposition(
                    new org.apache.commons.math3.linear.Array2DRowRealMatrix(sym, false));
            double[] lam = new double[n];
            double[] pr = new double[n * n];
            for (int j = 0; j < n; j++) {
                lam[j] = Math.max(0, ed.getRealEigenvalue(j));
                double[] vec = ed.getEigenvector(j).toArray();
                for (int i = 0; i < n; i++) {
                    pr[j * n + i] = vec[i] * w[i];
                }
            }
            this.proj = pr;
            this.lambda = lam;
            this.yT = multiply(pr, n, logData);
            this.oneT = multiply(pr, n, ones);
            this.logDetAtOne = sumLog1p(lam, 1);
            double prec = 0;
            for (int j = 0; j < n; j++) {
                prec += oneT[j] * oneT[j] / (1 + lam[j]);
            }
            this.precisionAtOne = prec;
        }
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }

    private static double sumLog1p(double[] lam, double t) {
        double s = 0;
        for (double l : lam) {
            s += Math.log1p(t * l);
        }
        return s;
    }

    private static double[] multiply(double[] m, int n, double[] x) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            int row = j * n;
            for (int i = 0; i < n; i++) {
                s += m[row + i] * x[i];
            }
            out[j] = s;
        }
        return out;
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
    /** The point weight κ given at construction (its σ were inflated by 1/min(1, κ)). */
    @Override
    public double pointWeight() {
        return pointWeight;
    }

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

    /** The weight of transformed component j at t on the live path: 1/(1 + tλ_j) with data σ, 1/t without. */
    private double weight(int j, double t) {
        return proj != null ? 1 / (1 + t * lambda[j]) : 1 / t;
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

    /** e = P(y − ln M) with data σ, L⁻¹(y − ln M) without (the amplitude path's transformed residual). */
    private void transform(double[] lm, double[] e) {
        if (proj != null) {
            for (int j = 0; j < n; j++) {
                double s = yT[j];
                int row = j * n;
                for (int i = 0; i < n; i++) {
                    s -= proj[row + i] * lm[i];
                }
                e[j] = s;
            }
        } else {
            forward(chol, n, lm, 0, e);
            for (int i = 0; i < n; i++) {
                e[i] = yT[i] - e[i];
            }
        }
    }

    /**
     * One curve on the amplitude path at t: its value, its gradient with respect to the intensities
     * (when {@code dLdModel} is not null, from {@code o}) and ∂L/∂t in {@code dt[0]} (when not null).
     * {@code lm} and {@code e} are N-long scratch arrays; ln M is already in {@code lm}.
     */
    private double amplitudeValue(double[] model, int o, double t, double[] dLdModel, double[] dt, double[] lm,
                                  double[] e) {
        transform(lm, e);
        boolean spectral = proj != null;
        double prec = 0;
        double ue = 0;
        for (int j = 0; j < n; j++) {
            double w = weight(j, t);
            prec += oneT[j] * oneT[j] * w;
            ue += oneT[j] * e[j] * w;
        }
        double a = ue / prec;
        double chi = 0;
        double dChi = 0;
        double dPrec = 0;
        double dLogDet = 0;
        double logDetT = 0;
        for (int j = 0; j < n; j++) {
            double w = weight(j, t);
            double r = e[j] - a * oneT[j];
            chi += r * r * w;
            if (spectral) {
                double dw = -lambda[j] * w * w;
                dChi += r * r * dw;
                dPrec += oneT[j] * oneT[j] * dw;
                dLogDet += lambda[j] * w;
                logDetT += Math.log1p(t * lambda[j]);
            }
            e[j] = r * w;
        }
        double value;
        double deriv;
        if (spectral) {
            value = chi + (logDetT - logDetAtOne) + Math.log(prec / precisionAtOne);
            deriv = dChi + dLogDet + dPrec / prec;
        } else {
            value = chi + (n - 1) * Math.log(t);
            deriv = (n - 1 - chi) / t;
        }
        if (dt != null) {
            dt[0] = deriv;
        }
        if (dLdModel != null) {
            if (spectral) {
                for (int i = 0; i < n; i++) {
                    lm[i] = 0;
                }
                for (int j = 0; j < n; j++) {
                    double c = e[j];
                    int row = j * n;
                    for (int i = 0; i < n; i++) {
                        lm[i] += proj[row + i] * c;
                    }
                }
                for (int i = 0; i < n; i++) {
                    dLdModel[o + i] = -2 * lm[i] / model[o + i];
                }
            } else {
                backward(chol, n, e);
                for (int i = 0; i < n; i++) {
                    dLdModel[o + i] = -2 * e[i] / model[o + i];
                }
            }
        }
        return value;
    }

    /** Whether the whole curve is positive and finite; fills ln M into {@code lm}. */
    private boolean logOf(double[] model, int o, double[] lm) {
        for (int i = 0; i < n; i++) {
            double m = model[o + i];
            if (!(m > 0) || !Double.isFinite(m)) {
                return false;
            }
            lm[i] = Math.log(m);
        }
        return true;
    }

    /** Whether the value depends on the parameters (a model error with a parameter-dependent size, not held by {@link #at}). */
    @Override
    public boolean dependsOnParameters() {
        return amplitude != null;
    }

    /**
     * Evaluates a batch at its parameters: with a parameter-dependent model error, t = a(θ)² per
     * curve, and the direct gradient through t; otherwise the curve-only evaluation and a zero
     * direct gradient.
     */
    @Override
    public void evaluate(double[] theta, int parameters, double[] model, int batch, double[] values, double[] dLdModel,
                         double[] dLdTheta) {
        if (amplitude == null) {
            evaluate(model, batch, values, dLdModel);
            if (dLdTheta != null) {
                Arrays.fill(dLdTheta, 0, batch * parameters, 0.0);
            }
            return;
        }
        double[] lm = new double[n];
        double[] e = new double[n];
        double[] dt = dLdTheta == null ? null : new double[1];
        double[] ga = dLdTheta == null ? null : new double[parameters];
        for (int b = 0; b < batch; b++) {
            int o = b * n;
            double amp = amplitude.at(theta, b * parameters, parameters, ga, 0);
            if (!logOf(model, o, lm) || !(amp > 0) || !Double.isFinite(amp)) {
                values[b] = Double.POSITIVE_INFINITY;
                if (dLdModel != null) {
                    Arrays.fill(dLdModel, o, o + n, 0.0);
                }
                if (dLdTheta != null) {
                    Arrays.fill(dLdTheta, b * parameters, (b + 1) * parameters, 0.0);
                }
                continue;
            }
            values[b] = amplitudeValue(model, o, amp * amp, dLdModel, dt, lm, e);
            if (dLdTheta != null) {
                double f = dt[0] * 2 * amp;
                for (int j = 0; j < parameters; j++) {
                    dLdTheta[b * parameters + j] = f * ga[j];
                }
            }
        }
    }

    /**
     * This likelihood with the model error's size held at a(θ) (the curve-only methods then use
     * it); without a parameter-dependent error, this likelihood itself.
     */
    @Override
    public LogIntensityLikelihood at(double[] theta) {
        if (amplitude == null) {
            return this;
        }
        double amp = amplitude.at(theta, 0, theta.length, null, 0);
        if (!(amp > 0) || !Double.isFinite(amp)) {
            throw new IllegalArgumentException("loglik loss: the model error's amplitude is " + amp + " at these parameters");
        }
        return heldAt(amp);
    }

    /**
     * This likelihood with the model error's size held at {@code amplitude} × its reference size
     * (for a model error without a parameter-dependent size, only 1 is allowed: this likelihood).
     *
     * @throws IllegalArgumentException if the amplitude is not finite and &gt; 0, or not 1 for a fixed-size error
     */
    public LogIntensityLikelihood heldAt(double amplitude) {
        if (!(amplitude > 0) || !Double.isFinite(amplitude)) {
            throw new IllegalArgumentException("loglik loss: amplitude " + amplitude + " must be finite and > 0");
        }
        if (this.amplitude == null) {
            if (amplitude != 1) {
                throw new IllegalArgumentException("loglik loss: the model error's size does not depend on the parameters;"
                        + " use ModelError.scaled to change it");
            }
            return this;
        }
        return new LogIntensityLikelihood(q, data, sigma, pointWeight, modelError.scaled(amplitude).withAmplitude(null),
                amplitude, null, Double.NaN);
    }

    /**
     * The model error's size-estimate term that {@link #withSizeEstimateTerm} would apply: present when
     * the model error has one and it has not been applied yet.
     */
    public Optional<SizeEstimateTerm> sizeEstimateTerm() {
        return modelError == null || errorCovariance != null ? Optional.empty()
                : Optional.ofNullable(modelError.sizeEstimates());
    }

    /** The variance factor f of an applied size-estimate term ({@link #withSizeEstimateTerm}); empty before. */
    public OptionalDouble sizeEstimateFactor() {
        return errorCovariance == null ? OptionalDouble.empty() : OptionalDouble.of(sizeFactor);
    }

    /**
     * The model error's covariance on the likelihood's points, in (ln I)², as it enters C: at the
     * held size, with the size-estimate term where it was applied (a copy; zeros without a model error).
     *
     * @throws IllegalStateException if the error's size depends on the parameters (hold it first: {@link #at})
     */
    public double[][] modelErrorCovariance() {
        if (amplitude != null) {
            throw new IllegalStateException("loglik loss: the model error's size depends on the parameters; hold it first"
                    + " (at(theta) or heldAt(a))");
        }
        return modelError == null ? new double[n][n] : errorCovariance != null ? copy(errorCovariance)
                : modelError.covariance(q);
    }

    /**
     * This likelihood with the model error's size-estimate term ({@link #sizeEstimateTerm()}) applied
     * at the best fit: the error covariance E replaced by
     * \[ E' = E + (f - 1)\,E B^T (B E B^T)^{-1} B E, \]
     * f the term's variance factor at {@code theta} and B the two rows of the generalised-least-squares
     * step map \( (X^TC^{-1}X)^{-1}X^TC^{-1} \), X = [∂ ln M/∂θ, 1] (the free parameters' columns and
     * the profiled scale), that belong to the term's location and width. Then \( BE'B^T = f\,BEB^T \):
     * the error's variance in the two size estimates is f times what it was, and an error direction
     * that B does not see keeps its variance. The result has a fixed covariance and no term left to
     * apply. docs/calibration.md, "The broad-size term at the posterior", measures the term.
     *
     * @param theta    the full parameter vector at the best fit (the bound model's order, parameter units)
     * @param model    the model curve M at {@code theta} on the likelihood's N points (positive)
     * @param jacobian ∂M_i/∂θ at {@code theta}: N rows, one column per entry of {@code columns}; a column
     *                 may be scaled by any non-zero constant (box widths, say): the result is the same
     * @param columns  the positions in {@code theta} of the Jacobian's columns (the free parameters);
     *                 they must include the term's location and width
     * @throws IllegalStateException    if there is no term to apply, or the error's size is not held
     * @throws IllegalArgumentException if the shapes disagree, the columns lack the location or the
     *                                  width, a model intensity is not positive, or the step map is singular
     */
    public LogIntensityLikelihood withSizeEstimateTerm(double[] theta, double[] model, double[][] jacobian, int[] columns) {
        SizeEstimateTerm term = sizeEstimateTerm().orElseThrow(() -> new IllegalStateException("loglik loss: the model"
                + " error has no size-estimate term to apply (none, or applied already)"));
        if (amplitude != null) {
            throw new IllegalStateException("loglik loss: hold the model error's size (at(theta)) before applying the"
                    + " size-estimate term");
        }
        checkLength(model);
        int k = columns.length;
        if (jacobian.length != n) {
            throw new IllegalArgumentException("loglik loss: the Jacobian has " + jacobian.length + " rows for " + n
                    + " points");
        }
        for (double[] row : jacobian) {
            if (row.length != k) {
                throw new IllegalArgumentException("loglik loss: a Jacobian row has " + row.length + " columns for "
                        + k + " column positions");
            }
        }
        int loc = -1;
        int wid = -1;
        for (int a = 0; a < k; a++) {
            loc = columns[a] == term.location() ? a : loc;
            wid = columns[a] == term.width() ? a : wid;
        }
        if (loc < 0 || wid < 0) {
            throw new IllegalArgumentException("loglik loss: the size-estimate term needs the location (parameter "
                    + term.location() + ") and the width (parameter " + term.width() + ") among the Jacobian's"
                    + " columns " + Arrays.toString(columns) + " (both free)");
        }
        double f = term.factor(theta);
        for (int i = 0; i < n; i++) {
            if (!(model[i] > 0) || !Double.isFinite(model[i])) {
                throw new IllegalArgumentException("loglik loss: model intensity at point " + i + " is " + model[i]
                        + "; it must be positive");
            }
        }
        // F = XᵀC⁻¹X from the whitened columns of X = [∂ ln M/∂θ, 1]
        double[][] w = whitenedColumns(model, jacobian, k);
        double[][] fm = gram(w);
        org.apache.commons.math3.linear.DecompositionSolver solver = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(fm, false)).getSolver();
        if (!solver.isNonSingular()) {
            throw new IllegalArgumentException("loglik loss: the parameters' step map is singular at the best fit (a"
                    + " parameter the curve does not depend on?); the size-estimate term cannot be applied");
        }
        // B's rows: C⁻¹X F⁻¹ e_r = L⁻ᵀ (W F⁻¹ e_r) for r = location, width
        double[][] b = new double[2][];
        int[] rows = {loc, wid};
        for (int r = 0; r < 2; r++) {
            double[] e = new double[k + 1];
            e[rows[r]] = 1;
            double[] h = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(e, false)).toArray();
            double[] v = new double[n];
            for (int a = 0; a <= k; a++) {
                for (int i = 0; i < n; i++) {
                    v[i] += w[a][i] * h[a];
                }
            }
            backward(chol, n, v);
            b[r] = v;
        }
        double[][] e = modelErrorCovariance();
        // A = E Bᵀ (N×2), M = B E Bᵀ (2×2); E' = E + (f − 1) A M⁻¹ Aᵀ
        double[][] am = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 2; r++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += e[i][j] * b[r][j];
                }
                am[i][r] = s;
            }
        }
        double m00 = 0;
        double m01 = 0;
        double m11 = 0;
        for (int i = 0; i < n; i++) {
            m00 += b[0][i] * am[i][0];
            m01 += b[0][i] * am[i][1];
            m11 += b[1][i] * am[i][1];
        }
        double det = m00 * m11 - m01 * m01;
        if (!(det > 1e-12 * m00 * m11)) {
            throw new IllegalArgumentException("loglik loss: the model error does not move the two size estimates"
                    + " independently at the best fit; the size-estimate term cannot be applied");
        }
        double i00 = m11 / det;
        double i01 = -m01 / det;
        double i11 = m00 / det;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            double p0 = am[i][0] * i00 + am[i][1] * i01;
            double p1 = am[i][0] * i01 + am[i][1] * i11;
            for (int j = 0; j <= i; j++) {
                double v = e[i][j] + (f - 1) * (p0 * am[j][0] + p1 * am[j][1]);
                out[i][j] = v;
                out[j][i] = v;
            }
        }
        return new LogIntensityLikelihood(q, data, sigma, pointWeight, modelError.withSizeEstimates(null), held, out, f);
    }

    /** The model error's size factor a = √t at which the curve-only methods evaluate (1 as constructed). */
    public double amplitudeReference() {
        return held;
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
    /**
     * The whitened columns of X = [diag(1/M) J, 1]: \( L^{-1}x_a \) for the k columns of the Jacobian
     * of M, then u = L⁻¹1 (shared, not copied).
     */
    private double[][] whitenedColumns(double[] model, double[][] jacobian, int k) {
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
        return w;
    }

    /** WᵀW for the columns w_a (symmetric). */
    private static double[][] gram(double[][] w) {
        int m = w.length;
        double[][] g = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int c = 0; c <= a; c++) {
                double s = 0;
                for (int i = 0; i < w[a].length; i++) {
                    s += w[a][i] * w[c][i];
                }
                g[a][c] = s;
                g[c][a] = s;
            }
        }
        return g;
    }

    @Override
    public double[][] gaussNewton(double[] model, double[][] jacobian) {
        checkLength(model);
        int k = jacobian.length == 0 ? 0 : jacobian[0].length;
        double[][] h = gram(whitenedColumns(model, jacobian, k));
        for (double[] row : h) {
            for (int c = 0; c < row.length; c++) {
                row[c] *= 2;
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
        return "LogIntensityLikelihood[" + n + " points, " + (modelError == null ? "no model error" : modelError)
                + (amplitude != null ? ", its size depending on the parameters" : held != 1 ? String.format(
                java.util.Locale.ROOT, ", its size held at %.4g", held) : "")
                + (errorCovariance != null ? String.format(java.util.Locale.ROOT, ", the size estimates' part x %.4g",
                sizeFactor) : "") + "]";
    }
}
