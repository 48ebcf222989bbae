package org.lnpsaxs.optimize.loss;

/**
 * The σ-weighted χ² with the scale \(s\) and the constant background \(b\) solved in closed form
 * for every model curve:
 * \[ \chi^2(M) = \kappa \min_{s \ge 0,\ b} \sum_i w_i\,(s M_i + b - D_i)^2,\qquad w_i = 1/\sigma_i^2 . \]
 * The weighted linear least-squares solution is, with \( S = \sum w \), \( S_M = \sum wM \),
 * \( S_{MM} = \sum wM^2 \), \( S_D = \sum wD \), \( S_{MD} = \sum wMD \):
 * \( s = (S\,S_{MD} - S_M S_D)/(S\,S_{MM} - S_M^2) \), \( b = (S_D - sS_M)/S \); without a
 * background \( s = S_{MD}/S_{MM} \), \( b = 0 \). A negative \(s\) is replaced by the constrained
 * optimum \( s = 0 \), \( b = S_D/S \). By the envelope theorem the gradient is exact without
 * differentiating \(s, b\): \( \partial\chi^2/\partial M_i = 2\kappa\,w_i\,s\,(sM_i + b - D_i) \).
 *
 * <p>\( \kappa \) (the point weight, normally 1) corrects for data interpolated onto a denser
 * model grid: with \(n\) measured points in the fitting range and \(N\) grid points,
 * \( \kappa = n/N \) keeps the χ² on the scale of the measured points, so that Δχ² thresholds
 * keep their meaning (approximately: interpolated points are correlated). Intensities and σ in
 * the data's unit; χ² is dimensionless.
 */
public final class ChiSquaredLoss implements Loss {

    private final double[] data;
    private final double[] w;
    private final boolean background;
    private final double kappa;
    private final int n;
    private final double sumW;
    private final double sumWD;

