package org.lnpsaxs.surrogate.fit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * A stand-in for the trained default surrogate: the real {@link Surrogate} class over the LNP
 * parameter space and the paper's 300-point grid (its closed-form mean-particle term included),
 * with seeded random weights in its two small networks (output weights smooth in q, the
 * fluctuation level a Guinier-like decay). It exercises the LNP fit path — surrogate inference,
 * its input gradients, the size-distribution layer, the ordering of m_q1 and m_q2 — independently
 * of any training run; its fluctuation and correction terms are not physical.
 */
public final class StandInSurrogate {

    private StandInSurrogate() {
    }

    /** The model file contents: MLPs {@code width}-{@code width} with rank 8 and 16 with rank 4. */
    public static ModelFile.Contents contents(int width, long seed) {
        QGrid grid = QGrid.PAPER;
        ParameterSpace space = LnpParameters.SPACE;
        NetworkSpec spec = NetworkSpec.lnp(grid.size(), 5.0, 1024, List.of(width, width), 8, List.of(16), 4);
        ModelMetadata meta = ModelMetadata.of("stand-in surrogate with random weights (tests only)", space,
                grid.values(), "arbitrary units", spec, null);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = new float[t.size()];
            String base = t.name().substring(2);
            double sd = base.startsWith("w") ? Math.sqrt(1.0 / t.rows()) : 0.1;
            if (base.equals("w_out") || base.equals("b_out")) {
                // smooth in q: each row a random combination of the first 12 cosines over the grid
                int cols = t.columns();
                double scale = t.name().startsWith(NetworkSpec.E_PREFIX) ? 0.02 : 0.2;
                for (int r = 0; r < t.rows(); r++) {
                    double[] c = new double[12];
                    for (int h = 0; h < c.length; h++) {
                        c[h] = rng.nextGaussian() * scale / Math.sqrt(c.length);
                    }
                    for (int k = 0; k < cols; k++) {
                        double v = 0;
                        for (int h = 0; h < c.length; h++) {
                            v += c[h] * Math.cos(Math.PI * h * k / (cols - 1));
                        }
                        if (t.name().equals(NetworkSpec.D_PREFIX + "b_out")) {
                            // a fluctuation level that decays with q like a Guinier curve
                            v += 1.5 - 2 * Math.log10(1 + Math.pow(grid.get(k) / 0.05, 2));
                        }
                        a[r * cols + k] = (float) v;
                    }
                }
            } else {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (rng.nextGaussian() * sd);
                }
            }
            m.put(t.name(), a);
        }
        return new ModelFile.Contents(meta, Weights.of(spec, m));
    }

    /** The stand-in surrogate (width 32). */
    public static Surrogate create(long seed) {
        return Surrogate.of(contents(32, seed));
    }
}
