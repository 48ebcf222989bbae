package org.lnpsaxs.core.data;

import java.util.Locale;

/**
 * How much a {@link CurveReader} reads before it refuses a file: the file's size in bytes
 * (checked before reading when the size is known, and while reading a stream) and the number of
 * data rows (checked while reading, before the arrays grow). A refusal is a
 * {@link CurveFormatException} that names the limit. Besides these limits the reader checks,
 * before its row arrays grow, that the Java heap can hold them, and refuses with the same kind of
 * message instead of running out of memory.
 *
 * <p>The defaults ({@link #defaults()}: 1 GiB and 10 million rows) hold every SAS curve in
 * practice: a 3-million-row ASCII curve is about 150 MB and is read in about 150 MB of heap (the
 * rows as primitive arrays, the text streamed, never held).
 *
 * @param maxBytes the largest file accepted, in bytes ({@code >= 1})
 * @param maxRows  the most data rows accepted in one file, all curves together ({@code >= 1})
 */
public record ReadLimits(long maxBytes, int maxRows) {

    /** The default largest file: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** The default most rows: 10 million. */
    public static final int DEFAULT_MAX_ROWS = 10_000_000;

    private static final ReadLimits DEFAULTS = new ReadLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS);

    /**
     * @throws IllegalArgumentException when a limit is below 1
     */
    public ReadLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes = " + maxBytes + " must be >= 1");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows = " + maxRows + " must be >= 1");
        }
    }

    /** 1 GiB and 10 million rows. */
    public static ReadLimits defaults() {
        return DEFAULTS;
    }

    /** These limits with another largest file size in bytes. */
    public ReadLimits withMaxBytes(long bytes) {
        return new ReadLimits(bytes, maxRows);
    }

    /** These limits with another most number of rows. */
    public ReadLimits withMaxRows(int rows) {
        return new ReadLimits(maxBytes, rows);
    }

    /** A byte count for people: {@code 1.0 GiB}, {@code 12.3 MiB}, {@code 512 bytes}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
