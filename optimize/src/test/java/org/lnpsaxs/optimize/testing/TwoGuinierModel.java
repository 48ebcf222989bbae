package org.lnpsaxs.optimize.testing;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A small test model with a label symmetry: \( I = w\,e^{-(qr)^2/3} + (1-w)\,e^{-(qs)^2/3} \)
 * (parameters r, s in Å, w dimensionless), with its analytic vector-Jacobian product.
 */
public final class TwoGuinierModel implements DifferentiableModel {

    private static final ParameterSpace SPACE = ParameterSpace.of(
            Parameter.of("r", "Å", 1, 200),
            Parameter.of("s", "Å", 1, 200),
            Parameter.of("w", "", 0, 1));

    private final double[] q;

    public TwoGuinierModel(double[] q) {
        this.q = q.clone();
    }

    @Override
    public ParameterSpace parameters() {
        return SPACE;
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public int qSize() {
        return q.length;
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        SPACE.check(theta, batch);
        int n = q.length;
        for (int b = 0; b < batch; b++) {
            double r = theta[3 * b];
            double s = theta[3 * b + 1];
            double w = theta[3 * b + 2];
            for (int i = 0; i < n; i++) {
                double q2 = q[i] * q[i];
                out[b * n + i] = w * Math.exp(-q2 * r * r / 3) + (1 - w) * Math.exp(-q2 * s * s / 3);
            }
        }
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        SPACE.check(theta, batch);
        int n = q.length;
        for (int b = 0; b < batch; b++) {
            double r = theta[3 * b];
            double s = theta[3 * b + 1];
            double w = theta[3 * b + 2];
            double gr = 0;
            double gs = 0;
            double gw = 0;
            for (int i = 0; i < n; i++) {
                double q2 = q[i] * q[i];
                double er = Math.exp(-q2 * r * r / 3);
                double es = Math.exp(-q2 * s * s / 3);
                double g = dLdI[b * n + i];
                gr += g * w * er * (-2 * q2 * r / 3);
                gs += g * (1 - w) * es * (-2 * q2 * s / 3);
                gw += g * (er - es);
            }
            dLdTheta[3 * b] = gr;
            dLdTheta[3 * b + 1] = gs;
            dLdTheta[3 * b + 2] = gw;
        }
    }
}
