package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.train.EpochStats;
import org.lnpsaxs.surrogate.train.Trainer;
import org.lnpsaxs.surrogate.train.TrainerSettings;
import org.lnpsaxs.surrogate.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lnpsaxs train}: trains the surrogate network on a training set and writes a model file. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        header = "Train the neural surrogate on a training set and write the model file.",
        description = {
            "Train the neural surrogate (closed-form mean particle + two small SiLU MLPs, ND4J SameDiff,"
                + " float32) on a training set and write the model file (weights, parameter space, q grid,"
                + " simulator settings, provenance).",
            "Each epoch is logged (losses, validation mean |dlog10 I|, learning rate, time); training stops"
                + " early when the validation error has not improved for --patience epochs; the best epoch is kept.",
            "The same data, settings, seed and thread count give the same model."},
        footer = {"", "Example: lnpsaxs train --data data/train --out model.zip --seed 1"})
final class TrainCommand implements Callable<Integer> {

    private static final TrainerSettings D = TrainerSettings.DEFAULTS;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "training set: directories or files (merged)")
    List<Path> data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "model file to write (.zip)")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "largest number of epochs (default: 400)")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "seed of weights, validation split and batch order"
            + " (default: 1)")
    Long seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "ND4J threads (default: OMP_NUM_THREADS, which the launcher sets to 1)")
    Integer threads;

    @Option(names = "--fluctuation", paramLabel = "W,W,..",
            description = "hidden widths of the fluctuation MLP (default: 64,64,64)")
    String fluctuation;

    @Option(names = "--fluctuation-rank", paramLabel = "R", description = "its output rank (default: 32; 0 = full)")
    Integer fluctuationRank;

    @Option(names = "--correction", paramLabel = "W,W,..",
            description = "hidden widths of the correction MLP (default: 32,32)")
    String correction;

    @Option(names = "--correction-rank", paramLabel = "R", description = "its output rank (default: 16; 0 = full)")
    Integer correctionRank;

    @Option(names = "--batch", paramLabel = "B", description = "curves per mini-batch (default: 64)")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "peak learning rate (default: 2e-3)")
    Double lr;

    @Option(names = "--min-lr", paramLabel = "X", description = "final learning rate of the cosine decay"
            + " (default: 1e-5)")
    Double minLr;

    @Option(names = "--warmup", paramLabel = "N", description = "warm-up epochs (default: 3)")
    Integer warmup;

    @Option(names = "--patience", paramLabel = "N", description = "early-stopping patience in epochs (default: 80)")
    Integer patience;

    @Option(names = "--validation", paramLabel = "F", description = "fraction held back for validation"
            + " (default: 0.05)")
    Double validation;

    private static List<Integer> widths(String option, String text) {
        List<Integer> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + text + ": expected comma-separated widths such as 64,64");
            }
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        Limits.threads("--threads", threads);
        Limits.range("--epochs", epochs, 1, Limits.MAX_STEPS);
        Limits.outputFile("--out", out);
        TrainerSettings s = D;
        s = s.withNetwork(fluctuation != null ? widths("--fluctuation", fluctuation) : D.fluctuationHidden(),
                fluctuationRank != null ? fluctuationRank : D.fluctuationRank(),
                correction != null ? widths("--correction", correction) : D.correctionHidden(),
                correctionRank != null ? correctionRank : D.correctionRank());
        if (epochs != null) {
            s = s.withMaxEpochs(epochs);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (batch != null) {
            s = s.withBatchSize(batch);
        }
        if (lr != null || minLr != null) {
            s = s.withLearningRates(lr != null ? lr : D.learningRate(), minLr != null ? minLr : D.minLearningRate());
        }
        if (warmup != null) {
            s = s.withWarmupEpochs(warmup);
        }
        if (patience != null) {
            s = s.withPatience(patience);
        }
        if (validation != null) {
            s = s.withValidationFraction(validation);
        }
        Nd4jSupport.threads(threads);
        Dataset d = Dataset.read(data.toArray(Path[]::new));
        int maxEpochs = s.maxEpochs();
        TrainingResult r;
        try (ProgressReport progress = ProgressReport.start(spec.commandLine().getErr(), "train", "epochs", maxEpochs)) {
            Trainer trainer = Trainer.of(s).withListener(e -> progress.update(e.epoch(), maxEpochs,
                    String.format(Locale.ROOT, "validation mean|dlog10 I| %.5f", e.validationMeanAbs())));
            r = Nd4jSupport.quietStdout(() -> trainer.train(d,
                    "surrogate of the direct LNP simulator (GRF core-shell particle)",
                    "arbitrary units of the LNP simulator (squared projected voxel-density contrast)"));
        }
        r.write(out);
        EpochStats best = r.history().get(r.bestEpoch() - 1);
        PrintWriter o = spec.commandLine().getOut();
        o.println(String.format(Locale.ROOT, "%s: %d curves, %d epochs, best epoch %d: validation mean|dlog10 I| %.5f"
                        + " (median %.5f, p90 %.5f)", out, d.size(), r.history().size(), r.bestEpoch(),
                best.validationMeanAbs(), best.validationMedian(), best.validationP90()));
        o.flush();
        return 0;
    }
}
