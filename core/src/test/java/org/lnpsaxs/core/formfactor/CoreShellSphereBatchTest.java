package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The core_shell_sphere kernel computes the core amplitudes once for consecutive rows with the
 * same radius (the rows of a radius × thickness grid): a batch with shared and changing radii
 * gives every row, values and gradient, exactly what that row alone gives.
 */
class CoreShellSphereBatchTest {

    @Test
    void rowsSharingARadiusEqualTheRowsAloneBitForBit() {
        CoreShellSphere css = new CoreShellSphere();
        int p = css.parameters().size();
        double[] q = new double[57];
        for (int i = 0; i < q.length; i++) {
            q[i] = 1e-3 * Math.pow(500, i / (q.length - 1.0));
        }
        double[] radii = {250, 250, 250, 180, 180, 250, 0, 0, 320};
        int batch = radii.length;
        SplittableRandom r = new SplittableRandom(5);
        double[] theta = new double[batch * p];
        for (int b = 0; b < batch; b++) {
            theta[b * p] = radii[b];
            theta[b * p + 1] = 10 + 40 * r.nextDouble();
            theta[b * p + 2] = 1 + r.nextDouble();
            theta[b * p + 3] = 2 + r.nextDouble();
            theta[b * p + 4] = r.nextDouble();
        }
        int nq = q.length;
        double[] g = new double[batch * nq];
        double[] gv = new double[batch];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextGaussian();
        }
        for (int b = 0; b < batch; b++) {
            gv[b] = r.nextGaussian();
        }
        double[] f2 = new double[batch * nq];
        double[] vol = new double[batch];
        double[] grad = new double[batch * p];
        css.computeWithVectorJacobianProduct(q, theta, batch, g, gv, f2, vol, grad);
        double[] f2Only = new double[batch * nq];
        css.compute(q, theta, batch, f2Only, new double[batch]);
        for (int b = 0; b < batch; b++) {
            double[] t = Arrays.copyOfRange(theta, b * p, (b + 1) * p);
            double[] f1 = new double[nq];
            double[] v1 = new double[1];
            double[] g1 = new double[p];
            css.computeWithVectorJacobianProduct(q, t, 1, Arrays.copyOfRange(g, b * nq, (b + 1) * nq),
                    new double[] {gv[b]}, f1, v1, g1);
            assertArrayEquals(f1, Arrays.copyOfRange(f2, b * nq, (b + 1) * nq), 0.0, "F² of row " + b);
            assertArrayEquals(f1, Arrays.copyOfRange(f2Only, b * nq, (b + 1) * nq), 0.0, "F² (values only) of row " + b);
            assertArrayEquals(g1, Arrays.copyOfRange(grad, b * p, (b + 1) * p), 0.0, "gradient of row " + b);
        }
    }

    /** j(x) written out with Math.sin and Math.cos (the closed form; x here is at least 0.1). */
    private static double j(double x) {
        return 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
    }

    @Test
    void aRadiusByThicknessGridMatchesTheDirectFormulaAndEachRowAlone() {
        // 5 radii × 70 thicknesses, radius outermost: more thicknesses than the kernel caches, so
        // the cache is refilled; the outer amplitude comes from the addition formulas there
        CoreShellSphere css = new CoreShellSphere();
        int p = css.parameters().size();
        double[] q = new double[40];
        for (int i = 0; i < q.length; i++) {
            q[i] = 2e-3 * Math.pow(250, i / (q.length - 1.0));
        }
        int nr = 5;
        int nt = 70;
        int batch = nr * nt;
        double[] theta = new double[batch * p];
        for (int a = 0; a < nr; a++) {
            for (int t = 0; t < nt; t++) {
                int b = a * nt + t;
                theta[b * p] = 150 + 40 * a;
                theta[b * p + 1] = 5 + 0.8 * t;
                theta[b * p + 2] = 1.5;
                theta[b * p + 3] = 2.5;
                theta[b * p + 4] = 0.3;
            }
        }
        int nq = q.length;
        double[] f2 = new double[batch * nq];
        css.compute(q, theta, batch, f2, new double[batch]);
        // the same rows a second time in one call: the cache then holds other thicknesses
        double[] both = new double[2 * batch * p];
        System.arraycopy(theta, 0, both, 0, batch * p);
        System.arraycopy(theta, 0, both, batch * p, batch * p);
        double[] f2Both = new double[2 * batch * nq];
        css.compute(q, both, 2 * batch, f2Both, new double[2 * batch]);
        assertArrayEquals(f2, Arrays.copyOfRange(f2Both, batch * nq, 2 * batch * nq), 0.0,
                "rows computed after the cache was refilled");
        for (int b = 0; b < batch; b++) {
            double radius = theta[b * p];
            double outer = radius + theta[b * p + 1];
            double vc = 4 * Math.PI / 3 * radius * radius * radius;
            double vo = 4 * Math.PI / 3 * outer * outer * outer;
            double[] f1 = new double[nq];
            css.compute(q, Arrays.copyOfRange(theta, b * p, (b + 1) * p), 1, f1, new double[1]);
            assertArrayEquals(f1, Arrays.copyOfRange(f2, b * nq, (b + 1) * nq), 0.0, "row " + b + " alone");
            for (int i = 0; i < nq; i++) {
                double fc = vc * j(q[i] * radius) * (1.5 - 2.5);
                double fs = vo * j(q[i] * outer) * (2.5 - 0.3);
                double f = fc + fs;
                double expected = 1e-4 * f * f;
                // relative to the larger term: F itself may cancel near its zeros
                double scale = 1e-4 * Math.max(fc * fc, fs * fs);
                assertEquals(expected, f2[b * nq + i], 1e-11 * scale + 1e-12 * expected, "row " + b + ", q " + q[i]);
            }
        }
    }
}
