package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.testing.SasmodelsReference;
import org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid;

/**
 * Every unsmeared public sasmodels case (mono- and polydisperse) reproduced by
 * {@link SasPolydisperseModel} with sasmodels' grid to a relative 1e-9, and the derived header
 * values (points kept after truncation, ⟨V⟩) checked too.
 */
class SasmodelsPolydisperseTest {

    static final double TOLERANCE = 1e-9;

    static Stream<String> unsmearedCases() {
        return SasmodelsReference.caseNames().stream()
                .filter(n -> SasmodelsReference.load(n).resolution().equals("none"));
    }

    /** The model of a reference case and its parameter vector. */
    record Setup(SasPolydisperseModel model, double[] theta) {
    }

    static Setup setup(SasmodelsReference ref, double[] q) {
        FormFactor ff = FormFactors.byName(ref.model());
        List<Dispersion> dispersions = new ArrayList<>();
        for (String p : FormFactors.polydisperseParameters(ref.model())) {
            if (ref.parameter(p + "_pd") > 0) {
                dispersions.add(Dispersion.sasmodels(p, ref.header("par." + p + "_pd_type"),
                        (int) ref.parameter(p + "_pd_n"), ref.parameter(p + "_pd_nsigma")));
            }
        }
        SasPolydisperseModel model = SasPolydisperseModel.of(ff, q, dispersions.toArray(new Dispersion[0]));
        ParameterSpace space = model.parameters();
        double[] theta = new double[space.size()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = ref.parameter(space.get(j).name());
        }
        return new Setup(model, theta);
    }

    @ParameterizedTest
    @MethodSource("unsmearedCases")
    void reproducesSasmodels(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        Setup s = setup(ref, ref.q());
        double[] intensity = s.model().evaluate(s.theta());
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), intensity);
        System.out.printf("%s: max relative error %.2e%n", name, err);
        assertTrue(err <= TOLERANCE, name + ": max relative error " + err);
    }

    /**
     * The smeared cases: the polydisperse model on the resolution's calculation grid, smeared by
     * sasmodels' pinhole algorithm (≤ 1e-6 required, same q_calc as sasmodels) or by the converged
     * quadrature against the dense reference (≤ 1e-4).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"css_lnp_pdR_schulz_res5_log", "css_lnp_pdR_schulz_res5dense_log"})
    void reproducesTheSmearedCases(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        org.lnpsaxs.core.data.QGrid q = org.lnpsaxs.core.data.QGrid.of(ref.q());
        boolean dense = ref.resolution().equals("pinhole_dense");
        org.lnpsaxs.core.resolution.ResolutionOperator op = dense
                ? org.lnpsaxs.core.resolution.Pinhole.converged(q, ref.dqOverQ())
                : org.lnpsaxs.core.resolution.Pinhole.sasmodels(q, ref.dqOverQ());
        if (!dense) {
            assertEquals(ref.qCalcPoints(), op.calcSize(), "q_calc points");
        }
        Setup s = setup(ref, op.qCalc().values());
        org.lnpsaxs.core.resolution.SmearedModel smeared = new org.lnpsaxs.core.resolution.SmearedModel(s.model(), op);
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), smeared.evaluate(s.theta()));
        System.out.printf("%s: max relative error %.2e%n", name, err);
        assertTrue(err <= (dense ? 1e-4 : 1e-6), name + ": max relative error " + err);
    }

    /** The number of grid points left after truncation and ⟨V⟩, from the files' headers. */
    @ParameterizedTest
    @MethodSource("unsmearedCases")
    void gridAndMeanVolumeMatchTheHeader(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        for (Dispersion d : setup(ref, ref.q()).model().dispersions()) {
            int used = Integer.parseInt(ref.header("derived." + d.parameter() + "_pd_points_used"));
            double c = ref.parameter(d.parameter());
            double pd = ref.parameter(d.parameter() + "_pd");
            int n = d.rule().withParameterLimits(0, Double.POSITIVE_INFINITY)
                    .nodes(d.distribution().withParameters(c, pd)).size();
            assertEquals(used, n, name + ": points of " + d.parameter());
        }
        double expected = Double.parseDouble(ref.header("derived.volume_avg_A3"));
        assertEquals(expected, meanVolume(setup(ref, ref.q())), 1e-12 * expected, name + ": <V>");
    }

    /**
     * ⟨V⟩ of the model's grid: with a form factor whose f2 is 1 (same volumes), scale 1 and
     * background 0 the model gives 1/⟨V⟩.
     */
    static double meanVolume(Setup s) {
        FormFactor ff = s.model().formFactor();
        FormFactor unit = new FormFactor() {
            @Override
            public String name() {
                return ff.name();
            }

            @Override
            public ParameterSpace parameters() {
                return ff.parameters();
            }

            @Override
            public void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
                ff.compute(q, theta, batch, f2, volume);
                java.util.Arrays.fill(f2, 0, batch * q.length, 1.0);
            }

            @Override
            public void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                                              double[] dLdTheta) {
                throw new UnsupportedOperationException();
            }
        };
        SasPolydisperseModel m = SasPolydisperseModel.of(unit, s.model().q(),
                s.model().dispersions().toArray(new Dispersion[0]));
        double[] theta = s.theta().clone();
        theta[0] = 1;
        theta[1] = 0;
        return 1.0 / m.evaluate(theta)[0];
    }

    /** Without a point count sasmodels' direct API is monodisperse; here SasView's 35 points, 3 σ apply. */
    @Test
    void defaultsAreSasViewsNotASinglePoint() {
        Dispersion d = Dispersion.sasmodels("radius", "gaussian");
        SasmodelsGrid g = (SasmodelsGrid) d.rule();
        assertEquals(35, g.npts());
        assertEquals(3.0, g.nsigmas());
        assertEquals(35, g.nodes(d.distribution().withParameters(100, 0.1)).size());
    }
}
