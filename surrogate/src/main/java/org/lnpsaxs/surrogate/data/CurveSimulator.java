package org.lnpsaxs.surrogate.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The source of training curves: simulates one curve for a parameter point with noise fixed by a
 * seed (the direct LNP simulator, or any other {@link BatchedModel}). Intensities are in the
 * model's own units (arbitrary units for the LNP simulator) on its q grid (Å⁻¹) and must be
 * positive and finite, since datasets store log₁₀ I.
 *
 * <p>Implementations must be thread-safe: the generator may simulate several curves at once.
 */
public interface CurveSimulator {

    /** The model's parameters (names, units, bounds, order). */
    ParameterSpace parameters();

    /** The q grid in Å⁻¹ (a copy). */
    double[] q();

    /**
     * Simulates one curve.
     *
     * @param theta the parameter point ({@code parameters().size()} values)
     * @param seed  the noise seed of this curve: the same seed gives the same curve
     * @param out   receives {@code q().length} intensities
     */
    void simulate(double[] theta, long seed, double[] out);

    /**
     * The settings that determine the curves (for the dataset manifest), e.g. realisations, voxel
     * size, plane size; values are strings, numbers or booleans. Settings that only change the
     * speed (threads) do not belong here.
     */
    Map<String, Object> settings();

    /**
     * A curve simulator over a family of models indexed by a seed, e.g.
     * {@code CurveSimulator.of(seed -> simulator.withSeed(seed), settings)}.
     *
     * @param seeded   returns the model whose noise is fixed by the given seed
     * @param settings what to record in the manifest
     */
    static CurveSimulator of(LongFunction<? extends BatchedModel> seeded, Map<String, Object> settings) {
        Objects.requireNonNull(seeded, "seeded");
        BatchedModel first = seeded.apply(0L);
        ParameterSpace space = first.parameters();
        double[] q = first.q();
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        return new CurveSimulator() {
            @Override
            public ParameterSpace parameters() {
                return space;
            }

            @Override
            public double[] q() {
                return q.clone();
            }

            @Override
            public void simulate(double[] theta, long seed, double[] out) {
                seeded.apply(seed).evaluate(theta, 1, out);
            }

            @Override
            public Map<String, Object> settings() {
                return copy;
            }
        };
    }
}
