package org.lnpsaxs.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.surrogate.data.DatasetGenerator;

/**
 * The limits of size-like options, checked before any work starts. Each refusal is one line that
 * names the option, the value and the limit (and, for memory, what the value would need and what
 * the Java heap has).
 */
final class Limits {

    /** The most points of a {@code --q-grid} (real SAXS curves have at most a few thousand). */
    static final int MAX_Q_POINTS = 100_000;
    /** The most starts of a fit (the paper used 4096). */
    static final int MAX_STARTS = 1_000_000;
    /**
     * The most data points in a fit's range: a fit evaluates every start at every point in every
     * iteration (measured: 32 sphere starts on 3·10⁶ points took more than a minute for the first
     * evaluation alone), so beyond this a fit is refused with the reason.
     */
    static final int MAX_FIT_POINTS = 100_000;
    /** The most optimiser steps or iterations per start. */
    static final int MAX_STEPS = 1_000_000;
    /** The most threads of any command. */
    static final int MAX_THREADS = 1024;
    /** The most curves simulated at once by {@code dataset generate}. */
    static final int MAX_WORKERS = DatasetGenerator.MAX_WORKERS;
    /**
     * The widest pinhole resolution, as dq/q: a Gaussian whose 1-σ width equals q smears over the
     * whole curve already; wider ones only cost time and memory.
     */
    static final double MAX_DQ_OVER_Q = 1.0;
    /**
     * The heap one start of a fit needs at most, bytes: positions, gradients and the L-BFGS history
     * of up to 16 free parameters, and its share of the ensemble's curves on up to 1000 points.
     */
    static final long BYTES_PER_START = 4096;
    /** The share of the heap a computation may plan to fill. */
    static final double HEAP_SHARE = 0.8;

    private Limits() {
    }

    /**
     * Checks {@code min <= value <= max}.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming the option, the value and the bounds
     */
    static int range(String option, int value, int min, int max) {
        if (value < min) {
            throw new IllegalArgumentException(option + " " + value + ": must be at least " + min);
        }
        if (value > max) {
            throw new IllegalArgumentException(option + " " + value + ": more than the limit of " + max);
        }
        return value;
    }

    /** {@link #range} for an optional value ({@code null} passes). */
    static Integer range(String option, Integer value, int min, int max) {
        return value == null ? null : range(option, value.intValue(), min, max);
    }

    /** Checks a thread count: 1 to {@value #MAX_THREADS}. */
    static Integer threads(String option, Integer value) {
        return range(option, value, 1, MAX_THREADS);
    }

    /**
     * Parses a {@code lin|log:MIN:MAX:N} q grid after checking N against {@value #MAX_Q_POINTS}
     * (before anything is allocated).
     */
    static QGrid qGrid(String option, String spec) {
        String[] parts = spec.trim().split(":");
        if (parts.length == 4) {
            long n;
            try {
                n = Long.parseLong(parts[3].trim());
            } catch (NumberFormatException e) {
                n = -1; // QGrid.parse says what is wrong
            }
            if (n > MAX_Q_POINTS) {
                throw new IllegalArgumentException(option + " " + spec + ": " + n + " q points is more than the limit of "
                        + MAX_Q_POINTS);
            }
        }
        try {
            return QGrid.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code bytes} fit in {@value #HEAP_SHARE} of the Java heap.
     *
     * @param what what needs the memory (e.g. "50000 starts")
     * @throws IllegalArgumentException naming the option, the value, the need and the heap
     */
    static void memory(String option, Object value, long bytes, String what) {
        long heap = Runtime.getRuntime().maxMemory();
        long allowed = (long) (HEAP_SHARE * heap);
        if (bytes > allowed || bytes < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s: %s need about %d MiB of memory, more than the limit of %d MiB (%.0f%% of the Java heap;"
                            + " raise -Xmx through LNPSAXS_JAVA_OPTS)",
                    option, value, what, bytes < 0 ? Long.MAX_VALUE >> 20 : bytes >> 20, allowed >> 20,
                    100 * HEAP_SHARE));
        }
    }

    /** Checks the number of starts of a fit: the limit, and their memory. */
    static int starts(String option, int starts) {
        range(option, starts, 1, MAX_STARTS);
        memory(option, starts, starts * BYTES_PER_START, starts + " starts");
        return starts;
    }

    /**
     * Checks an output directory before work: see {@link AtomicFiles#outputDirectory}; the output
     * file names in it must not be links or directories.
     *
     * @return {@code dir}
     * @throws IllegalArgumentException naming the option and what is wrong
     */
    static Path outputDirectory(String option, Path dir, List<String> names) {
        try {
            AtomicFiles.outputDirectory(dir);
            for (String name : names) {
                AtomicFiles.checkTarget(dir.resolve(name));
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + (dir.toString().isEmpty() ? "''" : dir) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Checks an output file before work: see {@link AtomicFiles#outputFile}. */
    static Path outputFile(String option, Path file) {
        try {
            return AtomicFiles.outputFile(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + (file.toString().isEmpty() ? "''" : file) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Refuses a result with a value that is not finite (NaN or infinite) instead of printing it.
     *
     * @param what       what the values are, e.g. "I(q)"
     * @param q          the q of each value (1/Å), for the message
     * @param values     the values
     * @param parameters the parameters the user gave ({@code name=value}), named in the message
     * @throws IllegalArgumentException naming the first bad value and the parameters
     */
    static void requireFinite(String what, double[] q, double[] values, Map<String, String> parameters) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                int bad = 0;
                for (double v : values) {
                    bad += Double.isFinite(v) ? 0 : 1;
                }
                String given = parameters == null || parameters.isEmpty() ? "the default parameters"
                        : String.join(" ", parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .toList());
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s is not finite (%s at q = %.6g 1/Å, %d of %d points) for %s: these values are outside the"
                                + " range where the model can be computed in double precision", what, values[i],
                        q[i], bad, values.length, given));
            }
        }
    }
}
