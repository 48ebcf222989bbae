package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import picocli.CommandLine;

class FitCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A polydisperse sphere (radius_mean 150 Å, CV 0.1) with a background, 1 % σ, no noise. */
    private Path sphereFile(boolean withSigma) throws IOException {
        double[] q = QGrid.log(0.005, 0.25, 60).values();
        DifferentiableModel m = AnalyticFitModel.sphere().bind(QGrid.of(q)).model();
        // scale, background, sld, sld_solvent, radius_mean, radius_cv
        double[] i = m.evaluate(0.01, 0.0, 10, 9.47, 150, 0.1);
        StringBuilder sb = new StringBuilder("Sample description: synthetic sphere\n# q I" + (withSigma ? " sigma" : "") + "\n");
        for (int k = 0; k < q.length; k++) {
            double v = i[k] + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.10e %.10e", q[k], v));
            if (withSigma) {
                sb.append(String.format(Locale.ROOT, " %.10e", 0.01 * v));
            }
            sb.append('\n');
        }
        // a flagged row the fit must leave out: sigma = 0 for chi2, I <= 0 for the scale-free loss
        sb.append(withSigma ? "0.26 0.001 0" : "0.26 -1").append('\n');
        Path f = dir.resolve(withSigma ? "sphere.dat" : "sphere_nosigma.dat");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void fitsASphereAndWritesTheReportCurvesAndFigures() throws IOException {
        Path data = sphereFile(true);
        Path out = dir.resolve("out");
        CliRun r = run("fit", data.toString(), "--model", "sphere", "--starts", "16", "--seed", "3", "--out", out.toString(),
                "--profile", "radius_cv", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("radius_mean") && r.out().contains("well determined") && r.out().contains("modes:"), r.out());
        // without a posterior the summary says what the ensemble's ranges are not
        assertTrue(r.out().contains("not uncertainties: --posterior samples intervals that are"), r.out());
        // chi2 fitted the scale and background: they are not reported as held fixed
        assertTrue(r.out().contains("scale and background: fitted in closed form by the chi2 loss"), r.out());
        assertTrue(r.out().contains("fixed: sld = ") && !r.out().contains("scale = 1") && !r.out().contains("background = 0"), r.out());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("sphere", rep.get("model").asText());
        assertEquals("chi2", rep.get("loss").asText());
        assertEquals(data.toString(), rep.get("data").get("file").asText());
        assertEquals(60, rep.get("data").get("points_used").asInt());
        assertEquals(1, rep.get("data").get("points_flagged").asInt());
        assertEquals(0.005, rep.get("data").get("q_range").get(0).asDouble(), 1e-12);
        assertEquals(16, rep.get("starts").asInt());
        JsonNode space = rep.get("space");
        assertEquals("[\"scale\",\"background\"]", space.get("solved_by_loss").toString());
        assertFalse(space.get("fixed").has("scale") || space.get("fixed").has("background"), space.toString());
        assertTrue(space.get("fixed").has("sld") && space.get("free").has("radius_mean"), space.toString());
        assertEquals(3, rep.get("seed").asLong());
        assertTrue(rep.get("runtime_s").asDouble() > 0);
        assertEquals(150.0, rep.get("best").get("parameters").get("radius_mean").asDouble(), 1e-3);
        assertEquals(0.1, rep.get("best").get("parameters").get("radius_cv").asDouble(), 1e-6);
        assertEquals(1e-3, rep.get("best").get("background").asDouble(), 1e-8);
        JsonNode ens = rep.get("ensemble");
        assertEquals(ens.get("size").asInt(), ens.get("members").size());
        assertTrue(ens.get("members").get(0).get("parameters").has("radius_mean"));
        assertTrue(ens.get("members").get(0).has("loss"));
        JsonNode id = rep.get("identifiability");
        assertTrue(id.get("modes").get("count").asInt() >= 1);
        assertEquals(2, id.get("correlations").get("pearson").size());
        assertEquals(2, id.get("principal_directions").size());
        assertEquals(2, id.get("spreads").size());
        assertTrue(id.get("fisher").has("eigenvalues"));
        assertEquals("radius_cv", id.get("profiles").get(0).get("parameter").asText());
        // the curve table: 60 rows of 7 numbers
        long rows = Files.readAllLines(out.resolve("curves.dat")).stream().filter(l -> !l.startsWith("#")).count();
        assertEquals(60, rows);
        for (String name : new String[] {"fit", "pairs", "sizes"}) {
            byte[] png = Files.readAllBytes(out.resolve(name + ".png"));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', name + ".png");
            String svg = Files.readString(out.resolve(name + ".svg"));
            assertTrue(svg.contains("<svg"), name + ".svg");
        }
    }

    @Test
    void scaleFreeLossWithoutSigmaAndAdamw() throws IOException {
        Path data = sphereFile(false);
        Path out = dir.resolve("out2");
        CliRun r = run("fit", data.toString(), "--model", "sphere", "--starts", "4", "--optimizer", "adamw", "--steps", "30",
                "--bound", "radius_mean=100:200", "--out", out.toString(), "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("scale-free", rep.get("loss").asText());
        assertEquals("adamw", rep.get("optimizer").get("name").asText());
        assertEquals(30, rep.get("optimizer").get("settings").get("steps").asInt());
        // AdamW races by default (after 80 % of its steps); --no-racing runs every start to the end
        assertEquals("[10.0]", rep.get("optimizer").get("settings").get("racing").get("margins").toString());
        Path unraced = dir.resolve("out2-unraced");
        CliRun r2 = run("fit", data.toString(), "--model", "sphere", "--starts", "4", "--optimizer", "adamw", "--steps", "30",
                "--bound", "radius_mean=100:200", "--no-racing", "--out", unraced.toString(), "--no-figures");
        assertEquals(0, r2.exit(), r2.err());
        JsonNode rep2 = new ObjectMapper().readTree(unraced.resolve("report.json").toFile());
        assertEquals("[]", rep2.get("optimizer").get("settings").get("racing").get("at").toString());
        assertEquals(100.0, rep.get("space").get("free").get("radius_mean").get("lower").asDouble(), 0.0);
        // the scale-free loss does not depend on the scale; the background is held at 0
        assertEquals("[\"scale\"]", rep.get("space").get("solved_by_loss").toString());
        assertEquals(0.0, rep.get("space").get("fixed").get("background").asDouble(), 0.0);
        assertTrue(r.out().contains("scale: not fitted (the scale-free loss does not depend on it)"), r.out());
        assertEquals(1, rep.get("data").get("points_flagged").asInt());
        assertFalse(Files.exists(out.resolve("fit.png")));
    }

    @Test
    void lnpModelRunsWithAModelFile() throws IOException {
        // a stand-in surrogate file (untrained initial weights of a small network), its own curve at the box centre
        Path model = StandInLnp.write(dir.resolve("standin.zip"), null);
        // data on a coarser grid than the model's
        Path data = dir.resolve("lnp.dat");
        Files.writeString(data, StandInLnp.curve(model, false));
        Path out = dir.resolve("lnp-out");
        CliRun r = run("fit", data.toString(), "--model", "lnp", "--surrogate", model.toString(), "--starts", "48",
                "--steps", "5", "--out", out.toString(), "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("lnp", rep.get("model").asText());
        assertTrue(rep.get("data").get("interpolated").asBoolean());
        assertEquals(10, rep.get("best").get("parameters").size());
        assertEquals("m_q1 <= m_q2", rep.get("space").get("ordered").get(0).asText());
        // the summary names the model's contrast-sign symmetry with the report's note
        String note = rep.get("symmetries").get(0).get("note").asText();
        assertTrue(r.out().contains("symmetry, contrast sign: "), r.out());
        assertTrue(note.contains("mirror_modes") || r.out().contains("symmetry, contrast sign: " + note), r.out());
        // an ensemble in both sign images is judged within one as well (report.json: only then)
        JsonNode sym = rep.get("symmetries").get(0);
        boolean both = sym.get("members_canonical").asInt() > 0 && sym.get("members_mirrored").asInt() > 0;
        JsonNode id = rep.get("identifiability");
        assertEquals(both, id.has("canonical_image"), id.toString());
        String grfLine = r.out().lines().filter(l -> l.trim().startsWith("GRF_shift ")).findFirst().orElseThrow();
        // (48 starts of seed 1 end in both images here, so the lines below are reached)
        assertTrue(both, sym.toString());
        assertEquals(sym.get("members_mirrored").asInt(), id.get("canonical_image").get("folded").asInt());
        assertTrue(grfLine.contains(" within an image (") && grfLine.contains("in the image GRF_shift >= 0; both images"),
                grfLine);
        assertTrue(r.out().contains("within the image GRF_shift >= 0)"), r.out());
        // a parameter the map leaves alone is judged as before
        String radiusLine = r.out().lines().filter(l -> l.trim().startsWith("radius_mean ")).findFirst().orElseThrow();
        assertTrue(radiusLine.contains("(ensemble ") && !radiusLine.contains("within an image"), radiusLine);
    }

    @Test
    void aBoundWhereTheModelsRangeEndsIsNotOfferedToBeWidened() {
        var range = org.lnpsaxs.core.model.Parameter.of("m_q2", "1/Å", 0.05, 0.15);
        var upper = org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.UPPER;
        var lower = org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.LOWER;
        // the lnp surrogate's training range is its fit box: nothing --bound can do there
        assertTrue(FitCommand.modelLimit(range, range, upper).contains("--bound cannot widen it"));
        assertTrue(FitCommand.modelLimit(range, range, lower).contains("--bound cannot widen it"));
        // a box narrower than the range can be widened on that side
        var box = org.lnpsaxs.core.model.Parameter.of("m_q2", "1/Å", 0.05, 0.12);
        assertEquals("", FitCommand.modelLimit(range, box, upper));
        assertTrue(FitCommand.modelLimit(range, box, lower).contains("--bound cannot widen it"));
        assertEquals("", FitCommand.modelLimit(range, box, org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.NONE));
    }

    /** Exit 2 with exactly one line on standard error containing the fragments. */
    private static void assertBadInput(CliRun r, String... fragments) {
        assertEquals(2, r.exit(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), () -> "more than one line: " + r.err());
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), () -> "'" + f + "' not in: " + err);
        }
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws IOException {
        Path data = sphereFile(false);
        assertBadInput(run("fit", data.toString(), "--model", "cylinder"), "unknown fit model", "sphere");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--coarse-stage=1.5"), "--coarse-stage", "[0, 1]");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--loss", "chi2"), "sigma");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--bound", "radius_mean=300:100"), "LO < HI");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--bound", "nope=1:2"), "nope", "radius_mean");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--fix", "radius_cv=abc"), "radius_cv");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--q-min", "0.3"), "usable");
        assertBadInput(run("fit", dir.resolve("missing.dat").toString(), "--model", "sphere"), "missing.dat");
        assertBadInput(run("fit", data.toString(), "--model", "lnp", "--surrogate", dir.resolve("none.zip").toString()),
                "none.zip");
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--optimizer", "sgd"), "lbfgs", "adamw");
    }

    /** A sphere curve of n points from q = 0.01 1/Å, on an absolute scale, with a background. */
    private Path sphereCurve(String name, int n, double background) throws IOException {
        double[] q = QGrid.log(0.01, 0.3, n).values();
        double[] i = AnalyticFitModel.sphere().bind(QGrid.of(q)).model().evaluate(0.01, 0.0, 10, 9.47, 120, 0.1);
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (int k = 0; k < n; k++) {
            double v = i[k] + background;
            sb.append(String.format(Locale.ROOT, "%.12e %.12e %.12e%n", q[k], v, 1e-3 * Math.abs(i[k]) + 1e-6));
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void chiSquaredKeepsRowsWithNonPositiveIntensity() throws IOException {
        // background-subtracted data: the high-q rows fall below zero; chi2 must keep them
        Path data = sphereCurve("subtracted.dat", 50, -2e-4);
        long negative = Files.readAllLines(data).stream().filter(l -> !l.startsWith("#"))
                .filter(l -> Double.parseDouble(l.trim().split("\\s+")[1]) <= 0).count();
        assertTrue(negative >= 5, negative + " rows with I <= 0");
        Path out = dir.resolve("sub-out");
        CliRun r = run("fit", data.toString(), "--model", "sphere", "--starts", "12", "--out", out.toString(), "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(50, rep.get("data").get("points_used").asInt());
        assertEquals(0, rep.get("data").get("points_flagged").asInt());
        assertEquals(-2e-4, rep.get("best").get("background").asDouble(), 1e-8);
        assertEquals(120.0, rep.get("best").get("parameters").get("radius_mean").asDouble(), 1e-3);
        assertEquals(1, rep.get("convergence").get("screening").asInt());
    }

    @Test
    void aFitWithFewerPointsThanFreeParametersPlusTwoIsRefused() throws IOException {
        // sphere: 2 free parameters (radius_mean, radius_cv) + scale and background need 4 points
        Path data = sphereCurve("three.dat", 3, 0);
        assertBadInput(run("fit", data.toString(), "--model", "sphere", "--no-figures", "--out", dir.resolve("o3").toString()),
                "three.dat", "3 usable point(s) for 2 free parameter(s)", "at least");
        assertFalse(Files.exists(dir.resolve("o3").resolve("report.json")));
    }

    @Test
    void aModelRegisteredByAJarIsFittedByName() throws IOException {
        // GaussianSphereProvider is listed in this module's test resources (META-INF/services), as a user jar would
        double[] q = QGrid.log(0.01, 0.3, 60).values();
        var fm = org.lnpsaxs.optimize.model.FitModels.byName(GaussianSphereProvider.NAME);
        double[] i = fm.bind(QGrid.of(q)).model().evaluate(0.02, 0.0, 200, 0.12, 1.0, 6.0);
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (int k = 0; k < q.length; k++) {
            sb.append(String.format(Locale.ROOT, "%.12e %.12e %.12e%n", q[k], i[k] + 1e-3, 0.01 * (i[k] + 1e-3)));
        }
        Path data = dir.resolve("blob.dat");
        Files.writeString(data, sb.toString(), StandardCharsets.UTF_8);
        Path out = dir.resolve("blob-out");
        CliRun r = run("fit", data.toString(), "--model", GaussianSphereProvider.NAME, "--starts", "16", "--out", out.toString(),
                "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(GaussianSphereProvider.NAME, rep.get("model").asText());
        assertEquals(200.0, rep.get("best").get("parameters").get("radius_mean").asDouble(), 1e-2);
        assertEquals(0.12, rep.get("best").get("parameters").get("radius_cv").asDouble(), 1e-4);
    }
}
