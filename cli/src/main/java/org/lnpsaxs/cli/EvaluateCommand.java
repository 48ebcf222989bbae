package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.eval.Accuracy;
import org.lnpsaxs.surrogate.eval.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lnpsaxs evaluate}: the surrogate's accuracy on held-out simulations. */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        header = "Measure the surrogate's accuracy (median and 90th percentile of mean |dlog10 I|) on a held-out set.",
        description = {
            "Measure the surrogate's accuracy on a held-out dataset (made with 'dataset generate --test'):"
                + " per curve the mean over q of |log10 I_pred - log10 I_sim|, then its median, 90th percentile,"
                + " mean and maximum over curves (decades), raw and after dividing each curve by Q_w = ∫q²I dq.",
            "The paper's bar: median <= 0.012 and 90th percentile <= 0.036. With --out, writes errors.tsv,"
                + " examples.tsv (curves at the 10/50/90th percentile and the worst), summary.json and the figure"
                + " accuracy.png (error distribution and those example curves)."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "model file (default: the shipped default model)")
    Path model;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "held-out dataset: directories or files")
    List<Path> data;

    @Option(names = "--out", paramLabel = "DIR", description = "directory for the plot-ready tables")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "ND4J threads (default: OMP_NUM_THREADS)")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        Limits.threads("--threads", threads);
        if (out != null) {
            Limits.outputDirectory("--out", out, List.of("errors.tsv", "examples.tsv", "summary.json", "accuracy.png"));
        }
        Nd4jSupport.threads(threads);
        Surrogate s = model == null ? Surrogate.loadDefault() : Surrogate.load(model);
        Dataset d = Dataset.read(data.toArray(Path[]::new));
        Evaluation ev = Evaluation.of(s, d);
        if (out != null) {
            ev.write(out);
            String name = d.split().label() + " set, " + d.manifest().simulator().get("realizations") + " x "
                    + d.manifest().simulator().get("projectionAxes") + " projections";
            EvaluationFigure.write(ev, name, out);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("curves                         " + ev.raw().curves() + " (" + d.split().label() + " set, seed "
                + d.manifest().seed() + ", " + d.manifest().simulator().get("realizations") + " realisations)");
        print(o, "mean |dlog10 I|", ev.raw());
        print(o, "mean |dlog10 (I/Q_w)|", ev.levelFree());
        o.println("paper bar (median <= 0.012, p90 <= 0.036): " + (ev.raw().meetsPaperBar() ? "met" : "not met"));
        if (out != null) {
            o.println("tables and accuracy.png written to " + out);
        }
        o.flush();
        return 0;
    }

    private static void print(PrintWriter o, String what, Accuracy.Summary s) {
        o.println(String.format(Locale.ROOT, "%-30s median %.5f  p90 %.5f  mean %.5f  max %.5f", what, s.median(),
                s.p90(), s.mean(), s.max()));
    }
}