    /**
     * A χ² against {@code data} with uncertainties {@code sigma}.
     *
     * @param data        N intensities
     * @param sigma       N positive standard uncertainties (same unit)
     * @param background  whether a constant background is fitted (solved in closed form)
     * @param pointWeight κ &gt; 0 (1 for measured points; n/N for data interpolated onto N grid points)
     */
    public ChiSquaredLoss(double[] data, double[] sigma, boolean background, double pointWeight) {
        this.n = data.length;
        if (n < 3 || sigma.length != n) {
            throw new IllegalArgumentException("chi2 loss needs at least 3 points and one sigma per intensity, got "
                    + n + " intensities and " + sigma.length + " sigmas");
        }
        if (!(pointWeight > 0) || !Double.isFinite(pointWeight)) {
            throw new IllegalArgumentException("chi2 point weight must be finite and > 0, got " + pointWeight);
        }
        this.data = data.clone();
        this.w = new double[n];
        double s = 0;
        double sd = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(data[i]) || !(sigma[i] > 0) || !Double.isFinite(sigma[i])) {
                throw new IllegalArgumentException("chi2 loss: point " + i + " has I = " + data[i] + ", sigma = " + sigma[i]
                        + "; need a finite I and a finite sigma > 0 (rows with sigma = 0 must be left out)");
            }
            w[i] = 1.0 / (sigma[i] * sigma[i]);
            s += w[i];
            sd += w[i] * data[i];
        }
        this.sumW = s;
        this.sumWD = sd;
        this.background = background;
        this.kappa = pointWeight;
    }

    /** A χ² with a fitted background and point weight 1. */
    public ChiSquaredLoss(double[] data, double[] sigma) {
        this(data, sigma, true, 1.0);
    }

    /** Whether a constant background is solved for. */
    public boolean fitsBackground() {
        return background;
    }

    /** The scale and, when a background is fitted, the background: both solved in closed form. */
    @Override
    public java.util.List<String> solvedParameters() {
        return background ? java.util.List.of(SCALE, BACKGROUND) : java.util.List.of(SCALE);
    }

    /** The point weight κ. */
    @Override
    public double pointWeight() {
        return kappa;
    }

    /** χ² with Gaussian errors σ is −2 ln L up to a constant: {@code true}. */
    @Override
    public boolean isLikelihood() {
        return true;
    }

    @Override
    public String name() {
        return LossType.CHI2.label();
    }

    @Override
    public int size() {
        return n;
    }

    /**
     * The closed-form scale and background for one model curve.
     *
     * @param model N model intensities
     * @return s ≥ 0 (data unit per model unit) and b (data unit)
     */
    public ScaleAndBackground scaleAndBackground(double[] model) {
        checkLength(model);
        double[] sb = new double[2];
        solve(model, 0, sb);
        return new ScaleAndBackground(sb[0], sb[1]);
    }

    private void solve(double[] model, int o, double[] sb) {
        double sm = 0;
        double smm = 0;
        double smd = 0;
        for (int i = 0; i < n; i++) {
            double m = model[o + i];
            double wm = w[i] * m;
            sm += wm;
            smm += wm * m;
            smd += wm * data[i];
        }
        double s;
        double b;
        if (background) {
            double det = sumW * smm - sm * sm;
            if (det > 1e-14 * sumW * smm) {
                s = (sumW * smd - sm * sumWD) / det;
                b = (sumWD - s * sm) / sumW;
            } else {
                // a constant model curve: the background alone describes it
                s = 0;
                b = sumWD / sumW;
            }
            if (s < 0) {
                s = 0;
                b = sumWD / sumW;
            }
        } else {
            s = smm > 0 ? smd / smm : 0;
            if (s < 0) {
                s = 0;
            }
            b = 0;
        }
        sb[0] = s;
        sb[1] = b;
    }

    @Override
    public void evaluate(double[] model, int batch, double[] values, double[] dLdModel) {
        double[] sb = new double[2];
        for (int bt = 0; bt < batch; bt++) {
            int o = bt * n;
            boolean finite = true;
            for (int i = 0; i < n; i++) {
                finite &= Double.isFinite(model[o + i]);
            }
            if (!finite) {
                values[bt] = Double.POSITIVE_INFINITY;
                if (dLdModel != null) {
                    java.util.Arrays.fill(dLdModel, o, o + n, 0.0);
                }
                continue;
            }
            solve(model, o, sb);
            double s = sb[0];
            double b = sb[1];
            double chi2 = 0;
            for (int i = 0; i < n; i++) {
                double r = s * model[o + i] + b - data[i];
                chi2 += w[i] * r * r;
                if (dLdModel != null) {
                    dLdModel[o + i] = 2 * kappa * w[i] * s * r;
                }
            }
            values[bt] = kappa * chi2;
        }
    }

    @Override
    public double[] align(double[] model) {
        ScaleAndBackground sb = scaleAndBackground(model);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = sb.scale() * model[i] + sb.background();
        }
        return out;
    }

    /**
     * The Gauss–Newton Hessian of the profiled χ²: with the residual Jacobian
     * \( X = W^{1/2}[\,sJ,\ M,\ 1\,] \) (the last column only with a background),
     * \( H = 2\kappa X^TX \) and the scale and background profiled out by the Schur complement
     * \( H_{\phi\phi} - H_{\phi a}H_{aa}^{-1}H_{a\phi} \).
     */
    @Override
    public double[][] gaussNewton(double[] model, double[][] jacobian) {
        checkLength(model);
        int k = jacobian.length == 0 ? 0 : jacobian[0].length;
        double s = scaleAndBackground(model).scale();
        int extra = background ? 2 : 1;
        int m = k + extra;
        double[][] h = new double[m][m];
        double[] x = new double[m];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < k; a++) {
                x[a] = s * jacobian[i][a];
            }
            x[k] = model[i];
            if (background) {
                x[k + 1] = 1;
            }
            for (int a = 0; a < m; a++) {
                for (int c = 0; c < m; c++) {
                    h[a][c] += 2 * kappa * w[i] * x[a] * x[c];
                }
            }
        }
        // Schur complement over the nuisance block (scale, background)
        double[][] haa = new double[extra][extra];
        for (int a = 0; a < extra; a++) {
            for (int c = 0; c < extra; c++) {
                haa[a][c] = h[k + a][k + c];
            }
        }
        double[][] inv = invertSmall(haa);
        double[][] out = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int c = 0; c < k; c++) {
                double v = h[a][c];
                for (int p = 0; p < extra; p++) {
                    for (int r = 0; r < extra; r++) {
                        v -= h[a][k + p] * inv[p][r] * h[k + r][c];
                    }
                }
                out[a][c] = v;
            }
        }
        return out;
    }

    private static double[][] invertSmall(double[][] a) {
        if (a.length == 1) {
            return new double[][] {{a[0][0] > 0 ? 1 / a[0][0] : 0}};
        }
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        if (!(Math.abs(det) > 0)) {
            return new double[2][2];
        }
        return new double[][] {{a[1][1] / det, -a[0][1] / det}, {-a[1][0] / det, a[0][0] / det}};
    }
}
