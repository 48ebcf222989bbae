package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/** {@link SasModel}: sasmodels' names, order and defaults, the by-name builder, errors and gradients. */
class SasModelTest {

    static final QGrid GRID = QGrid.log(0.001, 0.5, 41);

    @Test
    void parameterOrderAndDefaultsAreSasmodels() {
        SasModel sphere = SasModel.sphere(GRID);
        assertEquals(List.of("scale", "background", "sld", "sld_solvent", "radius"), sphere.parameters().names());
        assertArrayEquals(new double[] {1, 0.001, 1, 6, 50}, sphere.values(), 0.0);
        SasModel css = SasModel.coreShellSphere(GRID);
        assertEquals(List.of("scale", "background", "radius", "thickness", "sld_core", "sld_shell", "sld_solvent"),
                css.parameters().names());
        assertArrayEquals(new double[] {1, 0.001, 60, 10, 1, 2, 3}, css.values(), 0.0);
        assertEquals("Å", css.parameters().get("thickness").unit());
        assertEquals(0.0, css.parameters().get("radius").lower());
        assertEquals(List.of("sphere", "core_shell_sphere"), FormFactors.names());
        assertEquals(List.of("radius", "thickness"), FormFactors.polydisperseParameters("core_shell_sphere"));
    }

    /** The known values that sasmodels' own model files test ({@code tests = [...]} in sphere.py, core_shell_sphere.py). */
    @Test
    void sasmodelsOwnModelTests() {
        QGrid q02 = QGrid.of(0.2);
        assertEquals(0.726362, SasModel.sphere(q02).evaluate()[0], 0.726362 * 1e-6);
        double[] sphere = SasModel.sphere(QGrid.of(0.01, 0.1, 0.2))
                .with(Map.of("background", 0.0, "sld", 6.0, "sld_solvent", 1.0, "radius", 120.0)).evaluate();
        double[] expected = {1.34836265e+04, 6.20114062e+00, 1.04733914e-01};
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], sphere[i], 1e-8 * expected[i]);
        }
        double css = SasModel.coreShellSphere(QGrid.of(0.4)).with("background", 0.0).evaluate()[0];
        assertEquals(0.000698838, css, 0.000698838 * 1e-6);
    }

    @Property(tries = 50, seed = "20261204")
    void coreShellWithMatchedCoreIsASphere(@ForAll @DoubleRange(min = 1, max = 400) double radius,
                                           @ForAll @DoubleRange(min = 0, max = 100) double thickness,
                                           @ForAll @DoubleRange(min = -2, max = 15) double shell,
                                           @ForAll @DoubleRange(min = -2, max = 15) double solvent) {
        double[] css = SasModel.coreShellSphere(GRID).with("radius", radius).with("thickness", thickness)
                .with("sld_core", shell).with("sld_shell", shell).with("sld_solvent", solvent).evaluate();
        double[] sphere = SasModel.sphere(GRID).with("radius", radius + thickness).with("sld", shell)
                .with("sld_solvent", solvent).evaluate();
        for (int i = 0; i < css.length; i++) {
            assertEquals(sphere[i], css[i], 1e-12 * Math.abs(sphere[i]), "q=" + GRID.get(i));
        }
    }

    @Test
    void guinierLimitIsScaleTimesContrastSquaredTimesVolume() {
        // I(0) = scale·1e-4·Δρ²·V (cm⁻¹) for a sphere, the classic forward-scattering limit
        double r = 80;
        double v = 4.0 / 3.0 * Math.PI * r * r * r;
        double i0 = SasModel.sphere(QGrid.of(0.0, 1e-7)).with(Map.of("scale", 0.02, "background", 0.0,
                "sld", 10.5, "sld_solvent", 9.47, "radius", r)).evaluate()[0];
        assertEquals(0.02 * 1e-4 * (10.5 - 9.47) * (10.5 - 9.47) * v, i0, 1e-13 * i0);
    }

    @Test
    void withReturnsACopy() {
        SasModel a = SasModel.coreShellSphere(GRID);
        SasModel b = a.with("radius", 250);
        assertEquals(60, a.value("radius"));
        assertEquals(250, b.value("radius"));
        assertArrayEquals(a.defaults(), b.defaults(), 0.0);
        assertArrayEquals(a.values(), b.defaults(), 0.0);
        assertEquals(250, b.values()[b.parameters().indexOf("radius")]);
        assertNotEquals(a, b);
        assertEquals(b, a.with("radius", 250));
        assertEquals(GRID, b.grid());
        assertEquals(QGrid.of(0.1, 0.2), b.withGrid(QGrid.of(0.1, 0.2)).grid());
    }

    @Test
    void badInputNamesTheProblem() {
        SasModel m = SasModel.coreShellSphere(GRID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.with("radius_core", 1));
        assertTrue(e.getMessage().contains("radius_core") && e.getMessage().contains("thickness"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.with("radius", -1));
        assertTrue(e.getMessage().contains("radius") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.with("sld_core", Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("sld_core"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.with("radius", 0).with("thickness", 0).evaluate());
        assertTrue(e.getMessage().contains("volume"), e.getMessage());
        double[] theta = m.values();
        theta[4] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(theta));
        assertTrue(e.getMessage().contains("sld_core"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FormFactors.byName("cylinder"));
        assertTrue(e.getMessage().contains("core_shell_sphere"), e.getMessage());
        assertEquals("core_shell_sphere", FormFactors.byName("Core_Shell_Sphere").name());
    }

    @Test
    void zeroRadiusFormFactorIsZeroNotNaN() {
        double[] f2 = new double[GRID.size()];
        double[] v = new double[1];
        new Sphere().compute(GRID.values(), new double[] {1, 6, 0}, 1, f2, v);
        assertEquals(0.0, v[0]);
        for (double x : f2) {
            assertEquals(0.0, x);
        }
    }

    @Property(tries = 100, seed = "20261204")
    void batchedEvaluationEqualsOneByOne(@ForAll @DoubleRange(min = 10, max = 400) double radius,
                                         @ForAll @DoubleRange(min = 0.01, max = 5) double scale) {
        SasModel m = SasModel.coreShellSphere(GRID).with("radius", radius).with("scale", scale);
        double[] a = m.values();
        double[] b = m.with("thickness", 33).with("background", 0.1).values();
        double[] both = new double[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        double[] out = new double[2 * GRID.size()];
        m.evaluate(both, 2, out);
        double[] ia = m.evaluate(a);
        double[] ib = m.evaluate(b);
        for (int i = 0; i < GRID.size(); i++) {
            assertEquals(ia[i], out[i], 0.0);
            assertEquals(ib[i], out[GRID.size() + i], 0.0);
        }
    }

    @Property(tries = 100, seed = "20261204")
    void gradientEqualsFiniteDifferences(@ForAll @DoubleRange(min = 0.01, max = 10) double scale,
                                         @ForAll @DoubleRange(min = 0, max = 0.01) double background,
                                         @ForAll @DoubleRange(min = 20, max = 400) double radius,
                                         @ForAll @DoubleRange(min = 2, max = 80) double thickness,
                                         @ForAll @DoubleRange(min = 8, max = 12) double core,
                                         @ForAll @DoubleRange(min = 8, max = 12) double shell) {
        double solvent = 9.47;
        net.jqwik.api.Assume.that(Math.abs(shell - solvent) >= 0.05 && Math.abs(core - shell) >= 0.05);
        SasModel model = SasModel.coreShellSphere(GRID);
        double[] theta = {scale, background, radius, thickness, core, shell, solvent};
        double[] q = GRID.values();
        int n = q.length;
        int p = theta.length;
        double[] thetas = new double[n * p];
        double[] oneHot = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(theta, 0, thetas, i * p, p);
            oneHot[i * n + i] = 1.0;
        }
        double[] g = new double[n * p];
        model.vectorJacobianProduct(thetas, n, oneHot, g);
        double[][] jac = new double[n][p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g, i * p, jac[i], 0, p);
        }
        JacobianCheck.PointFunction intensity = (t, qi) -> model.withGrid(QGrid.of(qi)).evaluate(t)[0];
        double outer = radius + thickness;
        double contrastScale = Math.max(Math.abs(core - shell), Math.abs(shell - solvent));
        JacobianCheck.Result r = JacobianCheck.check("SasModel " + java.util.Arrays.toString(theta), q, jac,
                intensity, theta,
                (j, qi) -> switch (j) {
                    case 0 -> 1e-3 * scale;
                    case 1 -> 1e-3 * intensity.value(theta, qi);
                    case 2 -> Math.min(FormFactorGradientTest.LENGTH_STEP / JacobianCheck.wavenumber(qi, radius), radius / 4);
                    case 3 -> Math.min(FormFactorGradientTest.LENGTH_STEP / JacobianCheck.wavenumber(qi, outer), thickness / 4);
                    default -> 1e-3 * Math.abs(theta[j]);
                },
                (j, qi) -> switch (j) {
                    case 0 -> scale;
                    case 1 -> Double.POSITIVE_INFINITY; // dI/dbackground = 1 is never negligible
                    case 2, 3 -> 1 / JacobianCheck.wavenumber(qi, outer);
                    default -> contrastScale;
                },
                i -> JacobianCheck.localEnvelope(intensity, theta, q[i], outer));
        assertTrue(r.compared() >= 0.8 * r.total(), "only " + r.compared() + " of " + r.total() + " compared");
    }
}
