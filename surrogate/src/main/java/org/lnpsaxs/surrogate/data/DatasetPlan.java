package org.lnpsaxs.surrogate.data;

import java.util.Objects;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.sampling.ScrambledSobol;

/**
 * What a dataset is, independent of how it is split over machines: {@code count} curves of a
 * parameter box, drawn from a seeded scrambled Sobol sequence, each simulated with its own noise
 * seed.
 *
 * <p>For global index {@code g} in {@code [0, count)}:
 * <ul>
 *   <li>the parameter point is \( \theta_j = l_j + u_j (h_j - l_j) \) with {@code u} the Sobol
 *       point number {@code g} of {@code ScrambledSobol.of(P, sobolSeed())} and
 *       \([l_j, h_j]\) the bounds of the parameter space (uniform in every parameter, R in Å);</li>
 *   <li>the simulator seed is {@code curveSeed(g) = mix64(mix64(seed) XOR (split << 62 | g))}, with
 *       {@code mix64} the SplitMix64 finaliser (a bijection of 64-bit words), so no two curves of a
 *       dataset, nor a training and a test curve of the same dataset seed, share a noise seed.</li>
 * </ul>
 * The Sobol seed also depends on the split ({@code mix64(seed + split constant)}), so the test
 * set is an independent randomisation of the sequence, not a copy of training points.
 *
 * @param space the parameter box (names, units, bounds, order)
 * @param count the number of curves, {@code >= 1}
 * @param seed  the dataset seed
 * @param split training or held-out test data
 */
public record DatasetPlan(ParameterSpace space, int count, long seed, Split split) {

    /** The default dataset seed of the command line (training data). */
    public static final long DEFAULT_SEED = 20260601L;

    /** Validates the record. */
    public DatasetPlan {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(split, "split");
        if (count < 1) {
            throw new IllegalArgumentException("dataset count must be >= 1, got " + count);
        }
        for (Parameter p : space.asList()) {
            if (!Double.isFinite(p.lower()) || !Double.isFinite(p.upper()) || !(p.upper() > p.lower())) {
                throw new IllegalArgumentException("parameter " + p.name() + " has no finite box "
                        + p.rangeText() + "; a training set needs finite bounds");
            }
        }
    }

    /** The seed of this split's scrambled Sobol sequence. */
    public long sobolSeed() {
        return mix64(seed + (split == Split.TRAIN ? 0x7472_6169_6E00_0001L : 0x7465_7374_0000_0002L));
    }

    /** The scrambled Sobol sequence the points come from. */
    public ScrambledSobol sobol() {
        return ScrambledSobol.of(space.size(), sobolSeed());
    }

    /** The simulator seed of curve {@code g}. */
    public long curveSeed(long g) {
        checkIndex(g);
        return mix64(mix64(seed) ^ (((long) split.ordinal() << 62) | g));
    }

    /** Writes the parameter point of curve {@code g} into {@code out[0 .. P-1]}. */
    public void theta(long g, double[] out) {
        checkIndex(g);
        sobol().point(g, out, 0);
        toBox(out);
    }

    /** Maps a unit-cube point (in place) to the parameter box. */
    void toBox(double[] u) {
        for (int j = 0; j < space.size(); j++) {
            Parameter p = space.get(j);
            u[j] = p.lower() + u[j] * (p.upper() - p.lower());
        }
    }

    private void checkIndex(long g) {
        if (g < 0 || g >= count) {
            throw new IllegalArgumentException("curve index " + g + " is outside the dataset [0, " + count + ")");
        }
    }

    /** The SplitMix64 finaliser: a bijection of 64-bit words with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
