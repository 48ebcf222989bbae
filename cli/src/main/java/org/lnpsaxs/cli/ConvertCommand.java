package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.CurveEntry;
import org.lnpsaxs.core.data.CurveFile;
import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.CurveWriter;
import org.lnpsaxs.core.data.QUnit;
import org.lnpsaxs.core.data.ScatteringCurve;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lnpsaxs convert IN OUT [--entry N|NAME|all] [--q-unit A|nm]}: any curve file the reader
 * knows to four ASCII columns {@code q I sigma dq} (q and dq in 1/Å, 17 significant digits; dq = 0
 * where the file gives no resolution, −dQl for slit-smeared data) with the file's metadata and the
 * reader's notes as {@code #} lines. Written atomically; a symbolic link at OUT is refused.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {"Converts a curve file (ASCII columns, NIST .ABS, Anton Paar .pdh, canSAS 1D XML, NXcanSAS) to"
                + " four ASCII columns 'q I sigma dq' (q and dq in 1/A), the metadata as # lines.",
            "dq = 0 means the file gives no q resolution; a negative dq is minus the slit length of slit-smeared"
                + " data (the NIST convention). A curve without sigma is written as 'q I'; one with a q resolution"
                + " but no sigma is refused.",
            "With --entry all and several curves, OUT names a pattern: out.dat becomes out_1.dat, out_2.dat, ...",
            "OUT is written atomically (a temporary file, then a rename); '-' writes to standard output.",
            "Example:",
            "  lnpsaxs convert latex_smeared.xml latex_usans.dat --entry 2"})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the curve file ('-' reads standard input)")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the ASCII file to write ('-' writes standard output)")
    String out;

    @Option(names = "--q-unit", paramLabel = "A|nm", converter = InspectCommand.QUnitConverter.class,
            description = "the unit of q (and dq) in IN: A (1/A) or nm (1/nm); default: what the file says, else A")
    QUnit qUnit;

    @Mixin
    EntryOption entry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (out.isBlank()) {
            throw new IllegalArgumentException("OUT is empty; give a file name, or '-' for standard output");
        }
        Path outPath = "-".equals(out) ? null : Path.of(out);
        if (outPath != null && !"-".equals(in) && Files.exists(Path.of(in))
                && Files.exists(outPath, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(Path.of(in), outPath)) {
            throw new IllegalArgumentException(out + ": is the input file; write the conversion to another name");
        }
        if (outPath != null && Files.isDirectory(outPath, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(out + ": is a directory; OUT is the name of the file to write");
        }
        CurveReader reader = CurveReader.defaults().withQUnit(qUnit);
        CurveFile f = "-".equals(in) ? reader.readAll(System.in, "<stdin>") : reader.readAll(Path.of(in));
        List<CurveEntry> entries = f.select(entry.selector());
        if (entries.size() > 1 && outPath == null) {
            throw new IllegalArgumentException("--entry all gives " + entries.size() + " curves; standard output takes"
                    + " one: name an OUT file (out.dat becomes out_1.dat, ...)");
        }
        List<Path> targets = new ArrayList<>();
        for (CurveEntry e : entries) {
            targets.add(entries.size() == 1 ? outPath : numbered(outPath, e.number()));
        }
        PrintWriter log = spec.commandLine().getOut();
        for (int k = 0; k < entries.size(); k++) {
            CurveEntry e = entries.get(k);
            ScatteringCurve c = e.curve();
            if (!c.hasSigma() && (c.hasDq() || c.hasSlit())) {
                throw new IllegalArgumentException(f.source() + (f.size() > 1 ? " entry " + e.number() : "")
                        + ": the curve has a q resolution but no sigma; the columns q I sigma dq cannot hold that");
            }
            CurveWriter writer = CurveWriter.defaults().withFourColumns(c.hasSigma()).withMetadata(metadata(f, e));
            if (targets.get(k) == null) {
                writer.write(c, log);
            } else {
                writer.write(c, targets.get(k));
                log.println("wrote " + targets.get(k) + ": " + c.size() + " rows, " + (c.hasSigma() ? "q I sigma dq"
                        : "q I") + " (q in 1/A) from " + f.source() + (f.size() > 1 ? " entry " + e.number() + " '"
                        + e.name() + "'" : "") + (e.notes().isEmpty() ? "" : "; " + e.notes().size() + " note(s)"
                        + " in its header"));
            }
        }
        log.flush();
        return 0;
    }

    /** {@code out.dat} → {@code out_3.dat}. */
    private static Path numbered(Path out, int n) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + "_" + n + name.substring(dot) : name + "_" + n;
        return out.resolveSibling(numbered);
    }

    private static Map<String, String> metadata(CurveFile f, CurveEntry e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("converted from", f.source() + " (" + f.format().description() + (f.version() == null ? ""
                : " v" + f.version()) + ")");
        if (f.size() > 1 || !e.name().equals(f.source())) {
            m.put("entry", e.number() + " of " + f.size() + ": " + e.name());
        }
        m.put("q unit in the file", e.qUnit().symbol() + " (" + e.qUnitReason() + ")");
        if (e.intensityUnit() != null) {
            m.put("I unit", e.intensityUnit());
        }
        m.put("columns in the file", String.join(" ", e.columns()));
        m.putAll(e.metadata());
        int k = 1;
        for (String n : e.notes()) {
            m.put("note " + k++, n);
        }
        return m;
    }
}
