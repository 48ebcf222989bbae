package org.lnpsaxs.surrogate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/** Randomly weighted (untrained) surrogates for tests that need a network but not a trained one. */
public final class TestModels {

    /** The simulator settings of the test networks' closed-form term. */
    public static final double VOXEL = 5.0;
    /** Plane size of the test networks. */
    public static final int PLANE = 1024;

    private TestModels() {
    }

    /**
     * Random weights with O(1) outputs: matrices normal with variance 1/fan-in (the output matrix
     * 0.1/fan-in), biases 0.1·normal; the fluctuation MLP's output bias is offset to {@code dLevel}
     * decades so that the fluctuation term is of the mean term's size somewhere on the grid.
     */
    public static Weights randomWeights(NetworkSpec spec, long seed, double dLevel) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = new float[t.size()];
            String base = t.name().substring(2);
            boolean matrix = base.startsWith("w");
            double sd = matrix ? Math.sqrt((base.equals("w_out") ? 0.1 : 1.0) / t.rows()) : 0.1;
            double offset = t.name().equals(NetworkSpec.D_PREFIX + "b_out") ? dLevel : 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (offset + rng.nextGaussian() * sd);
            }
            m.put(t.name(), a);
        }
        return Weights.of(spec, m);
    }

    /** A random model's contents over the LNP space on a grid (MLPs 24-24 rank 8 and 16 rank 4). */
    public static ModelFile.Contents random(QGrid grid, long seed) {
        return random(grid, List.of(24, 24), 8, List.of(16), 4, seed);
    }

    /** A random model's contents with these MLP shapes. */
    public static ModelFile.Contents random(QGrid grid, List<Integer> dHidden, int dRank, List<Integer> eHidden,
                                            int eRank, long seed) {
        ParameterSpace space = LnpParameters.SPACE;
        NetworkSpec spec = NetworkSpec.lnp(grid.size(), VOXEL, PLANE, dHidden, dRank, eHidden, eRank);
        ModelMetadata meta = ModelMetadata.of("random test network", space, grid.values(), "arbitrary units", spec,
                null);
        return new ModelFile.Contents(meta, randomWeights(spec, seed, 1.0));
    }

    /** A random surrogate. */
    public static Surrogate randomSurrogate(QGrid grid, long seed) {
        return Surrogate.of(random(grid, seed));
    }

    /** Random parameter points inside the LNP box (flat, batch-major), 2 % away from the bounds. */
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
