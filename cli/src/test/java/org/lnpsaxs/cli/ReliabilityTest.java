package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import picocli.CommandLine;

/**
 * The reliability guarantees of docs/reliability.md at the command line: outputs contained and
 * checked before work, limits checked before work, non-finite results refused, the dataset lock
 * and the torn-tail rule, progress reports.
 */
class ReliabilityTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {

        /** Exit 2 with exactly one line on standard error and nothing that looks like a stack trace. */
        void assertOneLineError(String... fragments) {
            assertEquals(2, exit, err);
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
            for (String f : fragments) {
                assertTrue(err.contains(f), "'" + f + "' not in: " + err);
            }
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path sphereFile() throws IOException {
        QGrid grid = QGrid.log(0.005, 0.25, 40);
        double[] q = grid.values();
        DifferentiableModel m = AnalyticFitModel.sphere().bind(grid).model();
        double[] i = m.evaluate(0.01, 0.0, 10, 9.47, 150, 0.1);
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (int k = 0; k < q.length; k++) {
            double v = i[k] + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", q[k], v, 0.01 * v));
        }
        return Files.writeString(dir.resolve("sphere.dat"), sb.toString(), StandardCharsets.UTF_8);
    }

    // ---- outputs: contained, atomic, checked before work

    @Test
    void anOutputDirectoryThatIsAFileIsRefusedBeforeWork() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        // the data file does not exist: the --out check must come first
        run("fit", dir.resolve("missing.dat").toString(), "--model", "sphere", "--out", file.toString())
                .assertOneLineError("--out", "taken", "is a file, not a directory");
        run("fit", dir.resolve("missing.dat").toString(), "--model", "sphere", "--out", "")
                .assertOneLineError("--out ''", "name is empty");
        run("fit", dir.resolve("missing.dat").toString(), "--model", "sphere", "--out", file.resolve("sub").toString())
                .assertOneLineError("--out", "cannot create the directory");
        run("evaluate", "--data", dir.resolve("missing").toString(), "--out", file.toString())
                .assertOneLineError("--out", "is a file");
        run("dataset", "generate", "--count", "4", "--out", file.toString(), "--realizations", "1", "--voxel", "10",
                "--plane", "256", "--q-grid", "lin:0.002:0.1995:30").assertOneLineError("--out", "is a file");
        run("train", "--data", dir.resolve("missing").toString(), "--out", file.resolve("model.zip").toString())
                .assertOneLineError("--out", "is a file, not a directory");
        run("dataset", "merge", "--out", file.resolve("m.lnpd").toString(), dir.resolve("missing").toString())
                .assertOneLineError("--out", "is a file, not a directory");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aSymbolicLinkAmongTheOutputsIsRefusedAndNotFollowed() throws IOException {
        Path data = sphereFile();
        Path out = dir.resolve("out");
        Run first = run("fit", data.toString(), "--model", "sphere", "--starts", "8", "--no-figures", "--out",
                out.toString());
        assertEquals(0, first.exit(), first.err());
        String report = Files.readString(out.resolve("report.json"));

        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.delete(out.resolve("curves.dat"));
        Files.createSymbolicLink(out.resolve("curves.dat"), victim);
        run("fit", data.toString(), "--model", "sphere", "--starts", "8", "--no-figures", "--out", out.toString())
                .assertOneLineError("--out", "curves.dat", "symbolic link");
        assertEquals("precious", Files.readString(victim));
        assertEquals(report, Files.readString(out.resolve("report.json")), "the old report is intact");
        try (var s = Files.list(out)) {
            assertEquals(List.of("curves.dat", "report.json"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files");
        }
    }

    @Test
    void aFailedRunLeavesThePreviousOutputsIntact() throws IOException {
        Path data = sphereFile();
        Path out = dir.resolve("out");
        assertEquals(0, run("fit", data.toString(), "--model", "sphere", "--starts", "8", "--no-figures", "--out",
                out.toString()).exit());
        String report = Files.readString(out.resolve("report.json"));
        String curves = Files.readString(out.resolve("curves.dat"));
        // bad input found only after the data are read
        run("fit", data.toString(), "--model", "sphere", "--starts", "8", "--bound", "radius_mean=400:100", "--out",
                out.toString()).assertOneLineError("--bound");
        assertEquals(report, Files.readString(out.resolve("report.json")));
        assertEquals(curves, Files.readString(out.resolve("curves.dat")));
    }

    // ---- limits, checked before work

    @Test
    void sizeLikeOptionsBeyondTheirLimitsAreOneLineErrors() {
        String missing = dir.resolve("missing.dat").toString();
        run("fit", missing, "--starts", "100000000").assertOneLineError("--starts 100000000", "limit of 1000000");
        run("fit", missing, "--starts", "0").assertOneLineError("--starts 0", "at least 1");
        run("fit", missing, "--steps", "2000000000").assertOneLineError("--steps 2000000000", "limit of 1000000");
        run("fit", missing, "--threads", "2000000000").assertOneLineError("--threads 2000000000", "limit of 1024");
        run("analytic", "--model", "sphere", "--q-grid", "lin:0.01:0.1:1000000000")
                .assertOneLineError("--q-grid lin:0.01:0.1:1000000000", "1000000000 q points", "limit of 100000");
        run("simulate", "--q-grid", "lin:0.002:0.2:100000000", "GRF_shift=0", "R=245", "w_q1=0.7", "m_q1=0.1",
                "m_q2=0.11", "s_q1=0.015", "s_q2=0.1", "shell_thickness=60", "relative_rho_shell=0.96")
                .assertOneLineError("--q-grid", "100000000 points", "limit of 100000");
        run("dataset", "generate", "--count", "10", "--out", dir.resolve("d").toString(), "--q-grid",
                "log:0.01:0.1:1000000000").assertOneLineError("--q-grid", "limit of 100000");
        run("dataset", "generate", "--count", "10", "--out", dir.resolve("d").toString(), "--workers", "2000000000")
                .assertOneLineError("--workers 2000000000", "limit of 1024");
        assertFalse(Files.exists(dir.resolve("d")), "nothing was created");
        run("analytic", "--model", "sphere", "--resolution", "pinhole:1e6")
                .assertOneLineError("--resolution pinhole:1e6", "limit of 1.0");
        run("train", "--data", dir.toString(), "--out", dir.resolve("m.zip").toString(), "--threads", "5000")
                .assertOneLineError("--threads 5000", "limit of 1024");
    }

    @Test
    void aFitOnMorePointsThanALimitIsRefusedWithTheReason() throws IOException {
        // 120 001 rows of a smooth curve: read in bounded memory, then refused before the fit starts
        StringBuilder sb = new StringBuilder("# q(1/A) I(1/cm) sigma\n");
        int n = 120_001;
        for (int k = 0; k < n; k++) {
            double q = 0.002 + 0.298 * k / (n - 1);
            double v = 1.0 / (1 + q * q * 1e4) + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", q, v, 0.01 * v));
        }
        Path big = Files.writeString(dir.resolve("big.dat"), sb.toString(), StandardCharsets.UTF_8);
        run("fit", big.toString(), "--model", "sphere", "--out", dir.resolve("fit-big").toString())
                .assertOneLineError("big.dat", "120001 points", "limit of 100000", "--q-min/--q-max");
    }

    @Test
    void workersThatDoNotFitInTheHeapAreRefused() {
        // 1024 simulations of R = 500 Å at a 2 Å voxel need far more than any test heap
        run("dataset", "generate", "--count", "10", "--out", dir.resolve("d").toString(), "--workers", "1024",
                "--voxel", "2").assertOneLineError("--workers 1024", "MiB", "Java heap");
    }

    @Test
    void aZipBombModelIsRefusedWhileInflating() throws IOException {
        // 12 entries of 24 MiB of zeros (0.3 MB compressed), named as a model file's entries; the zip
        // headers do not state the sizes, so the limits are counted while inflating
        Path bomb = dir.resolve("bomb.zip");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream raw = Files.newOutputStream(bomb); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (int e = 0; e < 12; e++) {
                zip.putNextEntry(new ZipEntry(e == 0 ? "metadata.json" : "weights/w" + e + ".npy"));
                for (int k = 0; k < 24; k++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        assertTrue(Files.size(bomb) < 500_000, "a small file: " + Files.size(bomb));
        run("predict", "--model", bomb.toString()).assertOneLineError("bomb.zip", "metadata.json",
                "larger than 16 MB");
    }

    // ---- numerics

    @Test
    void nonFiniteResultsAreRefusedNamingTheParameters() {
        Run r = run("analytic", "--model", "sphere", "radius=1e300");
        r.assertOneLineError("not a finite positive number", "radius=1.0E300");
        assertEquals("", r.out(), "nothing is printed");
        run("analytic", "--model", "sphere", "sld=1e300", "radius=50").assertOneLineError("sld=1e300");
        Run fine = run("analytic", "--model", "sphere", "radius=1e4");
        assertEquals(0, fine.exit(), fine.err());
    }

    // ---- datasets: the lock and the torn-tail rule

    private static final String[] COARSE = {"--realizations", "1", "--voxel", "10", "--plane", "256", "--threads", "1",
        "--q-grid", "lin:0.002:0.1995:30"};

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void twoRunsOnOneShardTheSecondIsRefusedNamingTheHolder() throws Exception {
        Path out = dir.resolve("shared");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                Main.class.getName(), "dataset", "generate", "--count", "1000000", "--seed", "3", "--out", out.toString()));
        cmd.addAll(List.of(COARSE));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            Path lock = out.resolve("train-shard-0000-of-0001.lnpd.lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && child.isAlive()
                    && !(Files.exists(lock) && Files.readString(lock).contains("pid"))) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive(), "the child ended early: " + Files.readString(dir.resolve("child.log")));
            Run second = run(concat(new String[] {"dataset", "generate", "--count", "1000000", "--seed", "3", "--out",
                out.toString()}, COARSE));
            second.assertOneLineError("train-shard-0000-of-0001.lnpd", "another process", "pid " + child.pid());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCorruptLastRecordIsAnErrorUnlessTornTailsAreAllowed() throws IOException {
        Path out = dir.resolve("data");
        Run g = run(concat(new String[] {"dataset", "generate", "--count", "6", "--seed", "4", "--out", out.toString()},
                COARSE));
        assertEquals(0, g.exit(), g.err());
        Path shard = out.resolve("train-shard-0000-of-0001.lnpd");
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(f.length() - 10); // inside the last record, which the checkpoint covers
            int b = f.read();
            f.seek(f.length() - 10);
            f.write(b ^ 0x5a);
        }
        run("dataset", "info", out.toString()).assertOneLineError("record 5", "checkpoint says 6", "--allow-torn-tail");
        run("dataset", "merge", "--out", dir.resolve("m.lnpd").toString(), out.toString())
                .assertOneLineError("record 5", "--allow-torn-tail");
        assertFalse(Files.exists(dir.resolve("m.lnpd")));
        Run info = run("dataset", "info", "--allow-torn-tail", out.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("5 of 6 (1 missing)"), info.out());
        Run merge = run("dataset", "merge", "--allow-torn-tail", "--out", dir.resolve("m.lnpd").toString(),
                out.toString());
        assertEquals(0, merge.exit(), merge.err());
        assertTrue(merge.out().contains("5 of 6"), merge.out());
        // the manifest carries no time stamp
        assertFalse(Files.readString(out.resolve("manifest.json")).contains("created"));
    }

    // ---- progress

    @Test
    void plainProgressLinesWhenNotOnATerminal() {
        StringWriter w = new StringWriter();
        try (ProgressReport p = ProgressReport.lines(new PrintWriter(w, true), "fit", "iterations", 500, Duration.ZERO)) {
            p.update(25, 500, "best loss 1.0");
            p.update(50, 500, "best loss 0.5");
        }
        String[] lines = w.toString().strip().split("\n");
        assertEquals(3, lines.length, w.toString());
        assertTrue(lines[0].startsWith("fit: 25/500 iterations (5%)") && lines[0].contains("best loss 1.0"), lines[0]);
        assertTrue(lines[1].contains("left"), lines[1]);
        // the work ended before its announced total: the last line says so, with no time left
        assertTrue(lines[2].startsWith("fit: ended at 50 of at most 500 iterations, "), lines[2]);
        assertFalse(lines[2].contains("left"), lines[2]);
        assertFalse(w.toString().contains("\r") || w.toString().contains("\u001b"), "no control characters");

        StringWriter quiet = new StringWriter();
        try (ProgressReport p = ProgressReport.lines(new PrintWriter(quiet, true), "fit", "iterations", 500,
                Duration.ofHours(1))) {
            p.update(25, 500, null);
        }
        assertEquals("", quiet.toString(), "short work prints nothing");
    }

    @Test
    void aSecondPhaseIsTimedOnItsOwn() {
        // a fit's optimiser ends at 54 of at most 500 iterations after 7 min 30 s; its posterior then
        // counts 1..1500 iterations, at 1 s each: the time left is the posterior's, not the whole
        // command's elapsed time spread over the posterior's first iterations (before: "about 24h19m left")
        long[] now = {0};
        StringWriter w = new StringWriter();
        try (ProgressReport p = ProgressReport.lines(new PrintWriter(w, true), "fit", "iterations", 500, Duration.ZERO,
                () -> now[0])) {
            now[0] = 10_000_000_000L;
            p.update(1, 500, null);
            now[0] = 450_000_000_000L;
            p.update(54, 500, null);
            now[0] = 460_000_000_000L;
            p.update(10, 1500, null);
            now[0] = 470_000_000_000L;
            p.update(20, 1500, null);
        }
        String[] lines = w.toString().strip().split("\n");
        assertEquals(6, lines.length, w.toString());
        assertTrue(lines[1].startsWith("fit: 54/500 iterations (11%), 7m30s"), lines[1]);
        // the optimiser's phase ends at its last update
        assertEquals("fit: ended at 54 of at most 500 iterations, 7m30s", lines[2]);
        // the posterior's own clock: its first line has no rate yet, its second one has 10 iterations
        // in 10 s, so 1480 left at 1 per second
        assertEquals("fit: 10/1500 iterations (1%), 0.0s", lines[3]);
        assertEquals("fit: 20/1500 iterations (1%), 10.0s, about 24m40s left", lines[4]);
        assertEquals("fit: ended at 20 of at most 1500 iterations, 10.0s", lines[5]);
    }

    @Test
    void theTimeLeftFollowsTheWorkLeftWhenRacingStopsMostStarts() {
        // AdamW, 1 000 steps of 100 starts at 10 ms a step; racing after step 800 leaves 50, whose
        // steps take 5 ms: 1.0 s is left at step 800 and 0.5 s at step 900 (steps left / steps per
        // second so far said 2.3 s and 1.1 s)
        long[] now = {0};
        StringWriter w = new StringWriter();
        WorkTally work = new WorkTally();
        long[][] reports = {{100, 100, 1_000}, {400, 100, 4_000}, {800, 50, 8_000}, {900, 50, 8_500}};
        try (ProgressReport p = ProgressReport.lines(new PrintWriter(w, true), "fit", "iterations", 1000, Duration.ZERO,
                () -> now[0])) {
            for (long[] r : reports) {
                now[0] = r[2] * 1_000_000L;
                work.report(r[0], 1000, (int) r[1]);
                p.update(r[0], 1000, r[1] + " starts running", true, work.done(), work.left());
            }
        }
        String[] lines = w.toString().strip().split("\n");
        assertEquals(5, lines.length, w.toString());
        assertEquals("fit: 100/1000 iterations (10%), 1.0s, 100 starts running", lines[0]);
        assertEquals("fit: 400/1000 iterations (40%), 4.0s, about 6.0s left, 100 starts running", lines[1]);
        assertEquals("fit: 800/1000 iterations (80%), 8.0s, about 1.0s left, 50 starts running", lines[2]);
        assertEquals("fit: 900/1000 iterations (90%), 8.5s, about 0.5s left, 50 starts running", lines[3]);
    }

    @Test
    void theWorkTallyChargesEachIntervalWithTheStartsRunningBeforeItAndRestartsWithAPhase() {
        WorkTally t = new WorkTally();
        t.report(10, 1000, 64);
        assertEquals(640.0, t.done());
        assertEquals(990.0 * 64, t.left());
        t.report(800, 1000, 20);      // 44 starts stopped at step 800: they ran steps 11..800
        assertEquals(800.0 * 64, t.done());
        assertEquals(200.0 * 20, t.left());
        t.report(1000, 1000, 20);
        assertEquals(800.0 * 64 + 200.0 * 20, t.done());
        assertEquals(0.0, t.left());
        t.report(10, 1500, 4);        // the posterior: a new phase of 4 chains
        assertEquals(40.0, t.done());
        assertEquals(1490.0 * 4, t.left());
    }

    @Test
    void aBudgetThatIsOnlyACapGivesNoTimeLeft() {
        // SasView's latex fit (512 L-BFGS starts): 28 of at most 500 iterations after 2m50s said "about 51m35s
        // left" for a fit that ended at iteration 406 after 5m44s, most starts having converged by iteration 57
        long[] now = {0};
        StringWriter w = new StringWriter();
        try (ProgressReport p = ProgressReport.lines(new PrintWriter(w, true), "fit", "iterations", 500, Duration.ZERO,
                () -> now[0])) {
            now[0] = 10_000_000_000L;
            p.update(2, 500, "512 starts running, best loss 1375.1", false);
            now[0] = 170_000_000_000L;
            p.update(28, 500, "450 starts running, best loss 1284.2", false);
            now[0] = 344_000_000_000L;
            p.update(406, 500, "0 starts running, best loss 1284.2", false);
        }
        String[] lines = w.toString().strip().split("\n");
        assertEquals(4, lines.length, w.toString());
        assertEquals("fit: 28 iterations of at most 500, 2m50s, 450 starts running, best loss 1284.2", lines[1]);
        for (String line : lines) {
            assertFalse(line.contains("left") || line.contains("%"), line);
        }
        assertEquals("fit: ended at 406 of at most 500 iterations, 5m44s", lines[3]);
    }

    /** The frames a bar draws (from its own thread), kept for a test. */
    private static final class Frames implements java.util.function.Consumer<String> {
        private final List<String> list = new ArrayList<>();

        @Override
        public synchronized void accept(String frame) {
            list.add(frame);
        }

        synchronized List<String> all() {
            return new ArrayList<>(list);
        }

        synchronized String last() {
            return list.get(list.size() - 1);
        }

        /** The first frame that contains {@code text}, waiting up to 2 s for the bar to draw it (null if none). */
        String await(String text) throws InterruptedException {
            for (int tries = 0; tries < 200; tries++) {
                for (String f : all()) {
                    if (f.contains(text)) {
                        return f;
                    }
                }
                Thread.sleep(10);
            }
            return null;
        }
    }

    @Test
    void aProgressBarOnATerminal() throws InterruptedException {
        Frames frames = new Frames();
        try (ProgressReport p = ProgressReport.bar(frames, "train", "epochs", 40)) {
            assertTrue(p.isBar());
            p.update(10, 40, "validation 0.01");
            p.update(40, 40, "validation 0.005");
        }
        String last = frames.last();
        assertTrue(last.contains("train") && last.contains("100%") && last.contains("40/40"), last);

        // work that ends early (a posterior that converged before its budget) ends the bar at 100 %
        Frames early = new Frames();
        try (ProgressReport p = ProgressReport.bar(early, "fit", "iterations", 1500)) {
            p.update(580, 1500, null);
        }
        last = early.last();
        assertTrue(last.contains("100%") && last.contains("580/580"), last);

        // an L-BFGS fit's cap is no budget: the bar shows no percentage while it runs, then ends at 100 %
        Frames capped = new Frames();
        try (ProgressReport p = ProgressReport.bar(capped, "fit", "iterations", 500)) {
            p.update(28, 500, "450 starts running", false);
            String running = capped.await("450 starts running");
            assertTrue(running != null, "no frame drawn while the fit runs: " + capped.all());
            // an indefinite bar: "fit  ? % [   =   ] 28/? iterations (0:00:00 / ?) 450 starts running"
            assertFalse(running.matches(".*\\d\\s*%.*") || running.contains("/500"), running);
            assertTrue(running.contains("28/?"), running);
            p.update(406, 500, "0 starts running", false);
        }
        last = capped.last();
        assertTrue(last.contains("100%") && last.contains("406/406"), last);

        // a second phase (the posterior after the optimiser) ends the first bar and draws its own
        Frames phases = new Frames();
        try (ProgressReport p = ProgressReport.bar(phases, "fit", "iterations", 500)) {
            p.update(54, 500, null);
            p.update(10, 1500, null);
        }
        List<String> all = phases.all();
        assertTrue(all.stream().anyMatch(f -> f.contains("100%") && f.contains("54/54")), all.toString());
        last = phases.last();
        assertTrue(last.contains("100%") && last.contains("10/10"), last);
    }
}
