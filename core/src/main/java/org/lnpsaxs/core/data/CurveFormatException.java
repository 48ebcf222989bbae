package org.lnpsaxs.core.data;

import java.io.IOException;

/**
 * A scattering-curve file that cannot be read as a curve: the one exception type of
 * {@link CurveReader} for broken content. Its message reads {@code FILE, line N: PROBLEM}, for
 * example {@code data.dat, line 17: sigma = -0.3 is negative; sigma must be >= 0}.
 *
 * <p>A problem of the whole file (empty, no data rows, too few points) names the last line read.
 * Failures to open or read the file at all stay plain {@link IOException}s.
 */
public class CurveFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
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
        this.problem = problem;
    }

    /** The file's name as given to the reader. */
    public String getFile() {
        return file;
    }

    /** The 1-based line number of the problem. */
    public int getLine() {
        return line;
    }

    /** The problem alone, without file and line. */
    public String getProblem() {
        return problem;
    }
}
