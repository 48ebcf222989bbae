package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.formfactor.Sphere;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * The named tier of the polydisperse layers: sasmodels' names and defaults (the numbers are
 * sasmodels' parameter tables: scale 1, background 0.001 cm⁻¹; core_shell_sphere radius 60 Å,
 * thickness 10 Å, SLDs 1, 2, 3; the dispersion settings pd 0, 35 points (SasView), 3 σ,
 * gaussian), equality with the positional path it calls, structure changes by name, and errors
 * that name the parameter and list the allowed names.
 */
class NamedParametersTest {

    static final QGrid Q = QGrid.log(0.001, 0.5, 200);

    @Test
    void byNameStartsAtSasmodelsDefaults() {
        SasPolydisperseModel m = SasPolydisperseModel.byName("core_shell_sphere", Q);
        assertEquals(List.of("scale", "background", "radius", "thickness", "sld_core", "sld_shell", "sld_solvent"),
                m.parameters().names());
        assertArrayEquals(new double[] {1, 0.001, 60, 10, 1, 2, 3}, m.values(), 0.0);
        assertArrayEquals(m.values(), m.defaults(), 0.0);
        // monodisperse: exactly core's SasModel at the same values
        assertArrayEquals(SasModel.coreShellSphere(Q).evaluate(), m.evaluate(), 0.0);
    }

    @Test
    void namedSettingsEqualThePositionalPath() {
        SasPolydisperseModel named = SasPolydisperseModel.byName("core_shell_sphere", Q)
                .with("radius", 250).with("thickness", 30).with("sld_core", 10).with("sld_shell", 10.5)
                .with("sld_solvent", 9.47).with("background", 0).with("radius_pd", 0.1).with("radius_pd_type", "schulz");
        SasPolydisperseModel positional = SasPolydisperseModel.of(new CoreShellSphere(), Q,
                Dispersion.sasmodels("radius", "schulz", 35, 3));
        assertEquals(positional.parameters().names(), named.parameters().names());
        double[] theta = {1, 0, 250, 0.1, 30, 10, 10.5, 9.47};
        assertArrayEquals(theta, named.values(), 0.0);
        assertArrayEquals(positional.evaluate(theta), named.evaluate(), 0.0);
        // the quickstart's number (docs/polydispersity.md)
        assertEquals(4420.897463159467, named.evaluate()[0], 1e-9);

        // point count, width in sigma, and a second dispersion named before the first
        SasPolydisperseModel both = SasPolydisperseModel.byName("core_shell_sphere", Q)
                .with("thickness_pd", 0.2).with("thickness_pd_n", 9).with("radius_pd_type", SasDistribution.Type.LOGNORMAL)
                .with("radius_pd", 0.15).with("radius_pd_nsigma", 4).with("radius_pd_n", 21);
        SasPolydisperseModel explicit = SasPolydisperseModel.of(new CoreShellSphere(), Q,
                Dispersion.sasmodels("radius", "lognormal", 21, 4), Dispersion.sasmodels("thickness", "gaussian", 9, 3));
        assertEquals(explicit.parameters().names(), both.parameters().names());
        assertArrayEquals(explicit.evaluate(both.values()), both.evaluate(), 0.0);
        assertEquals(0.15, both.value("radius_pd"), 0.0);
        assertEquals(60, both.value("radius"), 0.0);
    }

