package org.lnpsaxs.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;

/**
 * Reads NXcanSAS (HDF5) with the pure-Java HDF5 reader jHDF. An entry is a group whose
 * {@code NX_class} or {@code canSAS_class} attribute is {@code SASentry} (or an {@code NXentry}
 * whose {@code definition} is {@code NXcanSAS}); each of its {@code SASdata} groups (likewise, or an
 * {@code NXdata} without a canSAS class whose {@code I_axes} start with Q) with one-dimensional
 * data is one curve; other groups (transmission spectra, notes) are not curves. The signal is the
 * group's {@code signal} attribute (default {@code I}), q its first {@code I_axes} (default
 * {@code Q}); σ is named by the signal's {@code uncertainties} attribute or the group's
 * {@code I_uncertainties} (default {@code Idev}); the q resolutions by q's {@code resolutions}
 * attribute (default {@code Qdev}, {@code dQl}, {@code dQw}): a name containing {@code dQl} is a
 * slit length, {@code dQw} a slit width, any other a pinhole dq. Units come from each dataset's
 * {@code units} attribute (or the older {@code unit}). Groups are visited in name order.
 */
final class NxCanSasParser {

    private static final int MAX_DEPTH = 4;

    private final String name;
    private final QUnit told;
    private final ReadLimits limits;
    private int totalRows;

    NxCanSasParser(String name, QUnit told, ReadLimits limits) {
        this.name = name;
        this.told = told;
        this.limits = limits;
    }

    CurveFile parse(Group root) throws CurveFormatException {
        try {
            List<Group> entries = new ArrayList<>();
            findEntries(root, 0, entries);
            if (entries.isEmpty()) {
                List<String> top = new ArrayList<>(sorted(root).keySet());
                throw new CurveFormatException(name, "HDF5", "an HDF5 file without NXcanSAS entries (no group with"
                        + " NX_class or canSAS_class = SASentry)" + (top.isEmpty() ? "; it is empty"
                        : "; its top-level objects: " + String.join(", ", top.subList(0, Math.min(10, top.size())))), null);
            }
            List<CurveEntry> curves = new ArrayList<>();
            List<String> fileNotes = new ArrayList<>();
            for (Group e : entries) {
                readEntry(e, curves, fileNotes);
            }
            if (curves.isEmpty()) {
                throw new CurveFormatException(name, "HDF5", "no one-dimensional curve in its " + entries.size()
                        + " NXcanSAS entr" + (entries.size() == 1 ? "y" : "ies") + (fileNotes.isEmpty() ? ""
                        : " (" + String.join("; ", fileNotes) + ")"), null);
            }
            return new CurveFile(name, CurveFormat.NXCANSAS, attrString(entries.get(0), "version"), curves, fileNotes);
        } catch (HdfException e) {
            throw new CurveFormatException(name, "HDF5", "the HDF5 content cannot be read (" + oneLine(e.getMessage())
                    + "): a damaged file?", e);
        }
    }

