package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The sphere kernels run over q in loops of one index (vectorised sines and cosines, closed forms,
 * then the gradient's sums): they give, bit for bit, what the pointwise formulas give — for every
 * q alone, \( j \) and \( j' \) from {@link SinCos#of(double, double[])} and
 * {@link SphericalBessel#valueAndDerivative(double, boolean, double, double, double[])}, the amplitude
 * in sasmodels' order of operations, and the gradient's sums accumulated in q order. The q grid
 * holds 0, arguments under both series cut-offs, ordinary ones and ones beyond the fast sine's
 * range (10⁵), so every branch of the point-by-point path is compared; once in random order and
 * once ascending (the kernels find the arguments under the cut-off by a walk in order of |q|, with
 * a sort only where the grid is not ascending).
 */
class VectorKernelTest {

    private static double[] grid(SplittableRandom r) {
        double[] q = new double[203];
        q[0] = 0.0;
        q[1] = 1e-7;
        q[2] = 3e-4;
        for (int i = 3; i < q.length - 3; i++) {
            q[i] = 1e-3 * Math.pow(500, r.nextDouble());
        }
        q[q.length - 3] = 40.0;   // x = qR beyond 1e5 for the largest radii below
        q[q.length - 2] = 0.5;
        q[q.length - 1] = 2e-3;
        return q;
    }

    private static double[] gaussians(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected + 0.0), Double.doubleToRawLongBits(actual + 0.0), what);
    }

    private static double[] ascending(double[] q) {
        double[] s = q.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    @Test
    void sphereGivesThePointwiseFormulasBitForBit() {
        SplittableRandom r = new SplittableRandom(31);
        double[] q = grid(r);
        sphere(q, r);
        sphere(ascending(q), r);
    }

    private static void sphere(double[] q, SplittableRandom r) {
        int nq = q.length;
        double[] radii = {0.0, 2.0, 37.5, 250.0, 827.4, 3142.0, 5000.0};
        int batch = radii.length;
        double[] theta = new double[batch * 3];
        for (int b = 0; b < batch; b++) {
            theta[3 * b] = 1 + r.nextDouble();
            theta[3 * b + 1] = 6 * r.nextDouble();
            theta[3 * b + 2] = radii[b];
        }
        double[] up = gaussians(r, batch * nq);
        double[] upV = gaussians(r, batch);
        double[] f2 = new double[batch * nq];
        double[] grad = new double[batch * 3];
        new Sphere().computeWithVectorJacobianProduct(q, theta, batch, up, upV, f2, new double[batch], grad);
        double[] sc = new double[2];
        double[] jj = new double[2];
        for (int b = 0; b < batch; b++) {
            double contrast = theta[3 * b] - theta[3 * b + 1];
            double radius = theta[3 * b + 2];
            double v = Kernels.FOUR_PI_3 * (radius * radius * radius);
            double dvdr = Kernels.FOUR_PI * radius * radius;
            double cv = contrast * v;
            double gContrast = 0.0;
            double gRadius = 0.0;
            for (int i = 0; i < nq; i++) {
                double x = q[i] * radius;
                SinCos.of(x, sc);
                SphericalBessel.valueAndDerivative(x, true, sc[0], sc[1], jj);
                double f = cv * jj[0];
                assertBits(1.0e-4 * f * f, f2[b * nq + i], "F² at radius " + radius + ", q " + q[i]);
                double g = up[b * nq + i] * 2.0e-4 * f;
                gContrast += g * (v * jj[0]);
                gRadius += g * (dvdr * jj[0] + v * q[i] * jj[1]);
            }
            assertBits(gContrast, grad[3 * b], "d/d sld at radius " + radius);
            assertBits(-gContrast, grad[3 * b + 1], "d/d sld_solvent at radius " + radius);
            assertBits(contrast * gRadius + upV[b] * dvdr, grad[3 * b + 2], "d/d radius at radius " + radius);
        }
    }

    @Test
    void coreShellSphereGivesThePointwiseFormulasBitForBit() {
        SplittableRandom r = new SplittableRandom(37);
        double[] q = grid(r);
        coreShellSphere(q, r);
        coreShellSphere(ascending(q), r);
    }

    private static void coreShellSphere(double[] q, SplittableRandom r) {
        int nq = q.length;
        // consecutive rows share a radius (the kernel keeps its amplitudes) or a thickness (kept too)
        double[][] rows = {{250, 30}, {250, 45}, {250, 30}, {0, 20}, {0.5, 0.5}, {827.4, 60}, {3000, 2500}, {180, 45}};
        int batch = rows.length;
        int p = 5;
        double[] theta = new double[batch * p];
        for (int b = 0; b < batch; b++) {
            theta[p * b] = rows[b][0];
            theta[p * b + 1] = rows[b][1];
            theta[p * b + 2] = 1 + r.nextDouble();
            theta[p * b + 3] = 2 + r.nextDouble();
            theta[p * b + 4] = r.nextDouble();
        }
        double[] up = gaussians(r, batch * nq);
        double[] upV = gaussians(r, batch);
        double[] f2 = new double[batch * nq];
        double[] grad = new double[batch * p];
        new CoreShellSphere().computeWithVectorJacobianProduct(q, theta, batch, up, upV, f2, new double[batch], grad);
        double[] sc = new double[2];
        double[] st = new double[2];
        double[] jc = new double[2];
        double[] jo = new double[2];
        for (int b = 0; b < batch; b++) {
            double radius = theta[p * b];
            double thickness = theta[p * b + 1];
            double outer = radius + thickness;
            double coreContrast = theta[p * b + 2] - theta[p * b + 3];
            double shellContrast = theta[p * b + 3] - theta[p * b + 4];
            double vc = Kernels.FOUR_PI_3 * (radius * radius * radius);
            double vo = Kernels.FOUR_PI_3 * (outer * outer * outer);
            double dvc = Kernels.FOUR_PI * radius * radius;
            double dvo = Kernels.FOUR_PI * outer * outer;
            double gCore = 0.0;
            double gShell = 0.0;
            double gRc = 0.0;
            double gRo = 0.0;
            for (int i = 0; i < nq; i++) {
                double x = q[i] * radius;
                SinCos.of(x, sc);
                SphericalBessel.valueAndDerivative(x, true, sc[0], sc[1], jc);
                // the outer sine and cosine by the addition formulas, as the kernel documents
                SinCos.of(q[i] * thickness, st);
                double so = sc[0] * st[1] + sc[1] * st[0];
                double co = sc[1] * st[1] - sc[0] * st[0];
                SphericalBessel.valueAndDerivative(q[i] * outer, true, so, co, jo);
                double f = vc * jc[0] * coreContrast;
                f += vo * jo[0] * shellContrast;
                String at = " at R " + radius + ", t " + thickness + ", q " + q[i];
                assertBits(1.0e-4 * f * f, f2[b * nq + i], "F²" + at);
                double g = up[b * nq + i] * 2.0e-4 * f;
                gCore += g * (vc * jc[0]);
                gShell += g * (vo * jo[0]);
                gRc += g * (dvc * jc[0] + vc * q[i] * jc[1]);
                gRo += g * (dvo * jo[0] + vo * q[i] * jo[1]);
            }
            double dOuter = shellContrast * gRo + upV[b] * dvo;
            String at = " at R " + radius + ", t " + thickness;
            assertBits(coreContrast * gRc + dOuter, grad[p * b], "d/d radius" + at);
            assertBits(dOuter, grad[p * b + 1], "d/d thickness" + at);
            assertBits(gCore, grad[p * b + 2], "d/d sld_core" + at);
            assertBits(gShell - gCore, grad[p * b + 3], "d/d sld_shell" + at);
            assertBits(-gShell, grad[p * b + 4], "d/d sld_solvent" + at);
        }
    }
}
