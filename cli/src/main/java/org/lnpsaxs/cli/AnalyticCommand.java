package org.lnpsaxs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.ResolutionSpec;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lnpsaxs analytic}: a sasmodels model ({@code sphere}, {@code core_shell_sphere}) on a q
 * grid, optionally polydisperse in its size parameters (sasmodels' {@code P_pd}, {@code P_pd_n},
 * {@code P_pd_nsigma}, {@code P_pd_type}; averaged as sasmodels does, \( \mathrm{scale}\langle
 * F^2\rangle/\langle V\rangle + \mathrm{background} \)) and smeared by pinhole resolution, printed
 * as {@code q I} lines (q in Å⁻¹, I in cm⁻¹, 17 significant digits). A {@code P_pd > 0} without a
 * point count uses SasView's defaults, 35 points over ±3 σ.
 */
@Command(name = "analytic",
        mixinStandardHelpOptions = true,
        description = {"Computes I(q) of a sasmodels model and prints 'q I' lines (q in 1/Å, I in 1/cm).",
            "I = scale*1e-4*F(q)^2/V + background, as sasmodels 1.0.6 computes it."})
final class AnalyticCommand implements Callable<Integer> {

    /** The q grid used when neither --q-file nor --q-grid is given. */
    static final String DEFAULT_GRID = "log:0.001:0.5:200";

    /** The size-distribution types (sasmodels' names). */
    static final List<String> PD_TYPES = Arrays.stream(SasDistribution.Type.values()).map(SasDistribution.Type::sasName)
            .toList();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "sphere or core_shell_sphere")
    String model;

    @Option(names = "--q-file", paramLabel = "FILE",
            description = "take q from FILE, any curve file lnpsaxs reads (a single q column too); 1/Å unless"
                + " the file says 1/nm")
    Path qFile;

    @Option(names = "--q-grid", paramLabel = "lin|log:MIN:MAX:N",
            description = "q grid in 1/Å (default: " + DEFAULT_GRID + ")")
    String qGrid;

    @Option(names = "--resolution", paramLabel = "KIND:DQ_OVER_Q",
            description = {"pinhole smearing with a Gaussian of relative 1-sigma width DQ_OVER_Q, truncated to "
                + "[q-2.5dq, q+3dq]:",
                "  pinhole:DQ_OVER_Q        sasmodels' algorithm (reproduces SasView)",
                "  pinhole-exact:DQ_OVER_Q  converged Gauss-Legendre quadrature of the same integral",
                "  slit:LENGTH              slit smearing, slit length in 1/A (sasmodels' algorithm; slit-exact:LENGTH converged)",
                "  none                     no smearing (the default)"})
    String resolution;

    @Parameters(paramLabel = "name=value",
            description = "model parameters by their sasmodels names (see below); the rest keep sasmodels' defaults")
    List<String> assignments;

    /** The command with its parameter tables (from the registry) as the help footer. */
    static CommandSpec create() {
        CommandSpec s = CommandSpec.forAnnotatedObject(new AnalyticCommand());
        s.usageMessage().footer(footer().toArray(new String[0]));
        return s;
    }

    private static List<String> footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Parameters with sasmodels' defaults (lengths in Å, SLDs in 1e-6/Å^2,");
        lines.add("background in 1/cm):");
        int width = FormFactors.names().stream().mapToInt(String::length).max().orElse(0) + 4;
        for (String name : FormFactors.names()) {
            SasModel m = SasModel.byName(name, QGrid.of(0.1));
            List<String> words = new ArrayList<>();
            for (Parameter p : m.parameters().asList()) {
                words.add(p.name() + "=" + number(m.value(p.name())));
            }
            wrap(lines, String.format(Locale.ROOT, "  %-" + (width - 2) + "s", name + ":"), words);
        }
        List<String> pd = new ArrayList<>();
        for (String name : FormFactors.names()) {
            for (String p : FormFactors.polydisperseParameters(name)) {
                if (!pd.contains(p)) {
                    pd.add(p);
                }
            }
        }
        lines.add("Size distributions of P = " + String.join(", ", pd) + " (where the model has P), as in");
        lines.add("sasmodels: sigma = P_pd * P; P_pd_n points over +-P_pd_nsigma sigma (defaults):");
        lines.add("  P_pd=0 P_pd_n=" + SasmodelsGrid.DEFAULT_POINTS + " P_pd_nsigma=" + number(SasmodelsGrid.DEFAULT_NSIGMAS)
                + " P_pd_type=" + String.join("|", PD_TYPES));
        lines.add("Default q grid: " + DEFAULT_GRID + " (200 log-spaced points, 1/Å).");
        lines.add("Example:");
        lines.add("  lnpsaxs analytic --model core_shell_sphere radius=250 thickness=30 \\");
        lines.add("      sld_core=10 sld_shell=10.5 sld_solvent=9.47 background=0 \\");
        lines.add("      radius_pd=0.1 radius_pd_type=schulz");
        return lines;
    }

    /** Appends {@code words} after {@code prefix}, wrapped at 79 columns and indented under the first word. */
    private static void wrap(List<String> lines, String prefix, List<String> words) {
        StringBuilder line = new StringBuilder(prefix);
        String indent = " ".repeat(prefix.length());
        boolean first = true;
        for (String w : words) {
            if (!first && line.length() + 1 + w.length() > 79) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
                first = true;
            }
            line.append(first ? "" : " ").append(w);
            first = false;
        }
        lines.add(line.toString());
    }

    @Override
    public Integer call() throws Exception {
        if (qFile != null && qGrid != null) {
            throw new IllegalArgumentException("give either --q-file or --q-grid, not both");
        }
        QGrid grid = qFile != null ? CurveReader.defaults().readQGrid(qFile) : Limits.qGrid("--q-grid", qGrid != null ? qGrid : DEFAULT_GRID);
        // the library knows sasmodels' names, defaults and dispersion settings; this command only parses
        SasPolydisperseModel sas = SasPolydisperseModel.byName(model, grid)
                .withThreads(Math.min(4, Runtime.getRuntime().availableProcessors()));
        for (Map.Entry<String, String> e : CliSupport.assignments(assignments).entrySet()) {
            sas = sas.with(e.getKey(), e.getValue());
        }
        ResolutionOperator operator = null;
        if (resolution != null) {
            ResolutionSpec rs = ResolutionSpec.parse(resolution);
            if (rs.kind().takesWidth() && rs.dqOverQ() > Limits.MAX_DQ_OVER_Q) {
                throw new IllegalArgumentException("--resolution " + resolution + ": DQ_OVER_Q " + rs.dqOverQ()
                        + " is more than the limit of " + Limits.MAX_DQ_OVER_Q + " (a 1-sigma width as large as q itself)");
            }
            operator = rs.operator(grid).orElse(null);
        }
        double[] intensity = operator == null ? sas.evaluate() : sas.evaluate(operator);
        Limits.requireFinite("I(q)", grid.values(), intensity, CliSupport.assignments(assignments));
        CliSupport.printCurve(spec.commandLine().getOut(), grid.values(), intensity);
        return 0;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
