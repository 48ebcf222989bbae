package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.formfactor.Sphere;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * The conventions of the analytic fit models, and that a user's form factor gets them through
 * {@link AnalyticFitModel#of}: the radius box from the data's q range, the CV box, scale and
 * background held, the other parameters held at their values until freed.
 */
class AnalyticFitModelTest {

    static final QGrid GRID = QGrid.log(0.01, 0.25, 40);

    @Test
    void sphereDefaultsFollowTheDataRange() {
        BoundModel b = AnalyticFitModel.sphere().bind(GRID);
        FitSpace s = b.defaultSpace();
        // π/q_max .. π/q_min, computed here
        assertEquals(Math.PI / 0.25, s.box().get("radius_mean").lower(), 1e-12);
        assertEquals(Math.PI / 0.01, s.box().get("radius_mean").upper(), 1e-9);
        assertEquals(0.01, s.box().get("radius_cv").lower(), 0.0);
        assertEquals(0.6, s.box().get("radius_cv").upper(), 0.0);
        assertEquals(java.util.List.of("radius_mean", "radius_cv"), s.freeNames());
        assertTrue(s.isFixed("scale") && s.isFixed("background") && s.isFixed("sld") && s.isFixed("sld_solvent"));
        assertTrue(s.isLogScale(s.box().indexOf("radius_mean")));
        assertEquals(GRID.size(), b.model().qSize());
        assertArrayEquals(GRID.values(), b.model().q(), 0.0);
    }

    @Test
    void aWideQRangeLowersTheDefaultBoxToWhatTheQuadratureCanAverage() {
        // SAXS and WAXS together: q from 1e-4 to 1.8 1/Å. pi/q_min is beyond 5000 Å, so the box would end at
        // 5000 Å, where a distribution of CV 0.6 needs more than the adaptive rule's 16384 nodes at q = 1.8
        QGrid wide = QGrid.log(1e-4, 1.8, 120);
        BoundModel b = AnalyticFitModel.sphere().bind(wide);
        FitSpace s = b.defaultSpace();
        double top = s.box().get("radius_mean").upper();
        assertTrue(top < 5000, "capped: " + top);
        long steps = Math.round(Math.log(top / 5000) / Math.log(0.9));
        assertEquals(5000 * Math.pow(0.9, steps), top, 1e-9 * top, "a rung of the 0.9 ladder below 5000 Å");
        assertEquals(Math.PI / 1.8 < 5 ? 5 : Math.PI / 1.8, s.box().get("radius_mean").lower(), 1e-12);
        // the widest distribution of the box (mean at its top, CV 0.6) can be averaged ...
        double[] theta = corner(b, top);
        assertEquals(wide.size(), b.model().evaluate(theta).length);
        // ... and one rung up it could not: the box is the largest that can
        double up = top / 0.9;
        BoundModel opened = b.covering("radius_mean", s.box().get("radius_mean").lower(), up);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opened.model().evaluate(corner(opened, up)));
        assertTrue(String.valueOf(e.getMessage()).contains("quadrature nodes"), e.getMessage());
        // a SAXS range is not touched: pi/q_min as before
        assertEquals(Math.PI / 0.001, AnalyticFitModel.sphere().bind(QGrid.log(0.001, 0.5, 100)).defaultSpace().box()
                .get("radius_mean").upper(), 1e-9);
    }

    /** The model's parameters with radius_mean at {@code mean} and radius_cv at its box's top, 0.6. */
    private static double[] corner(BoundModel b, double mean) {
        ParameterSpace ps = b.model().parameters();
        double[] theta = new double[ps.size()];
        for (int j = 0; j < theta.length; j++) {
            String n = ps.get(j).name();
            theta[j] = switch (n) {
                case "radius_mean" -> mean;
                case "radius_cv" -> 0.6;
                case "scale" -> 1;
                case "background" -> 0;
                case "sld" -> 1;
                case "sld_solvent" -> 6;
                default -> throw new AssertionError(n);
            };
        }
        return theta;
    }

    @Test
    void coreShellSphereFreesThicknessAndCoreContrast() {
        FitSpace s = AnalyticFitModel.coreShellSphere().bind(GRID)
                .defaultSpace(Map.of(CoreShellSphere.SLD_SHELL, 10.0, CoreShellSphere.SLD_SOLVENT, 9.0));
        assertEquals(java.util.List.of("radius_mean", "radius_cv", "thickness", "sld_core"), s.freeNames());
        assertEquals(Math.PI / (2 * 0.25), s.box().get("thickness").lower(), 1e-12);
        assertEquals(Math.PI / (2 * 0.01), s.box().get("thickness").upper(), 1e-9);
        // ρ_shell ± 5 |ρ_shell − ρ_solvent| with the user's fixed SLDs
        assertEquals(5.0, s.box().get("sld_core").lower(), 1e-12);
        assertEquals(15.0, s.box().get("sld_core").upper(), 1e-12);
        assertEquals(10.0, s.fixedValue(s.box().indexOf("sld_shell")), 0.0);
    }

    /** A user's form factor with the sphere's kernel: the fit model must equal the built-in sphere's. */
    @Test
    void aUserFormFactorGetsTheSameConventions() {
        FormFactor sphere = new Sphere();
        FormFactor user = new FormFactor() {
            @Override
            public String name() {
                return "my_sphere";
            }

            @Override
            public ParameterSpace parameters() {
                return sphere.parameters();
            }

            @Override
            public void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
                sphere.compute(q, theta, batch, f2, volume);
            }

            @Override
            public void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                                              double[] dLdTheta) {
                sphere.vectorJacobianProduct(q, theta, batch, dLdF2, dLdV, dLdTheta);
            }
        };
        AnalyticFitModel mine = AnalyticFitModel.of(user, Map.of("sld", 1.0, "sld_solvent", 6.0));
        assertEquals("my_sphere", mine.name());
        BoundModel a = mine.bind(GRID);
        BoundModel b = AnalyticFitModel.sphere().bind(GRID);
        assertEquals(b.defaultSpace().toString(), a.defaultSpace().toString());
        double[] theta = {0.01, 1e-3, 1.0, 6.0, 150, 0.1};
        assertArrayEquals(b.model().evaluate(theta), a.model().evaluate(theta), 0.0);
        // and, independently, the monodisperse limit is sasmodels' sphere on the same grid
        double[] mono = SasModel.sphere(GRID).with("radius", 150).with("scale", 0.01).with("background", 1e-3).evaluate();
        double[] narrow = a.model().evaluate(0.01, 1e-3, 1.0, 6.0, 150, 0.01);
        assertEquals(mono[0], narrow[0], 0.01 * mono[0]);
        SizeSummary size = a.sizeDistribution(theta);
        assertEquals(150, size.mean(), 2);
        assertEquals(0.1, size.cv(), 0.01);
    }

    @Test
    void freedParametersGetTheirBoxAndUnknownOrMissingOnesAreNamed() {
        AnalyticFitModel m = AnalyticFitModel.of(new Sphere(), Map.of("sld", 1.0, "sld_solvent", 6.0)).withFree("sld", 0, 3);
        FitSpace s = m.bind(GRID).defaultSpace();
        assertFalse(s.isFixed("sld"));
        assertEquals(3.0, s.box().get("sld").upper(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnalyticFitModel.of(new Sphere(), Map.of("sld", 1.0)));
        assertTrue(e.getMessage().contains("sld_solvent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AnalyticFitModel.of(new Sphere(), Map.of("sld", 1.0, "sld_solvent", 6.0, "length", 3.0)));
        assertTrue(e.getMessage().contains("length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.withFree("radius", 1, 2));
        assertTrue(e.getMessage().contains("radius"), e.getMessage());
    }

    @Test
    void aRelativeBackgroundAddsItsParameter() {
        DifferentiableModel m = AnalyticFitModel.sphere().withBackground(true).bind(GRID).model();
        assertEquals(AnalyticFitModel.BACKGROUND_RATIO, m.parameters().get(m.parameters().size() - 1).name());
        double[] theta = {0.01, 0, 1.0, 6.0, 150, 0.1, 0.002};
        double[] plain = AnalyticFitModel.sphere().bind(GRID).model().evaluate(0.01, 0, 1.0, 6.0, 150, 0.1);
        double[] with = m.evaluate(theta);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] + 0.002 * plain[0], with[i], 1e-12 * with[i]);
        }
    }
}
