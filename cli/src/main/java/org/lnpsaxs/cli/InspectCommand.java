package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.QUnit;
import org.lnpsaxs.core.data.ScatteringCurve;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lnpsaxs inspect FILE [--q-unit A|nm]}: reads a curve file and prints the number of
 * points, the q range in Å⁻¹, the unit q was read in, whether σ and dq are present, and how many
 * rows are flagged and why. A broken file exits with status 2 and one line on standard error.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {"Reads a SAXS curve file (q, I[, sigma[, dq]]) and tells what it holds.",
            "Exit status 0 for a valid file; 2 with a one-line message naming the file, line and problem otherwise."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the curve file ('-' reads standard input)")
    String file;

    @Option(names = "--q-unit", paramLabel = "A|nm", converter = QUnitConverter.class,
            description = "the unit of q (and dq) in the file: A (1/A) or nm (1/nm); default: what the header says, else A")
    QUnit qUnit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CurveReader reader = CurveReader.defaults().withQUnit(qUnit);
        CurveReader.Result r = "-".equals(file)
                ? reader.readDetailed(System.in, "<stdin>")
                : reader.readDetailed(Path.of(file));
        ScatteringCurve c = r.curve();
        PrintWriter out = spec.commandLine().getOut();
        out.println("file:     " + c.source());
        out.println("points:   " + c.size() + (r.sorted() ? " (sorted by q: the file was out of order)" : ""));
        out.println(String.format(Locale.ROOT, "q range:  %.6g .. %.6g 1/A", c.qMin(), c.qMax())
                + (r.qUnit() == QUnit.ANGSTROM_INVERSE ? " (file in 1/A, " + r.qUnitReason() + ")"
                        : " (converted from 1/nm, " + r.qUnitReason() + ")"));
        out.println("sigma:    " + (c.hasSigma() ? "yes" : "no"));
        out.println("dq:       " + (c.hasDq() ? "yes" : "no"));
        out.println("flagged:  " + (c.flaggedCount() == 0 ? "none"
                : c.flagSummary() + "; fits leave them out"));
        out.flush();
        return 0;
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
