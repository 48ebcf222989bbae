package org.lnpsaxs.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;

/**
 * Reads scattering curves from the files that beamlines, SasView and reduction programs write,
 * recognising the format by content (not by file name): ASCII columns (with NIST {@code .ABS} and
 * Anton Paar {@code .pdh} variants), canSAS 1D XML and NXcanSAS (HDF5). The result is a
 * {@link ScatteringCurve} with q in Å⁻¹, or all of a file's curves with their metadata
 * ({@link #readAll(Path)}). Immutable; configure with {@link #withQUnit(QUnit)},
 * {@link #withEntry(EntrySelector)} and {@link #withLimits(ReadLimits)}.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>HDF5</b> (the HDF5 signature at the start, or after a user block): NXcanSAS, see
 *       {@link CurveFormat#NXCANSAS}: every one-dimensional {@code SASdata} of every
 *       {@code SASentry}, with {@code I}, {@code Q}, {@code Idev}, {@code Qdev}, {@code dQl},
 *       {@code dQw} and their {@code units}; 2D data are skipped with a note.</li>
 *   <li><b>XML</b> (text starting with {@code <?xml}, {@code <!--}, {@code <!DOCTYPE} or
 *       {@code <SASroot>}): canSAS 1D XML v1.0/v1.1, every {@code SASdata} of every
 *       {@code SASentry}; {@code Q}, {@code I}, {@code Idev}, {@code Qdev}, {@code dQl}, {@code dQw}
 *       with their {@code unit} attributes; title, run, sample, instrument, source, detector,
 *       process and note as metadata. DTDs and external entities are off.</li>
 *   <li><b>Text</b>, anything else (UTF-8, with or without a byte-order mark; line ends LF, CRLF or
 *       CR). Comments run from {@code #} to the end of a line. A line is split into fields on
 *       semicolons when it has one (then {@code 0,5} is a decimal comma), else on commas and white
 *       space. Numbers are decimal ({@code 12}, {@code -0.5}, {@code .5}, {@code 1.5e-3}); NaN and
 *       infinity spellings are recognised only to be refused. Consecutive lines with the same
 *       number of numeric fields form a run (blank and comment lines do not end it); <b>the longest
 *       run is the data block</b>, the lines before it the header, the lines after it the footer
 *       (e.g. ATSAS/BioXTAS RAW {@code key: value} lines, the XML footer of a {@code .pdh} file).
 *       Columns: 2 to 4 ({@code q I [sigma [dq]]}); 6 in the NIST {@code .ABS} layout
 *       ({@code q I sigma sigmaQ meanQ shadow}, recognised by the header line
 *       {@code The 6 columns are}, the {@code LABEL:}/{@code MON CNT} header or an {@code .ABS}
 *       name). A {@code .pdh} file is recognised by its header (line 3 of 8 integers, the first the
 *       number of rows, lines 4 and 5 of 5 numbers).</li>
 * </ul>
 *
 * <h2>What is refused, what is repaired and noted</h2>
 * <p>Refused with a {@link CurveFormatException} naming the file, the line (or HDF5 object) and
 * the problem: empty files, no data rows, fewer than 3 rows, NaN or infinity, a negative q, σ,
 * dq or slit value, a line inside the data block that is not a data row (including a row-like
 * line with a typo right after it), a second block of the same layout, 5 or more than 6 columns,
 * bytes that are not UTF-8 and control characters (the message says what the file looks like: an
 * image, an archive, UTF-16 text), XML that is not canSAS, HDF5 without NXcanSAS entries, unknown
 * unit spellings, a file larger than {@link ReadLimits#maxBytes()} or with more rows than
 * {@link ReadLimits#maxRows()}. Repaired, each with a note in {@link CurveEntry#notes()} and a
 * logged warning: rows out of q order are sorted; rows that repeat a q are merged into one (the
 * inverse-variance weighted mean of I); a dq of 0 on every row is dropped (no resolution
 * information); a negative dq on every row is read as a slit length (the NIST convention); a
 * file without a q unit is read in Å⁻¹. Rows whose I is zero or negative, or whose σ is zero,
 * are kept and flagged (see {@link ScatteringCurve}).
 *
 * <h2>The unit of q</h2>
 * <p>Told with {@link #withQUnit(QUnit)}, that unit is used whatever the file says (a file that
 * disagrees gives a note). Otherwise: XML and HDF5 unit attributes; the {@code .pdh} XML footer
 * (else nm⁻¹, the Anton Paar convention); for other text files the header, in this order: (1) the
 * column-name row, the last header line (with or without {@code #}) whose first word starts with
 * {@code q} or {@code Q}, decides when it holds a spelling; (2) otherwise the one unit the header
 * names; (3) a header that names both is refused; (4) none: Å⁻¹ (the NIST convention for
 * {@code .ABS}), with a warning for other files. The spellings: {@code 1/A}, {@code A^-1},
 * {@code Å⁻¹}, {@code 1/Ang}, {@code inverse angstrom}, {@code q_A}, {@code q(Å)}, and the same
 * with {@code nm} or {@code nanometre} ({@code 1/nm}, {@code nm^-1}, {@code q_nm}, ...).
 *
 * <h2>Files with several curves</h2>
 * <p>{@link #read(Path)} and {@link #readEntry(Path)} read the curve {@link #withEntry(EntrySelector)}
 * picks, by default the only one: a file with several is refused with a message listing them.
 * {@link #readAll(Path)} returns them all. A curve of a file with several is named
 * {@code FILE#N} ({@link ScatteringCurve#source()}).
 */
