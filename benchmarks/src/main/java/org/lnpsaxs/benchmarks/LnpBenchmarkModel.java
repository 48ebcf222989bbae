package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

/**
 * The surrogate the benchmarks use: the file named by the system property
 * {@code lnpsaxs.surrogate}, else the default model shipped in the surrogate jar.
 * The fit problem is the {@code lnp} model's own noise-free curve at {@link #TRUTH}.
 */
final class LnpBenchmarkModel {

    /** The truth of the synthetic data, in the lnp fit model's parameter order. */
    static final Map<String, Double> TRUTH = truth();

    private LnpBenchmarkModel() {
    }

    private static Map<String, Double> truth() {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("GRF_shift", -0.1);
        t.put("radius_mean", 245.0);
        t.put("radius_cv", 0.2);
        t.put("w_q1", 0.7);
        t.put("m_q1", 0.10);
        t.put("m_q2", 0.11);
        t.put("s_q1", 0.015);
        t.put("s_q2", 0.10);
        t.put("shell_thickness", 60.0);
        t.put("relative_rho_shell", 0.96);
        return t;
    }

    /** The surrogate and a description of where it came from. */
    record Loaded(Surrogate surrogate, String description) {
    }

    /** Loads the surrogate; a missing or unreadable model is an error, not a silent substitute. */
    static Loaded load() {
        String file = System.getProperty("lnpsaxs.surrogate");
        try {
            if (file != null) {
                return new Loaded(Surrogate.load(Path.of(file)), "model file " + file);
            }
            return new Loaded(Surrogate.loadDefault(), "default model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fit problem: the model's own curve at {@link #TRUTH} on its grid from q = 0.01 Å⁻¹, scale-free loss. */
    static FitProblem problem(Surrogate surrogate) {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        ParameterSpace ps = fm.model().parameters();
        double[] theta = new double[ps.size()];
        for (Map.Entry<String, Double> e : TRUTH.entrySet()) {
            theta[ps.indexOf(e.getKey())] = e.getValue();
        }
        double[] curve = fm.model().evaluate(theta);
        double[] q = fm.fixedGrid().orElseThrow().values();
        return FitProblem.of(fm, ScatteringCurve.of(java.util.Arrays.copyOfRange(q, 40, q.length),
                java.util.Arrays.copyOfRange(curve, 40, curve.length)).withSource("synthetic lnp curve"));
    }
}
