package org.lnpsaxs.optimize.testing;

import org.lnpsaxs.optimize.loss.Loss;

/**
 * A test likelihood without scale or background: \( L = \sum_i ((M_i - D_i)/\sigma_i)^2 = -2\ln L + c \).
 */
public final class GaussianLoss implements Loss {

    private final double[] data;
    private final double[] sigma;

    public GaussianLoss(double[] data, double[] sigma) {
        this.data = data.clone();
        this.sigma = sigma.clone();
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public void evaluate(double[] model, int batch, double[] values, double[] dLdModel) {
        int n = data.length;
        for (int b = 0; b < batch; b++) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                double r = (model[b * n + i] - data[i]) / sigma[i];
                v += r * r;
                if (dLdModel != null) {
                    dLdModel[b * n + i] = 2 * r / sigma[i];
                }
            }
            values[b] = v;
        }
    }

    @Override
    public double[] align(double[] model) {
        return model.clone();
    }

    @Override
    public double[][] gaussNewton(double[] model, double[][] jacobian) {
        int k = jacobian[0].length;
        double[][] h = new double[k][k];
        for (int i = 0; i < data.length; i++) {
            double w = 2 / (sigma[i] * sigma[i]);
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    h[a][c] += w * jacobian[i][a] * jacobian[i][c];
                }
            }
        }
        return h;
    }

    @Override
    public boolean isLikelihood() {
        return true;
    }
}