    /** Another library's message, made one line, short, and free of exception class names. */
    static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").replaceAll("[\\w.$]*Exception:?\\s*", "").strip();
        return t.length() > 200 ? t.substring(0, 197) + "..." : t;
    }

    private static Map<String, Node> sorted(Group g) {
        return new TreeMap<>(g.getChildren());
    }

    private static boolean isClass(Node n, String cls) {
        return cls.equals(attrString(n, "NX_class")) || cls.equals(attrString(n, "canSAS_class"));
    }

    private void findEntries(Group g, int depth, List<Group> out) {
        for (Node n : sorted(g).values()) {
            if (!(n instanceof Group child) || n.isLink()) {
                continue;
            }
            if (isClass(child, "SASentry") || ("NXentry".equals(attrString(child, "NX_class"))
                    && "NXcanSAS".equals(scalarString(child, "definition")))) {
                out.add(child);
            } else if (depth + 1 < MAX_DEPTH) {
                findEntries(child, depth + 1, out);
            }
        }
    }

    private void readEntry(Group entry, List<CurveEntry> curves, List<String> fileNotes) throws CurveFormatException {
        List<Group> datas = new ArrayList<>();
        for (Node n : sorted(entry).values()) {
            if (n instanceof Group g && !n.isLink() && (isClass(g, "SASdata") || plainNxData(g))) {
                datas.add(g);
            }
        }
        Map<String, String> meta = metadata(entry);
        List<Group> oneD = new ArrayList<>();
        for (Group d : datas) {
            Node signal = d.getChild(signalName(d));
            if (!(signal instanceof Dataset ds)) {
                CurveAssembler.note(fileNotes, name, d.getPath() + ": no signal dataset '" + signalName(d) + "'; skipped");
                continue;
            }
            if (ds.getDimensions().length != 1) {
                CurveAssembler.note(fileNotes, name, d.getPath() + ": 2D data (" + signalName(d) + " of shape "
                        + java.util.Arrays.toString(ds.getDimensions()) + ") is not read; the reader reads 1D curves");
                continue;
            }
            oneD.add(d);
        }
        for (Group d : oneD) {
            String curveName = oneD.size() > 1 ? strip(entry.getPath()) + "/" + d.getName() : strip(entry.getPath());
            curves.add(readData(d, curves.size() + 1, curveName, meta));
        }
    }

    /** An NXdata without a canSAS class whose signal is plotted against a q axis. */
    private static boolean plainNxData(Group g) {
        String axes = attrString(g, "I_axes");
        return "NXdata".equals(attrString(g, "NX_class")) && attrString(g, "canSAS_class") == null
                && axes != null && axes.strip().startsWith("Q") && g.getChild(signalName(g)) instanceof Dataset;
    }

    private static String strip(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.startsWith("/") ? p.substring(1) : p;
    }

    private static String signalName(Group d) {
        String s = attrString(d, "signal");
        return s == null ? "I" : s;
    }

    private CurveEntry readData(Group d, int number, String curveName, Map<String, String> meta)
            throws CurveFormatException {
        String signal = signalName(d);
        Dataset iSet = (Dataset) d.getChild(signal);
        String axes = attrString(d, "I_axes");
        String qName = axes == null ? "Q" : axes.split(",")[0].strip();
        Dataset qSet = dataset(d, qName, "q (the first of I_axes)");
        int n = checkLength(iSet, iSet.getDimensions()[0], "");
        checkLength(qSet, n, signal);
        List<String> notes = new ArrayList<>();
        List<String> columns = new ArrayList<>(List.of(qName, signal));
        String sigmaName = firstNonNull(attrString(iSet, "uncertainties"), attrString(iSet, "uncertainty"),
                attrString(d, "I_uncertainties"), attrString(d, "I_uncertainty"));
        if (sigmaName != null) {
            sigmaName = sigmaName.split(",")[0].strip();
        }
        Dataset sSet = null;
        if (sigmaName != null) {
            sSet = dataset(d, sigmaName, "the uncertainty of " + signal);
        } else if (d.getChild("Idev") instanceof Dataset idev) {
            sSet = idev;
        }
        if (sSet != null) {
            checkLength(sSet, n, signal);
            columns.add(sSet.getName());
        }
        List<Dataset> resolutions = new ArrayList<>();
        String res = firstNonNull(attrString(qSet, "resolutions"), attrString(qSet, "resolution"),
                attrString(d, "Q_uncertainties"), attrString(d, "Q_uncertainty"));
        if (res != null) {
            for (String r : res.split(",")) {
                if (!r.isBlank()) {
                    resolutions.add(dataset(d, r.strip(), "a resolution of " + qName));
                }
            }
        } else {
            for (String r : new String[] {"Qdev", "dQl", "dQw"}) {
                if (d.getChild(r) instanceof Dataset ds) {
                    resolutions.add(ds);
                }
            }
        }
        if (totalRows + (long) n > limits.maxRows()) {
            throw new CurveFormatException(name, iSet.getPath(), n + " rows, more than the reader's limit of "
                    + limits.maxRows() + " rows (ReadLimits.maxRows) with the rows before", null);
        }
        totalRows += n;
        QUnit fileUnit;
        String reason;
        String qUnitText = unitText(qSet);
        if (told != null) {
            fileUnit = told;
            reason = "told";
            QUnit said = QUnitSpelling.attribute(qUnitText);
            if (said != null && said != told) {
                CurveAssembler.note(notes, name, qSet.getPath() + " says q is in " + qUnitText + ", but the reader was"
                        + " told " + told.symbol() + "; reading q in " + told.symbol());
            }
        } else if (qUnitText == null) {
            fileUnit = QUnit.ANGSTROM_INVERSE;
            reason = "default: no units attribute";
            CurveAssembler.note(notes, name, qSet.getPath() + " has no units attribute; q is read in 1/A: check that"
                    + " this is right");
        } else {
            fileUnit = unit(qSet, qUnitText);
            reason = "units attribute";
        }
        double[] q = values(qSet, n);
        double[] in = values(iSet, n);
        double[] s = sSet == null ? null : values(sSet, n);
        double[] dq = null;
        double[] slitL = null;
        double[] slitW = null;
        for (Dataset r : resolutions) {
            checkLength(r, n, signal);
            columns.add(r.getName());
            double[] v = values(r, n);
            String rUnit = unitText(r);
            QUnit u = told != null ? told : rUnit == null ? fileUnit : unit(r, rUnit);
            for (int i = 0; i < n; i++) {
                v[i] = u.toAngstromInverse(v[i]);
            }
            if (r.getName().contains("dQl")) {
                slitL = v;
            } else if (r.getName().contains("dQw")) {
                slitW = v;
            } else {
                dq = v;
            }
        }
        for (int i = 0; i < n; i++) {
            check(qSet, q, i, false, true);
            check(iSet, in, i, false, false);
            check(sSet, s, i, true, true);
            q[i] = fileUnit.toAngstromInverse(q[i]);
        }
        for (Dataset r : resolutions) {
            double[] v = r.getName().contains("dQl") ? slitL : r.getName().contains("dQw") ? slitW : dq;
            for (int i = 0; i < n; i++) {
                check(r, v, i, false, true);
            }
        }
        RowBuffer rows = RowBuffer.adopt(name, q, in, s, dq, slitL, slitW);
        CurveAssembler.Places places = new CurveAssembler.Places() {
            @Override
            public String of(int where) {
                return qSet.getPath() + "[" + where + "]";
            }

            @Override
            public CurveFormatException error(int where, String problem) {
                return new CurveFormatException(name, d.getPath(), problem, null);
            }
        };
        CurveAssembler.Assembled a = CurveAssembler.assemble(rows, QUnit.ANGSTROM_INVERSE, name, places, notes);
        Map<String, String> m = new LinkedHashMap<>(meta);
        return new CurveEntry(number, curveName, a.curve(), CurveFormat.NXCANSAS, fileUnit, reason, unitText(iSet),
                columns, 0, a.sorted(), a.merged(), m, notes);
    }

    private void check(Dataset set, double[] v, int i, boolean zeroFlagged, boolean nonNegative)
            throws CurveFormatException {
        if (v == null) {
            return;
        }
        if (!Double.isFinite(v[i])) {
            throw new CurveFormatException(name, set.getPath() + "[" + i + "]", set.getName() + " = " + v[i]
                    + " is not a finite number; every value must be finite", null);
        }
        if (nonNegative && v[i] < 0) {
            throw new CurveFormatException(name, set.getPath() + "[" + i + "]", set.getName() + " = " + v[i]
                    + " is negative; it must be >= 0" + (zeroFlagged ? " (zero is allowed: the row is flagged)" : ""),
                    null);
        }
    }

    private Dataset dataset(Group d, String child, String what) throws CurveFormatException {
        Node n = d.getChild(child);
        if (n instanceof Dataset ds) {
            return ds;
        }
        throw new CurveFormatException(name, d.getPath(), "no dataset '" + child + "' (" + what + "); the group holds: "
                + String.join(", ", sorted(d).keySet()), null);
    }

    private int checkLength(Dataset ds, int n, String of) throws CurveFormatException {
        int[] dims = ds.getDimensions();
        if (dims.length != 1 || dims[0] != n) {
            throw new CurveFormatException(name, ds.getPath(), "shape " + java.util.Arrays.toString(dims)
                    + (of.isEmpty() ? "; a curve's data are one-dimensional" : ", but " + of + " has " + n
                    + " values; every quantity of a curve needs one value per row"), null);
        }
        return n;
    }

    private QUnit unit(Dataset ds, String text) throws CurveFormatException {
        QUnit u = QUnitSpelling.attribute(text);
        if (u == null) {
            throw new CurveFormatException(name, ds.getPath(), "units '" + text + "'; the reader knows the spellings of"
                    + " 1/A and 1/nm (1/A, A^-1, 1/angstrom, 1/nm, nm^-1, ...)", null);
        }
        return u;
    }

    private static String unitText(Dataset ds) {
        return firstNonNull(attrString(ds, "units"), attrString(ds, "unit"));
    }

    private double[] values(Dataset ds, int n) throws CurveFormatException {
        Object data = ds.getData();
        double[] out = new double[n];
        if (data instanceof double[] a) {
            System.arraycopy(a, 0, out, 0, n);
        } else if (data instanceof float[] a) {
            for (int i = 0; i < n; i++) {
                out[i] = a[i];
            }
        } else if (data instanceof int[] a) {
            for (int i = 0; i < n; i++) {
                out[i] = a[i];
            }
        } else if (data instanceof long[] a) {
            for (int i = 0; i < n; i++) {
                out[i] = a[i];
            }
        } else if (data instanceof short[] a) {
            for (int i = 0; i < n; i++) {
                out[i] = a[i];
            }
        } else {
            throw new CurveFormatException(name, ds.getPath(), "holds " + ds.getJavaType().getSimpleName()
                    + " values; a curve's data are numbers", null);
        }
        return out;
    }

    private static String firstNonNull(String... s) {
        for (String x : s) {
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    /** An attribute as text (the first element of an array, joined by commas for a string array), or null. */
    static String attrString(Node n, String key) {
        Attribute a;
        try {
            a = n.getAttribute(key);
        } catch (HdfException e) {
            return null;
        }
        if (a == null) {
            return null;
        }
        Object v = a.getData();
        if (v instanceof String s) {
            return s.isBlank() ? null : s.strip();
        }
        if (v instanceof String[] arr) {
            return arr.length == 0 ? null : String.join(",", arr).strip();
        }
        if (v instanceof Object[] arr) {
            return arr.length == 0 ? null : String.valueOf(arr[0]);
        }
        if (v != null && v.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(v) == 0 ? null : String.valueOf(java.lang.reflect.Array.get(v, 0));
        }
        return v == null ? null : v.toString();
    }

    /** A small dataset's value as text ({@code title}, {@code run}, ...), or null. */
    private static String scalarString(Group g, String child) {
        Node n = g.getChild(child);
        if (!(n instanceof Dataset ds) || ds.getSize() > 16) {
            return null;
        }
        Object v = ds.getData();
        String s;
        if (v instanceof String str) {
            s = str;
        } else if (v instanceof Object[] arr) {
            s = arr.length == 0 ? null : String.valueOf(arr[0]);
        } else if (v != null && v.getClass().isArray()) {
            s = java.lang.reflect.Array.getLength(v) == 0 ? null : String.valueOf(java.lang.reflect.Array.get(v, 0));
        } else {
            s = v == null ? null : v.toString();
        }
        if (s == null || s.isBlank()) {
            return null;
        }
        String unit = unitText(ds);
        return s.strip() + (unit == null || unit.equals("none") ? "" : " " + unit);
    }

    private static Map<String, String> metadata(Group entry) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "title", scalarString(entry, "title"));
        put(m, "run", scalarString(entry, "run"));
        for (Node n : sorted(entry).values()) {
            if (!(n instanceof Group g) || n.isLink()) {
                continue;
            }
            if (isClass(g, "SASsample")) {
                put(m, "sample", firstNonNull(scalarString(g, "name"), scalarString(g, "ID")));
                put(m, "sample thickness", scalarString(g, "thickness"));
                put(m, "sample transmission", scalarString(g, "transmission"));
                put(m, "sample temperature", scalarString(g, "temperature"));
            } else if (isClass(g, "SASinstrument")) {
                put(m, "instrument", scalarString(g, "name"));
                for (Node c : sorted(g).values()) {
                    if (c instanceof Group cg && !c.isLink()) {
                        if (isClass(cg, "SASsource")) {
                            put(m, "radiation", scalarString(cg, "radiation"));
                            put(m, "wavelength", firstNonNull(scalarString(cg, "incident_wavelength"),
                                    scalarString(cg, "wavelength")));
                        } else if (isClass(cg, "SASdetector")) {
                            put(m, "detector", scalarString(cg, "name"));
                            put(m, "sample-detector distance", scalarString(cg, "SDD"));
                        }
                    }
                }
            } else if (isClass(g, "SASprocess")) {
                put(m, "process", scalarString(g, "name"));
                put(m, "process date", scalarString(g, "date"));
            }
        }
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.merge(key, value, (a, b) -> a.equals(b) ? a : a + "; " + b);
        }
    }
}
