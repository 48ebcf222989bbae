package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.polydispersity.quadrature.Nodes;

/**
 * The number-weighted layer ({@link PolydisperseModel}) over a monodisperse model: its values are
 * \( \sum_k w_k I(q; x_k) \) of the model's own curves, a batch is one call of the model, value-only
 * models give a value-only layer, parameters are named as documented, and gradients with respect
 * to every parameter equal finite differences.
 */
class PolydisperseModelTest {

    static final QGrid GRID = QGrid.log(0.001, 0.5, 40);
    static final double LENGTH_SCALE = 1.0;

    static SasModel coreShell() {
        return SasModel.of(new CoreShellSphere(), GRID, FormFactors.defaults("core_shell_sphere"));
    }

    /** A model that only evaluates (like the LNP simulator) and counts its calls. */
    static final class ValueOnly implements BatchedModel {
        final BatchedModel inner;
        final AtomicInteger calls = new AtomicInteger();
        int lastBatch;

        ValueOnly(BatchedModel inner) {
            this.inner = inner;
        }

        @Override
        public ParameterSpace parameters() {
            return inner.parameters();
        }

        @Override
        public double[] q() {
            return inner.q();
        }

        @Override
        public int qSize() {
            return inner.qSize();
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            calls.incrementAndGet();
            lastBatch = batch;
            assertEquals(batch * parameters().size(), theta.length, "theta array longer than the batch");
            assertEquals(batch * qSize(), out.length, "out array longer than the batch");
            inner.evaluate(theta, batch, out);
        }
    }

    /** A differentiable model that counts its calls. */
    static final class Counting implements DifferentiableModel {
        final DifferentiableModel inner;
        int evaluations;
        int products;
        int lastBatch;

        Counting(DifferentiableModel inner) {
            this.inner = inner;
        }

        @Override
        public ParameterSpace parameters() {
            return inner.parameters();
        }

        @Override
        public double[] q() {
            return inner.q();
        }

        @Override
        public int qSize() {
            return inner.qSize();
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            evaluations++;
            lastBatch = batch;
            inner.evaluate(theta, batch, out);
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            products++;
            lastBatch = batch;
            inner.vectorJacobianProduct(theta, batch, dLdI, dLdTheta);
        }
    }

