package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.testing.SasmodelsReference;

/**
 * Every unsmeared, monodisperse sasmodels reference case is reproduced to a relative error of
 * 1e-9 at every q (sasmodels 1.0.6, double-precision C kernel).
 */
class SasmodelsMonodisperseTest {

    static final double TOLERANCE = 1e-9;

    static Stream<String> monodisperseCases() {
        return SasmodelsReference.caseNames().stream()
                .filter(c -> {
                    SasmodelsReference r = SasmodelsReference.load(c);
                    return r.isMonodisperse() && r.resolution().equals("none");
                });
    }

    @Test
    void theNamedCasesAreAmongThemonodisperseOnes() {
        List<String> cases = monodisperseCases().toList();
        assertTrue(cases.containsAll(List.of("sphere_generic_mono_log", "css_lnp_mono_log", "css_lnp_mono_lin")),
                "monodisperse cases found: " + cases);
    }

    @ParameterizedTest
    @MethodSource("monodisperseCases")
    void reproducesTheReferenceCurve(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        SasModel model = modelFor(ref);
        double[] intensity = model.evaluate();
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), intensity);
        assertTrue(err <= TOLERANCE, name + ": max relative error " + err);
    }

    @ParameterizedTest
    @MethodSource("monodisperseCases")
    void singleNodeVolumeIsTheHeaderVolume(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        SasModel model = modelFor(ref);
        double[] theta = model.values();
        double[] kernel = java.util.Arrays.copyOfRange(theta, 2, theta.length);
        double[] volume = new double[1];
        model.formFactor().compute(new double[0], kernel, 1, new double[0], volume);
        double expected = Double.parseDouble(ref.header("derived.volume_avg_A3"));
        assertEquals(expected, volume[0], 1e-14 * expected, name);
    }

    /** The model of a reference case at its header's parameter values; every par.* name must be known. */
    static SasModel modelFor(SasmodelsReference ref) {
        SasModel model = SasModel.byName(ref.model(), QGrid.of(ref.q()));
        List<String> pd = FormFactors.polydisperseParameters(ref.model());
        for (Map.Entry<String, String> e : ref.parameters().entrySet()) {
            String key = e.getKey();
            String base = key.replaceFirst("_pd(_n|_nsigma|_type)?$", "");
            if (!base.equals(key)) {
                assertTrue(pd.contains(base), ref.name() + ": unexpected dispersity parameter " + key);
                continue;
            }
            model = model.with(key, Double.parseDouble(e.getValue()));
        }
        SasModel result = model;
        assertEquals(result.parameters().size(), ref.parameters().keySet().stream()
                .filter(k -> result.parameters().contains(k)).count(),
                ref.name() + ": every model parameter is in the header");
        return result;
    }
}
