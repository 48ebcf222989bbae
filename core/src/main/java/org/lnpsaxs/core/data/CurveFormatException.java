package org.lnpsaxs.core.data;

import java.io.IOException;

/**
 * A scattering-curve file that cannot be read as a curve: the one exception type of
 * {@link CurveReader} for broken or unsupported content. Its message reads
 * {@code FILE, line N: PROBLEM} for text files (ASCII, canSAS XML), for example
 * {@code data.dat, line 17: sigma = -0.3 is negative; sigma must be >= 0}, and
 * {@code FILE, WHERE: PROBLEM} where a line means nothing, for example
 * {@code s.h5, /sasentry01/sasdata/Q: ...} for an HDF5 object or {@code big.dat, file size: ...}.
 *
 * <p>A problem of the whole text file (empty, no data rows, too few points) names the last line
 * read. Failures to open or read the file at all stay plain {@link IOException}s.
 */
public class CurveFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String location;
    private final String problem;

    /**
     * @param file    the file's name as the user gave it (or the name given with a stream)
     * @param line    the 1-based line number
     * @param problem what is wrong, and what is allowed
     */
    public CurveFormatException(String file, int line, String problem) {
        this(file, line, problem, null);
    }

    /**
     * @param file    the file's name as the user gave it (or the name given with a stream)
     * @param line    the 1-based line number
     * @param problem what is wrong, and what is allowed
     * @param cause   the underlying exception, or {@code null}
     */
    public CurveFormatException(String file, int line, String problem, Throwable cause) {
        super(file + ", line " + line + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.location = "line " + line;
        this.problem = problem;
    }

    /**
     * A problem at a place that is not a text line.
     *
     * @param file     the file's name as the user gave it (or the name given with a stream)
     * @param location where in the file, e.g. an HDF5 path {@code /sasentry01/sasdata/Q}
     * @param problem  what is wrong, and what is allowed
     * @param cause    the underlying exception, or {@code null}
     */
    public CurveFormatException(String file, String location, String problem, Throwable cause) {
        super(file + ", " + location + ": " + problem, cause);
        this.file = file;
        this.line = 0;
        this.location = location;
        this.problem = problem;
    }

    /** The file's name as given to the reader. */
    public String getFile() {
        return file;
    }

    /** The 1-based line number of the problem, or 0 when the place is not a text line ({@link #getLocation()}). */
    public int getLine() {
        return line;
    }

    /** Where in the file: {@code line N}, or an HDF5 path, or a description such as {@code file size}. */
    public String getLocation() {
        return location;
    }

    /** The problem alone, without file and place. */
    public String getProblem() {
        return problem;
    }
}
