package org.lnpsaxs.surrogate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Normalisation;
import org.lnpsaxs.surrogate.nn.Weights;

/** Randomly weighted (untrained) surrogates for tests that need a network but not a trained one. */
public final class TestModels {

    private TestModels() {
    }

    /** Random weights with O(1) outputs: all matrices normal with variance 1/fan-in, biases 0.1·normal. */
    public static Weights randomWeights(NetworkSpec spec, long seed) {
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
        return Weights.of(spec, m);
    }

    /** A random model file's contents over the LNP space on a grid, with the LNP contrast head and split trunk. */
    public static ModelFile.Contents random(QGrid grid, int width, int blocks, long seed) {
        return random(grid, width, blocks, seed, Head.LNP_CONTRAST, NetworkSpec.LNP_SPLIT);
    }

    /** A random model file's contents over the LNP space on a grid. */
    public static ModelFile.Contents random(QGrid grid, int width, int blocks, long seed, String head, String trunk) {
        ParameterSpace space = LnpParameters.SPACE;
        NetworkSpec spec = NetworkSpec.of(space.size(), List.of("R"), width, blocks, grid.size(), head, trunk);
        double[] mean = new double[grid.size()];
        double[] scale = new double[grid.size()];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = 6 - 20 * grid.get(k);
            scale[k] = 0.5;
        }
        Normalisation norm = Normalisation.inputs(space, spec.logFeatures(), mean, scale);
        ModelMetadata meta = ModelMetadata.of("random test network", space, grid.values(), "arbitrary units", spec, norm,
                null);
        return new ModelFile.Contents(meta, randomWeights(spec, seed));
    }

    /** A random surrogate (LNP contrast head). */
    public static Surrogate randomSurrogate(QGrid grid, int width, int blocks, long seed) {
        return Surrogate.of(random(grid, width, blocks, seed));
    }

    /** A random surrogate with the given head and trunk. */
    public static Surrogate randomSurrogate(QGrid grid, int width, int blocks, long seed, String head, String trunk) {
        return Surrogate.of(random(grid, width, blocks, seed, head, trunk));
    }

    /** Random parameter points inside the LNP box (flat, batch-major). */
    public static double[] randomTheta(int batch, long seed) {
        ParameterSpace space = LnpParameters.SPACE;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] t = new double[batch * space.size()];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < space.size(); j++) {
                double lo = space.get(j).lower();
                double hi = space.get(j).upper();
                t[b * space.size() + j] = lo + (0.02 + 0.96 * rng.nextDouble()) * (hi - lo);
            }
        }
        return t;
    }
}