public final class CurveReader {

    private static final CurveReader DEFAULTS = new CurveReader(null, ReadLimits.defaults(), EntrySelector.only());

    /** The smallest number of data rows a curve must hold. */
    public static final int MIN_POINTS = CurveAssembler.MIN_POINTS;

    private final QUnit qUnit;
    private final ReadLimits limits;
    private final EntrySelector entry;

    private CurveReader(QUnit qUnit, ReadLimits limits, EntrySelector entry) {
        this.qUnit = qUnit;
        this.limits = limits;
        this.entry = entry;
    }

    /** A reader that takes the q unit from the file, reads the only curve, within {@link ReadLimits#defaults()}. */
    public static CurveReader defaults() {
        return DEFAULTS;
    }

    /**
     * A reader that takes q and the q resolutions in {@code unit} whatever the file says; {@code null}
     * goes back to reading the unit from the file.
     */
    public CurveReader withQUnit(QUnit unit) {
        return unit == qUnit ? this : new CurveReader(unit, limits, entry);
    }

    /** The q unit this reader was told, or empty when it reads the unit from the file. */
    public Optional<QUnit> qUnit() {
        return Optional.ofNullable(qUnit);
    }

    /** A reader with these limits. */
    public CurveReader withLimits(ReadLimits limits) {
        Objects.requireNonNull(limits, "limits");
        return new CurveReader(qUnit, limits, entry);
    }

    /** The limits of this reader. */
    public ReadLimits limits() {
        return limits;
    }

    /**
     * A reader whose {@link #read(Path)}, {@link #readEntry(Path)} and {@link #readDetailed(Path)} take
     * the curve {@code selector} picks ({@link EntrySelector#all()} is refused there when the file
     * holds more than one; use {@link #readAll(Path)}).
     */
    public CurveReader withEntry(EntrySelector selector) {
        Objects.requireNonNull(selector, "selector");
        return new CurveReader(qUnit, limits, selector);
    }

    /** The entry selector of this reader. */
    public EntrySelector entry() {
        return entry;
    }

    // ---------------------------------------------------------------- one curve

    /**
     * Reads the selected curve of a file. Its name in messages is {@code file.toString()}.
     *
     * @throws CurveFormatException when the content is not a valid curve, or the selection fits none or several
     * @throws IOException          when the file cannot be read (missing, a directory, no permission)
     */
    public ScatteringCurve read(Path file) throws IOException {
        return readEntry(file).curve();
    }

    /**
     * Reads the selected curve from a stream (read to its end, not closed).
     *
     * @param name the name used in messages and as the curve's source (e.g. {@code <stdin>})
     * @throws CurveFormatException when the content is not a valid curve
     */
    public ScatteringCurve read(InputStream in, String name) throws IOException {
        return readEntry(in, name).curve();
    }

    /**
     * Reads the selected curve from characters (read to its end, not closed): text or XML, not
     * HDF5. A {@link java.nio.charset.CharacterCodingException} of the reader becomes a
     * {@link CurveFormatException} at the line it happened on.
     *
     * @param name the name used in messages and as the curve's source
     * @throws CurveFormatException when the content is not a valid curve
     */
    public ScatteringCurve read(Reader in, String name) throws IOException {
        return readAll(in, name).entry(entry).curve();
    }

    /** The selected curve of a file with what the file says about it. */
    public CurveEntry readEntry(Path file) throws IOException {
        return readAll(file).entry(entry);
    }

    /** The selected curve of a stream with what the stream says about it. */
    public CurveEntry readEntry(InputStream in, String name) throws IOException {
        return readAll(in, name).entry(entry);
    }

    /** Like {@link #read(Path)}, and says how the file was read. */
    public Result readDetailed(Path file) throws IOException {
        return Result.of(readEntry(file));
    }

