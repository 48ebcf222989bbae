package org.lnpsaxs.core.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a text curve in one pass over its lines, holding only the rows (as primitive arrays) and
 * a bounded number of header and footer lines. The rules are those of {@link CurveReader}'s
 * documentation; in short: lines are split into fields (white space, commas, or semicolons);
 * consecutive lines of the same number of numeric fields form a <em>run</em> (blank and
 * {@code #} comment lines do not end it); the longest run is the data block, everything before it
 * the header and everything after it the footer. What would lose data silently is refused: a line
 * inside the block that is not a row, a row-like line right after it, a second block of the same
 * layout.
 */
final class AsciiParser {

    private static final Logger LOG = LoggerFactory.getLogger(CurveReader.class);

    private static final int KEEP_TEXT_LINES = 2000;
    private static final int KEEP_CHARS = 2000;
    private static final int FIRST_LINES = 8;
    private static final int MAX_K = 64;
    private static final int MAX_BIG_RUNS = 1000;
    private static final int MAX_METADATA_LINES = 60;
    private static final String[] COLUMN = {"q", "I", "sigma", "dq", "meanQ", "shadow factor"};

    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(?:nan|inf|infinity)");
    private static final Pattern NIST_HEADER = Pattern.compile("(?i)the\\s+6\\s+columns\\s+are");

    private final String name;
    private final String fileName;
    private final QUnit told;
    private final ReadLimits limits;
    private final boolean qOnly;
    private final double[] scratch = new double[6];

    /**
     * @param name     the file's label in messages
     * @param fileName the file's own name (for the {@code .abs} hint), or null
     * @param told     the q unit the caller told, or null
     * @param limits   the limits
     * @param qOnly    whether a single column (q alone) is a data row: for q-grid files
     */
    AsciiParser(String name, String fileName, QUnit told, ReadLimits limits, boolean qOnly) {
        this.name = name;
        this.fileName = fileName;
        this.told = told;
        this.limits = limits;
        this.qOnly = qOnly;
    }

    /** A line kept for units and metadata. */
    private record Kept(int line, String text) {
    }

    /** The first non-blank, non-comment line after a run: what ended it. */
    private record Next(int line, String text, int fields, boolean numeric, boolean rowLike, String badField) {
    }

    /** What is remembered of a finished run. */
    private record Summary(int k, int first, int last, int rows, Next next, boolean plausibleRow) {
    }

    /** A run being read, or the best one so far. */
    private final class Run {
        int k;
        int first;
        int last;
        RowBuffer buf;
        int problemLine;
        String problem;
        int negDqLine;
        String negDqToken;
        int negDqCount;
        int nonNegDqLine;
        Summary prevSameK;
        Next next;
        boolean plausibleRow = true;

        Run(RowBuffer buf) {
            this.buf = buf;
        }

        void start(int k, int line, Summary prev) {
            this.k = k;
            first = line;
            last = line;
            buf.clear();
            problemLine = 0;
            problem = null;
            negDqLine = 0;
            negDqToken = null;
            negDqCount = 0;
            nonNegDqLine = 0;
            prevSameK = prev;
            next = null;
            plausibleRow = true;
        }

        int rows() {
            return buf.size;
        }

        Summary summary() {
            return new Summary(k, first, last, buf.size, next, plausibleRow);
        }

        void problem(int line, String p) {
            if (problem == null) {
                problemLine = line;
                problem = p;
            }
        }

        void add(List<String> f, int line) throws CurveFormatException {
            int m = Math.min(f.size(), 6);
            double[] v = scratch;
            for (int c = 0; c < m; c++) {
                String t = f.get(c);
                String col = columnName(c);
                if (!Fields.isDecimal(t)) { // a run's fields are numbers: this one spells NaN or infinity
                    problem(line, col + " = " + t + " is not a finite number; every value must be finite");
                    v[c] = Double.NaN;
                    continue;
                }
                v[c] = Double.parseDouble(t);
                if (!Double.isFinite(v[c])) {
                    problem(line, col + " = " + t + " is out of the range of double precision; every value must be"
                            + " finite");
                    v[c] = Double.NaN;
                    continue;
                }
                if (v[c] < 0 && (c == 0 || c == 2)) {
                    problem(line, col + " = " + t + " is negative; " + col + " must be >= 0"
                            + (c == 2 ? " (zero is allowed: the row is flagged)" : ""));
                }
                if (c == 3) {
                    if (v[c] < 0 || (v[c] == 0 && 1 / v[c] < 0)) { // -0 counts: a slit length of 0 written as -dQl
                        negDqCount++;
                        if (negDqToken == null) {
                            negDqLine = line;
                            negDqToken = t;
                        }
                    } else if (nonNegDqLine == 0) {
                        nonNegDqLine = line;
                    }
                }
            }
            if (buf.size == 0) {
                plausibleRow = m >= 2 && v[0] > 0 && Double.isFinite(v[1]);
            }
            buf.add(v[0], m > 1 ? v[1] : 0, m > 2 ? v[2] : Double.NaN, m > 3 ? v[3] : Double.NaN,
                    Double.NaN, Double.NaN, line);
            last = line;
        }

        private String columnName(int c) {
            if (k == 6 && c == 3) {
                return "sigmaQ";
            }
            return c < COLUMN.length ? COLUMN[c] : "column " + (c + 1);
        }
    }

    CurveFile parse(TextLines lines) throws IOException {
        List<Kept> kept = new ArrayList<>();
        String[] firstLines = new String[FIRST_LINES];
        List<Summary> bigRuns = new ArrayList<>();
        Summary[] lastOfK = new Summary[MAX_K + 2];
        Fields fields = new Fields();
        Run cur = null;
        Run best = null;
        RowBuffer spare = null;
        int singleNumberLines = 0;
        boolean anyContent = false;
        boolean anyText = false;
        String raw;
        while ((raw = lines.next()) != null) {
            int lineNo = lines.line();
            if (lineNo <= FIRST_LINES) {
                firstLines[lineNo - 1] = raw;
            }
            if (!raw.isBlank()) {
                anyText = true;
            }
            int hash = raw.indexOf('#');
            String content = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (content.isEmpty()) {
                if (hash >= 0) {
                    keep(kept, lineNo, raw);
                }
                continue;
            }
            anyContent = true;
            fields.split(content);
            boolean numeric = fields.allNumeric();
            int k = fields.size();
            if (numeric && k == 1 && !qOnly) {
                singleNumberLines++;
            }
            if (cur != null && numeric && k == cur.k) {
                cur.add(fields.list, lineNo);
                continue;
            }
            if (cur != null) {
                cur.next = new Next(lineNo, clip(content), k, numeric, !numeric && rowLike(fields, cur.k),
                        numeric ? null : fields.firstBad());
                Summary s = cur.summary();
                lastOfK[Math.min(cur.k, MAX_K + 1)] = s;
                if (s.rows() >= CurveAssembler.MIN_POINTS && bigRuns.size() < MAX_BIG_RUNS) {
                    bigRuns.add(s);
                }
                if (eligible(cur.k) && (best == null || cur.rows() > best.rows())) {
                    Run old = best;
                    best = cur;
                    cur = null;
                    if (old != null) {
                        spare = old.buf;
                    }
                } else {
                    spare = cur.buf;
                    cur = null;
                }
            }
            if (numeric) {
                Run r = new Run(spare != null ? spare : new RowBuffer(name, limits.maxRows()));
                spare = null;
                r.start(k, lineNo, lastOfK[Math.min(k, MAX_K + 1)]);
                r.add(fields.list, lineNo);
                cur = r;
            } else {
                keep(kept, lineNo, raw);
            }
        }
        int lastLine = lines.line();
        if (cur != null) {
            Summary s = cur.summary();
            lastOfK[Math.min(cur.k, MAX_K + 1)] = s;
            if (s.rows() >= CurveAssembler.MIN_POINTS && bigRuns.size() < MAX_BIG_RUNS) {
                bigRuns.add(s);
            }
            if (eligible(cur.k) && (best == null || cur.rows() > best.rows())) {
                best = cur;
            }
        }
        if (lastLine == 0) {
            throw new CurveFormatException(name, 1, "the file is empty" + lines.hint());
        }
        if (!anyText) {
            throw new CurveFormatException(name, 1, "the file is empty (only white space)");
        }
        if (best == null) {
            throw new CurveFormatException(name, lastLine, (anyContent ? "no data rows: " : "no data rows (only # comments): ")
                    + "no line holds " + (qOnly ? "1 to 4" : "2 to 4") + " numbers (q, I[, sigma[, dq]])"
                    + (singleNumberLines > 0 ? "; " + singleNumberLines + " line(s) hold a single number, but a data"
                    + " row needs at least q and I" : "") + lines.hint());
        }
        return finish(best, kept, firstLines, bigRuns, lastOfK);
    }

    private boolean eligible(int k) {
        return k >= 2 || (qOnly && k == 1);
    }

    private static void keep(List<Kept> kept, int line, String raw) {
        if (kept.size() < KEEP_TEXT_LINES) {
            kept.add(new Kept(line, clip(raw.strip())));
        }
    }

    private static String clip(String t) {
        return t.length() <= KEEP_CHARS ? t : t.substring(0, KEEP_CHARS - 3) + "...";
    }

    private static String clipShort(String t) {
        return t.length() <= 40 ? t : t.substring(0, 37) + "...";
    }

    /** A text line that looks like a data row with a typo: as many fields as the block, some numeric, no key/value or markup. */
    private static boolean rowLike(Fields f, int k) {
        if (f.size() != k) {
            return false;
        }
        boolean someNumber = false;
        for (String t : f.list) {
            if (t.indexOf(':') >= 0 || t.indexOf('=') >= 0 || t.startsWith("<")) {
                return false;
            }
            if (t.isEmpty() || Fields.isNumber(t)) {
                someNumber = true;
            }
        }
        return someNumber;
    }

    private String insideBlock(Next n, int k, int from) {
        if (n.numeric()) {
            return n.fields() + " column" + (n.fields() == 1 ? "" : "s") + ", but the data block has " + k + " (line "
                    + from + "); every data row needs the same columns";
        }
        String what = n.badField() == null ? "'" + clipShort(n.text()) + "' is not a data row"
                : n.badField().isEmpty() ? "an empty field" : "'" + clipShort(n.badField()) + "' is not a number";
        return what + "; inside the data block (from line " + from + ") every line must be a data row of " + k
                + " numbers, a # comment or blank";
    }

    private CurveFile finish(Run best, List<Kept> kept, String[] firstLines, List<Summary> bigRuns, Summary[] lastOfK)
            throws CurveFormatException {
        int k = best.k;
        Summary lastSame = lastOfK[Math.min(k, MAX_K + 1)];
        if (lastSame != null && lastSame.first() > best.last && best.next != null) {
            throw new CurveFormatException(name, best.next.line(), insideBlock(best.next, k, best.first));
        }
        if (best.next != null && best.next.numeric()) {
            throw new CurveFormatException(name, best.next.line(), insideBlock(best.next, k, best.first));
        }
        if (best.next != null && best.next.rowLike()) {
            throw new CurveFormatException(name, best.next.line(), insideBlock(best.next, k, best.first)
                    + " (a footer line should read 'key: value' or be a # comment)");
        }
        for (Summary s : bigRuns) {
            if (s.k() == k && s.first() != best.first) {
                throw new CurveFormatException(name, Math.max(s.first(), best.first), "a second block of data rows with "
                        + k + " columns (lines " + Math.min(s.first(), best.first) + "-" + Math.min(s.last(), best.last)
                        + " and " + Math.max(s.first(), best.first) + "-" + Math.max(s.last(), best.last)
                        + "); a text file holds one curve: split it, or turn the other block into # comments");
            }
        }
        List<String> notes = new ArrayList<>();
        Summary before = best.prevSameK;
        if (before != null && before.next() != null) {
            if (before.next().rowLike()) {
                throw new CurveFormatException(name, before.next().line(), insideBlock(before.next(), k, before.first()));
            }
            String what = "line" + (before.rows() == 1 ? " " + before.first() + " holds" : "s " + before.first() + "-"
                    + before.last() + " hold") + " " + k + " numbers like data rows but " + (before.rows() == 1 ? "is"
                    : "are") + " separated from the data block (line " + best.first + ") by line " + before.next().line()
                    + " ('" + clipShort(before.next().text()) + "'); read as header, not as data";
            if (before.plausibleRow()) {
                CurveAssembler.note(notes, name, what);
            } else {
                LOG.debug("{}: {}", name, what);
            }
        }
        boolean nist = false;
        if (k == 6) {
            nist = looksNist(kept, best.first);
            if (!nist) {
                throw new CurveFormatException(name, best.first, "6 columns: a 6-column file is read only in the NIST"
                        + " .ABS layout (q, I, sigma, sigmaQ, meanQ, shadow factor), recognised by its header line"
                        + " 'The 6 columns are ...', its FILE:/LABEL:/MON CNT header or an .ABS name");
            }
        } else if (k > 4 || (k == 1 && !qOnly)) {
            throw new CurveFormatException(name, best.first, k + " columns; a data row has 2 to 4 (q, I[, sigma[, dq]]),"
                    + " or 6 in the NIST .ABS layout");
        }
        if (best.problem != null) {
            throw new CurveFormatException(name, best.problemLine, best.problem);
        }
        RowBuffer rows = best.buf;
        if (best.negDqCount > 0) {
            String dqName = nist ? "sigmaQ" : "dq";
            if (best.negDqCount < rows.size) {
                throw new CurveFormatException(name, best.negDqLine, dqName + " = " + best.negDqToken + " is negative; "
                        + dqName + " must be >= 0 (a negative " + dqName + " on every row is read as a slit length,"
                        + " the NIST convention for slit-smeared data, but line " + best.nonNegDqLine + " has "
                        + dqName + " >= 0)");
            }
            rows.negateInto(RowBuffer.DQ, RowBuffer.SLIT_LENGTH);
            CurveAssembler.note(notes, name, dqName + " is negative on every row: read as slit-smeared data with the"
                    + " slit length dQl = -" + dqName + " (the NIST convention for USANS), no pinhole dq");
        }
        boolean pdh = !nist && k == 3 && looksPdh(firstLines, best.first);
        CurveFormat format = nist ? CurveFormat.NIST_ABS : pdh ? CurveFormat.ANTON_PAAR_PDH : CurveFormat.ASCII;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Kept> footer = new ArrayList<>();
        for (Kept h : kept) {
            if (h.line() > best.last) {
                footer.add(h);
            }
        }
        if (pdh) {
            pdhChecks(firstLines, rows.size, best, footer, metadata);
        }
        Hint unit = unit(kept, best.first, format, footer, notes);
        int headerLines = 0;
        int footerLines = 0;
        for (Kept h : kept) {
            String t = h.text();
            while (t.startsWith("#")) {
                t = t.substring(1).strip();
            }
            if (t.isEmpty() || (pdh && (h.line() > best.last || h.line() <= 2))) {
                continue;
            }
            if (h.line() < best.first && headerLines++ < MAX_METADATA_LINES) {
                metadata.put("header line " + h.line(), t);
            } else if (h.line() > best.last && footerLines++ < MAX_METADATA_LINES) {
                metadata.put("footer line " + h.line(), t);
            }
        }
        List<String> columns = nist ? List.of("q", "I", "sigma", "sigmaQ", "meanQ", "shadow factor")
                : List.of(COLUMN).subList(0, k);
        CurveAssembler.Assembled a = CurveAssembler.assemble(rows, unit.unit(), name, CurveAssembler.lines(name), notes);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} rows of {} columns from line {} ({}), q in {} ({}); {}", name, a.curve().size(), k,
                    best.first, format.description(), unit.unit().symbol(), unit.reason(), a.curve().flagSummary());
        }
        CurveEntry entry = new CurveEntry(1, name, a.curve(), format, unit.unit(), unit.reason(), null, columns,
                best.first, a.sorted(), a.merged(), metadata, notes);
        return new CurveFile(name, format, null, List.of(entry), List.of());
    }

    private boolean looksNist(List<Kept> kept, int first) {
        boolean label = false;
        boolean mon = false;
        for (Kept h : kept) {
            if (h.line() >= first) {
                break;
            }
            if (NIST_HEADER.matcher(h.text()).find()) {
                return true;
            }
            label |= h.text().startsWith("LABEL:");
            mon |= h.text().startsWith("MON CNT");
        }
        return (label && mon) || (fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".abs"));
    }

    /** Line 3 of 8 integers, lines 4 and 5 of 5 numbers, data from line 6: the PDH header. */
    private static boolean looksPdh(String[] firstLines, int first) {
        if (first != 6 || firstLines[2] == null || firstLines[3] == null || firstLines[4] == null) {
            return false;
        }
        Fields f = new Fields();
        f.split(firstLines[2].strip());
        if (f.size() != 8) {
            return false;
        }
        for (String t : f.list) {
            if (!t.matches("\\d+")) {
                return false;
            }
        }
        for (int l = 3; l <= 4; l++) {
            f.split(firstLines[l].strip());
            if (f.size() != 5 || !f.allNumeric()) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern XML_VALUE = Pattern.compile("key=\"(\\w+)\"\\s*>([^<]*)<");

    private void pdhChecks(String[] firstLines, int rows, Run best, List<Kept> footer, Map<String, String> metadata)
            throws CurveFormatException {
        Fields f = new Fields();
        f.split(firstLines[2].strip());
        long announced = Long.parseLong(f.list.get(0));
        if (announced != rows) {
            throw new CurveFormatException(name, 3, "the .pdh header announces " + announced + " data rows, but the data"
                    + " block (lines " + best.first + "-" + best.last + ") has " + rows
                    + (rows < announced ? ": the file is cut short" : ""));
        }
        if (!firstLines[0].isBlank()) {
            metadata.put("title", firstLines[0].strip());
        }
        if (!firstLines[1].isBlank()) {
            metadata.put("keywords", firstLines[1].strip());
        }
        f.split(firstLines[3].strip());
        metadata.put("wavelength", f.list.get(4) + " nm");
        String parameter = null;
        String value = null;
        for (Kept h : footer) {
            Matcher m = Pattern.compile("<(?:parameter|column) key=\"(\\w+)\"").matcher(h.text());
            if (m.find()) {
                parameter = m.group(1);
                value = null;
                continue;
            }
            Matcher v = XML_VALUE.matcher(h.text());
            if (parameter != null && v.find()) {
                if (v.group(1).equals("value")) {
                    value = v.group(2).strip();
                } else if (v.group(1).equals("unit") && value != null && !parameter.equals("X")
                        && !parameter.equals("Y")) {
                    String key = switch (parameter) {
                        case "CounterSlitLength" -> "slit length (CounterSlitLength)";
                        case "Temperature" -> "temperature";
                        case "SampleDetector" -> "sample-detector distance";
                        case "Wavelength" -> "wavelength";
                        default -> null;
                    };
                    if (key != null) {
                        metadata.put(key, value + " " + v.group(2).replace("_", "").strip());
                    }
                }
            }
        }
    }

    private String pdhUnit(List<Kept> footer) {
        boolean inX = false;
        for (Kept h : footer) {
            if (h.text().contains("<column key=\"X\"")) {
                inX = true;
                continue;
            }
            if (inX) {
                Matcher v = XML_VALUE.matcher(h.text());
                if (v.find() && v.group(1).equals("unit")) {
                    return v.group(2).strip();
                }
                if (h.text().contains("</column>")) {
                    inX = false;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- the unit of q

    private static final int TOLD = -1;
    private static final int DEFAULT = 0;

    /** A unit and the header line that names it ({@link #TOLD} or {@link #DEFAULT} otherwise), or a reason. */
    private record Hint(QUnit unit, int line, String why) {
        Hint(QUnit unit, int line) {
            this(unit, line, null);
        }

        String reason() {
            return why != null ? why : line == TOLD ? "told" : line == DEFAULT ? "default" : "header line " + line;
        }
    }

    private Hint unit(List<Kept> kept, int firstData, CurveFormat format, List<Kept> footer, List<String> notes)
            throws CurveFormatException {
        Hint fromFile;
        if (format == CurveFormat.ANTON_PAAR_PDH) {
            String u = pdhUnit(footer);
            QUnit qu = QUnitSpelling.attribute(u);
            if (u != null && qu == null) {
                throw new CurveFormatException(name, footer.isEmpty() ? 1 : footer.get(0).line(), "the .pdh footer gives"
                        + " q in '" + u + "'; the reader knows 1/nm and 1/A");
            }
            fromFile = qu != null ? new Hint(qu, DEFAULT, "the file's XML footer")
                    : new Hint(QUnit.NANOMETER_INVERSE, DEFAULT, "Anton Paar .pdh convention");
        } else {
            fromFile = headerUnit(kept, firstData);
        }
        if (told != null) {
            if (fromFile != null && fromFile.unit() != told) {
                String msg = "the file says q is in " + fromFile.unit().symbol() + " (" + fromFile.reason()
                        + "), but the reader was told " + told.symbol() + "; reading q in " + told.symbol();
                CurveAssembler.note(notes, name, msg);
            }
            return new Hint(told, TOLD);
        }
        if (fromFile != null) {
            return fromFile;
        }
        if (format == CurveFormat.NIST_ABS) {
            return new Hint(QUnit.ANGSTROM_INVERSE, DEFAULT, "NIST .ABS convention");
        }
        CurveAssembler.note(notes, name, "no q unit in the header (such as 1/A, A^-1, 1/nm, nm^-1 or a column named"
                + " q_nm); q is read in 1/A: check that this is right");
        return new Hint(QUnit.ANGSTROM_INVERSE, DEFAULT);
    }

    /**
     * The unit the header names: (1) the column-name row, the last header line whose first word
     * starts with q, decides when it holds a spelling; (2) otherwise the one unit the header names;
     * (3) both units named: refused; (4) none: null.
     */
    private Hint headerUnit(List<Kept> kept, int firstData) throws CurveFormatException {
        List<Kept> header = new ArrayList<>();
        for (Kept h : kept) {
            if (h.line() < firstData) {
                header.add(h);
            }
        }
        for (int i = header.size() - 1; i >= 0; i--) {
            Kept h = header.get(i);
            String words = h.text();
            while (words.startsWith("#")) {
                words = words.substring(1).strip();
            }
            if (!words.isEmpty() && (words.charAt(0) == 'q' || words.charAt(0) == 'Q')) {
                QUnit u = QUnitSpelling.first(h.text());
                if (u != null) {
                    return new Hint(u, h.line());
                }
                break;
            }
        }
        Hint nm = null;
        Hint angstrom = null;
        for (Kept h : header) {
            if (nm == null && QUnitSpelling.NM.matcher(h.text()).find()) {
                nm = new Hint(QUnit.NANOMETER_INVERSE, h.line());
            }
            if (angstrom == null && QUnitSpelling.ANGSTROM.matcher(h.text()).find()) {
                angstrom = new Hint(QUnit.ANGSTROM_INVERSE, h.line());
            }
        }
        if (nm != null && angstrom != null) {
            if (told != null) {
                return null;
            }
            throw new CurveFormatException(name, Math.max(nm.line(), angstrom.line()), "the header names both q units,"
                    + " 1/nm (line " + nm.line() + ") and 1/A (line " + angstrom.line() + "), and its column-name row does"
                    + " not say which q is in; tell the reader the unit of q");
        }
        return nm != null ? nm : angstrom;
    }

    // ---------------------------------------------------------------- fields

    /**
     * Splits a line's content into fields: on semicolons when the line has one (then a single
     * comma inside a field without a point is a decimal comma), else on commas and white space
     * (white space around a comma belongs to it; two commas make an empty field). One trailing
     * separator is ignored.
     */
    static final class Fields {
        final List<String> list = new ArrayList<>();

        int size() {
            return list.size();
        }

        void split(String s) {
            list.clear();
            if (s.indexOf(';') >= 0) {
                int start = 0;
                for (int i = 0; i <= s.length(); i++) {
                    if (i == s.length() || s.charAt(i) == ';') {
                        String t = s.substring(start, i).strip();
                        if (!(i == s.length() && t.isEmpty() && !list.isEmpty())) {
                            int comma = t.indexOf(',');
                            if (comma >= 0 && t.indexOf(',', comma + 1) < 0 && t.indexOf('.') < 0) {
                                t = t.replace(',', '.');
                            }
                            list.add(t);
                        }
                        start = i + 1;
                    }
                }
                return;
            }
            int n = s.length();
            int i = 0;
            while (i < n) {
                int start = i;
                while (i < n && !sep(s.charAt(i))) {
                    i++;
                }
                list.add(s.substring(start, i));
                while (i < n && white(s.charAt(i))) {
                    i++;
                }
                if (i < n && s.charAt(i) == ',') {
                    i++;
                    while (i < n && white(s.charAt(i))) {
                        i++;
                    }
                    if (i == n) {
                        break; // one trailing comma
                    }
                }
            }
        }

        private static boolean white(char c) {
            return c == ' ' || c == '\t' || c == '\f' || c == 0x0B || Character.isWhitespace(c);
        }

        private static boolean sep(char c) {
            return c == ',' || white(c);
        }

        boolean allNumeric() {
            for (String t : list) {
                if (!isNumber(t)) {
                    return false;
                }
            }
            return !list.isEmpty();
        }

        String firstBad() {
            for (String t : list) {
                if (!isNumber(t)) {
                    return t;
                }
            }
            return null;
        }

        /** A decimal number ({@code 12}, {@code -0.5}, {@code .5}, {@code 1.5e-3}) or a spelling of NaN/infinity. */
        static boolean isNumber(String t) {
            return isDecimal(t) || (t.length() <= 9 && NON_FINITE.matcher(t).matches());
        }

        static boolean isDecimal(String t) {
            int n = t.length();
            int i = 0;
            if (n == 0) {
                return false;
            }
            char c = t.charAt(0);
            if (c == '+' || c == '-') {
                i++;
            }
            int digits = 0;
            while (i < n && digit(t.charAt(i))) {
                i++;
                digits++;
            }
            if (i < n && t.charAt(i) == '.') {
                i++;
                while (i < n && digit(t.charAt(i))) {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return false;
            }
            if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
                i++;
                if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                    i++;
                }
                int e = 0;
                while (i < n && digit(t.charAt(i))) {
                    i++;
                    e++;
                }
                if (e == 0) {
                    return false;
                }
            }
            return i == n;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
