package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.model.LnpFitModel;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.lnpsaxs.surrogate.train.TrainerSettings;

/**
 * The surrogate the fitting benchmarks use: the file named by the system property
 * {@code lnpsaxs.surrogate}, else the default model shipped in the surrogate jar, else a stand-in
 * with untrained weights of the trainer's default shape — the same cost per curve as a trained
 * network of that shape.
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

    static Loaded load() {
        String file = System.getProperty("lnpsaxs.surrogate");
        try {
            if (file != null) {
                return new Loaded(Surrogate.load(Path.of(file)), "model file " + file);
            }
            return new Loaded(Surrogate.loadDefault(), "default model");
        } catch (IOException e) {
            return new Loaded(Surrogate.of(standIn(1)),
                    "stand-in: untrained weights of the default shape (no default model: " + e.getMessage() + ")");
        }
    }

    /**
     * An untrained network of the trainer's default shape over the LNP space on the paper's grid
     * (seeded initial weights): the same cost per curve as the trained default model.
     */
    static ModelFile.Contents standIn(long seed) {
        TrainerSettings d = TrainerSettings.DEFAULTS;
        NetworkSpec spec = NetworkSpec.lnp(QGrid.PAPER.size(), 5.0, 1024, d.fluctuationHidden(), d.fluctuationRank(),
                d.correctionHidden(), d.correctionRank());
        ModelMetadata meta = ModelMetadata.of("benchmark stand-in (untrained weights)", LnpParameters.SPACE,
                QGrid.PAPER.values(), "arbitrary units", spec, null);
        return new ModelFile.Contents(meta, Weights.initial(spec, seed));
    }

    /** The fit problem: the model's own curve at {@link #TRUTH} on its grid from q = 0.01 Å⁻¹, scale-free loss. */
    static FitProblem problem(Surrogate surrogate) {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        ParameterSpace ps = fm.model(null).parameters();
        double[] theta = new double[ps.size()];
        for (Map.Entry<String, Double> e : TRUTH.entrySet()) {
            theta[ps.indexOf(e.getKey())] = e.getValue();
        }
        double[] curve = fm.model(null).evaluate(theta);
        double[] q = fm.fixedGrid();
        return FitProblem.prepare(fm, "synthetic lnp curve", java.util.Arrays.copyOfRange(q, 40, q.length),
                java.util.Arrays.copyOfRange(curve, 40, curve.length), null, 0, Double.POSITIVE_INFINITY);
    }
}
