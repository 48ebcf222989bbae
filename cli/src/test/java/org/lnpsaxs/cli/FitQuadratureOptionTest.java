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
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;

/**
 * {@code fit --quadrature paper|accurate}: the rule reaches the model, and {@code report.json}
 * ({@code quadrature}: choice, rule, nodes_at_best) and the printed summary name it.
 */
class FitQuadratureOptionTest {

    @TempDir
    Path dir;

    /** A polydisperse sphere (radius_mean 150 Å, CV 0.3), 1 % σ, no noise. */
    private Path sphereFile() throws IOException {
        double[] q = QGrid.log(0.005, 0.25, 50).values();
        // scale, background, sld, sld_solvent, radius_mean, radius_cv
        double[] i = AnalyticFitModel.sphere().bind(QGrid.of(q)).model().evaluate(0.01, 0.0, 10, 9.47, 150, 0.3);
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (int k = 0; k < q.length; k++) {
            sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", q[k], i[k] + 1e-3, 0.01 * (i[k] + 1e-3)));
        }
        Path f = dir.resolve("sphere.dat");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static JsonNode report(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }

    @Test
    void paperRuleIsChosenAndReported() throws IOException {
        Path out = dir.resolve("paper");
        CliRun r = CliRun.of("fit", sphereFile().toString(), "--model", "sphere", "--starts", "4", "--steps", "20",
                "--quadrature", "paper", "--out", out.toString(), "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode q = report(out).get("quadrature");
        assertEquals("paper", q.get("choice").asText());
        assertEquals("gauss-legendre-cdf(32)", q.get("rule").asText());
        assertEquals(32, q.get("nodes_at_best").asInt());
        assertTrue(r.out().contains("quadrature: paper (gauss-legendre-cdf(32), 32 nodes at the best fit)"), r.out());
    }

    @Test
    void accurateIsTheDefaultAndItsNodeCountIsTheBestFits() throws IOException {
        Path data = sphereFile();
        Path out = dir.resolve("default");
        CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "4", "--steps", "20", "--out",
                out.toString(), "--no-figures");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = report(out);
        JsonNode q = rep.get("quadrature");
        assertEquals("accurate", q.get("choice").asText());
        assertTrue(q.get("rule").asText().startsWith("adaptive-gauss-legendre(q_max=0.25"), q.toString());
        // the node count at the reported best parameters, recomputed from the model
        FitModel fm = AnalyticFitModel.sphere();
        BoundModel b = fm.bind(QGrid.of(QGrid.log(0.005, 0.25, 50).values()));
        JsonNode best = rep.get("best").get("parameters");
        double[] theta = new double[b.model().parameters().size()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = best.get(b.model().parameters().get(j).name()).asDouble();
        }
        assertEquals(b.quadrature(theta).nodes(), q.get("nodes_at_best").asInt());
        assertEquals(b.quadrature(theta).rule(), q.get("rule").asText());
        assertTrue(q.get("nodes_at_best").asInt() > 32, q.toString());
        assertTrue(r.out().contains("quadrature: accurate (adaptive-gauss-legendre"), r.out());
        CliRun explicit = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "4", "--steps", "20",
                "--quadrature", "ACCURATE", "--out", dir.resolve("explicit").toString(), "--no-figures");
        assertEquals(0, explicit.exit(), explicit.err());
        assertEquals(rep.get("best").get("loss").asDouble(), report(dir.resolve("explicit")).get("best").get("loss").asDouble(),
                0.0);
    }

    @Test
    void anUnknownRuleIsExitTwoWithOneLine() throws IOException {
        CliRun r = CliRun.of("fit", sphereFile().toString(), "--model", "sphere", "--quadrature", "simpson", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("--quadrature") && err.contains("simpson") && err.contains("paper")
                && err.contains("accurate"), err);
    }
}