    /** Like {@link #read(InputStream, String)}, and says how the content was read. */
    public Result readDetailed(InputStream in, String name) throws IOException {
        return Result.of(readEntry(in, name));
    }

    /** Like {@link #read(Reader, String)}, and says how the content was read. */
    public Result readDetailed(Reader in, String name) throws IOException {
        return Result.of(readAll(in, name).entry(entry));
    }

    /**
     * The q values (Å⁻¹) of the selected curve of a file, as a grid: for q-grid files, where a text
     * file may also hold a single column (q alone).
     *
     * @throws CurveFormatException when the content is not a valid curve or q column
     */
    public QGrid readQGrid(Path file) throws IOException {
        return QGrid.of(readAll(file, true).entry(entry).curve().q());
    }

    /**
     * A curve and how its file was read (for one-curve use; {@link CurveEntry} says more).
     *
     * @param curve         the curve, q and dq in Å⁻¹
     * @param qUnit         the unit q and dq had in the file (converted to Å⁻¹ in {@code curve})
     * @param qUnitReason   why that unit, e.g. {@code told}, {@code header line 3}, {@code default}
     * @param columns       the number of columns of the data rows (quantities per row for XML/HDF5)
     * @param firstDataLine the 1-based line of the first data row, 0 for HDF5
     * @param sorted        whether the rows were out of q order and had to be sorted
     */
    public record Result(ScatteringCurve curve, QUnit qUnit, String qUnitReason, int columns, int firstDataLine,
            boolean sorted) {

        static Result of(CurveEntry e) {
            return new Result(e.curve(), e.qUnit(), e.qUnitReason(), e.columns().size(), e.firstLine(), e.sorted());
        }
    }

    // ---------------------------------------------------------------- every curve

    /**
     * Every curve of a file, with its metadata and notes.
     *
     * @throws CurveFormatException when the content is not valid, or not a supported format
     * @throws IOException          when the file cannot be read (missing, a directory, no permission)
     */
    public CurveFile readAll(Path file) throws IOException {
        return readAll(file, false);
    }

