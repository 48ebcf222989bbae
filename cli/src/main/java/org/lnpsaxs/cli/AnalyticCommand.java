package org.lnpsaxs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;
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
    static final List<String> PD_TYPES = List.of("gaussian", "lognormal", "schulz");

    private static final List<String> PD_SUFFIXES = List.of("_pd", "_pd_n", "_pd_nsigma", "_pd_type");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "sphere or core_shell_sphere")
    String model;

    @Option(names = "--q-file", paramLabel = "FILE",
            description = "take q (1/Å) from the first column of FILE's data rows")
    Path qFile;

    @Option(names = "--q-grid", paramLabel = "lin|log:MIN:MAX:N",
            description = "q grid in 1/Å (default: " + DEFAULT_GRID + ")")
    String qGrid;

    @Option(names = "--resolution", paramLabel = "KIND:DQ_OVER_Q",
            description = {"pinhole smearing with a Gaussian of relative 1-sigma width DQ_OVER_Q, truncated to "
                + "[q-2.5dq, q+3dq]:",
                "  pinhole:DQ_OVER_Q        sasmodels' algorithm (reproduces SasView)",
                "  pinhole-exact:DQ_OVER_Q  converged Gauss-Legendre quadrature of the same integral"})
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
        lines.add("  P_pd=0 P_pd_n=35 P_pd_nsigma=3 P_pd_type=" + String.join("|", PD_TYPES));
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
        QGrid grid = qFile != null ? QColumnReader.read(qFile) : Limits.qGrid("--q-grid", qGrid != null ? qGrid : DEFAULT_GRID);
        SasModel sas = SasModel.byName(model, grid);
        String modelName = sas.formFactor().name();
        List<String> pdParameters = FormFactors.polydisperseParameters(modelName);
        Map<String, Dispersity> dispersity = new LinkedHashMap<>();
        for (String p : pdParameters) {
            dispersity.put(p, Dispersity.DEFAULT);
        }
        for (Map.Entry<String, String> e : CliSupport.assignments(assignments).entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (sas.parameters().contains(name)) {
                sas = sas.with(name, CliSupport.number(name, value));
                continue;
            }
            String base = dispersityBase(name, pdParameters);
            if (base == null) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' for model " + modelName
                        + "; allowed: " + String.join(", ", allowedNames(sas, pdParameters)));
            }
            dispersity.put(base, dispersity.get(base).with(name.substring(base.length()), name, value));
        }
        List<Dispersion> dispersions = new ArrayList<>();
        Map<String, Double> pdValues = new LinkedHashMap<>();
        for (Map.Entry<String, Dispersity> e : dispersity.entrySet()) {
            Dispersity d = e.getValue();
            if (d.pd() > 0) {
                if (d.n() < 1) {
                    throw new IllegalArgumentException("parameter " + e.getKey() + "_pd_n = " + d.n() + " with "
                            + e.getKey() + "_pd = " + number(d.pd()) + " > 0: give at least 1 point (default 35), "
                            + "or " + e.getKey() + "_pd=0 for a monodisperse " + e.getKey());
                }
                if (!(d.nsigma() > 0)) {
                    throw new IllegalArgumentException("parameter " + e.getKey() + "_pd_nsigma = " + number(d.nsigma())
                            + " with " + e.getKey() + "_pd > 0: the grid needs a width > 0 (default 3)");
                }
                dispersions.add(Dispersion.sasmodels(e.getKey(), d.type(), d.n(), d.nsigma()));
                pdValues.put(e.getKey() + "_pd", d.pd());
            }
        }
        ResolutionOperator operator = resolution == null ? null : resolution(resolution, grid);
        double[] intensity;
        if (dispersions.isEmpty()) {
            BatchedModel curve = operator == null ? sas : sas.smeared(operator);
            intensity = curve.evaluate(sas.values());
        } else {
            QGrid calc = operator == null ? grid : operator.qCalc();
            SasPolydisperseModel poly = SasPolydisperseModel.of(sas.formFactor(), calc,
                    dispersions.toArray(new Dispersion[0]));
            double[] theta = new double[poly.parameters().size()];
            for (int j = 0; j < theta.length; j++) {
                String name = poly.parameters().get(j).name();
                Double pd = pdValues.get(name);
                theta[j] = pd != null ? pd : sas.value(name);
            }
            BatchedModel curve = operator == null ? poly : new SmearedModel(poly, operator);
            intensity = curve.evaluate(theta);
        }
        Limits.requireFinite("I(q)", grid.values(), intensity, CliSupport.assignments(assignments));
        CliSupport.printCurve(spec.commandLine().getOut(), grid.values(), intensity);
        return 0;
    }

    /** Parses {@code pinhole:DQ_OVER_Q} or {@code pinhole-exact:DQ_OVER_Q}. */
    static ResolutionOperator resolution(String text, QGrid grid) {
        String form = "expected pinhole:DQ_OVER_Q or pinhole-exact:DQ_OVER_Q, e.g. pinhole:0.05";
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("bad --resolution '" + text + "': " + form);
        }
        String kind = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        double dqOverQ;
        try {
            dqOverQ = Double.parseDouble(text.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --resolution '" + text + "': " + form);
        }
        if (!Double.isFinite(dqOverQ) || dqOverQ < 0) {
            throw new IllegalArgumentException("bad --resolution '" + text + "': DQ_OVER_Q must be a finite number >= 0");
        }
        if (dqOverQ > Limits.MAX_DQ_OVER_Q) {
            throw new IllegalArgumentException("--resolution " + text + ": DQ_OVER_Q " + dqOverQ
                    + " is more than the limit of " + Limits.MAX_DQ_OVER_Q + " (a 1-sigma width as large as q itself)");
        }
        switch (kind) {
            case "pinhole":
                return Pinhole.sasmodels(grid, dqOverQ);
            case "pinhole-exact":
                return Pinhole.converged(grid, dqOverQ);
            default:
                throw new IllegalArgumentException("bad --resolution '" + text + "': unknown kind '" + kind + "'; " + form);
        }
    }

    private static String dispersityBase(String name, List<String> pdParameters) {
        for (String p : pdParameters) {
            for (String suffix : PD_SUFFIXES) {
                if (name.equals(p + suffix)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static List<String> allowedNames(SasModel sas, List<String> pdParameters) {
        List<String> names = new ArrayList<>(sas.parameters().names());
        for (String p : pdParameters) {
            for (String suffix : PD_SUFFIXES) {
                names.add(p + suffix);
            }
        }
        return names;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The sasmodels size-distribution settings of one parameter: relative width pd = σ/centre,
     * number of points, width in σ and type. Defaults as SasView's: 0, 35, 3, gaussian.
     */
    record Dispersity(double pd, int n, double nsigma, String type) {

        static final Dispersity DEFAULT = new Dispersity(0.0, 35, 3.0, "gaussian");

        /** A copy with the setting named by {@code suffix} ({@code _pd}, {@code _pd_n}, ...) parsed from text. */
        Dispersity with(String suffix, String name, String value) {
            switch (suffix) {
                case "_pd": {
                    double v = CliSupport.number(name, value);
                    if (v < 0) {
                        throw new IllegalArgumentException("parameter " + name + " = " + value + " must be >= 0");
                    }
                    return new Dispersity(v, n, nsigma, type);
                }
                case "_pd_n": {
                    double v = CliSupport.number(name, value);
                    if (v < 0 || v != Math.rint(v) || v > 100_000) {
                        throw new IllegalArgumentException("parameter " + name + " = " + value
                                + " must be a whole number of points >= 0");
                    }
                    return new Dispersity(pd, (int) v, nsigma, type);
                }
                case "_pd_nsigma": {
                    double v = CliSupport.number(name, value);
                    if (v < 0) {
                        throw new IllegalArgumentException("parameter " + name + " = " + value + " must be >= 0");
                    }
                    return new Dispersity(pd, n, v, type);
                }
                case "_pd_type": {
                    String t = value.trim().toLowerCase(Locale.ROOT);
                    if (!PD_TYPES.contains(t)) {
                        throw new IllegalArgumentException("parameter " + name + " = " + value + " is not a distribution; "
                                + "allowed: " + String.join(", ", PD_TYPES));
                    }
                    return new Dispersity(pd, n, nsigma, t);
                }
                default:
                    throw new IllegalStateException(suffix);
            }
        }
    }
}
