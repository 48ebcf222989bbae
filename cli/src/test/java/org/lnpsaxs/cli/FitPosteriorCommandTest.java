package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertFalse(r.out().contains("--posterior samples intervals that are"), "no advice to do what was done: " + r.out());
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
        // the draws: one row per kept draw of every chain, the free parameters in their units; the
        // report's median is the median of these draws (computed here from the file)
        List<String> lines = Files.readAllLines(out.resolve("posterior-draws.dat"));
        assertTrue(lines.contains("# chain iteration loss log_posterior radius_mean radius_cv"), lines.subList(0, 6).toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("#") && l.contains("radius_mean [Å]")));
        double[] radius = lines.stream().filter(l -> !l.startsWith("#")).mapToDouble(l -> Double.parseDouble(l.split(" ")[4]))
                .sorted().toArray();
        int samples = p.get("samples").asInt();
        int most = org.lnpsaxs.optimize.report.FitReport.MAX_POSTERIOR_DRAWS;
        assertTrue(radius.length == samples || samples > most && radius.length <= most, radius.length + " of " + samples);
        JsonNode rmq = p.get("parameters").get("radius_mean");
        int n = radius.length;
        assertTrue(samples > radius.length || radius[(n - 1) / 2] <= rmq.get("median").asDouble() + 1e-9 * 150
                && radius[n / 2] >= rmq.get("median").asDouble() - 1e-9 * 150, radius[n / 2] + " vs " + rmq);
        // how well each parameter is determined: its 90 % interval over its box, from the report's own numbers
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String name : new String[] {"radius_mean", "radius_cv"}) {
            JsonNode q = p.get("parameters").get(name);
            JsonNode box = report.get("space").get("free").get(name);
            double share = (q.get("p95").asDouble() - q.get("p05").asDouble())
                    / (box.get("upper").asDouble() - box.get("lower").asDouble());
            assertEquals(share, q.get("box_share_90").asDouble(), 1e-12);
            String verdict = q.get("verdict").asText();
            assertEquals(share <= 0.05 ? "well determined" : share <= 0.25 ? "partly determined"
                    : share <= 0.75 ? "poorly determined" : "not determined", verdict);
            assertTrue(r.out().contains(verdict + " by the data: ") && r.out().contains(
                    String.format(Locale.ROOT, "%s (%.0f%%)", name, 100 * share)), r.out());
        }
        // the ensemble and the identifiability analysis are still there
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertTrue(rep.has("ensemble") && rep.has("identifiability"));
    }

    @Test
    void anUnconvergedPosteriorSaysHowLongARunWouldDo() throws IOException {
        Path out = dir.resolve("short");
        CliRun r = CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--starts", "16", "--threads", "2",
                "--posterior", "--posterior-steps", "200", "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode p = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("posterior");
        assertFalse(p.get("converged").asBoolean());
        int n = p.get("suggested_steps").asInt();
        assertTrue(n > 200 && n % 100 == 0, p.toString());
        assertTrue(p.get("reason").asText().contains("--posterior-steps " + n), p.get("reason").asText());
        assertTrue(r.out().contains("run longer with --posterior-steps (about " + n + " by the extrapolation above)"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("posterior-draws.dat")));
    }

    @Test
    void aLossThatIsNotALikelihoodAndStrayOptionsAreRefusedInOneLine() throws IOException {
        Path nosigma = sphereFile(false);
        CliRun r = CliRun.of("fit", nosigma.toString(), "--model", "sphere", "--posterior", "--out",
                dir.resolve("x").toString());
        // no sigma and a model without its own error: no likelihood can be formed, and the refusal says what to add
        assertOneLine(r, "--posterior", "scale-free", "sigma column");
        // with sigma, a loss chosen that is not a likelihood: the refusal names the one to use
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--loss", "scale-free",
                "--posterior", "--out", dir.resolve("t").toString()), "--posterior", "scale-free", "chi2 loss");
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

    /**
     * A stand-in lnp surrogate file (untrained weights of a small network) with an error model, and its own
     * curve at the box centre on every third point of its grid, with a 1 % sigma column or without.
     */
    private Path[] lnpStandIn() throws IOException {
        org.lnpsaxs.surrogate.ErrorModel error = new org.lnpsaxs.surrogate.ErrorModel("stand-in", 0.001, 0.02, 0.5, 0.003,
                java.util.Map.of("date", "2026-12-05"));
        Path model = StandInLnp.write(dir.resolve("standin-error.zip"), error);
        Path a = dir.resolve("lnp.dat");
        Path b = dir.resolve("lnp_sigma.dat");
        Files.writeString(a, StandInLnp.curve(model, false));
        Files.writeString(b, StandInLnp.curve(model, true));
        return new Path[] {model, a, b};
    }

    @Test
    void withoutALossTheLnpPosteriorSamplesTheLikelihoodThatCarriesTheSurrogatesError() throws IOException {
        Path[] f = lnpStandIn();
        // no --loss: without --posterior the data (no sigma) would get the scale-free loss; with it, loglik
        for (Path data : new Path[] {f[1], f[2]}) {
            Path out = dir.resolve("post-" + data.getFileName());
            CliRun r = CliRun.of("fit", data.toString(), "--model", "lnp", "--surrogate", f[0].toString(), "--starts", "4",
                    "--steps", "5", "--posterior", "--posterior-steps", "12", "--posterior-walkers", "4", "--no-figures",
                    "--threads", "1", "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
            JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
            assertEquals("loglik", rep.get("loss").asText(), data.toString());
            assertTrue(rep.get("posterior").has("parameters"));
            // the report names the model error the likelihood used (its scope and date)
            String note = rep.get("posterior").get("likelihood").get("note").asText();
            assertTrue(note.contains("the model's error: stand-in (measured 2026-12-05)"), note);
        }
        // chi2 chosen by hand still runs, and the log (standard error) says what it leaves out
        Path out = dir.resolve("post-chi2");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        CliRun r;
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            r = CliRun.of("fit", f[2].toString(), "--model", "lnp", "--surrogate", f[0].toString(), "--loss", "chi2",
                    "--starts", "4", "--steps", "5", "--posterior", "--posterior-steps", "12", "--posterior-walkers", "4",
                    "--no-figures", "--threads", "1", "--out", out.toString());
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, r.exit(), r.err());
        assertEquals("chi2", new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("loss").asText());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("WARN") && logged.contains("posterior with the chi2 loss: it treats the lnp model as exact"),
                logged);
        // the scale-free loss chosen by hand is refused, naming loglik
        assertOneLine(CliRun.of("fit", f[1].toString(), "--model", "lnp", "--surrogate", f[0].toString(), "--loss",
                "scale-free", "--posterior", "--out", dir.resolve("sf").toString()), "--posterior", "scale-free",
                "loglik loss");
    }

    /**
     * {@code --error-model FILE} replaces the lnp model's own error: on a curve without sigma the
     * loglik loss is r^T (a Σ)^{-1} r, so an error model with ten times the σ(q) of the one the
     * stand-in carries gives a hundredth of its loss (the same seed, the same few steps). A model
     * without a model error refuses the option in one line.
     */
    @Test
    void anErrorModelFileReplacesTheModelsOwn() throws IOException {
        Path[] f = lnpStandIn();
        org.lnpsaxs.surrogate.ErrorModel own = org.lnpsaxs.surrogate.Surrogate.load(f[0]).errorModel().orElseThrow();
        org.lnpsaxs.surrogate.ErrorModel wide = new org.lnpsaxs.surrogate.ErrorModel("ten times the stand-in's",
                10 * own.sigma0(), 10 * own.sigma1(), own.exponent(), own.correlationLength(),
                java.util.Map.of("date", "2026-12-06"));
        Path em = dir.resolve("wide-error.json");
        Files.write(em, wide.toJson());
        double[] loss = new double[2];
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("em-" + k);
            List<String> args = new java.util.ArrayList<>(List.of("fit", f[1].toString(), "--model", "lnp", "--surrogate",
                    f[0].toString(), "--loss", "loglik", "--starts", "4", "--steps", "5", "--no-figures", "--threads", "1",
                    "--out", out.toString()));
            if (k == 1) {
                args.addAll(List.of("--error-model", em.toString()));
            }
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(0, r.exit(), r.err());
            loss[k] = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("best").get("loss").asDouble();
        }
        assertEquals(0.01, loss[1] / loss[0], 0.0005, "losses " + loss[0] + " and " + loss[1]);
        assertOneLine(CliRun.of("fit", sphereFile(true).toString(), "--model", "sphere", "--error-model", em.toString(),
                "--out", dir.resolve("s").toString()), "--error-model", "only the lnp models");
        assertOneLine(CliRun.of("fit", f[1].toString(), "--model", "lnp", "--surrogate", f[0].toString(), "--error-model",
                dir.resolve("missing.json").toString(), "--out", dir.resolve("m").toString()), "--error-model",
                "not a readable file");
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
