package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.model.LnpFitModel;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Normalisation;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * The surrogate the fitting benchmarks use: the file named by the system property
 * {@code lnpsaxs.surrogate}, else the default model shipped in the surrogate jar, else (until a
 * default model ships) a stand-in with random weights of the trainer's default shape (width 384,
 * 4 residual blocks, 300 outputs) — the same cost per curve as a trained network of that shape.
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
            return new Loaded(Surrogate.of(standIn(384, 4, 1)),
                    "stand-in: random weights, width 384, 4 blocks (no default model: " + e.getMessage() + ")");
        }
    }

    /** A random-weight network over the LNP space on the paper's grid. */
    static ModelFile.Contents standIn(int width, int blocks, long seed) {
        QGrid grid = QGrid.PAPER;
        ParameterSpace space = LnpParameters.SPACE;
        NetworkSpec spec = NetworkSpec.of(space.size(), List.of(LnpParameters.R), width, blocks, grid.size());
        double[] mean = new double[grid.size()];
        double[] scale = new double[grid.size()];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = 8 - 3 * Math.log10(1 + Math.pow(grid.get(k) / 0.01, 2));
            scale[k] = 0.3;
        }
        Normalisation norm = Normalisation.inputs(space, spec.logFeatures(), mean, scale);
        ModelMetadata meta = ModelMetadata.of("benchmark stand-in (random weights)", space, grid.values(),
                "arbitrary units", spec, norm, null);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = new float[t.size()];
            double sd = t.name().startsWith("w") ? Math.sqrt(1.0 / t.rows()) : 0.1;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextGaussian() * sd);
            }
            m.put(t.name(), a);
        }
        return new ModelFile.Contents(meta, Weights.of(spec, m));
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