    private CurveFile readAll(Path file, boolean qOnly) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": is a directory, not a curve file");
        }
        long size;
        byte[] head = new byte[FileSniffer.PREFIX];
        int n;
        try {
            size = Files.size(file);
            if (size > limits.maxBytes()) {
                throw new CurveFormatException(name, "file size", ReadLimits.bytes(size) + " (" + size + " bytes) is"
                        + " larger than the reader's limit of " + ReadLimits.bytes(limits.maxBytes())
                        + " (ReadLimits.maxBytes); a SAS curve file is far smaller", null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(name, null, "permission denied");
        } catch (CurveFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(name + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        FileSniffer.Sniff sniff = FileSniffer.sniff(head, n);
        Path fileName = file.getFileName();
        try {
            return named(parse(file, name, fileName, sniff, qOnly));
        } catch (OutOfMemoryError e) {
            throw outOfMemory(name, e);
        }
    }

    private CurveFile parse(Path file, String name, Path fileName, FileSniffer.Sniff sniff, boolean qOnly)
            throws IOException {
        CurveFile parsed;
        switch (sniff.kind()) {
            case HDF5 -> {
                try (HdfFile h = new HdfFile(file)) {
                    parsed = new NxCanSasParser(name, qUnit, limits).parse(h);
                } catch (HdfException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                        | java.nio.BufferUnderflowException | ClassCastException | UnsupportedOperationException e) {
                    throw notHdf5(name, e);
                }
            }
            case XML -> {
                try (InputStream in = new Limited(Files.newInputStream(file), name, limits.maxBytes())) {
                    parsed = new CanSasXmlParser(name, qUnit, limits).parse(in);
                }
            }
            default -> {
                try (InputStream in = Files.newInputStream(file)) {
                    parsed = new AsciiParser(name, fileName == null ? null : fileName.toString(), qUnit, limits, qOnly)
                            .parse(TextLines.of(in, name, limits.maxBytes(), sniff.looksLike()));
                }
            }
        }
        return parsed;
    }

    /**
     * The heap ran out in one large allocation (the checks before each block of rows estimate, the
     * last arrays may still not fit): the partial arrays are garbage now, so this is a one-line
     * refusal, not a crash.
     */
    private static CurveFormatException outOfMemory(String name, OutOfMemoryError e) {
        Runtime rt = Runtime.getRuntime();
        return new CurveFormatException(name, "rows", "too large for the Java heap (" + ReadLimits.bytes(rt.maxMemory())
                + "): give Java more heap (e.g. -Xmx4g) or read a smaller file", e);
    }

    /**
     * Every curve of a stream (read to its end, not closed), with its metadata and notes. HDF5 is
     * read into memory (within {@link ReadLimits#maxBytes()}); text and XML are streamed.
     *
     * @param name the name used in messages and as the curves' source
     */
    public CurveFile readAll(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        BufferedInputStream b = new BufferedInputStream(in, FileSniffer.PREFIX * 2);
        b.mark(FileSniffer.PREFIX + 1);
        byte[] head = b.readNBytes(FileSniffer.PREFIX);
        b.reset();
        FileSniffer.Sniff sniff = FileSniffer.sniff(head, head.length);
        try {
            return named(parse(b, name, sniff));
        } catch (OutOfMemoryError e) {
            throw outOfMemory(name, e);
        }
    }

    private CurveFile parse(BufferedInputStream b, String name, FileSniffer.Sniff sniff) throws IOException {
        CurveFile parsed;
        switch (sniff.kind()) {
            case HDF5 -> {
                byte[] all = b.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
                if (all.length > limits.maxBytes()) {
                    throw new CurveFormatException(name, "file size", "more than " + ReadLimits.bytes(limits.maxBytes())
                            + " (the reader's limit, ReadLimits.maxBytes)", null);
                }
                try (HdfFile h = HdfFile.fromBytes(all)) {
                    parsed = new NxCanSasParser(name, qUnit, limits).parse(h);
                } catch (HdfException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                        | java.nio.BufferUnderflowException | ClassCastException | UnsupportedOperationException e) {
                    throw notHdf5(name, e);
                }
            }
            case XML -> parsed = new CanSasXmlParser(name, qUnit, limits).parse(new Limited(b, name, limits.maxBytes()));
            default -> parsed = new AsciiParser(name, null, qUnit, limits, false)
                    .parse(TextLines.of(b, name, limits.maxBytes(), sniff.looksLike()));
        }
        return parsed;
    }

    /**
     * Every curve of a character stream (read to its end, not closed): text or canSAS XML.
     *
     * @param name the name used in messages and as the curves' source
     */
    public CurveFile readAll(Reader in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        BufferedReader b = new BufferedReader(in, 8192);
        b.mark(64);
        char[] head = new char[32];
        int n = b.read(head, 0, head.length);
        b.reset();
        String lead = n <= 0 ? "" : new String(head, 0, n).replace("\uFEFF", "").stripLeading();
        boolean xml = lead.startsWith("<?xml") || lead.startsWith("<!--") || lead.startsWith("<SASroot")
                || lead.regionMatches(true, 0, "<!DOCTYPE", 0, 9);
        try {
            CurveFile parsed = xml ? new CanSasXmlParser(name, qUnit, limits).parse(b)
                    : new AsciiParser(name, null, qUnit, limits, false).parse(TextLines.of(b, name, null));
            return named(parsed);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(name, e);
        }
    }

    /** A broken HDF5 file: jHDF signals it with its own or with runtime exceptions of the JDK. */
    private static CurveFormatException notHdf5(String name, RuntimeException e) {
        String why = e instanceof HdfException && e.getMessage() != null ? " (" + NxCanSasParser.oneLine(e.getMessage())
                + ")" : "";
        return new CurveFormatException(name, "HDF5", "starts like HDF5 but cannot be read as HDF5" + why
                + ": a damaged or cut-short file?", e);
    }

    /** Names the curves of a file with several {@code FILE#N}. */
    private static CurveFile named(CurveFile f) {
        if (f.size() == 1) {
            return f;
        }
        List<CurveEntry> renamed = new ArrayList<>(f.size());
        for (CurveEntry e : f.entries()) {
            renamed.add(new CurveEntry(e.number(), e.name(), e.curve().withSource(f.source() + "#" + e.number()),
                    e.format(), e.qUnit(), e.qUnitReason(), e.intensityUnit(), e.columns(), e.firstLine(), e.sorted(),
                    e.mergedRows(), e.metadata(), e.notes()));
        }
        return new CurveFile(f.source(), f.format(), f.version(), renamed, f.notes());
    }

    /** A stream that refuses to give more than {@code max} bytes. */
    private static final class Limited extends FilterInputStream {
        private final String name;
        private final long max;
        private long count;

        Limited(InputStream in, String name, long max) {
            super(in);
            this.name = name;
            this.max = max;
        }

        private void count(long n) throws CurveFormatException {
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new CurveFormatException(name, "file size", "more than " + ReadLimits.bytes(max)
                            + " (the reader's limit, ReadLimits.maxBytes)", null);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count(1);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }
    }
}
