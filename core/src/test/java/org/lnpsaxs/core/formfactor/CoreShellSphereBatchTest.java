package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
}
