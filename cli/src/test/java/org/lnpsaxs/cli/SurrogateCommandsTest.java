package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import picocli.CommandLine;

/** dataset generate/merge/info, train, predict and evaluate end to end on a coarse, fast simulator setting. */
class SurrogateCommandsTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static final String[] COARSE = {"--realizations", "1", "--voxel", "10", "--plane", "256", "--threads", "1",
        "--q-grid", "lin:0.002:0.1995:60"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        for (String shard : new String[] {"0/2", "1/2"}) {
            Run r = run(concat(new String[] {"dataset", "generate", "--count", "40", "--shard", shard, "--seed", "5",
                "--out", dir.resolve("train-" + shard.charAt(0)).toString()}, COARSE));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("20 simulated"), r.out());
        }
        Run t = run(concat(new String[] {"dataset", "generate", "--count", "10", "--test", "--seed", "5", "--out",
            dir.resolve("test").toString()}, COARSE));
        assertEquals(0, t.status(), t.err());
        Run m = run("dataset", "merge", "--require-complete", "--out", dir.resolve("merged/train.lnpd.gz").toString(),
                dir.resolve("train-0").toString(), dir.resolve("train-1").toString());
        assertEquals(0, m.status(), m.err());
        assertTrue(m.out().contains("40 of 40"), m.out());
        Run tr = run("train", "--data", dir.resolve("merged").toString(), "--out", dir.resolve("model.zip").toString(),
                "--epochs", "3", "--fluctuation", "16", "--fluctuation-rank", "4", "--correction", "8", "--batch", "8", "--seed", "2");
        assertEquals(0, tr.status(), tr.err());
        assertTrue(tr.out().contains("model.zip") && tr.out().contains("best epoch"), tr.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void infoDescribesTheDataset() throws Exception {
        Run r = run("dataset", "info", dir.resolve("train-0").toString(), dir.resolve("train-1").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("curves         40 of 40 (complete)"), r.out());
        assertTrue(r.out().contains("voxelSize      10.0") && r.out().contains("realizations   1"), r.out());
        Run half = run("dataset", "info", dir.resolve("train-1").toString());
        assertTrue(half.out().contains("20 of 40 (20 missing)"), half.out());
        assertEquals(40, Dataset.read(dir.resolve("merged")).size());
    }

    @Test
    void predictPrintsTheModelsIntensities() throws Exception {
        Run r = run("predict", "--model", dir.resolve("model.zip").toString(), "R=300", "GRF_shift=0.2");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(60, lines.length);
        double[] theta = LnpParameters.example();
        theta[0] = 0.2;
        theta[1] = 300;
        double[] expected = Surrogate.load(dir.resolve("model.zip")).evaluate(theta);
        for (int k = 0; k < lines.length; k++) {
            String[] t = lines[k].trim().split(" ");
            assertEquals(expected[k], Double.parseDouble(t[1]), 0.0, lines[k]);
        }
        assertTrue(r.err().contains("example values used for") && r.err().contains("w_q1=0.7")
                && !r.err().contains(" R="), r.err());
    }

    @Test
    void predictRefusesOutOfBoxValuesUnlessClamping() {
        Run r = run("predict", "--model", dir.resolve("model.zip").toString(), "R=600");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("R = 600") && r.err().contains("[100, 500] Å"), r.err());
        // the way out is named in the command line's terms, not the library's
        assertTrue(r.err().contains("--clamp") && !r.err().contains("withClamping"), r.err());
        Run c = run("predict", "--model", dir.resolve("model.zip").toString(), "--clamp", "R=600");
        assertEquals(0, c.status(), c.err());
        Run bad = run("predict", "--model", dir.resolve("model.zip").toString(), "radius=3");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("unknown parameter 'radius'"), bad.err());
    }

    @Test
    void evaluateWritesTablesAndTheSummary() throws Exception {
        Path out = dir.resolve("eval");
        Run r = run("evaluate", "--model", dir.resolve("model.zip").toString(), "--data", dir.resolve("test").toString(),
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("curves                         10 (test set"), r.out());
        assertTrue(r.out().contains("median") && r.out().contains("paper bar"), r.out());
        assertEquals(10 + 2, Files.readAllLines(out.resolve("errors.tsv")).size());
        assertEquals(60 + 2, Files.readAllLines(out.resolve("examples.tsv")).size());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("meetsPaperBar"));
        byte[] png = Files.readAllBytes(out.resolve("accuracy.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "accuracy.png");
    }

    @Test
    void badInputsExitTwoWithAMessage() {
        Run train = run("train", "--data", dir.resolve("test").toString(), "--out", dir.resolve("x.zip").toString());
        assertEquals(2, train.status());
        assertTrue(train.err().contains("held-out test"), train.err());
        Run missing = run("evaluate", "--model", dir.resolve("nope.zip").toString(), "--data",
                dir.resolve("test").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.zip"), missing.err());
        Run other = run(concat(new String[] {"dataset", "generate", "--count", "40", "--seed", "6", "--out",
            dir.resolve("train-0").toString()}, COARSE));
        assertEquals(2, other.status());
        assertTrue(other.err().contains("seed"), other.err());
        Run shard = run("dataset", "generate", "--count", "4", "--shard", "3/2", "--out", dir.resolve("s").toString());
        assertEquals(2, shard.status());
        assertTrue(shard.err().contains("3/2"), shard.err());
        Run name = run("dataset", "merge", "--out", dir.resolve("m.txt").toString(), dir.resolve("test").toString());
        assertEquals(2, name.status());
    }

    @Test
    void predictWithoutAModelUsesTheShippedDefaultOnThePapersGrid() throws Exception {
        Run r = run("predict", "R=200", "shell_thickness=50");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(300, lines.length);
        double[] theta = LnpParameters.example();
        theta[1] = 200;
        theta[LnpParameters.SPACE.indexOf("shell_thickness")] = 50;
        double[] expected = Surrogate.loadDefault().evaluate(theta);
        for (int k = 0; k < lines.length; k++) {
            String[] t = lines[k].trim().split(" ");
            assertEquals(0.002 + k * (0.1995 - 0.002) / 299, Double.parseDouble(t[0]), 1e-12, lines[k]);
            assertEquals(expected[k], Double.parseDouble(t[1]), 0.0, lines[k]);
        }
    }
    @Test
    void predictWithRadiusMeanAveragesOverTheTruncatedLogNormalRadius() throws Exception {
        Run r = run("predict", "radius_mean=230", "radius_cv=0.25", "shell_thickness=50");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("example values used for GRF_shift=-0.1"), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(300, lines.length);
        // independently: the number-weighted average of the monodisperse surrogate over the log-normal
        // (mu = ln m - s2/2, s2 = ln(1 + cv^2)) truncated to [101, 499] A, by the trapezoid rule in R
        Surrogate s = Surrogate.loadDefault();
        double s2 = Math.log1p(0.25 * 0.25);
        double mu = Math.log(230) - 0.5 * s2;
        int nodes = 4001;
        double[] sum = new double[300];
        double norm = 0;
        double[] theta = LnpParameters.example();
        theta[LnpParameters.SPACE.indexOf("shell_thickness")] = 50;
        for (int j = 0; j < nodes; j++) {
            double radius = 101 + (499 - 101) * j / (nodes - 1.0);
            double z = (Math.log(radius) - mu);
            double w = Math.exp(-0.5 * z * z / s2) / radius * (j == 0 || j == nodes - 1 ? 0.5 : 1);
            theta[1] = radius;
            double[] mono = s.evaluate(theta);
            for (int k = 0; k < 300; k++) {
                sum[k] += w * mono[k];
            }
            norm += w;
        }
        for (int k = 0; k < lines.length; k++) {
            double expected = sum[k] / norm;
            assertEquals(expected, Double.parseDouble(lines[k].trim().split(" ")[1]), 5e-4 * expected, lines[k]);
        }
        // R belongs to the one-particle curve: refused beside radius_mean, with what to give instead
        Run both = run("predict", "radius_mean=230", "R=200");
        assertEquals(2, both.status());
        assertTrue(both.err().contains("give radius_mean instead of R"), both.err());
    }
}
