package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.core.simulator.SimulationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lnpsaxs simulate}: the direct LNP simulation, printed as {@code q I} lines. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Simulate the paper's LNP model directly (a core-shell sphere whose core holds a "
                + "Gaussian-random-field density) and print 'q I' lines: q in 1/Å, I in the paper's units "
                + "(squared projected voxel-density contrast, the mean over realisations and projections).",
        footer = {
            "",
            "Parameters, name=value (one not given takes the example value in brackets;",
            "a note on standard error lists those):",
            "  GRF_shift          [-1, 1]          mean interior density - 1     (-0.1)",
            "  R                  [100, 500] Å     outer radius                  (245)",
            "  w_q1               [0, 1]           weight of component 1         (0.7)",
            "  m_q1, m_q2         [0.05, 0.15] 1/Å mean |k| of the components    (0.1, 0.11)",
            "  s_q1, s_q2         [0.01, 0.15] 1/Å their std. deviations in k    (0.015, 0.1)",
            "  shell_thickness    [40, 70] Å       shell thickness               (60)",
            "  relative_rho_shell [0.7, 1.3]       shell / mean interior density (0.96)",
            "",
            "Example: lnpsaxs simulate --realizations 10 --axes 3 R=300 shell_thickness=50"})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--q-grid", paramLabel = "lin|log:MIN:MAX:N",
            description = "output q grid in 1/Å (default: the paper's 300 points, lin:0.002:0.1995:300)")
    String qGrid;

    @Option(names = "--realizations", paramLabel = "N", defaultValue = "20",
            description = "3-D realisations averaged (default: ${DEFAULT-VALUE})")
    int realizations;

    @Option(names = "--seed", paramLabel = "S",
            description = "seed of the noise (default: " + LnpSimulator.DEFAULT_SEED + ")")
    Long seed;

    @Option(names = "--voxel", paramLabel = "A", defaultValue = "5",
            description = "voxel size in Å (default: ${DEFAULT-VALUE})")
    double voxel;

    @Option(names = "--threads", paramLabel = "T",
            description = "worker threads (default: all processors); the result does not depend on it")
    Integer threads;

    @Option(names = "--axes", paramLabel = "1|2|3", defaultValue = "1",
            description = "projections per 3-D realisation: z, then x, y (default: ${DEFAULT-VALUE})")
    int axes;

    @Option(names = "--plane", paramLabel = "NF", defaultValue = "1024",
            description = "size of the 2-D plane; Δq = 2π/(NF·voxel) (default: ${DEFAULT-VALUE})")
    int plane;

    @Option(names = "--box", paramLabel = "N", defaultValue = "0",
            description = "fixed cubic box of N³ voxels for the interior field (the paper: 512); 0 sizes it to the particle (default)")
    int box;

    @Option(names = "--level-cut", paramLabel = "PHI",
            description = "replace the sigmoid by a hard two-phase cut whose denser phase fills volume fraction PHI")
    Double levelCut;

    @Option(names = "--error", description = "print a third column: the standard error of I from the realisations")
    boolean error;

    @Parameters(paramLabel = "name=value", arity = "0..*", description = "model parameters (see below)")
    List<String> assignments;

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
        LnpSimulator sim = LnpSimulator.paperDefaults()
                .withVoxelSize(voxel)
                .withPlaneSize(plane)
                .withRealizations(realizations)
                .withProjectionAxes(axes)
                .withBoxSize(box);
        if (qGrid != null) {
            sim = sim.withQGrid(Limits.qGrid("--q-grid", qGrid));
        }
        if (seed != null) {
            sim = sim.withSeed(seed);
        }
        if (threads != null) {
            sim = sim.withThreads(threads);
        }
        if (levelCut != null) {
            sim = sim.withLevelCut(levelCut);
        }
        SimulationResult r;
        try (ProgressReport progress = ProgressReport.start(err, "simulate", "realisations", realizations)) {
            r = sim.run(theta, (done, total) -> progress.update(done, total, null));
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
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