    @Test
    void zeroWidthIsMonodisperseWhateverTheOtherSettings() {
        SasPolydisperseModel m = SasPolydisperseModel.byName("sphere", Q).with("radius", 120)
                .with(Map.of("radius_pd", 0, "radius_pd_n", 80, "radius_pd_nsigma", 8));
        assertArrayEquals(SasModel.sphere(Q).with("radius", 120).evaluate(), m.with("radius_pd_type", "lognormal")
                .evaluate(), 0.0);
        // a width on zero points is refused with both names
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.with("radius_pd_n", 0).with("radius_pd", 0.1).evaluate());
        assertTrue(e.getMessage().contains("radius_pd_n") && e.getMessage().contains("radius_pd ="), e.getMessage());
    }

    @Test
    void mapsAreAppliedInOrderAndValuesSurviveStructureChanges() {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("radius", 200);
        named.put("radius_pd", 0.12);
        named.put("radius_pd_type", "schulz");
        SasPolydisperseModel m = SasPolydisperseModel.byName("core_shell_sphere", Q).with(named);
        assertEquals(200, m.value("radius"), 0.0);
        assertEquals(0.12, m.value("radius_pd"), 0.0);
        assertEquals("schulz", m.dispersions().get(0).distribution().name());
        SasPolydisperseModel moved = m.withQ(QGrid.PAPER).withDispersion(Dispersion.sasmodels("thickness", "gaussian"));
        assertEquals(200, moved.value("radius"), 0.0);
        assertEquals(0.12, moved.value("radius_pd"), 0.0);
        assertEquals(0, moved.value("thickness_pd"), 0.0);
        assertEquals(200, moved.withoutDispersion("radius").value("radius"), 0.0);
    }

    @Test
    void badNamesAndValuesAreRefusedWithTheAllowedOnes() {
        SasPolydisperseModel css = SasPolydisperseModel.byName("core_shell_sphere", Q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_core", 3));
        assertTrue(e.getMessage().contains("'radius_core'") && e.getMessage().contains("sld_shell")
                && e.getMessage().contains("thickness_pd_type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SasPolydisperseModel.byName("sphere", Q).with("thickness", 3));
        assertTrue(e.getMessage().contains("radius_pd_nsigma") && !e.getMessage().contains("thickness_pd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_pd_type", "cauchy"));
        assertTrue(e.getMessage().contains("radius_pd_type") && e.getMessage().contains("gaussian, lognormal, schulz"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_pd_type", 2));
        assertTrue(e.getMessage().contains("distribution name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_pd_n", 3.5));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_pd_nsigma", 0));
        assertTrue(e.getMessage().contains("radius_pd_nsigma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius_pd", -0.1));
        assertTrue(e.getMessage().contains("radius_pd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius", "abc"));
        assertTrue(e.getMessage().contains("radius") && e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> css.with("radius", Double.NaN));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        // sasmodels' settings do not apply to the paper's truncated log-normal
        SasPolydisperseModel paper = SasPolydisperseModel.of(new CoreShellSphere(), Q, Dispersion.paper("radius"));
        e = assertThrows(IllegalArgumentException.class, () -> paper.with("radius_pd_n", 35));
        assertTrue(e.getMessage().contains("truncated_lognormal") && e.getMessage().contains("radius_mean"),
                e.getMessage());
    }

    @Test
    void paperDispersionDefaultsAndTheQuadratureChoice() {
        SasPolydisperseModel paper = SasPolydisperseModel.of(new Sphere(), Q, Dispersion.paper("radius", 101, 499));
        // the sphere's default radius (50 Å) is outside the truncation: the template's mean (300) and CV (0.2)
        assertEquals(300, paper.value("radius_mean"), 0.0);
        assertEquals(0.2, paper.value("radius_cv"), 0.0);
        double[] theta = paper.with("radius_mean", 250).values();
        assertArrayEquals(paper.evaluate(theta), paper.with("radius_mean", 250).evaluate(), 0.0);
    }

    @Test
    void numberWeightedLayerHasTheSameNamedTier() {
        SasModel mono = SasModel.coreShellSphere(QGrid.PAPER).with("sld_core", 10).with("sld_shell", 10.5)
                .with("sld_solvent", 9.47).with("thickness", 30).with("radius", 250);
        DifferentiablePolydisperseModel layer = PolydisperseModel.paper(mono, "radius");
        assertEquals(250, layer.value("radius_mean"), 0.0);
        assertEquals(0.2, layer.value("radius_cv"), 0.0);
        assertEquals(30, layer.value("thickness"), 0.0);
        DifferentiablePolydisperseModel named = layer.with("radius_cv", 0.3).with("background", 0);
        double[] theta = {1, 0, 250, 0.3, 30, 10, 10.5, 9.47};
        assertArrayEquals(theta, named.values(), 0.0);
        assertArrayEquals(layer.evaluate(theta), named.evaluate(), 0.0);
        // sasmodels' settings on another size parameter add a sasmodels dispersion
        PolydisperseModel two = named.with("thickness_pd", 0.1);
        assertTrue(two.parameters().contains("thickness_pd"));
        assertTrue(two instanceof DifferentiablePolydisperseModel);
        // the LNP models' parameters default to the example particle
        BatchedModel lnpLike = new BatchedModel() {
            @Override public ParameterSpace parameters() {
                return LnpParameters.SPACE;
            }
            @Override public double[] q() {
                return QGrid.PAPER.values();
            }
            @Override public int qSize() {
                return QGrid.PAPER.size();
            }
            @Override public void evaluate(double[] theta, int batch, double[] out) {
                java.util.Arrays.fill(out, 0, batch * qSize(), 1.0);
            }
        };
        PolydisperseModel lnp = PolydisperseModel.paper(lnpLike, "R");
        assertEquals(245, lnp.value("radius_mean"), 0.0);
        assertEquals(LnpParameters.example()[7], lnp.value("shell_thickness"), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lnp.with("R", 200));
        assertTrue(e.getMessage().contains("radius_mean"), e.getMessage());
    }

    @Test
    void userFormFactorsWithoutDefaultsAskForValues() {
        FormFactor custom = new FormFactor() {
            final Sphere sphere = new Sphere();

            @Override public String name() {
                return "my_sphere";
            }
            @Override public ParameterSpace parameters() {
                return sphere.parameters();
            }
            @Override public void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
                sphere.compute(q, theta, batch, f2, volume);
            }
            @Override public void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2,
                                                        double[] dLdV, double[] dLdTheta) {
                sphere.vectorJacobianProduct(q, theta, batch, dLdF2, dLdV, dLdTheta);
            }
        };
        SasPolydisperseModel m = SasPolydisperseModel.of(custom, Q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::evaluate);
        assertTrue(e.getMessage().contains("my_sphere") && e.getMessage().contains("sld_solvent"), e.getMessage());
        SasPolydisperseModel set = m.with("sld", 1).with("sld_solvent", 6).with("radius", 50).with("radius_pd", 0.1);
        assertArrayEquals(SasPolydisperseModel.byName("sphere", Q).with("radius_pd", 0.1).evaluate(), set.evaluate(), 0.0);
    }

    @Test
    void resolutionAndReadableText() {
        SasPolydisperseModel m = SasPolydisperseModel.byName("core_shell_sphere", Q).with("radius", 250)
                .with("radius_pd", 0.1).with("radius_pd_type", "schulz");
        var op = Pinhole.sasmodels(Q, 0.05);
        assertArrayEquals(m.smeared(op).evaluate(m.values()), m.evaluate(op), 0.0);
        String text = m.toString();
        assertTrue(text.contains("core_shell_sphere") && text.contains("schulz") && text.contains("radius=250")
                && text.contains("radius_pd=0.1") && !text.contains("@"), text);
        assertEquals("radius ~ schulz on sasmodels-grid(35 points, ±3 sigma) [radius, radius_pd]",
                m.dispersions().get(0).toString());
        assertEquals("schulz(center=250 Å, pd=0.1)", SasDistribution.schulz(250, 0.1).toString());
        assertEquals("truncated_lognormal(mean=250 Å, cv=0.2, truncation=[101, 499] Å)",
                TruncatedLogNormal.of(250, 0.2).toString());
        String layer = PolydisperseModel.paper(SasModel.sphere(Q), "radius").toString();
        assertTrue(layer.contains("radius_mean=") && !layer.contains("@"), layer);
        assertFalse(m.dispersions().get(0).distribution().toString().contains("@"));
    }
}
