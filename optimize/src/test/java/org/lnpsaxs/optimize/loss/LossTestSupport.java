package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Central finite differences of a loss with respect to the model curve. */
final class LossTestSupport {

    private LossTestSupport() {
    }

    static void assertGradientMatchesFiniteDifferences(Loss loss, double[] model, double relTol) {
        double[] g = loss.gradient(model);
        double scale = 0;
        for (double v : g) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < model.length; i++) {
            double h = 1e-3 * Math.abs(model[i]);
            // fourth-order central difference (Richardson): truncation ~h^4, round-off ~eps L/h
            double fd = (8 * (shifted(loss, model, i, h) - shifted(loss, model, i, -h))
                    - (shifted(loss, model, i, 2 * h) - shifted(loss, model, i, -2 * h))) / (12 * h);
            assertEquals(fd, g[i], relTol * Math.max(Math.abs(fd), 1e-3 * scale), "component " + i);
        }
    }

    private static double shifted(Loss loss, double[] model, int i, double h) {
        double[] m = model.clone();
        m[i] += h;
        return loss.value(m);
    }

    static double[] scaled(double[] x, double c) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= c;
        }
        return y;
    }

    /** A smooth two-parameter toy curve M(φ) = exp(−(qφ₀)²/3)(1 + φ₁q) + 10⁻³. */
    static double[] toy(double[] q, double[] phi) {
        double[] m = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            m[i] = Math.exp(-Math.pow(q[i] * phi[0], 2) / 3) * (1 + phi[1] * q[i]) + 1e-3;
        }
        return m;
    }

    /** ∂M/∂φ of {@link #toy} by central differences (N×2). */
    static double[][] toyJacobian(double[] q, double[] phi) {
        double[][] jac = new double[q.length][2];
        for (int k = 0; k < 2; k++) {
            double h = 1e-5 * Math.abs(phi[k]);
            double[] up = phi.clone();
            double[] dn = phi.clone();
            up[k] += h;
            dn[k] -= h;
            double[] mu = toy(q, up);
            double[] md = toy(q, dn);
            for (int i = 0; i < q.length; i++) {
                jac[i][k] = (mu[i] - md[i]) / (2 * h);
            }
        }
        return jac;
    }

    /** ∂²L(M(φ))/∂φ_a∂φ_b by central differences. */
    static double hessian(Loss loss, double[] q, double[] phi, int a, int b) {
        double ha = 1e-3 * Math.abs(phi[a]);
        double hb = 1e-3 * Math.abs(phi[b]);
        double[] pp = phi.clone();
        double[] pm = phi.clone();
        double[] mp = phi.clone();
        double[] mm = phi.clone();
        pp[a] += ha;
        pp[b] += hb;
        pm[a] += ha;
        pm[b] -= hb;
        mp[a] -= ha;
        mp[b] += hb;
        mm[a] -= ha;
        mm[b] -= hb;
        return (loss.value(toy(q, pp)) - loss.value(toy(q, pm)) - loss.value(toy(q, mp)) + loss.value(toy(q, mm)))
                / (4 * ha * hb);
    }

    /** At a perfect fit the Gauss–Newton matrix equals the Hessian of L(M(φ)). */
    static void assertGaussNewtonIsHessianAtPerfectFit(Loss loss, double[] q, double[] phi) {
        double[][] gn = loss.gaussNewton(toy(q, phi), toyJacobian(q, phi));
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double hess = hessian(loss, q, phi, a, b);
                assertEquals(hess, gn[a][b], 2e-3 * Math.sqrt(Math.abs(gn[a][a] * gn[b][b])), "H[" + a + "][" + b + "]");
            }
        }
    }
}
