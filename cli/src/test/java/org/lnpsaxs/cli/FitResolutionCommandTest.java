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
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/** {@code lnpsaxs fit --resolution}: the default from the file's dq column, the given kinds, the report and summary, bad input. */
class FitResolutionCommandTest {

    @TempDir
    Path dir;

    /** A sphere (R 120 Å, CV 0.08) smeared by a 10 % pinhole, written as q I sigma dq, no noise. */
    private Path smearedFile() throws IOException {
        QGrid q = QGrid.log(0.01, 0.25, 50);
        ResolutionOperator op = Pinhole.converged(q, 0.1);
        DifferentiableModel m = AnalyticFitModel.sphere().bind(op.qCalc()).model();
        double[] i = op.apply(m.evaluate(0.01, 0.001, 4, 1, 120, 0.08));
        StringBuilder sb = new StringBuilder("# q I sigma dq\n");
        for (int k = 0; k < q.size(); k++) {
            sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e %.10e%n", q.get(k), i[k], 0.01 * i[k], 0.1 * q.get(k)));
        }
        Path f = dir.resolve("smeared.dat");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static JsonNode resolution(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("data").get("resolution");
    }

    @Test
    void theFilesDqIsAppliedByDefaultAndOtherKindsOnRequest() throws IOException {
        Path data = smearedFile();
        Path out = dir.resolve("default");
        CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "8", "--seed", "2", "--threads", "2",
                "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("resolution: pinhole (sasmodels' algorithm; dq 0.001"), r.out());
        JsonNode res = resolution(out);
        assertEquals("data", res.get("requested").asText());
        assertEquals("pinhole", res.get("kind").asText());
        assertEquals("sasmodels", res.get("algorithm").asText());
        assertTrue(res.get("calculation_points").asInt() >= 50, res.toString());
        assertEquals(0, res.get("points_left_out").asInt());
        // noise-free data smeared like the fit: the truth is found
        JsonNode best = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("best").get("parameters");
        assertEquals(120, best.get("radius_mean").asDouble(), 1.0);

        Path none = dir.resolve("none");
        r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "8", "--threads", "2", "--no-figures",
                "--resolution", "none", "--out", none.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("resolution: none (requested: none)"), r.out());
        assertEquals("none", resolution(none).get("kind").asText());
        assertEquals(0, resolution(none).get("calculation_points").asInt());

        Path slit = dir.resolve("slit");
        r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "4", "--threads", "2", "--no-figures",
                "--resolution", "slit:0.01", "--out", slit.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("slit", resolution(slit).get("kind").asText());
        assertEquals("slit:0.01", resolution(slit).get("requested").asText());
    }

    @Test
    void badResolutionIsOneLineAndExit2() throws IOException {
        Path data = smearedFile();
        for (String bad : new String[] {"slit", "pinhole:-0.1", "gauss:0.1", "pinhole:2"}) {
            CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "4", "--no-figures",
                    "--resolution", bad, "--out", dir.resolve("bad").toString());
            assertEquals(2, r.exit(), bad + ": " + r.out() + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), () -> "more than one line: " + r.err());
            assertTrue(err.contains(bad), err);
        }
    }
}