    @Example
    void valuesAreTheWeightedSumOfTheModelsCurves() {
        SasModel mono = coreShell();
        DifferentiablePolydisperseModel layer = PolydisperseModel.of(mono, Dispersion.paper("radius"));
        ParameterSpace s = layer.parameters();
        assertEquals(List.of("scale", "background", "radius_mean", "radius_cv", "thickness", "sld_core",
                "sld_shell", "sld_solvent"), s.names());
        double[] theta = {0.5, 0.01, 250, 0.15, 30, 10, 10.5, 9.47};
        double[] intensity = layer.evaluate(theta);
        Nodes nodes = GaussLegendreCdf.paper().nodes(TruncatedLogNormal.of(250, 0.15));
        double[] expected = new double[GRID.size()];
        for (int k = 0; k < nodes.size(); k++) {
            double[] one = mono.evaluate(0.5, 0.01, nodes.x()[k], 30, 10, 10.5, 9.47);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += nodes.w()[k] * one[i];
            }
        }
        assertArrayEquals(expected, intensity, 1e-12 * expected[0]);
    }

    @Example
    void aBatchIsOneCallOfTheMonodisperseModel() {
        ValueOnly mono = new ValueOnly(coreShell());
        PolydisperseModel layer = PolydisperseModel.of(mono, Dispersion.paper("radius"));
        assertFalse(layer instanceof DifferentiableModel, "a value-only model gives a value-only layer");
        assertFalse(layer.isDifferentiable());
        int batch = 5;
        double[] theta = new double[batch * 8];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(new double[] {1, 0, 150 + 50 * b, 0.1 + 0.05 * b, 30, 10, 10.5, 9.47}, 0, theta, b * 8, 8);
        }
        double[] out = new double[batch * GRID.size()];
        layer.evaluate(theta, batch, out);
        assertEquals(1, mono.calls.get());
        assertEquals(batch * 32, mono.lastBatch);
        // equal to the differentiable layer over the same model, set by set
        DifferentiablePolydisperseModel reference = PolydisperseModel.of(coreShell(), Dispersion.paper("radius"));
        for (int b = 0; b < batch; b++) {
            double[] one = reference.evaluate(java.util.Arrays.copyOfRange(theta, b * 8, b * 8 + 8));
            assertArrayEquals(one, java.util.Arrays.copyOfRange(out, b * GRID.size(), (b + 1) * GRID.size()), 0.0);
        }
    }

    @Example
    void gaussLegendreCdfGradientNeedsOnlyTheModelsProduct() {
        Counting mono = new Counting(coreShell());
        DifferentiablePolydisperseModel layer = PolydisperseModel.of(mono, Dispersion.paper("radius"));
        double[] theta = {1, 0, 250, 0.2, 30, 10, 10.5, 9.47, 1, 0, 300, 0.1, 30, 10, 10.5, 9.47};
        double[] g = new double[2 * GRID.size()];
        java.util.Arrays.fill(g, 1.0);
        layer.vectorJacobianProduct(theta, 2, g, new double[16]);
        assertEquals(0, mono.evaluations, "constant weights: no forward evaluation needed");
        assertEquals(1, mono.products);
        assertEquals(64, mono.lastBatch);
    }

    /** The LNP models' R becomes radius_mean, radius_cv in place; nodes must stay in R's range. */
    @Example
    void lnpNamingAndRangeCheck() {
        BatchedModel lnp = new BatchedModel() {
            @Override
            public ParameterSpace parameters() {
                return LnpParameters.SPACE;
            }

            @Override
            public double[] q() {
                return QGrid.PAPER.values();
            }

            @Override
            public int qSize() {
                return QGrid.PAPER.size();
            }

            @Override
            public void evaluate(double[] theta, int batch, double[] out) {
                LnpParameters.SPACE.check(theta, batch);
                java.util.Arrays.fill(out, 0, batch * qSize(), 1.0);
            }
        };
        PolydisperseModel layer = PolydisperseModel.paper(lnp, LnpParameters.R);
        assertEquals(List.of("GRF_shift", "radius_mean", "radius_cv", "w_q1", "m_q1", "m_q2", "s_q1", "s_q2",
                "shell_thickness", "relative_rho_shell"), layer.parameters().names());
        assertEquals(101, layer.parameters().get("radius_mean").lower());
        assertEquals(499, layer.parameters().get("radius_mean").upper());
        double[] theta = {-0.1, 245, 0.2, 0.7, 0.10, 0.11, 0.015, 0.10, 60, 0.96};
        assertArrayEquals(lnp.evaluate(LnpParameters.example()), layer.evaluate(theta), 1e-15);
        PolydisperseModel wide = PolydisperseModel.of(lnp, Dispersion.paper(LnpParameters.R, 50, 499));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wide.evaluate(-0.1, 120, 0.3, 0.7, 0.10, 0.11, 0.015, 0.10, 60, 0.96));
        assertTrue(e.getMessage().contains("R = ") && e.getMessage().contains("[100, 500]"), e.getMessage());
    }

    @Property(tries = 40, seed = "13")
    void gradientEqualsFiniteDifferences(@ForAll long seed) {
        Random rnd = new Random(seed);
        DifferentiableModel mono = coreShell();
        int kind = rnd.nextInt(5);
        Dispersion radius = switch (kind) {
            case 0 -> Dispersion.paper("radius");
            case 1 -> Dispersion.paper("radius").withRule(GaussLegendreDensity.of(8 + rnd.nextInt(40)));
            case 2 -> Dispersion.sasmodels("radius", new String[] {"gaussian", "lognormal", "schulz"}[rnd.nextInt(3)],
                    5 + rnd.nextInt(40), 2 + 2 * rnd.nextDouble());
            case 3 -> Dispersion.paper("radius").withRule(GaussLegendreCdf.of(4 + rnd.nextInt(20)));
            default -> Dispersion.sasmodels("radius", "schulz", 15, 3);
        };
        DifferentiablePolydisperseModel layer;
        if (kind == 4) {
            // two dispersions (outer product), and a fused inner model: average a sasmodels
            // thickness-polydisperse model over the radius
            SasPolydisperseModel inner = SasPolydisperseModel.of(new CoreShellSphere(), GRID,
                    Dispersion.sasmodels("thickness", "gaussian", 7, 3));
            layer = PolydisperseModel.of(inner, radius, Dispersion.sasmodels("scale", "gaussian", 5, 2));
        } else {
            layer = PolydisperseModel.of(mono, radius);
        }
        ParameterSpace space = layer.parameters();
        int p = space.size();
        int batch = 2;
        double[] theta = new double[batch * p];
        double[] scales = new double[batch * p];
        for (int b = 0; b < batch; b++) {
            double[] slds = SasPolydisperseGradientTest.contrastingSlds(rnd);
            int sld = 0;
            for (int j = 0; j < p; j++) {
                String par = space.get(j).name();
                double v;
                double s;
                switch (par) {
                    case "scale" -> {
                        v = 0.01 + 2 * rnd.nextDouble();
                        s = v;
                    }
                    case "background" -> {
                        v = 0.1 * rnd.nextDouble();
                        s = 1e-3;
                    }
                    case "radius_mean", "radius" -> {
                        v = 120 + 360 * rnd.nextDouble();
                        s = LENGTH_SCALE;
                    }
                    case "radius_cv", "radius_pd", "thickness_pd" -> {
                        v = 0.05 + 0.2 * rnd.nextDouble();
                        s = LENGTH_SCALE / theta[b * p + j - 1];
                    }
                    case "thickness" -> {
                        v = 5 + 55 * rnd.nextDouble();
                        s = LENGTH_SCALE;
                    }
                    case "scale_pd" -> {
                        v = 0.01 + 0.05 * rnd.nextDouble();
                        s = v;
                    }
                    default -> {
                        v = slds[sld++];
                        s = 1;
                    }
                }
                theta[b * p + j] = v;
                scales[b * p + j] = s;
            }
        }
        int compared = GradientCheck.check(layer, theta, batch, scales, seed);
        assertTrue(compared >= 2 * 4, layer + ": only " + compared + " components compared");
    }

    @Example
    void differentiableModelGivesDifferentiableLayer() {
        PolydisperseModel layer = PolydisperseModel.of((BatchedModel) coreShell(), Dispersion.paper("radius"));
        assertInstanceOf(DifferentiablePolydisperseModel.class, layer);
        assertTrue(layer.isDifferentiable());
    }

    @Example
    void refusesUnknownOrRepeatedParameters() {
        assertThrows(IllegalArgumentException.class, () -> PolydisperseModel.of(coreShell(), Dispersion.paper("R")));
        assertThrows(IllegalArgumentException.class,
                () -> PolydisperseModel.of(coreShell(), Dispersion.paper("radius"), Dispersion.sasmodels("radius", "schulz")));
        DifferentiablePolydisperseModel layer = PolydisperseModel.of(coreShell(), Dispersion.paper("radius"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.evaluate(1, 0, 600, 0.2, 30, 10, 10.5, 9.47));
        assertTrue(e.getMessage().contains("radius_mean"), e.getMessage());
    }
}
