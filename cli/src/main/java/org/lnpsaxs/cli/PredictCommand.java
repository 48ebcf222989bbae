package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.Surrogate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lnpsaxs predict}: the surrogate's intensity, printed as {@code q I} lines. */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        header = "Predict the LNP simulator's curve with the neural surrogate and print 'q I' lines.",
        description = "Predict the LNP simulator's curve with the neural surrogate and print 'q I' lines: q in 1/Å"
                + " on the model's grid, I (not its log) in the simulator's arbitrary units. Parameters outside the"
                + " model's training box are refused (or clamped with --clamp).",
        footer = {
            "",
            "Parameters (name=value; those not given take the simulator's example values, listed on standard"
                + " error): GRF_shift, R [Å], w_q1, m_q1 [1/Å], m_q2 [1/Å], s_q1 [1/Å], s_q2 [1/Å], shell_thickness"
                + " [Å], relative_rho_shell (see 'lnpsaxs simulate --help' for their meaning).",
            "",
            "Example: lnpsaxs predict R=245 shell_thickness=60"})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "model file (default: the shipped default model)")
    Path model;

    @Option(names = "--clamp", description = "clamp out-of-box values to the box (with a warning) instead of refusing")
    boolean clamp;

    @Option(names = "--threads", paramLabel = "T", description = "ND4J threads (default: OMP_NUM_THREADS)")
    Integer threads;

    @Parameters(paramLabel = "name=value", arity = "0..*", description = "model parameters")
    List<String> assignments;

    @Override
    public Integer call() throws IOException {
        Limits.threads("--threads", threads);
        Nd4jSupport.threads(threads);
        Surrogate s = (model == null ? Surrogate.loadDefault() : Surrogate.load(model)).withClamping(clamp);
        ParameterSpace space = s.parameters();
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CliSupport.assignments(assignments).entrySet()) {
            space.indexOf(e.getKey());
            values.put(e.getKey(), CliSupport.number(e.getKey(), e.getValue()));
        }
        double[] defaults;
        if (space.names().equals(LnpParameters.SPACE.names())) {
            defaults = LnpParameters.example();
        } else {
            defaults = new double[space.size()];
            for (String name : space.names()) {
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("parameter " + name + " is required by this model");
                }
            }
        }
        double[] theta = space.vector(defaults, values);
        if (!clamp) { // refused here, in the command line's terms (the library's refusal names its Java switch)
            try {
                space.check(theta, 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (the surrogate's training range); --clamp moves it"
                        + " to the range's nearest end", e);
            }
        }
        List<String> defaulted = new ArrayList<>();
        for (String name : space.names()) {
            if (!values.containsKey(name)) {
                double v = theta[space.indexOf(name)];
                defaulted.add(name + "=" + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)));
            }
        }
        if (!defaulted.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("predict: example values used for " + String.join(" ", defaulted));
            err.flush();
        }
        double[] intensity = s.evaluate(theta);
        Limits.requireFinite("the predicted I(q)", s.q(), intensity, CliSupport.assignments(assignments));
        CliSupport.printCurve(spec.commandLine().getOut(), s.q(), intensity);
        return 0;
    }
}
