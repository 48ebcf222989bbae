package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;

/**
 * Checks a model's vector-Jacobian product against central finite differences of the scalar
 * \( L(\theta) = \sum_{b,q} c_{b,q} I_{b,q}(\theta) \) with \( c = r/I(\theta_0) \), r uniform in
 * [−1, 1] (so every q counts alike although I spans decades).
 *
 * <p>Finite differences are Richardson-extrapolated central differences with step 1e-3 of each
 * parameter's natural scale (given by the caller: the length over which the curve changes, e.g.
 * 1/(2 q_max) for a radius), truncation error O(h⁴). Components are compared in natural units,
 * \( G_j = (\partial L/\partial\theta_j)\,s_j \): where \( |G_j| \ge 10^{-4}\max_k|G_k| \) they must
 * agree to a relative 1e-6; smaller ones (near a zero of the component, where the difference has
 * only absolute accuracy) to 1e-9 of the largest.
 */
final class GradientCheck {

    static final double RELATIVE = 1e-6;
    static final double NEGLIGIBLE = 1e-4;

    private GradientCheck() {
    }

    /**
     * Runs the check on a batch.
     *
     * @param scales natural scale of each parameter (same layout as theta)
     * @return the number of components compared at the relative tolerance
     */
    static int check(DifferentiableModel model, double[] theta, int batch, double[] scales, long seed) {
        int p = model.parameters().size();
        int nq = model.qSize();
        double[] i0 = new double[batch * nq];
        model.evaluate(theta, batch, i0);
        Random rnd = new Random(seed);
        double[] c = new double[batch * nq];
        for (int k = 0; k < c.length; k++) {
            assertTrue(Double.isFinite(i0[k]) && i0[k] != 0, "intensity " + k + " = " + i0[k]);
            c[k] = (2 * rnd.nextDouble() - 1) / i0[k];
        }
        double[] grad = new double[batch * p];
        model.vectorJacobianProduct(theta, batch, c, grad);
        if (model instanceof FusedDifferentiableModel fused) {
            double[] out = new double[batch * nq];
            double[] grad2 = new double[batch * p];
            fused.evaluateAndBackpropagate(theta, batch, out, (in, n, g) -> System.arraycopy(c, 0, g, 0, c.length), grad2);
            assertArrayEquals(i0, out, 0.0, "fused evaluation differs from evaluate");
            double[] out3 = new double[batch * nq];
            double[] grad3 = new double[batch * p];
            fused.evaluateAndVectorJacobianProduct(theta, batch, c, out3, grad3);
            assertArrayEquals(i0, out3, 1e-14 * max(i0), "evaluateAndVectorJacobianProduct values");
            double gmax = max(grad);
            for (int k = 0; k < grad.length; k++) {
                assertEquals(grad[k], grad2[k], 1e-12 * gmax, "fused gradient " + k);
                assertEquals(grad[k], grad3[k], 1e-12 * gmax, "evaluateAndVectorJacobianProduct gradient " + k);
            }
        }
        int compared = 0;
        for (int b = 0; b < batch; b++) {
            double[] fd = new double[p];
            double norm = 0;
            for (int j = 0; j < p; j++) {
                int at = b * p + j;
                double h = 1e-3 * scales[at];
                double[] t = theta.clone();
                double[] v = new double[4];
                double[] steps = {h, -h, 2 * h, -2 * h};
                for (int s = 0; s < 4; s++) {
                    t[at] = theta[at] + steps[s];
                    v[s] = loss(model, t, batch, c);
                }
                fd[j] = (8 * (v[0] - v[1]) - (v[2] - v[3])) / (12 * h);
                norm = Math.max(norm, Math.abs(fd[j]) * scales[at]);
            }
            for (int j = 0; j < p; j++) {
                int at = b * p + j;
                String name = model.parameters().get(j).name() + (batch > 1 ? " (set " + b + ")" : "");
                if (Math.abs(fd[j]) * scales[at] >= NEGLIGIBLE * norm) {
                    assertEquals(fd[j], grad[at], RELATIVE * Math.abs(fd[j]), "dL/d" + name);
                    compared++;
                } else {
                    assertEquals(fd[j], grad[at], 1e-9 * norm / scales[at], "dL/d" + name + " (small component)");
                }
            }
        }
        return compared;
    }

    static double max(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double loss(DifferentiableModel model, double[] theta, int batch, double[] c) {
        double[] out = new double[batch * model.qSize()];
        model.evaluate(theta, batch, out);
        double s = 0;
        for (int k = 0; k < out.length; k++) {
            s += c[k] * out[k];
        }
        return s;
    }
}
