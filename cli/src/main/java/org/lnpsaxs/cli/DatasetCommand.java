package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.data.DatasetGenerator;
import org.lnpsaxs.surrogate.data.DatasetManifest;
import org.lnpsaxs.surrogate.data.DatasetPlan;
import org.lnpsaxs.surrogate.data.GenerationReport;
import org.lnpsaxs.surrogate.data.LnpCurves;
import org.lnpsaxs.surrogate.data.Shard;
import org.lnpsaxs.surrogate.data.Split;
import org.lnpsaxs.surrogate.data.TornRecordException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lnpsaxs dataset generate|merge|info}: training and test sets of the surrogate. */
@Command(name = "dataset",
        mixinStandardHelpOptions = true,
        description = "Training and held-out test sets of the neural surrogate, simulated by the direct LNP simulator.",
        subcommands = {DatasetCommand.Generate.class, DatasetCommand.Merge.class, DatasetCommand.Info.class})
final class DatasetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: generate, merge or info");
    }

    /** {@code dataset generate}. */
    @Command(name = "generate",
            mixinStandardHelpOptions = true,
            description = {
                "Simulate curves at the points of a seeded scrambled Sobol sequence over the simulator's box"
                    + " (R in [100, 500] Å, the paper's ranges) and append them to DIR/<split>-shard-<i>-of-<n>.lnpd.",
                "Curve g (0 <= g < COUNT) has its own noise seed derived from (seed, split, g). Shard i of n"
                    + " takes the curves g = i (mod n). A killed run resumes where it stopped (fsync'd checkpoints);"
                    + " a second run on the same shard is refused while one holds it (DIR/<file>.lock names its pid).",
                "Progress: a bar on a terminal, else a line (curves, rate, time left) every 10 s."},
            footer = {"", "Example (shard 3 of 16 on one cluster node):",
                "  lnpsaxs dataset generate --count 16000 --out data/train --shard 3/16 --threads 2"})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** The simulator's options, shared with {@code simulate}. */
        @Mixin
        SimulatorOptions simulator;

        @Option(names = "--count", required = true, paramLabel = "N", description = "curves in the whole dataset")
        int count;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
        Path out;

        @Option(names = "--shard", paramLabel = "i/n", defaultValue = "0/1",
                description = "simulate shard i of n (default: ${DEFAULT-VALUE}, the whole set)")
        String shard;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DatasetPlan.DEFAULT_SEED,
                description = "dataset seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--test", description = "a held-out test set: its own Sobol sequence and noise seeds, never"
                + " the training curves (the same --seed may be used)")
        boolean test;

        @Option(names = "--workers", paramLabel = "W", defaultValue = "1",
                description = "curves simulated at once (default: ${DEFAULT-VALUE}); results do not depend on it")
        int workers;

        @Override
        public Integer call() throws IOException {
            Shard s = Shard.parse(shard);
            Limits.range("--workers", workers, 1, Limits.MAX_WORKERS);
            LnpSimulator sim = simulator.simulatorForLargestParticle();
            DatasetPlan plan = new DatasetPlan(LnpParameters.SPACE, count, seed, test ? Split.TEST : Split.TRAIN);
            checkWorkerMemory(sim);
            Limits.outputDirectory("--out", out, List.of("manifest.json"));
            GenerationReport r;
            try (ProgressReport progress = ProgressReport.start(spec.commandLine().getErr(), "dataset generate",
                    "curves", s.size(count))) {
                r = DatasetGenerator.of(LnpCurves.of(sim)).withWorkers(workers)
                        .withProgressInterval(Duration.ofDays(365)) // the progress report shows it instead
                        .withListener((done, size) -> progress.update(done, size, null))
                        .generate(plan, s, out);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println(String.format(Locale.ROOT, "%s: shard %s of a %s set of %d curves (seed %d): %d curves,"
                            + " %d already present, %d simulated in %.1f s%s", r.file(), r.shard(),
                    plan.split().label(), count, seed, r.shardSize(), r.resumedFrom(), r.simulated(), r.seconds(),
                    r.simulated() > 0 ? String.format(Locale.ROOT, " (%.3g s per curve)", r.seconds() / r.simulated())
                            : ""));
            o.flush();
            return 0;
        }

        /**
         * Refuses more workers than the heap holds simulations of the largest particle of the box
         * (one worker is the simulator's own check).
         */
        private void checkWorkerMemory(LnpSimulator sim) {
            if (workers < 2) {
                return;
            }
            double[] largest = new double[LnpParameters.SPACE.size()];
            for (int j = 0; j < largest.length; j++) {
                largest[j] = LnpParameters.SPACE.get(j).upper();
            }
            long each = sim.estimateMemoryBytes(largest);
            Limits.memory("--workers", workers, workers * each, workers + " simulations at once (R = "
                    + LnpParameters.SPACE.get(LnpParameters.SPACE.indexOf("R")).upper() + " Å, " + (each >> 20)
                    + " MiB each)");
        }
    }

    /** Adds the command-line hint to a torn-record error. */
    static IOException withTornTailHint(TornRecordException e) {
        return new IOException(e.getMessage() + "; --allow-torn-tail reads the records before it", e);
    }

    /** {@code dataset merge}. */
    @Command(name = "merge",
            mixinStandardHelpOptions = true,
            description = "Merge the shard files of one dataset (directories or files, e.g. copied from many machines)"
                + " into one file, sorted by curve index. Curves present in several files must be identical.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "merged file: *.lnpd, or *.lnpd.gz for a gzip-compressed file")
        Path out;

        @Option(names = "--require-complete", description = "refuse if any curve of the dataset is missing")
        boolean requireComplete;

        @Option(names = "--allow-torn-tail", description = "drop a torn or corrupt last record of a file (a damaged"
                + " file, or a copy of one still being written) with a warning instead of refusing the file")
        boolean allowTornTail;

        @Parameters(paramLabel = "INPUT", arity = "1..*", description = "dataset directories or files")
        List<Path> inputs;

        @Override
        public Integer call() throws IOException {
            String name = out.getFileName().toString();
            if (!name.endsWith(Dataset.EXTENSION) && !name.endsWith(Dataset.GZ_EXTENSION)) {
                throw new IllegalArgumentException("--out " + out + ": the name must end with " + Dataset.EXTENSION
                        + " or " + Dataset.GZ_EXTENSION);
            }
            Limits.outputFile("--out", out);
            Dataset d = read(inputs, allowTornTail);
            if (requireComplete) {
                d.requireComplete();
            }
            d.write(out, name.endsWith(Dataset.GZ_EXTENSION));
            PrintWriter o = spec.commandLine().getOut();
            o.println(out + ": " + d.size() + " of " + d.expectedCount() + " curves (" + d.split().label() + ", seed "
                    + d.manifest().seed() + ")" + (d.missing() > 0 ? "; " + d.missing() + " missing" : ""));
            o.flush();
            return 0;
        }
    }

    /** {@code dataset info}. */
    @Command(name = "info",
            mixinStandardHelpOptions = true,
            description = "Describe a dataset (directories or files): split, seed, counts, simulator settings.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "INPUT", arity = "1..*", description = "dataset directories or files")
        List<Path> inputs;

        @Option(names = "--allow-torn-tail", description = "drop a torn or corrupt last record of a file (a damaged"
                + " file, or a copy of one still being written) with a warning instead of refusing the file")
        boolean allowTornTail;

        @Override
        public Integer call() throws IOException {
            Dataset d = read(inputs, allowTornTail);
            DatasetManifest m = d.manifest();
            PrintWriter o = spec.commandLine().getOut();
            o.println("split          " + m.split());
            o.println("curves         " + d.size() + " of " + d.expectedCount()
                    + (d.missing() > 0 ? " (" + d.missing() + " missing)" : " (complete)"));
            o.println("seed           " + m.seed() + " (Sobol seed " + m.sobolSeed() + ")");
            List<String> names = new ArrayList<>();
            m.parameterSpace().asList().forEach(p -> names.add(p.name() + " " + p.rangeText()));
            o.println("parameters     " + String.join(", ", names));
            double[] q = m.q();
            o.println(String.format(Locale.ROOT, "q grid         %d points, %.6g .. %.6g 1/Å", q.length, q[0],
                    q[q.length - 1]));
            for (Map.Entry<String, Object> e : m.simulator().entrySet()) {
                o.println(String.format(Locale.ROOT, "%-14s %s", e.getKey(), e.getValue()));
            }
            o.println("written by     lnpsaxs " + m.libraryVersion() + (m.created() == null ? "" : ", started " + m.created()));
            o.flush();
            return 0;
        }
    }

    /** Reads datasets, strictly unless torn tails are allowed. */
    static Dataset read(List<Path> inputs, boolean allowTornTail) throws IOException {
        Path[] paths = inputs.toArray(Path[]::new);
        try {
            return allowTornTail ? Dataset.readAllowingTornTail(paths) : Dataset.read(paths);
        } catch (TornRecordException e) {
            throw withTornTailHint(e);
        }
    }
}
