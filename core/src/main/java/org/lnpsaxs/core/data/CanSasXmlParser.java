package org.lnpsaxs.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads canSAS 1D XML (v1.0 and v1.1) with the JDK's streaming XML parser (StAX), DTDs and
 * external entities switched off (an entity the document does not define is an error, nothing is
 * fetched). Every {@code SASdata} of every {@code SASentry} with {@code Idata} rows becomes one
 * curve: {@code Q}, {@code I}, and when present {@code Idev} (σ), {@code Qdev} (pinhole dq),
 * {@code dQl} and {@code dQw} (slit length and width), each converted with its {@code unit}
 * attribute; {@code Qmean} and {@code Shadowfactor} are ignored. The title, run, sample,
 * instrument, source, detector, process and note become metadata.
 */
final class CanSasXmlParser {

    private static final String[] OPTIONAL = {"Idev", "Qdev", "dQl", "dQw"};

    private final String name;
    private final QUnit told;
    private final ReadLimits limits;

    CanSasXmlParser(String name, QUnit told, ReadLimits limits) {
        this.name = name;
        this.told = told;
        this.limits = limits;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /**
     * Parses bytes. They are decoded here, not by the XML parser (whose decoder prints to standard
     * error on a bad byte): the charset is the byte-order mark's, else the XML declaration's
     * {@code encoding}, else UTF-8; a byte that is not valid in it is an error at its line.
     */
    CurveFile parse(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 8192);
        b.mark(512);
        byte[] head = b.readNBytes(256);
        b.reset();
        Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            skip = 3;
        } else if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else {
            Matcher m = DECLARED.matcher(new String(head, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                try {
                    cs = Charset.forName(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw new CurveFormatException(name, 1, "the XML declaration names the encoding '" + m.group(1)
                            + "', which this Java does not know");
                }
            }
        }
        b.skipNBytes(skip);
        Reader reader = new InputStreamReader(b, cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        return parse(reader);
    }

    private static final Pattern DECLARED = Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");

    CurveFile parse(Reader in) throws IOException {
        XMLStreamReader r;
        try {
            r = factory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        return parse(r);
    }

    private CurveFormatException malformed(XMLStreamException e) {
        int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNumber());
        for (Throwable c = e.getNestedException() != null ? e.getNestedException() : e.getCause(); c != null;
                c = c.getCause()) {
            if (c instanceof CurveFormatException cfe) {
                return cfe; // the byte limit, raised inside the parser's reads
            }
            if (c instanceof CharacterCodingException) {
                return new CurveFormatException(name, line, "bytes that are not valid text in the document's encoding"
                        + " (a binary file, or text in another encoding than it declares)", e);
            }
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int cut = msg.indexOf("Message: ");
        if (cut >= 0) {
            msg = msg.substring(cut + 9);
        }
        return new CurveFormatException(name, line, "not well-formed XML (" + msg.strip() + ")", e);
    }

    /** One Idata row being read. */
    private static final class Value {
        String text;
        String unit;
        int line;
    }

    /** One SASdata being read. */
    private final class Data {
        final String dataName;
        final int line;
        final RowBuffer rows;
        final boolean[] present = new boolean[OPTIONAL.length];
        int rowsSeen;
        int firstRowLine;
        QUnit fileUnit;
        String unitReason;
        String intensityUnit;
        final List<String> notes = new ArrayList<>();

        Data(String dataName, int line, int maxRows) {
            this.dataName = dataName;
            this.line = line;
            this.rows = new RowBuffer(name, maxRows);
        }
    }

    private CurveFile parse(XMLStreamReader r) throws IOException {
        Deque<String> path = new ArrayDeque<>();
        StringBuilder text = new StringBuilder();
        String version = null;
        List<CurveEntry> entries = new ArrayList<>();
        List<String> fileNotes = new ArrayList<>();
        int entryCount = 0;
        int totalRows = 0;
        String entryName = null;
        Map<String, String> meta = null;
        List<Data> datas = null;
        Data data = null;
        Map<String, Value> row = null;
        int idataLine = 0;
        int dataCount = 0;
        try {
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String el = r.getLocalName();
                        int line = r.getLocation().getLineNumber();
                        if (path.isEmpty()) {
                            if (!el.equals("SASroot")) {
                                throw new CurveFormatException(name, line, "an XML document whose root element is <" + el
                                        + ">, not canSAS 1D XML (<SASroot>); the reader reads canSAS 1D XML v1.0/v1.1,"
                                        + " NXcanSAS (HDF5) and ASCII columns");
                            }
                            version = r.getAttributeValue(null, "version");
                        }
                        String parent = path.peek();
                        path.push(el);
                        text.setLength(0);
                        if (el.equals("SASentry") && "SASroot".equals(parent)) {
                            entryCount++;
                            entryName = attr(r, "name");
                            meta = new LinkedHashMap<>();
                            datas = new ArrayList<>();
                            dataCount = 0;
                        } else if (el.equals("SASdata") && "SASentry".equals(parent)) {
                            dataCount++;
                            String dn = attr(r, "name");
                            data = new Data(dn != null ? dn : "SASdata " + dataCount, line, limits.maxRows() - totalRows);
                        } else if (el.equals("Idata") && "SASdata".equals(parent) && data != null) {
                            row = new LinkedHashMap<>();
                            idataLine = line;
                        } else if (row != null && "Idata".equals(parent)) {
                            if (el.equals("Qx") || el.equals("Qy")) {
                                throw new CurveFormatException(name, line, "2D data (<" + el + "> in <Idata>): the reader"
                                        + " reads 1D curves I(q)");
                            }
                            Value v = new Value();
                            v.unit = attr(r, "unit");
                            v.line = line;
                            row.put(el, v);
                        } else if (meta != null) {
                            startMeta(el, r, meta);
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (text.length() < 100_000) {
                            text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        String el = path.pop();
                        String parent = path.peek();
                        String t = text.toString().strip();
                        text.setLength(0);
                        if (row != null && "Idata".equals(parent)) {
                            Value v = row.get(el);
                            if (v != null) {
                                v.text = t;
                            }
                        } else if (el.equals("Idata") && row != null) {
                            addRow(data, row, idataLine);
                            totalRows++;
                            row = null;
                        } else if (el.equals("SASdata") && data != null && "SASentry".equals(parent)) {
                            datas.add(data);
                            data = null;
                        } else if (el.equals("SASentry") && meta != null && "SASroot".equals(parent)) {
                            finishEntry(entryCount, entryName, meta, datas, entries, fileNotes);
                            meta = null;
                            datas = null;
                        } else if (meta != null) {
                            endMeta(el, parent, t, meta);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // closing a reader of an in-memory or caller-owned stream
            }
        }
        if (entries.isEmpty()) {
            throw new CurveFormatException(name, "entries", entryCount == 0 ? "canSAS XML without a <SASentry>: no curve"
                    : "canSAS XML without data rows: no <Idata> in any <SASdata> of its " + entryCount + " <SASentry>", null);
        }
        return new CurveFile(name, CurveFormat.CANSAS_XML, version, entries, fileNotes);
    }

    private static String attr(XMLStreamReader r, String attr) {
        String v = r.getAttributeValue(null, attr);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private final Map<String, String> pendingUnits = new LinkedHashMap<>();

    private void startMeta(String el, XMLStreamReader r, Map<String, String> meta) {
        String unit = attr(r, "unit");
        if (unit != null) {
            pendingUnits.put(el, unit);
        }
        if (el.equals("SASsample") && attr(r, "name") != null) {
            meta.putIfAbsent("sample name", attr(r, "name"));
        }
        if (el.equals("term") && attr(r, "name") != null) {
            pendingUnits.put("term.name", attr(r, "name"));
        }
    }

    private void endMeta(String el, String parent, String t, Map<String, String> meta) {
        String unit = pendingUnits.remove(el);
        if (t.isEmpty()) {
            return;
        }
        String withUnit = unit == null ? t : t + " " + unit;
        String key = null;
        if ("SASentry".equals(parent)) {
            key = switch (el) {
                case "Title" -> "title";
                case "Run" -> "run";
                case "SASnote" -> "note";
                default -> null;
            };
        } else if ("SASsample".equals(parent)) {
            key = switch (el) {
                case "ID" -> "sample";
                case "thickness" -> "sample thickness";
                case "transmission" -> "sample transmission";
                case "temperature" -> "sample temperature";
                default -> null;
            };
        } else if ("SASinstrument".equals(parent) && el.equals("name")) {
            key = "instrument";
        } else if ("SASsource".equals(parent)) {
            key = switch (el) {
                case "radiation" -> "radiation";
                case "wavelength" -> "wavelength";
                case "beam_shape" -> "beam shape";
                default -> null;
            };
        } else if ("SAScollimation".equals(parent) && el.equals("length")) {
            key = "collimation length";
        } else if ("SASdetector".equals(parent)) {
            key = switch (el) {
                case "name" -> "detector";
                case "SDD" -> "sample-detector distance";
                default -> null;
            };
        } else if ("SASprocess".equals(parent)) {
            key = switch (el) {
                case "name" -> "process";
                case "date" -> "process date";
                default -> null;
            };
        }
        if (key != null) {
            String v = withUnit.replaceAll("\\s+", " ");
            if (v.length() > 500) {
                v = v.substring(0, 497) + "...";
            }
            meta.merge(key, v, (a, b) -> a + "; " + b);
        }
    }

    private void addRow(Data d, Map<String, Value> row, int line) throws CurveFormatException {
        Value q = row.get("Q");
        Value i = row.get("I");
        if (q == null || q.text == null || q.text.isEmpty() || i == null || i.text == null || i.text.isEmpty()) {
            throw new CurveFormatException(name, line, "an <Idata> without " + (q == null || q.text == null
                    || q.text.isEmpty() ? "<Q>" : "<I>") + " value; every row needs Q and I");
        }
        d.rowsSeen++;
        if (d.rowsSeen == 1) {
            d.firstRowLine = line;
            d.intensityUnit = i.unit;
        } else if (i.unit != null && d.intensityUnit != null && !d.intensityUnit.equals(i.unit)) {
            throw new CurveFormatException(name, i.line, "I is in '" + i.unit + "' here but in '" + d.intensityUnit
                    + "' on line " + d.firstRowLine + "; the reader does not convert intensities, so every row needs"
                    + " the same unit of I");
        }
        QUnit qUnit = qUnit(d, q, "Q");
        double qv = qUnit.toAngstromInverse(number(q, "Q"));
        if (qv < 0) {
            throw new CurveFormatException(name, q.line, "Q = " + q.text + " is negative; Q must be >= 0");
        }
        double iv = number(i, "I");
        double[] opt = new double[OPTIONAL.length];
        for (int k = 0; k < OPTIONAL.length; k++) {
            Value v = row.get(OPTIONAL[k]);
            boolean has = v != null && v.text != null && !v.text.isEmpty();
            if (d.rowsSeen == 1) {
                d.present[k] = has;
            } else if (has != d.present[k]) {
                throw new CurveFormatException(name, line, OPTIONAL[k] + (has ? " appears here, but the rows before"
                        + " have none" : " is missing here, but the rows before have it") + " (first row: line "
                        + d.firstRowLine + "); every row of a SASdata needs the same quantities");
            }
            if (!has) {
                opt[k] = Double.NaN;
                continue;
            }
            double x = number(v, OPTIONAL[k]);
            if (k > 0) {
                QUnit u = v.unit == null ? qUnit : unitOf(v, OPTIONAL[k]);
                if (told != null) {
                    u = told;
                }
                x = u.toAngstromInverse(x);
            }
            if (x < 0) {
                throw new CurveFormatException(name, v.line, OPTIONAL[k] + " = " + v.text + " is negative; "
                        + OPTIONAL[k] + " must be >= 0" + (k == 0 ? " (zero is allowed: the row is flagged)" : ""));
            }
            opt[k] = x;
        }
        d.rows.add(qv, iv, opt[0], opt[1], opt[2], opt[3], line);
    }

    private QUnit qUnit(Data d, Value q, String what) throws CurveFormatException {
        QUnit fromFile = q.unit == null ? null : unitOf(q, what);
        if (d.rowsSeen == 1) {
            if (told != null) {
                d.fileUnit = told;
                d.unitReason = "told";
                if (fromFile != null && fromFile != told) {
                    CurveAssembler.note(d.notes, name, "line " + q.line + " says Q is in " + q.unit
                            + ", but the reader was told " + told.symbol() + "; reading Q in " + told.symbol());
                }
            } else if (fromFile != null) {
                d.fileUnit = fromFile;
                d.unitReason = "unit attribute";
            } else {
                d.fileUnit = QUnit.ANGSTROM_INVERSE;
                d.unitReason = "default: no unit attribute";
                CurveAssembler.note(d.notes, name, "<Q> has no unit attribute (line " + q.line + "); Q is read in 1/A:"
                        + " check that this is right");
            }
        }
        if (told != null) {
            return told;
        }
        return fromFile != null ? fromFile : QUnit.ANGSTROM_INVERSE;
    }

    private QUnit unitOf(Value v, String what) throws CurveFormatException {
        QUnit u = QUnitSpelling.attribute(v.unit);
        if (u == null) {
            throw new CurveFormatException(name, v.line, what + " has unit '" + v.unit + "'; the reader knows the"
                    + " spellings of 1/A and 1/nm (1/A, A^-1, 1/angstrom, 1/nm, nm^-1, ...)");
        }
        return u;
    }

    private double number(Value v, String what) throws CurveFormatException {
        String t = v.text;
        if (!AsciiParser.Fields.isNumber(t)) {
            throw new CurveFormatException(name, v.line, what + " = '" + (t.length() > 40 ? t.substring(0, 37) + "..." : t)
                    + "' is not a number");
        }
        double x = Double.parseDouble(t);
        if (!Double.isFinite(x)) {
            throw new CurveFormatException(name, v.line, what + " = " + t + " is not a finite number"
                    + (AsciiParser.Fields.isDecimal(t) ? " (out of the range of double precision)" : "")
                    + "; every value must be finite");
        }
        return x;
    }

    private void finishEntry(int entryNo, String entryName, Map<String, String> meta, List<Data> datas,
            List<CurveEntry> entries, List<String> fileNotes) throws CurveFormatException {
        String base = entryName != null ? entryName : meta.containsKey("title") ? meta.get("title") : "SASentry " + entryNo;
        int nonEmpty = 0;
        for (Data d : datas) {
            if (d.rows.size > 0) {
                nonEmpty++;
            }
        }
        for (Data d : datas) {
            if (d.rows.size == 0) {
                CurveAssembler.note(fileNotes, name, "SASentry " + entryNo + " ('" + base + "'), " + d.dataName
                        + " (line " + d.line + ") has no data rows; skipped");
                continue;
            }
            String curveName = nonEmpty > 1 ? base + "/" + d.dataName : base;
            int number = entries.size() + 1;
            List<String> notes = new ArrayList<>(d.notes);
            String source = name; // renamed below when the file holds several curves
            CurveAssembler.Assembled a = CurveAssembler.assemble(d.rows, QUnit.ANGSTROM_INVERSE, source,
                    CurveAssembler.lines(name), notes);
            List<String> columns = new ArrayList<>(List.of("Q", "I"));
            for (int k = 0; k < OPTIONAL.length; k++) {
                if (d.present[k]) {
                    columns.add(OPTIONAL[k]);
                }
            }
            Map<String, String> m = new LinkedHashMap<>(meta);
            if (nonEmpty > 1 || !d.dataName.startsWith("SASdata ")) {
                m.put("SASdata", d.dataName);
            }
            entries.add(new CurveEntry(number, curveName, a.curve(), CurveFormat.CANSAS_XML, d.fileUnit, d.unitReason,
                    d.intensityUnit, columns, d.firstRowLine, a.sorted(), a.merged(), m, notes));
        }
    }
}
