package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.CurveEntry;
import org.lnpsaxs.core.data.CurveFile;
import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.QUnit;
import org.lnpsaxs.core.data.ScatteringCurve;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lnpsaxs inspect FILE [--q-unit A|nm] [--entry N|NAME|all]}: reads a curve file of any
 * supported format and prints its format and, for each curve (every curve of the file unless
 * {@code --entry} picks some), the number of points, the q range in Å⁻¹, the unit q was read in,
 * the unit of I, whether σ, a pinhole dq and a slit resolution are present, how many rows are
 * flagged and why, the file's metadata and the reader's notes. A broken file exits with status 2
 * and one line on standard error.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {"Reads a SAXS/SANS curve file (ASCII columns, NIST .ABS, Anton Paar .pdh, canSAS 1D XML,"
                + " NXcanSAS HDF5; recognised by content) and tells what it holds, curve by curve.",
            "Exit status 0 for a valid file; 2 with a one-line message naming the file, line and problem otherwise."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the curve file ('-' reads standard input)")
    String file;

    @Option(names = "--q-unit", paramLabel = "A|nm", converter = QUnitConverter.class,
            description = "the unit of q (and dq) in the file: A (1/A) or nm (1/nm); default: what the file says, else A")
    QUnit qUnit;

    @Mixin
    EntryOption entry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CurveReader reader = CurveReader.defaults().withQUnit(qUnit);
        CurveFile f = "-".equals(file) ? reader.readAll(System.in, "<stdin>") : reader.readAll(Path.of(file));
        List<CurveEntry> entries = entry.selector().isOnly() ? f.entries() : f.select(entry.selector());
        PrintWriter out = spec.commandLine().getOut();
        out.println("file:     " + f.source());
        out.println("format:   " + f.format().description() + (f.version() == null ? "" : " v" + f.version()));
        for (String n : f.notes()) {
            out.println("note:     " + n);
        }
        if (f.size() == 1) {
            print(out, entries.get(0), "");
        } else {
            out.println("entries:  " + f.size() + (entries.size() < f.size() ? " (" + entries.size() + " shown)"
                    : " (pick one with --entry N or --entry NAME)"));
            for (CurveEntry e : entries) {
                out.println();
                out.println("entry " + e.number() + ":  " + e.name());
                print(out, e, "  ");
            }
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, CurveEntry e, String in) {
        ScatteringCurve c = e.curve();
        out.println(in + "points:   " + c.size() + (e.sorted() ? " (sorted by q: the file was out of order)" : "")
                + (e.mergedRows() > 0 ? " (" + e.mergedRows() + " rows with a repeated q merged)" : ""));
        out.println(in + String.format(Locale.ROOT, "q range:  %.6g .. %.6g 1/A", c.qMin(), c.qMax())
                + (e.qUnit() == QUnit.ANGSTROM_INVERSE ? " (file in 1/A, " + e.qUnitReason() + ")"
                        : " (converted from 1/nm, " + e.qUnitReason() + ")"));
        if (e.intensityUnit() != null) {
            out.println(in + "I unit:   " + e.intensityUnit() + " (as the file says; I is not converted)");
        }
        out.println(in + "sigma:    " + (c.hasSigma() ? "yes" : "no"));
        out.println(in + "dq:       " + (c.hasDq() ? "yes" : "no"));
        if (c.hasDq()) {
            out.println(in + range("dq/q:     ", c.dq(), c.q(), ""));
        }
        if (c.hasSlit()) {
            out.println(in + range("slit:     dQl ", c.slitLength(), null, " 1/A")
                    + (c.slitWidth() == null ? "" : range(", dQw ", c.slitWidth(), null, " 1/A")));
        }
        out.println(in + "flagged:  " + (c.flaggedCount() == 0 ? "none" : c.flagSummary() + "; fits leave them out"));
        int header = 0;
        int footer = 0;
        boolean first = true;
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            if (m.getKey().startsWith("header line ")) {
                header++;
            } else if (m.getKey().startsWith("footer line ")) {
                footer++;
            } else {
                if (first) {
                    out.println(in + "metadata:");
                    first = false;
                }
                out.println(in + "  " + m.getKey() + ": " + m.getValue());
            }
        }
        if (header + footer > 0) {
            out.println(in + "text:     " + header + " header line" + (header == 1 ? "" : "s") + ", " + footer
                    + " footer line" + (footer == 1 ? "" : "s") + " (kept as metadata by 'lnpsaxs convert')");
        }
        for (String n : e.notes()) {
            out.println(in + "note:     " + n);
        }
    }

    /** {@code min .. max} of v (or of v/q when q is given, in %). */
    private static String range(String label, double[] v, double[] q, String unit) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (q != null && !(q[i] > 0)) {
                continue;
            }
            double x = q == null ? v[i] : 100 * v[i] / q[i];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (lo > hi) {
            return label + "-";
        }
        String pct = q == null ? "" : " %";
        return label + (lo == hi ? brief(lo) : brief(lo) + " .. " + brief(hi)) + pct + unit;
    }

    /** Four significant digits, trailing zeros dropped: {@code 0.117}, {@code 5.25}, {@code 1.5E-7}. */
    private static String brief(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toString();
    }

    /** Converts {@code --q-unit} values with {@link QUnit#parse(String)}. */
    static final class QUnitConverter implements CommandLine.ITypeConverter<QUnit> {
        @Override
        public QUnit convert(String value) {
            try {
                return QUnit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
