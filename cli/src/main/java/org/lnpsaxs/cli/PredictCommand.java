package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
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
            "With radius_mean [Å] or radius_cv instead of R: the curve of the fit model lnp, the surrogate"
                + " averaged number-weighted over a truncated log-normal radius on [101, 499] Å (unset: radius_cv"
                + " 0.2).",
            "",
            "Examples: lnpsaxs predict R=245 shell_thickness=60",
            "          lnpsaxs predict radius_mean=245 radius_cv=0.2"})
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
        Map<String, String> given = CliSupport.assignments(assignments);
        // radius_mean or radius_cv: the curve of the fit model lnp, averaged over a truncated log-normal radius
        boolean averaged = given.containsKey(RADIUS_MEAN) || given.containsKey(RADIUS_CV);
        if (averaged && given.containsKey("R")) {
            throw new IllegalArgumentException("R is one particle's radius; with radius_mean and radius_cv the curve is"
                    + " averaged over a truncated log-normal radius distribution: give radius_mean instead of R");
        }
        DifferentiableModel m = averaged ? LnpFitModel.of(s).bind(QGrid.of(s.q())).model() : s;
        ParameterSpace space = m.parameters();
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            space.indexOf(e.getKey());
            values.put(e.getKey(), CliSupport.number(e.getKey(), e.getValue()));
        }
        double[] defaults;
        if (s.parameters().names().equals(LnpParameters.SPACE.names())) {
            defaults = averaged ? averagedExample(space) : LnpParameters.example();
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
        } else if (averaged) {
            // the surrogate clamps its own inputs; the size distribution's parameters are clamped here
            for (int j = 0; j < theta.length; j++) {
                double c = Math.max(space.get(j).lower(), Math.min(space.get(j).upper(), theta[j]));
                if (c != theta[j]) {
                    spec.commandLine().getErr().println("predict: " + space.get(j).name() + " = " + theta[j]
                            + " clamped to " + c + ", the nearest end of " + space.get(j).rangeText());
                    theta[j] = c;
                }
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
        double[] intensity = m.evaluate(theta);
        Limits.requireFinite("the predicted I(q)", s.q(), intensity, given);
        CliSupport.printCurve(spec.commandLine().getOut(), s.q(), intensity);
        return 0;
    }

    /**
     * The example values in the order of the averaged model's {@code space}: the simulator's example
     * (R as radius_mean) and radius_cv {@value #EXAMPLE_RADIUS_CV}, the shipped example curve's.
     */
    private static double[] averagedExample(ParameterSpace space) {
        double[] mono = LnpParameters.example();
        double[] out = new double[space.size()];
        for (int j = 0; j < out.length; j++) {
            String name = space.get(j).name();
            out[j] = name.equals(RADIUS_CV) ? EXAMPLE_RADIUS_CV
                    : mono[LnpParameters.SPACE.indexOf(name.equals(RADIUS_MEAN) ? "R" : name)];
        }
        return out;
    }

    /** The averaged model's size parameters (the fit model lnp's names). */
    private static final String RADIUS_MEAN = "radius_mean";
    private static final String RADIUS_CV = "radius_cv";

    /** The radius CV of the averaged example (examples/lnp_synthetic.dat's truth). */
    static final double EXAMPLE_RADIUS_CV = 0.2;
}
