package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/** {@code lnpsaxs fit --posterior}: the report's posterior contract, the corner plot, the summary and the refusals. */
class FitPosteriorCommandTest {

    @TempDir
    Path dir;

    /** A polydisperse sphere (radius_mean 150 Å, CV 0.1) with a background, 1 % σ (or none), no noise. */
    private Path sphereFile(boolean withSigma) throws IOException {
        double[] q = QGrid.log(0.005, 0.25, 60).values();
        double[] i = AnalyticFitModel.sphere().bind(QGrid.of(q)).model().evaluate(0.01, 0.0, 10, 9.47, 150, 0.1);
        StringBuilder sb = new StringBuilder("# q I" + (withSigma ? " sigma" : "") + "\n");
        for (int k = 0; k < q.length; k++) {
            double v = i[k] + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.10e %.10e", q[k], v));
            if (withSigma) {
                sb.append(String.format(Locale.ROOT, " %.10e", 0.01 * v));
            }
            sb.append('\n');
        }
        Path f = dir.resolve(withSigma ? "sphere.dat" : "sphere_nosigma.dat");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void posteriorIsReportedWithDiagnosticsIntervalsAndACornerPlot() throws IOException {
        Path out = dir.resolve("post");
        CliRun r = CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--starts", "16", "--threads", "2",
                "--posterior", "--posterior-walkers", "16", "--posterior-steps", "3000", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        // the posterior's intervals come first in the summary, before the ensemble's ranges
        int post = r.out().indexOf("posterior:");
        int ens = r.out().indexOf("ensemble:");
        assertTrue(post > 0 && post < ens, r.out());
        assertTrue(r.out().contains("68% and 90% intervals"), r.out());
        JsonNode p = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("posterior");
        // the default sampler: HMC with 16 chains (--posterior-walkers counts its chains), from an ensemble pilot
        assertTrue(p.get("method").asText().startsWith("Hamiltonian Monte Carlo: 16 chains"), p.get("method").asText());
        assertTrue(p.get("method").asText().contains("ensemble pilot"), p.get("method").asText());
        assertEquals(p.get("walkers").asInt() * p.get("kept_steps").asInt(), p.get("samples").asInt());
        assertTrue(p.get("converged").isBoolean());
        for (String name : new String[] {"radius_mean", "radius_cv"}) {
            JsonNode d = p.get("diagnostics").get(name);
            assertTrue(d.get("r_hat").asDouble() > 0.9 && d.get("ess").asDouble() > 0, d.toString());
            JsonNode q = p.get("parameters").get(name);
            double[] v = {q.get("p05").asDouble(), q.get("p16").asDouble(), q.get("median").asDouble(),
                q.get("p84").asDouble(), q.get("p95").asDouble()};
            for (int k = 1; k < v.length; k++) {
                assertTrue(v[k] >= v[k - 1], q.toString());
            }
            assertTrue(q.has("mean"));
        }
        // the truth of the noise-free curve lies inside the 90 % intervals
        JsonNode rm = p.get("parameters").get("radius_mean");
        assertTrue(rm.get("p05").asDouble() <= 150 && rm.get("p95").asDouble() >= 150, rm.toString());
        assertEquals("Å", rm.get("unit").asText());
        assertTrue(p.get("size_distribution").get("pdf_median").size() > 10);
        assertTrue(Files.size(out.resolve("corner.png")) > 1000);
        assertTrue(Files.readString(out.resolve("corner.svg")).contains("<svg"));
        // the ensemble and the identifiability analysis are still there
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertTrue(rep.has("ensemble") && rep.has("identifiability"));
    }

    @Test
    void aLossThatIsNotALikelihoodAndStrayOptionsAreRefusedInOneLine() throws IOException {
        Path nosigma = sphereFile(false);
        CliRun r = CliRun.of("fit", nosigma.toString(), "--model", "sphere", "--posterior", "--out",
                dir.resolve("x").toString());
        assertOneLine(r, "--posterior", "scale-free", "chi2");
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--posterior-steps", "100",
                "--out", dir.resolve("y").toString()), "need --posterior");
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--posterior",
                "--posterior-walkers", "7", "--out", dir.resolve("z").toString()), "--posterior-walkers", "even");
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--posterior",
                "--posterior-steps", "2000000", "--out", dir.resolve("w").toString()), "--posterior-steps", "limit");
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--posterior",
                "--posterior-method", "nuts", "--out", dir.resolve("v").toString()), "--posterior-method", "hmc",
                "ensemble");
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--posterior-method", "hmc",
                "--out", dir.resolve("u").toString()), "need --posterior");
    }

    private static void assertOneLine(CliRun r, String... fragments) {
        assertEquals(2, r.exit(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), () -> "more than one line: " + r.err());
        for (String f : fragments) {
            assertTrue(err.contains(f), () -> "'" + f + "' not in: " + err);
        }
    }
}
