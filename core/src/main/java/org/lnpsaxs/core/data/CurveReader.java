package org.lnpsaxs.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ASCII curve files that beamlines and SasView write into a {@link ScatteringCurve}
 * (q in Å⁻¹). Immutable; configure with {@link #withQUnit(QUnit)}.
 *
 * <h2>What a file may hold</h2>
 * <ul>
 *   <li>UTF-8 text, with or without a byte-order mark; line ends LF, CRLF or CR.</li>
 *   <li>Comments: everything from {@code #} to the end of a line, on a line of its own or after
 *       the numbers of a data row. Blank lines anywhere.</li>
 *   <li>A header before the data: any lines that are not data rows, such as
 *       {@code Sample description: LNP batch 3}, {@code Exposure time: 1 s}, or a row of column
 *       names ({@code q I sigma dq}, {@code Q(1/A),I(1/cm),dI}).</li>
 *   <li>Data rows: 2 to 4 numbers, in this order: q, I, σ, dq; separated by white space
 *       (spaces, tabs) or by commas (with optional white space around them). The first line whose
 *       fields are all numbers, at least two of them, starts the data block; from there on every
 *       line that is not blank or a comment must be a data row with the same number of columns.
 *       Numbers are decimal ({@code 12}, {@code -0.5}, {@code .5}, {@code 1.5e-3}, {@code 1E+2});
 *       {@code nan}, {@code inf} and {@code infinity} (any case, with a sign) are recognised only
 *       to be refused.</li>
 * </ul>
 *
 * <h2>The unit of q</h2>
 * <p>Told with {@link #withQUnit(QUnit)}, that unit is used whatever the header says (a header
 * that disagrees gives a logged warning). Otherwise the header lines before the first data row
 * decide; the reader looks for exactly these spellings (surrounded by anything but letters and
 * digits; {@code A} and {@code Å} are case-sensitive, the rest is not):
 * <ul>
 *   <li>nm⁻¹: {@code 1/nm}, {@code nm^-1}, {@code nm^(-1)}, {@code nm^{-1}}, {@code nm**-1},
 *       {@code nm⁻¹}, {@code nm-1}, {@code inverse nm} — and each of these with {@code nanometer},
 *       {@code nanometre} (or their plurals) in place of {@code nm};</li>
 *   <li>Å⁻¹: the same forms with {@code A}, {@code Å} (U+00C5 or U+212B), {@code ang},
 *       {@code angstrom} or {@code angstroms} in place of {@code nm}: {@code 1/A}, {@code 1/Å},
 *       {@code A^-1}, {@code Å⁻¹}, {@code A-1}, {@code inverse angstrom}, ….</li>
 * </ul>
 * Rules, in order: (1) the column-name row — the last header line before the data (with or
 * without a leading {@code #}) whose first word starts with {@code q} or {@code Q} — decides when
 * it holds a spelling (the first one in it, since q is the first column); (2) otherwise, when the
 * header holds spellings of only one unit, that unit; (3) when it holds both, the file is refused
 * (tell the unit instead); (4) when it holds none, Å⁻¹. nm⁻¹ values of q and dq are converted with
 * {@link QUnit#toAngstromInverse(double)}.
 *
 * <h2>What is refused, and what is only flagged</h2>
 * <p>Every problem below raises a {@link CurveFormatException} (an {@link IOException}) whose
 * message names the file, the line and the problem: an empty file; no data rows; fewer than 3
 * data rows; NaN or infinity in any column; a negative q, σ or dq; a q that appears twice (after
 * conversion to Å⁻¹); a line inside the data block that is not a data row; a data row with a
 * different number of columns than the first; more than 4 columns; bytes that are not UTF-8
 * (for example a Latin-1 file or a binary file) or control characters other than tab, form feed
 * and line ends. Rows whose I is zero or negative, or whose σ is zero, are kept and flagged (see
 * {@link ScatteringCurve}). Rows out of q order are sorted, with a logged warning. A file that
 * cannot be opened gives a plain {@link IOException} naming it.
 */
public final class CurveReader {

    private static final Logger LOG = LoggerFactory.getLogger(CurveReader.class);

    private static final CurveReader DEFAULTS = new CurveReader(null);

    /** The smallest number of data rows a file must hold. */
    public static final int MIN_POINTS = 3;

    private static final String[] COLUMN = {"q", "I", "sigma", "dq"};

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("(?i)[+-]?(?:nan|inf|infinity)");
    private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+");

    private static final Pattern NM = unitPattern("(?i:nanomet(?:er|re)s?|nm)");
    private static final Pattern ANGSTROM = unitPattern("(?:(?i:angstroms?|ang)|A|\u00C5|\u212B)");

    private static Pattern unitPattern(String unit) {
        String minusOne = "(?:\\^|\\*\\*)\\s*[({]?\\s*-\\s*1\\s*[)}]?";
        String forms = "1\\s*/\\s*" + unit
                + "|" + unit + "\\s*" + minusOne
                + "|" + unit + "\\s*\u207B\\s*\u00B9"
                + "|" + unit + "-1"
                + "|(?i:inverse)\\s+" + unit;
        return Pattern.compile("(?<![\\p{L}\\p{N}.])(?:" + forms + ")(?![\\p{L}\\p{N}])");
    }

    private final QUnit qUnit;

    private CurveReader(QUnit qUnit) {
        this.qUnit = qUnit;
    }

    /** A reader that takes the q unit from the file's header, Å⁻¹ when the header says nothing. */
    public static CurveReader defaults() {
        return DEFAULTS;
    }

    /**
     * A reader that takes q and dq in {@code unit} whatever the header says; {@code null} goes back
     * to reading the unit from the header.
     */
    public CurveReader withQUnit(QUnit unit) {
        return unit == qUnit ? this : new CurveReader(unit);
    }

    /** The q unit this reader was told, or empty when it reads the unit from the header. */
    public Optional<QUnit> qUnit() {
        return Optional.ofNullable(qUnit);
    }

    /**
     * Reads a file. Its name in messages and as the curve's {@link ScatteringCurve#source()} is
     * {@code file.toString()}.
     *
     * @throws CurveFormatException when the content is not a valid curve
     * @throws IOException          when the file cannot be read (missing, a directory, no permission)
     */
    public ScatteringCurve read(Path file) throws IOException {
        return readDetailed(file).curve();
    }

    /**
     * Reads UTF-8 bytes from a stream (read to its end, not closed).
     *
     * @param name the name used in messages and as the curve's source (e.g. {@code <stdin>})
     * @throws CurveFormatException when the content is not a valid curve
     */
    public ScatteringCurve read(InputStream in, String name) throws IOException {
        return readDetailed(in, name).curve();
    }

    /**
     * Reads characters from a reader (read to its end, not closed). A {@link CharacterCodingException}
     * of the reader becomes a {@link CurveFormatException} at the line it happened on.
     *
     * @param name the name used in messages and as the curve's source
     * @throws CurveFormatException when the content is not a valid curve
     */
    public ScatteringCurve read(Reader in, String name) throws IOException {
        return readDetailed(in, name).curve();
    }

    /** Like {@link #read(Path)}, and says how the file was read. */
    public Result readDetailed(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": is a directory, not a curve file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(name, null, "permission denied");
        } catch (IOException e) {
            throw new IOException(name + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        return parse(decode(bytes, name), name);
    }

    /** Like {@link #read(InputStream, String)}, and says how the content was read. */
    public Result readDetailed(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        return parse(decode(in.readAllBytes(), name), name);
    }

    /** Like {@link #read(Reader, String)}, and says how the content was read. */
    public Result readDetailed(Reader in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                sb.append(buf, 0, n);
            }
        } catch (CharacterCodingException e) {
            int[] lc = lineAndColumn(sb, sb.length());
            throw new CurveFormatException(name, lc[0], "not valid text in the reader's encoding (" + e
                    + "); a curve file must be UTF-8 text", e);
        }
        return parse(sb.toString(), name);
    }

    /**
     * A curve and how its file was read.
     *
     * @param curve         the curve, q and dq in Å⁻¹
     * @param qUnit         the unit q and dq had in the file (converted to Å⁻¹ in {@code curve})
     * @param qUnitReason   why that unit, e.g. {@code told}, {@code header line 3}, {@code default}
     * @param columns       the number of columns of the data rows, 2 to 4
     * @param firstDataLine the 1-based line of the first data row
     * @param sorted        whether the rows were out of q order and had to be sorted
     */
    public record Result(ScatteringCurve curve, QUnit qUnit, String qUnitReason, int columns, int firstDataLine,
            boolean sorted) {
    }

    // ---------------------------------------------------------------- decoding

    private static String decode(byte[] bytes, String name) throws CurveFormatException {
        if (bytes.length == 0) {
            throw new CurveFormatException(name, 1, "the file is empty");
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            int offset = in.position();
            int[] lc = lineAndColumn(new String(bytes, 0, offset, StandardCharsets.ISO_8859_1), offset);
            throw new CurveFormatException(name, lc[0], String.format(Locale.ROOT,
                    "byte 0x%02X at column %d is not UTF-8: a binary file, or text in another encoding"
                            + " (such as Latin-1); curve files must be UTF-8 text",
                    bytes[offset] & 0xFF, lc[1]));
        }
        out.flip();
        return out.toString();
    }

    /** Line (1-based) and column (1-based) of position {@code end} in {@code text}; CRLF, CR and LF end lines. */
    private static int[] lineAndColumn(CharSequence text, int end) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, end - lineStart + 1};
    }

    // ---------------------------------------------------------------- parsing

    private Result parse(String text, String name) throws CurveFormatException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new CurveFormatException(name, 1, text.isEmpty() ? "the file is empty" : "the file is empty (only white space)");
        }
        Rows rows = new Rows();
        List<HeaderLine> header = new ArrayList<>();
        Map<Double, Integer> seen = new HashMap<>();
        Hint unit = null;
        int columns = 0;
        int firstDataLine = 0;
        int singleNumberLines = 0;
        int lineNo = 0;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String raw = text.substring(pos, end);
            pos = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
            lineNo++;
            checkText(raw, name, lineNo);
            int hash = raw.indexOf('#');
            String content = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (content.isEmpty()) {
                if (columns == 0 && hash >= 0) {
                    header.add(new HeaderLine(lineNo, raw));
                }
                continue;
            }
            String[] tokens = SEPARATOR.split(content, -1);
            if (columns == 0) {
                if (!allNumeric(tokens)) {
                    header.add(new HeaderLine(lineNo, raw));
                    continue;
                }
                if (tokens.length < 2) {
                    singleNumberLines++;
                    header.add(new HeaderLine(lineNo, raw));
                    continue;
                }
                if (tokens.length > 4) {
                    throw new CurveFormatException(name, lineNo, tokens.length
                            + " columns; a data row has 2 to 4 (q, I[, sigma[, dq]])");
                }
                columns = tokens.length;
                firstDataLine = lineNo;
                unit = resolveUnit(header, name, lineNo);
            } else {
                for (String t : tokens) {
                    if (!isNumber(t)) {
                        throw new CurveFormatException(name, lineNo, (t.isEmpty() ? "an empty field" : "'" + clip(t)
                                + "' is not a number") + "; inside the data block (from line " + firstDataLine
                                + ") every line must be a data row of " + columns + " numbers, a # comment or blank");
                    }
                }
                if (tokens.length != columns) {
                    throw new CurveFormatException(name, lineNo, tokens.length + " columns, but the data block has "
                            + columns + " (line " + firstDataLine + "); every data row needs the same columns");
                }
            }
            addRow(rows, tokens, unit.unit, seen, name, lineNo);
        }
        if (columns == 0) {
            throw new CurveFormatException(name, lineNo, "no data rows: no line holds 2 to 4 numbers"
                    + " (q, I[, sigma[, dq]])" + (singleNumberLines > 0 ? "; " + singleNumberLines
                    + " line(s) hold a single number, but a data row needs at least q and I" : ""));
        }
        if (rows.size < MIN_POINTS) {
            throw new CurveFormatException(name, rows.lines[rows.size - 1], "only " + rows.size
                    + " data row" + (rows.size == 1 ? "" : "s") + "; a curve needs at least " + MIN_POINTS);
        }
        boolean sorted = warnIfUnsorted(rows, name);
        ScatteringCurve curve = ScatteringCurve.create(
                Arrays.copyOf(rows.q, rows.size),
                Arrays.copyOf(rows.intensity, rows.size),
                columns >= 3 ? Arrays.copyOf(rows.sigma, rows.size) : null,
                columns >= 4 ? Arrays.copyOf(rows.dq, rows.size) : null,
                name);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} rows of {} columns from line {}, q in {} converted to 1/A; {}", name, curve.size(),
                    columns, firstDataLine, unit.unit.symbol(), curve.flagSummary());
        }
        return new Result(curve, unit.unit, unit.reason(), columns, firstDataLine, sorted);
    }

    private static void checkText(String line, String name, int lineNo) throws CurveFormatException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\f' && c != 0x0B) || c == 0x7F) {
                throw new CurveFormatException(name, lineNo, String.format(Locale.ROOT,
                        "control character U+%04X at column %d: a binary file, not a text curve file", (int) c, i + 1));
            }
        }
    }

    private static boolean allNumeric(String[] tokens) {
        for (String t : tokens) {
            if (!isNumber(t)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String t) {
        return NUMBER.matcher(t).matches() || NOT_FINITE.matcher(t).matches();
    }

    private static String clip(String t) {
        return t.length() <= 40 ? t : t.substring(0, 37) + "...";
    }

    private static void addRow(Rows rows, String[] tokens, QUnit unit, Map<Double, Integer> seen, String name,
            int lineNo) throws CurveFormatException {
        double[] v = new double[tokens.length];
        for (int c = 0; c < tokens.length; c++) {
            String t = tokens[c];
            if (NOT_FINITE.matcher(t).matches()) {
                throw new CurveFormatException(name, lineNo, COLUMN[c] + " = " + t
                        + " is not a finite number; every value must be finite");
            }
            v[c] = Double.parseDouble(t);
            if (!Double.isFinite(v[c])) { // overflow such as 1e999
                throw new CurveFormatException(name, lineNo, COLUMN[c] + " = " + t
                        + " is out of the range of double precision; every value must be finite");
            }
            if (c != 1 && v[c] < 0) {
                throw new CurveFormatException(name, lineNo, COLUMN[c] + " = " + t + " is negative; " + COLUMN[c]
                        + " must be >= 0" + (c == 2 ? " (zero is allowed: the row is flagged)" : ""));
            }
        }
        double q = unit.toAngstromInverse(v[0]) + 0.0; // + 0.0 turns -0.0 into 0.0
        Integer before = seen.putIfAbsent(q, lineNo);
        if (before != null) {
            throw new CurveFormatException(name, lineNo, "q = " + tokens[0] + " repeats the q of line " + before
                    + (unit == QUnit.ANGSTROM_INVERSE ? "" : " (after conversion to 1/A)") + "; each q may appear once");
        }
        rows.add(q, v[1], v.length > 2 ? v[2] : 0, v.length > 3 ? unit.toAngstromInverse(v[3]) : 0, lineNo);
    }

    private static boolean warnIfUnsorted(Rows rows, String name) {
        for (int i = 1; i < rows.size; i++) {
            if (rows.q[i] < rows.q[i - 1]) {
                LOG.warn("{}: q is not ascending (line {} has q = {} 1/A after {} on line {}); sorted the {} rows by q",
                        name, rows.lines[i], rows.q[i], rows.q[i - 1], rows.lines[i - 1], rows.size);
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the unit of q

    private Hint resolveUnit(List<HeaderLine> header, String name, int firstDataLine) throws CurveFormatException {
        Hint fromHeader = headerUnit(header, name, firstDataLine);
        if (qUnit != null) {
            if (fromHeader != null && fromHeader.unit != qUnit) {
                LOG.warn("{}: line {} says q is in {}, but the reader was told {}; reading q in {}", name,
                        fromHeader.line, fromHeader.unit.symbol(), qUnit.symbol(), qUnit.symbol());
            }
            return new Hint(qUnit, TOLD);
        }
        return fromHeader == null ? new Hint(QUnit.ANGSTROM_INVERSE, DEFAULT) : fromHeader;
    }

    /** The unit the header names (rules 1-3 of the class documentation), or null when it names none. */
    private Hint headerUnit(List<HeaderLine> header, String name, int firstDataLine) throws CurveFormatException {
        for (int k = header.size() - 1; k >= 0; k--) {
            HeaderLine h = header.get(k);
            String words = h.text.strip();
            while (words.startsWith("#")) {
                words = words.substring(1).strip();
            }
            if (!words.isEmpty() && (words.charAt(0) == 'q' || words.charAt(0) == 'Q')) {
                Hint hint = firstHint(h);
                if (hint != null) {
                    return hint;
                }
                break;
            }
        }
        Hint nm = null;
        Hint angstrom = null;
        for (HeaderLine h : header) {
            if (nm == null && NM.matcher(h.text).find()) {
                nm = new Hint(QUnit.NANOMETER_INVERSE, h.line);
            }
            if (angstrom == null && ANGSTROM.matcher(h.text).find()) {
                angstrom = new Hint(QUnit.ANGSTROM_INVERSE, h.line);
            }
        }
        if (nm != null && angstrom != null) {
            if (qUnit != null) {
                return null; // told: no need to choose
            }
            throw new CurveFormatException(name, Math.max(nm.line, angstrom.line), "the header names both q units, 1/nm"
                    + " (line " + nm.line + ") and 1/A (line " + angstrom.line + "), and its column-name row does not"
                    + " say which q is in; tell the unit (lnpsaxs: --q-unit A|nm; Java: CurveReader.withQUnit)");
        }
        return nm != null ? nm : angstrom;
    }

    private static Hint firstHint(HeaderLine h) {
        Matcher a = ANGSTROM.matcher(h.text);
        Matcher b = NM.matcher(h.text);
        int ia = a.find() ? a.start() : Integer.MAX_VALUE;
        int ib = b.find() ? b.start() : Integer.MAX_VALUE;
        if (ia == Integer.MAX_VALUE && ib == Integer.MAX_VALUE) {
            return null;
        }
        return new Hint(ia < ib ? QUnit.ANGSTROM_INVERSE : QUnit.NANOMETER_INVERSE, h.line);
    }

    private record HeaderLine(int line, String text) {
    }

    private static final int TOLD = -1;
    private static final int DEFAULT = 0;

    /** A unit and the header line that names it ({@link #TOLD} or {@link #DEFAULT} otherwise). */
    private record Hint(QUnit unit, int line) {
        String reason() {
            return line == TOLD ? "told" : line == DEFAULT ? "default" : "header line " + line;
        }
    }

    /** Growable column arrays. */
    private static final class Rows {
        double[] q = new double[64];
        double[] intensity = new double[64];
        double[] sigma = new double[64];
        double[] dq = new double[64];
        int[] lines = new int[64];
        int size;

        void add(double qv, double iv, double sv, double dv, int line) {
            if (size == q.length) {
                int cap = size * 2;
                q = Arrays.copyOf(q, cap);
                intensity = Arrays.copyOf(intensity, cap);
                sigma = Arrays.copyOf(sigma, cap);
                dq = Arrays.copyOf(dq, cap);
                lines = Arrays.copyOf(lines, cap);
            }
            q[size] = qv;
            intensity[size] = iv;
            sigma[size] = sv;
            dq[size] = dv;
            lines[size] = line;
            size++;
        }
    }
}
