package org.lnpsaxs.surrogate.data;

import java.util.Locale;

/**
 * Which part of the data a dataset is: curves to train on, or held-out curves to measure the
 * trained network on. The two never share a parameter point or a noise seed, even with the same
 * dataset seed: each split has its own scrambled Sobol sequence and its own (bijective) range of
 * curve seeds (see {@link DatasetPlan}).
 */
public enum Split {
    /** Training (and validation) curves. */
    TRAIN,
    /** Held-out test curves; never trained on. */
    TEST;

    /** The lower-case name used in files and on the command line ({@code train}, {@code test}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train} or {@code test} (any case). */
    public static Split parse(String text) {
        for (Split s : values()) {
            if (s.label().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + text + "'; allowed: train, test");
    }
}
