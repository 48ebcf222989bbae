package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.core.simulator.SimulationResult;
import org.lnpsaxs.core.simulator.SimulatorSettingException;
import org.lnpsaxs.core.simulator.SimulatorSettingException.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lnpsaxs simulate}: the direct LNP simulation, printed as {@code q I} lines. The parameter
 * table of its help is generated from {@link LnpParameters#SPACE} (names, units, bounds,
 * descriptions) and {@link LnpParameters#example()}.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Simulate the paper's LNP model directly (a core-shell sphere whose core holds a "
                + "Gaussian-random-field density) and print 'q I' lines: q in 1/Å, I in the paper's units "
                + "(squared projected voxel-density contrast, the mean over realisations and projections).")
final class SimulateCommand implements Callable<Integer> {

    /** The parameter table's width: picocli wraps help lines at 80 columns. */
    private static final int WIDTH = 79;

    @Spec
    CommandSpec spec;

    @Mixin
    SimulatorOptions options;

    @Option(names = "--seed", paramLabel = "S",
            description = "seed of the noise (default: " + LnpSimulator.DEFAULT_SEED + ")")
    Long seed;

    @Option(names = "--box", paramLabel = "N", defaultValue = "0",
            description = "fixed cubic box of N³ voxels for the interior field, at most " + LnpSimulator.MAX_BOX
                    + " (the paper: 512); 0 sizes it to the particle (default)")
    int box;

    @Option(names = "--level-cut", paramLabel = "PHI",
            description = "replace the sigmoid by a hard two-phase cut whose denser phase fills volume fraction PHI")
    Double levelCut;

    @Option(names = "--error", description = "print a third column: the standard error of I from the realisations")
    boolean error;

    @Parameters(paramLabel = "name=value", arity = "0..*", description = "model parameters (see below)")
    List<String> assignments;

    /** The command's spec with the parameter table, generated from the library, as its footer. */
    static CommandSpec create() {
        CommandSpec s = CommandSpec.forAnnotatedObject(new SimulateCommand());
        s.usageMessage().footer(footer().toArray(new String[0]));
        return s;
    }

    /** The help's footer: one row per parameter of {@link LnpParameters#SPACE}, then an example. */
    static List<String> footer() {
        ParameterSpace space = LnpParameters.SPACE;
        double[] example = LnpParameters.example();
        List<String[]> rows = new ArrayList<>();
        for (Parameter p : space.asList()) {
            rows.add(new String[] {p.name(), p.rangeText(), "(" + fmt(example[space.indexOf(p.name())]) + ")",
                p.description()});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int c = 0; c < 3; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Parameters, name=value, in this order (a parameter not given takes the");
        lines.add("example value in brackets, and a note on standard error lists it):");
        String format = "  %-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  ";
        int indent = String.format(Locale.ROOT, format, "", "", "").length();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, format, r[0], r[1], r[2]));
            for (String word : r[3].split(" ")) {
                if (line.length() > indent && line.length() + 1 + word.length() > WIDTH) {
                    lines.add(line.toString().stripTrailing());
                    line = new StringBuilder(" ".repeat(indent));
                }
                if (line.length() > indent) {
                    line.append(' ');
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        lines.add("");
        lines.add("Example: lnpsaxs simulate --realizations 10 --axes 3 R=300 shell_thickness=50");
        return lines;
    }

    @Override
    public Integer call() {
        ParameterSpace space = LnpParameters.SPACE;
        Map<String, String> given = CliSupport.assignments(assignments);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            space.indexOf(e.getKey());   // unknown names: an error listing the allowed ones
            values.put(e.getKey(), CliSupport.number(e.getKey(), e.getValue()));
        }
        double[] theta = space.vector(LnpParameters.example(), values);
        space.check(theta, 1);
        Map<Setting, String> own = Map.of(Setting.BOX_SIZE, "--box " + box);
        LnpSimulator sim = options.simulator();
        try {
            sim = sim.withBoxSize(box);
            if (seed != null) {
                sim = sim.withSeed(seed);
            }
            if (levelCut != null) {
                sim = sim.withLevelCut(levelCut);
            }
            // every limit (projection, plane, grid, box, memory) before any work or output
            sim.plan(theta);
        } catch (SimulatorSettingException e) {
            throw options.named(e, own);
        }
        PrintWriter err = spec.commandLine().getErr();
        List<String> defaulted = new ArrayList<>();
        for (String name : space.names()) {
            if (!values.containsKey(name)) {
                defaulted.add(name + "=" + fmt(theta[space.indexOf(name)]));
            }
        }
        if (!defaulted.isEmpty()) {
            err.println("simulate: example values used for " + String.join(" ", defaulted));
            err.flush();
        }
        SimulationResult r;
        try (ProgressReport progress = ProgressReport.start(err, "simulate", "realisations", sim.realizations())) {
            r = sim.run(theta, (done, total) -> progress.update(done, total, null));
        } catch (SimulatorSettingException e) {
            throw options.named(e, own);
        }
        Limits.requireFinite("the simulated I(q)", r.q(), r.intensity(), given);
        PrintWriter out = spec.commandLine().getOut();
        if (error) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.q().length; i++) {
                sb.append(CliSupport.format17(r.q()[i])).append(' ')
                        .append(CliSupport.format17(r.intensity()[i])).append(' ')
                        .append(CliSupport.format17(r.standardError()[i])).append('\n');
            }
            out.print(sb);
            out.flush();
        } else {
            CliSupport.printCurve(out, r.q(), r.intensity());
        }
        return 0;
    }

    private static String fmt(double v) {
        return SimulatorOptions.plain(v);
    }
}
