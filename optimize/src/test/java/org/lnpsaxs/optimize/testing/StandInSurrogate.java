package org.lnpsaxs.optimize.testing;

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
import org.lnpsaxs.surrogate.nn.Normalisation;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * A stand-in for the trained default surrogate (which does not exist yet): the real
 * {@link Surrogate} class over the LNP parameter space and the paper's 300-point grid, with
 * seeded random weights (variance 1/fan-in, so the curve depends on every parameter at order 1;
 * output weights smooth in q) and an output normalisation whose mean is a Guinier-like decay. It exercises the LNP fit path —
 * surrogate inference, its input gradients, the size-distribution layer, the ordering of m_q1 and
 * m_q2 — but its curves are not physical.
 */
public final class StandInSurrogate {

    private StandInSurrogate() {
    }

    /** The model file contents. */
    public static ModelFile.Contents contents(int width, int blocks, long seed) {
        QGrid grid = QGrid.PAPER;
        ParameterSpace space = LnpParameters.SPACE;
        NetworkSpec spec = NetworkSpec.of(space.size(), List.of(LnpParameters.R), width, blocks, grid.size());
        double[] mean = new double[grid.size()];
        double[] scale = new double[grid.size()];
        for (int k = 0; k < mean.length; k++) {
            double q = grid.get(k);
            mean[k] = 8 - 3 * Math.log10(1 + Math.pow(q / 0.01, 2));
            scale[k] = 0.3;
        }
        Normalisation norm = Normalisation.inputs(space, spec.logFeatures(), mean, scale);
        ModelMetadata meta = ModelMetadata.of("stand-in surrogate with random weights (tests only)", space, grid.values(),
                "arbitrary units", spec, norm, null);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = new float[t.size()];
            double sd = t.name().startsWith("w") ? Math.sqrt(1.0 / t.rows()) : 0.1;
            if (t.name().equals("w_out") || t.name().equals("b_out")) {
                // smooth in q: each row a random combination of the first 24 cosines over the grid (a curve space of more dimensions than parameters),
                // so that curves are smooth (as measured curves are) and interpolation is meaningful
                int cols = t.columns();
                for (int r = 0; r < t.rows(); r++) {
                    double[] c = new double[24];
                    for (int h = 0; h < c.length; h++) {
                        c[h] = rng.nextGaussian() * sd / Math.sqrt(c.length);
                    }
                    for (int k = 0; k < cols; k++) {
                        double v = 0;
                        for (int h = 0; h < c.length; h++) {
                            v += c[h] * Math.cos(Math.PI * h * k / (cols - 1));
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

    /** The stand-in surrogate (width 32, one residual block). */
    public static Surrogate create(long seed) {
        return Surrogate.of(contents(32, 1, seed));
    }
}
