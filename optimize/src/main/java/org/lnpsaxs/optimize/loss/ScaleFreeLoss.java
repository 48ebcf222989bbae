package org.lnpsaxs.optimize.loss;

import org.lnpsaxs.core.math.Invariant;

/**
 * The paper's scale-free loss. Model \(M\) and data \(D\) on the fitting grid \(q_1 &lt; \dots &lt; q_N\)
 * are each divided by their Porod-type invariant \( Q_w[X] = \int q^2 X\,dq \), computed by the
 * trapezoid rule on that grid ({@link Invariant}),
 * \[ Q_w[X] = \sum_i c_i X_i,\qquad c_i = q_i^2\,t_i,\quad t_1 = \tfrac{q_2-q_1}{2},\
 *    t_i = \tfrac{q_{i+1}-q_{i-1}}{2},\ t_N = \tfrac{q_N-q_{N-1}}{2}, \]
 * giving \( \hat M = M/Q_w[M] \), \( \hat D = D/Q_w[D] \) (unit Å³ when q is in Å⁻¹), and then
 * \[ L = \frac{0.1}{N}\sum_i (\ln\hat M_i - \ln\hat D_i)^2 + \frac{1}{N}\sum_i\Big(\frac{\hat M_i - \hat D_i}{10^5}\Big)^2 . \]
 * L is unchanged when the model or the data are multiplied by a positive constant.
 *
 * <p>Gradient: with \( g_i = \frac{0.2}{N}\frac{\ln\hat M_i-\ln\hat D_i}{\hat M_i} + \frac{2}{N}\frac{\hat M_i-\hat D_i}{10^{10}} \)
 * (the derivative with respect to \( \hat M_i \)),
 * \( \partial L/\partial M_j = \big(g_j - c_j\sum_i g_i\hat M_i\big)/Q_w[M] \).
 * A curve with a non-positive intensity (or \( Q_w \le 0 \)) scores {@code +Infinity} with a zero
 * gradient. q in Å⁻¹; the 10⁵ constant assumes q in Å⁻¹, as the paper's code does.
 */
public final class ScaleFreeLoss implements Loss {

    /** The weight of the logarithmic term, 0.1. */
    public static final double LOG_WEIGHT = 0.1;
    /** The divisor of the linear term, 10⁵ (Å³). */
    public static final double LINEAR_SCALE = 1e5;

    private final double[] c;
    private final double[] logDataHat;
    private final double[] dataHat;
    private final double dataQ;
    private final int n;

    /**
     * A loss against {@code data} on the grid {@code q}.
     *
     * @param q    at least 2 strictly ascending q values, Å⁻¹
     * @param data N positive intensities (any unit)
     */
    public ScaleFreeLoss(double[] q, double[] data) {
        this.n = q.length;
        if (n < 2 || data.length != n) {
            throw new IllegalArgumentException("scale-free loss needs at least 2 points and as many intensities as q values, got "
                    + n + " q and " + data.length + " intensities");
        }
        for (int i = 0; i < n; i++) {
            if (!(Double.isFinite(q[i]) && q[i] >= 0) || (i > 0 && !(q[i] > q[i - 1]))) {
                throw new IllegalArgumentException("scale-free loss: q must be finite, >= 0 and strictly ascending (q[" + i + "] = " + q[i] + ")");
            }
            if (!(data[i] > 0) || !Double.isFinite(data[i])) {
                throw new IllegalArgumentException("scale-free loss: data intensity at q = " + q[i] + " is " + data[i]
                        + "; the logarithmic term needs positive values (rows with I <= 0 must be left out)");
            }
        }
        this.c = Invariant.weights(q);
        this.dataQ = dot(c, data);
        this.dataHat = new double[n];
        this.logDataHat = new double[n];
        for (int i = 0; i < n; i++) {
            dataHat[i] = data[i] / dataQ;
            logDataHat[i] = Math.log(dataHat[i]);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public String name() {
        return LossType.SCALE_FREE.label();
    }

    /** The scale: the loss is invariant to it. */
    @Override
    public java.util.List<String> solvedParameters() {
        return java.util.List.of(SCALE);
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public void evaluate(double[] model, int batch, double[] values, double[] dLdModel) {
        for (int b = 0; b < batch; b++) {
            int o = b * n;
            double qm = 0;
            boolean positive = true;
            for (int i = 0; i < n; i++) {
                double m = model[o + i];
                positive &= m > 0 && m < Double.POSITIVE_INFINITY;
                qm += c[i] * m;
            }
            if (!positive || !(qm > 0)) {
                values[b] = Double.POSITIVE_INFINITY;
                if (dLdModel != null) {
                    java.util.Arrays.fill(dLdModel, o, o + n, 0.0);
                }
                continue;
            }
            double sLog = 0;
            double sLin = 0;
            double gm = 0;
            for (int i = 0; i < n; i++) {
                double mh = model[o + i] / qm;
                double dl = Math.log(mh) - logDataHat[i];
                double dd = (mh - dataHat[i]) / LINEAR_SCALE;
                sLog += dl * dl;
                sLin += dd * dd;
                if (dLdModel != null) {
                    double g = 2 * LOG_WEIGHT / n * dl / mh + 2.0 / n * dd / LINEAR_SCALE;
                    dLdModel[o + i] = g;
                    gm += g * mh;
                }
            }
            values[b] = LOG_WEIGHT * sLog / n + sLin / n;
            if (dLdModel != null) {
                for (int i = 0; i < n; i++) {
                    dLdModel[o + i] = (dLdModel[o + i] - c[i] * gm) / qm;
                }
            }
        }
    }

    /** The model times \( Q_w[D]/Q_w[M] \): on the data's scale. */
    @Override
    public double[] align(double[] model) {
        checkLength(model);
        double k = dataQ / dot(c, model);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = model[i] * k;
        }
        return out;
    }

    /**
     * With \( A_{ij} = \partial\ln\hat M_i/\partial M_j = \delta_{ij}/M_i - c_j/Q_w \) and
     * \( B_{ij} = \partial\hat M_i/\partial M_j = \delta_{ij}/Q_w - \hat M_i c_j/Q_w \), the
     * Gauss–Newton Hessian is \( \frac{2}{N}(0.1\,A^TA + 10^{-10}B^TB) \).
     */
    @Override
    public double[][] gaussNewton(double[] model, double[][] jacobian) {
        checkLength(model);
        int k = jacobian.length == 0 ? 0 : jacobian[0].length;
        double qm = dot(c, model);
        double[] cj = new double[k];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < k; a++) {
                cj[a] += c[i] * jacobian[i][a];
            }
        }
        double[][] h = new double[k][k];
        double[] aj = new double[k];
        double[] bj = new double[k];
        for (int i = 0; i < n; i++) {
            double mh = model[i] / qm;
            for (int a = 0; a < k; a++) {
                aj[a] = jacobian[i][a] / model[i] - cj[a] / qm;
                bj[a] = (jacobian[i][a] - mh * cj[a]) / qm;
            }
            for (int a = 0; a < k; a++) {
                for (int bb = 0; bb < k; bb++) {
                    h[a][bb] += 2.0 / n * (LOG_WEIGHT * aj[a] * aj[bb] + bj[a] * bj[bb] / (LINEAR_SCALE * LINEAR_SCALE));
                }
            }
        }
        return h;
    }
}
