package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.lnpsaxs.core.data.QGrid;

/**
 * The reverse-mode gradients of the form factors equal central finite differences (relative 1e-6)
 * for random valid parameters, element by element of the Jacobian (see {@link JacobianCheck}).
 */
class FormFactorGradientTest {

    static final double[] Q = QGrid.log(0.001, 0.5, 41).values();
    static final double SLD_STEP = 1e-3;
    static final double LENGTH_STEP = 2e-3;

    @Property(tries = 150, seed = "20261204")
    void sphereGradientEqualsFiniteDifferences(@ForAll @DoubleRange(min = -2, max = 15) double sld,
                                               @ForAll @DoubleRange(min = -2, max = 15) double solvent,
                                               @ForAll @DoubleRange(min = 5, max = 600) double radius) {
        Assume.that(Math.abs(sld - solvent) >= 0.05);
        Sphere ff = new Sphere();
        double[] theta = {sld, solvent, radius};
        double contrast = Math.abs(sld - solvent);
        JacobianCheck.Result r = JacobianCheck.check("sphere " + java.util.Arrays.toString(theta), Q,
                jacobian(ff, theta), FormFactorGradientTest.f2(ff), theta,
                (j, q) -> j == 2 ? LENGTH_STEP / JacobianCheck.wavenumber(q, radius) : SLD_STEP * Math.max(1, Math.abs(theta[j])),
                (j, q) -> j == 2 ? 1 / JacobianCheck.wavenumber(q, radius) : contrast,
                i -> JacobianCheck.localEnvelope(f2(ff), theta, Q[i], radius));
        assertTrue(r.compared() >= 0.8 * r.total(), "only " + r.compared() + " of " + r.total() + " compared");
        checkVolumeGradient(ff, theta, new double[] {0, 0, 4 * Math.PI * radius * radius});
    }

    @Property(tries = 150, seed = "20261204")
    void coreShellSphereGradientEqualsFiniteDifferences(
            @ForAll @DoubleRange(min = 5, max = 500) double radius,
            @ForAll @DoubleRange(min = 1, max = 100) double thickness,
            @ForAll @DoubleRange(min = -2, max = 15) double core,
            @ForAll @DoubleRange(min = -2, max = 15) double shell,
            @ForAll @DoubleRange(min = -2, max = 15) double solvent) {
        Assume.that(Math.abs(shell - solvent) >= 0.05 && Math.abs(core - shell) >= 0.05);
        CoreShellSphere ff = new CoreShellSphere();
        double[] theta = {radius, thickness, core, shell, solvent};
        double outer = radius + thickness;
        double contrastScale = Math.max(Math.abs(core - shell), Math.abs(shell - solvent));
        JacobianCheck.Result r = JacobianCheck.check("core_shell_sphere " + java.util.Arrays.toString(theta), Q,
                jacobian(ff, theta), f2(ff), theta,
                (j, q) -> switch (j) {
                    case 0 -> Math.min(LENGTH_STEP / JacobianCheck.wavenumber(q, radius), radius / 4);
                    case 1 -> Math.min(LENGTH_STEP / JacobianCheck.wavenumber(q, outer), thickness / 4);
                    default -> SLD_STEP * Math.max(1, Math.abs(theta[j]));
                },
                (j, q) -> j <= 1 ? 1 / JacobianCheck.wavenumber(q, outer) : contrastScale,
                i -> JacobianCheck.localEnvelope(f2(ff), theta, Q[i], outer));
        assertTrue(r.compared() >= 0.8 * r.total(), "only " + r.compared() + " of " + r.total() + " compared");
        double dvo = 4 * Math.PI * outer * outer;
        checkVolumeGradient(ff, theta, new double[] {dvo, dvo, 0, 0, 0});
    }

    @Property(tries = 50, seed = "20261204")
    void fusedCallEqualsSeparateCalls(@ForAll @DoubleRange(min = 5, max = 500) double radius,
                                      @ForAll @DoubleRange(min = 0, max = 100) double thickness,
                                      @ForAll @DoubleRange(min = -2, max = 15) double core,
                                      @ForAll @DoubleRange(min = -1, max = 1) double weight) {
        CoreShellSphere ff = new CoreShellSphere();
        int batch = 3;
        double[] theta = new double[batch * 5];
        double[] dLdF2 = new double[batch * Q.length];
        double[] dLdV = new double[batch];
        for (int b = 0; b < batch; b++) {
            double[] t = {radius * (1 + 0.1 * b), thickness, core, 10.5 + b, 9.47};
            System.arraycopy(t, 0, theta, b * 5, 5);
            dLdV[b] = weight * (b - 1);
            for (int i = 0; i < Q.length; i++) {
                dLdF2[b * Q.length + i] = weight * Math.cos(i + b);
            }
        }
        double[] f2 = new double[batch * Q.length];
        double[] v = new double[batch];
        double[] g = new double[batch * 5];
        ff.compute(Q, theta, batch, f2, v);
        ff.vectorJacobianProduct(Q, theta, batch, dLdF2, dLdV, g);
        double[] f2b = new double[batch * Q.length];
        double[] vb = new double[batch];
        double[] gb = new double[batch * 5];
        ff.computeWithVectorJacobianProduct(Q, theta, batch, dLdF2, dLdV, f2b, vb, gb);
        assertArrayEquals(f2, f2b, 0.0);
        assertArrayEquals(v, vb, 0.0);
        assertArrayEquals(g, gb, 0.0);
    }

    /** The Jacobian of f2 from the batched VJP: set i gets the one-hot upstream gradient of q_i. */
    static double[][] jacobian(FormFactor ff, double[] theta) {
        int p = theta.length;
        int n = Q.length;
        double[] thetas = new double[n * p];
        double[] oneHot = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(theta, 0, thetas, i * p, p);
            oneHot[i * n + i] = 1.0;
        }
        double[] g = new double[n * p];
        ff.vectorJacobianProduct(Q, thetas, n, oneHot, null, g);
        double[][] jac = new double[n][p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g, i * p, jac[i], 0, p);
        }
        return jac;
    }

    static JacobianCheck.PointFunction f2(FormFactor ff) {
        return (theta, q) -> {
            double[] out = new double[1];
            ff.compute(new double[] {q}, theta, 1, out, new double[1]);
            return out[0];
        };
    }

    /** dV/dθ from the VJP with only an upstream volume gradient (no q loop) equals the closed form. */
    static void checkVolumeGradient(FormFactor ff, double[] theta, double[] expected) {
        double[] g = new double[theta.length];
        ff.vectorJacobianProduct(Q, theta, 1, null, new double[] {1.0}, g);
        for (int j = 0; j < theta.length; j++) {
            assertEquals(expected[j], g[j], 1e-12 * Math.abs(expected[j]) + 0.0, "dV/dθ_" + j);
        }
    }
}
