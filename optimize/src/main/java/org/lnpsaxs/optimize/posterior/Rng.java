package org.lnpsaxs.optimize.posterior;

import java.util.SplittableRandom;

/**
 * The samplers' random stream: SplitMix64 uniforms ({@link SplittableRandom}) and standard normal
 * deviates by Marsaglia's polar method with {@link StrictMath}, so that a seed gives the same
 * numbers on every Java version and platform (the JDK's own {@code nextGaussian} algorithm is not
 * specified). Not thread-safe.
 */
final class Rng {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Rng(long seed) {
        random = new SplittableRandom(seed);
    }

    /** A uniform deviate in [0, 1). */
    double uniform() {
        return random.nextDouble();
    }

    /** A uniform integer in [0, bound). */
    int index(int bound) {
        return random.nextInt(bound);
    }

    /** A standard normal deviate. */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * random.nextDouble() - 1;
            v2 = 2 * random.nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v2 * f;
        hasSpare = true;
        return v1 * f;
    }
}
