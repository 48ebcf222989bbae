package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;

/** {@code lnpsaxs fit} over many curves ({@link FitBatch}), {@code --entry}, and opening the radius box. */
class FitBatchTest {

    @TempDir
    Path dir;

    /**
     * A polydisperse sphere curve computed here, independently of the fit model: the number average
     * of V²·(3(sin x − x cos x)/x³)² over an untruncated log-normal of mean {@code mean} Å and
     * coefficient of variation {@code cv} (trapezoid in ln R over ±8σ), times {@code scale}, plus
     * 1e-3 background; σ = 1 % of I. The fit model's truncated log-normal agrees with it to
     * rounding when the truncation is many σ away.
     */
    private Path sphere(Path folder, String name, double mean, double cv, double qMin, double qMax, int n)
            throws IOException {
        Files.createDirectories(folder);
        double[] q = QGrid.log(qMin, qMax, n).values();
        double s2 = Math.log1p(cv * cv);
        double sigma = Math.sqrt(s2);
        double mu = Math.log(mean) - 0.5 * s2;
        int nodes = 4001;
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (double qk : q) {
            double num = 0;
            double vol = 0;
            for (int j = 0; j < nodes; j++) {
                double z = -8 + 16.0 * j / (nodes - 1);
                double w = Math.exp(-0.5 * z * z) * (j == 0 || j == nodes - 1 ? 0.5 : 1);
                double r = Math.exp(mu + sigma * z);
                double v = 4.0 / 3.0 * Math.PI * r * r * r;
                double x = qk * r;
                double f = 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
                num += w * v * v * f * f;
                vol += w * v;
            }
            double i = 1e-6 * num / vol + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.15e %.15e %.15e%n", qk, i, 0.01 * i));
        }
        Path f = folder.resolve(name);
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    /** The summary as rows of cells by column name (RFC 4180: quoted cells, doubled quotes). */
    private static List<Map<String, String>> summary(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> head = cells(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            assertEquals(head.size(), cells.size(), line);
            Map<String, String> m = new LinkedHashMap<>();
            for (int k = 0; k < head.size(); k++) {
                m.put(head.get(k), cells.get(k));
            }
            rows.add(m);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static JsonNode report(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    private static void assertOneLine(CliRun r, String... fragments) {
        assertEquals(2, r.exit(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), () -> "more than one line: " + r.err());
        for (String f : fragments) {
            assertTrue(err.contains(f), () -> "'" + f + "' not in: " + err);
        }
    }

    @Test
    void aDirectoryAndSeveralFilesGiveAReportPerCurveAndASummary() throws IOException {
        Path in = dir.resolve("in");
        sphere(in, "a.dat", 120, 0.1, 0.01, 0.3, 50);
        sphere(in, "b.txt", 200, 0.15, 0.01, 0.3, 50);
        Files.writeString(in.resolve("notes.md"), "not a curve\n");
        Files.createDirectories(in.resolve("older"));
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("fit", in.toString(), "--model", "sphere", "--starts", "16", "--no-figures", "--out",
                out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("2 curve files; skipped 2: notes.md (not a curve file ending), older/"), r.out());
        assertTrue(r.out().contains("2 fitted, 0 skipped"), r.out());
        for (String name : new String[] {"a", "b"}) {
            assertTrue(Files.isRegularFile(out.resolve(name).resolve("report.json")), name);
            assertTrue(Files.isRegularFile(out.resolve(name).resolve("curves.dat")), name);
            assertTrue(Files.isRegularFile(out.resolve(name).resolve(FitBatch.FINGERPRINT)), name);
        }
        assertFalse(Files.exists(out.resolve("report.json")));
        String head = Files.readAllLines(out.resolve("summary.csv")).get(0);
        assertEquals("file,entry,model,loss,reduced_chi2,best_loss,radius_mean,radius_mean_p05,radius_mean_p95,"
                + "radius_mean_verdict,radius_cv,radius_cv_p05,radius_cv_p95,radius_cv_verdict,status", head);
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(2, rows.size());
        double[] truth = {120, 200};
        for (int k = 0; k < 2; k++) {
            Map<String, String> row = rows.get(k);
            assertEquals(in.resolve(k == 0 ? "a.dat" : "b.txt").toString(), row.get("file"));
            assertEquals("1", row.get("entry"));
            assertEquals("sphere", row.get("model"));
            assertEquals("chi2", row.get("loss"));
            assertEquals("ok", row.get("status"));
            JsonNode rep = report(out.resolve(k == 0 ? "a" : "b").resolve("report.json"));
            // the row holds what the report says
            assertEquals(rep.get("best").get("loss").asDouble(), Double.parseDouble(row.get("best_loss")), 0.0);
            assertEquals(rep.get("best").get("reduced_chi2").asDouble(), Double.parseDouble(row.get("reduced_chi2")), 0.0);
            JsonNode spread = rep.get("identifiability").get("spreads").get(0);
            assertEquals("radius_mean", spread.get("name").asText());
            assertEquals(spread.get("p05").asDouble(), Double.parseDouble(row.get("radius_mean_p05")), 0.0);
            assertEquals(spread.get("p95").asDouble(), Double.parseDouble(row.get("radius_mean_p95")), 0.0);
            assertEquals(spread.get("verdict").asText(), row.get("radius_mean_verdict"));
            // and the fit found the truth of the independently computed curve
            assertEquals(truth[k], Double.parseDouble(row.get("radius_mean")), 1e-3 * truth[k]);
        }

        // the same two curves named one by one, plus a file that is not a curve: it fails, the others are fitted
        Path bad = in.resolve("bad.dat");
        Files.writeString(bad, "this is not a curve\n");
        Path out2 = dir.resolve("out2");
        CliRun r2 = CliRun.of("fit", in.resolve("a.dat").toString(), bad.toString(), in.resolve("b.txt").toString(),
                "--model", "sphere", "--starts", "16", "--no-figures", "--out", out2.toString());
        assertOneLine(r2, "1 of 3 curves failed", "summary.csv");
        List<Map<String, String>> rows2 = summary(out2.resolve("summary.csv"));
        assertEquals(List.of("ok", "ok"), List.of(rows2.get(0).get("status"), rows2.get(2).get("status")));
        assertTrue(rows2.get(1).get("status").startsWith("failed: ") && rows2.get(1).get("status").contains("bad.dat"),
                rows2.get(1).toString());
        assertEquals("", rows2.get(1).get("radius_mean"));
        assertEquals(rows.get(0).get("radius_mean"), rows2.get(0).get("radius_mean"));

        // several inputs need --out
        assertOneLine(CliRun.of("fit", in.resolve("a.dat").toString(), in.resolve("b.txt").toString(), "--model",
                "sphere"), "--out");
    }

    @Test
    void aSecondRunSkipsWhatIsDoneAndRefitsWhatChanged() throws IOException {
        Path in = dir.resolve("in");
        sphere(in, "a.dat", 120, 0.1, 0.01, 0.3, 40);
        sphere(in, "b.dat", 150, 0.1, 0.01, 0.3, 40);
        Path out = dir.resolve("out");
        String[] args = {"fit", in.toString(), "--model", "sphere", "--starts", "16", "--no-figures", "--out",
            out.toString()};
        assertEquals(0, CliRun.of(args).exit());
        byte[] reportA = Files.readAllBytes(out.resolve("a").resolve("report.json"));
        byte[] summary = Files.readAllBytes(out.resolve("summary.csv"));

        CliRun again = CliRun.of(args);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("0 fitted, 2 skipped"), again.out());
        assertArrayEquals(reportA, Files.readAllBytes(out.resolve("a").resolve("report.json")));
        assertArrayEquals(summary, Files.readAllBytes(out.resolve("summary.csv")));

        // --threads does not change results: still skipped; --seed does: both refitted
        String[] threads = Arrays.copyOf(args, args.length + 2);
        threads[args.length] = "--threads";
        threads[args.length + 1] = "1";
        assertTrue(CliRun.of(threads).out().contains("0 fitted, 2 skipped"));
        // a curve fitted by another version of the library is fitted again
        Path fingerprintA = out.resolve("a").resolve("fingerprint.json");
        String fingerprint = Files.readString(fingerprintA);
        // flags not given are not recorded, and a recorded false flag (older fingerprints, or a flag
        // a later version adds) does not count as a change; the fitter's revision is recorded
        assertFalse(fingerprint.contains("\"--background\""), fingerprint);
        assertTrue(fingerprint.contains("\"(fitter revision)\" : \"" + org.lnpsaxs.optimize.Fitter.REVISION + "\""),
                fingerprint);
        Files.writeString(fingerprintA, fingerprint.replace("\"(lnpsaxs)\" :",
                "\"--background\" : \"false\",\n    \"--a-later-flag\" : \"false\",\n    \"(lnpsaxs)\" :"));
        CliRun olderFlags = CliRun.of(args);
        assertTrue(olderFlags.out().contains("0 fitted, 2 skipped"), olderFlags.out());
        Files.writeString(fingerprintA, fingerprint.replace("\"(fitter revision)\" : \"", "\"(fitter revision)\" : \"0"));
        CliRun otherFitter = CliRun.of(args);
        assertTrue(otherFitter.out().contains("1 fitted, 1 skipped"), otherFitter.out());
        fingerprint = Files.readString(fingerprintA);
        assertTrue(fingerprint.contains("\"(lnpsaxs)\" : \"" + org.lnpsaxs.core.Lnpsaxs.version() + "\""), fingerprint);
        Files.writeString(fingerprintA, fingerprint.replace("\"(lnpsaxs)\" : \"", "\"(lnpsaxs)\" : \"0.0.1-older-"));
        CliRun upgraded = CliRun.of(args);
        assertTrue(upgraded.out().contains("1 fitted, 1 skipped"), upgraded.out());
        String[] seed = Arrays.copyOf(args, args.length + 2);
        seed[args.length] = "--seed";
        seed[args.length + 1] = "7";
        CliRun reseeded = CliRun.of(seed);
        assertTrue(reseeded.out().contains("2 fitted, 0 skipped"), reseeded.out());
        assertEquals(7, report(out.resolve("a").resolve("report.json")).get("seed").asInt());

        // a torn report (cut short) and a changed input file are fitted again, the rest is skipped
        sphere(in, "c.dat", 180, 0.1, 0.01, 0.3, 40);
        assertTrue(CliRun.of(seed).out().contains("1 fitted, 2 skipped"));
        Path reportB = out.resolve("b").resolve("report.json");
        byte[] whole = Files.readAllBytes(reportB);
        Files.write(reportB, Arrays.copyOf(whole, whole.length / 2));
        sphere(in, "c.dat", 190, 0.1, 0.01, 0.3, 40);
        CliRun repaired = CliRun.of(seed);
        assertTrue(repaired.out().contains("2 fitted, 1 skipped"), repaired.out());
        assertTrue(repaired.out().contains("[1/3] " + in.resolve("a.dat") + ": done already"), repaired.out());
        assertEquals(150.0, report(reportB).get("best").get("parameters").get("radius_mean").asDouble(), 0.15);
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(3, rows.size());
        assertEquals(190.0, Double.parseDouble(rows.get(2).get("radius_mean")), 0.19);

        // a missing figure when figures are asked for: fitted again
        String[] figures = Arrays.stream(seed).filter(a -> !a.equals("--no-figures")).toArray(String[]::new);
        CliRun withFigures = CliRun.of(figures);
        assertTrue(withFigures.out().contains("3 fitted, 0 skipped"), withFigures.out());
        assertTrue(Files.isRegularFile(out.resolve("a").resolve("fit.png")));
        // and then done: a fit without a posterior has no corner plot to wait for
        CliRun figuresAgain = CliRun.of(figures);
        assertTrue(figuresAgain.out().contains("0 fitted, 3 skipped"), figuresAgain.out());
    }

    @Test
    void withAPosteriorTheSummaryHoldsItsIntervalsAndVerdicts() throws IOException {
        Path in = dir.resolve("in");
        sphere(in, "a.dat", 120, 0.1, 0.01, 0.3, 50);
        sphere(in, "b.dat", 200, 0.15, 0.01, 0.3, 50);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("fit", in.toString(), "--model", "sphere", "--starts", "16", "--posterior",
                "--posterior-steps", "400", "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String head = Files.readAllLines(out.resolve("summary.csv")).get(0);
        assertTrue(head.endsWith(",posterior_converged,radius_mean_post_median,radius_mean_post_p05,radius_mean_post_p95,"
                + "radius_mean_post_verdict,radius_cv_post_median,radius_cv_post_p05,radius_cv_post_p95,"
                + "radius_cv_post_verdict,status"), head);
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(2, rows.size());
        for (int k = 0; k < 2; k++) {
            JsonNode post = report(out.resolve(k == 0 ? "a" : "b").resolve("report.json")).get("posterior");
            Map<String, String> row = rows.get(k);
            assertEquals(post.get("converged").asText(), row.get("posterior_converged"));
            for (String name : new String[] {"radius_mean", "radius_cv"}) {
                JsonNode q = post.get("parameters").get(name);
                assertEquals(q.get("median").asDouble(), Double.parseDouble(row.get(name + "_post_median")));
                assertEquals(q.get("p05").asDouble(), Double.parseDouble(row.get(name + "_post_p05")));
                assertEquals(q.get("p95").asDouble(), Double.parseDouble(row.get(name + "_post_p95")));
                assertEquals(q.get("verdict").asText(), row.get(name + "_post_verdict"));
            }
            assertTrue(Files.isRegularFile(out.resolve(k == 0 ? "a" : "b").resolve("posterior-draws.dat")));
        }
    }

    @Test
    void partsOfAClusterArrayAndTheRunThatAssemblesThem() throws IOException {
        Path in = dir.resolve("in");
        sphere(in, "s1.dat", 110, 0.1, 0.01, 0.3, 40);
        sphere(in, "s2.dat", 130, 0.1, 0.01, 0.3, 40);
        sphere(in, "s3.dat", 160, 0.1, 0.01, 0.3, 40);
        Path out = dir.resolve("out");
        CliRun p1 = CliRun.of("fit", in.toString(), "--model", "sphere", "--starts", "16", "--no-figures", "--out",
                out.toString(), "--part", "1/2");
        assertEquals(0, p1.exit(), p1.err());
        assertTrue(p1.out().contains("part 1 of 2: 2 of them"), p1.out());
        // curves 0 and 2 (k mod 2 = 0)
        assertTrue(Files.exists(out.resolve("s1").resolve("report.json")));
        assertFalse(Files.exists(out.resolve("s2").resolve("report.json")));
        assertTrue(Files.exists(out.resolve("s3").resolve("report.json")));
        assertFalse(Files.exists(out.resolve("summary.csv")));
        List<Map<String, String>> part1 = summary(out.resolve("summary-part-1-of-2.csv"));
        assertEquals(List.of(in.resolve("s1.dat").toString(), in.resolve("s3.dat").toString()),
                part1.stream().map(m -> m.get("file")).toList());
        CliRun p2 = CliRun.of("fit", in.toString(), "--model", "sphere", "--starts", "16", "--no-figures", "--out",
                out.toString(), "--part", "2/2");
        assertEquals(0, p2.exit(), p2.err());
        assertEquals(1, summary(out.resolve("summary-part-2-of-2.csv")).size());

        CliRun all = CliRun.of("fit", in.toString(), "--model", "sphere", "--starts", "16", "--no-figures", "--out",
                out.toString());
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("0 fitted, 3 skipped"), all.out());
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(3, rows.size());
        assertEquals(part1.get(1), rows.get(2));
        assertEquals(130.0, Double.parseDouble(rows.get(1).get("radius_mean")), 0.13);

        assertOneLine(CliRun.of("fit", in.toString(), "--model", "sphere", "--out", out.toString(), "--part", "3/2"),
                "--part 3/2", "1 <= I <= N");
        assertOneLine(CliRun.of("fit", in.toString(), "--model", "sphere", "--out", out.toString(), "--part", "x"),
                "--part x");
    }

    /** Copies a SasView example file (core's test resources, BSD-3: see sasdata/NOTICE.md there). */
    private Path example(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = FitBatchTest.class.getResourceAsStream("/sasdata/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void entryAllFitsEveryCurveOfAFileAndAFileOfSeveralNeedsEntry() throws IOException {
        // two entries: pinhole SANS (299 points) and slit-smeared USANS (82 points) of latex spheres
        Path latex = example("latex_smeared.xml");
        CliRun refused = CliRun.of("fit", latex.toString(), "--model", "sphere", "--out", dir.resolve("o").toString());
        assertOneLine(refused, "holds 2 curves", "1: 'latex particles 0.5micron diameter in D2O Qdev'",
                "--entry N, --entry NAME or --entry all");

        Path one = dir.resolve("one");
        CliRun first = CliRun.of("fit", latex.toString(), "--entry", "1", "--model", "sphere", "--starts", "16",
                "--no-figures", "--out", one.toString());
        assertEquals(0, first.exit(), first.err());
        assertEquals(latex + "#1", report(one.resolve("report.json")).get("data").get("file").asText());

        Path out = dir.resolve("all");
        CliRun r = CliRun.of("fit", latex.toString(), "--entry", "all", "--model", "sphere", "--starts", "16",
                "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(2, rows.size());
        assertEquals(List.of("1", "2"), rows.stream().map(m -> m.get("entry")).toList());
        assertEquals(List.of("ok", "ok"), rows.stream().map(m -> m.get("status")).toList());
        assertEquals(latex + "#1", report(out.resolve("latex_smeared_1").resolve("report.json")).get("data").get("file")
                .asText());
        // entry 1 fitted alone and in the batch: the same numbers
        assertEquals(report(one.resolve("report.json")).get("best").get("loss").asDouble(),
                Double.parseDouble(rows.get(0).get("best_loss")), 0.0);
        assertTrue(r.out().contains("[2/2] " + latex + " entry 2 'latex particles 0.5micron diameter in D2O slit'"),
                r.out());
    }

    @Test
    void aLargeSphereIsFittedOnceTheBoundOpensTheRadiusBox() throws IOException {
        // R = 2500 Å seen from q >= 0.005 1/Å: the default box ends at pi/q_min = 628 Å, and before
        // the box could be opened only to 3 x that
        Path data = sphere(dir, "latex.dat", 2500, 0.03, 0.005, 0.02, 80);
        Path out = dir.resolve("big");
        CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "32", "--no-figures",
                "--bound", "radius_mean=2000:3000", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode best = report(out.resolve("report.json")).get("best").get("parameters");
        assertEquals(2500, best.get("radius_mean").asDouble(), 2.5);
        assertEquals(0.03, best.get("radius_cv").asDouble(), 0.003);

        // what stays refused names the option and the range, not an internal one
        assertOneLine(CliRun.of("fit", data.toString(), "--model", "sphere", "--bound", "radius_mean=0:3000", "--out",
                out.toString()), "--bound radius_mean", "(0, infinity)");
        assertOneLine(CliRun.of("fit", data.toString(), "--model", "sphere", "--bound", "radius_cv=0.01:3", "--out",
                out.toString()), "--bound radius_cv", "[0.001, 2]", "the range where the sphere model is defined");
        assertOneLine(CliRun.of("fit", data.toString(), "--model", "sphere", "--fix", "radius_cv=5", "--out",
                out.toString()), "--fix", "radius_cv = 5.0", "[0.001, 2]");
    }

    @Test
    void anLnpBoundOutsideTheTrainingRangeIsRefusedNamingIt() throws IOException {
        Path model = StandInLnp.write(dir.resolve("standin.zip"), null);
        Path data = sphere(dir, "lnp.dat", 200, 0.1, 0.01, 0.15, 40);
        assertOneLine(CliRun.of("fit", data.toString(), "--model", "lnp", "--surrogate", model.toString(), "--bound",
                "radius_mean=100:600", "--out", dir.resolve("o").toString()), "--bound radius_mean",
                "[100, 600] Å reaches outside [101, 499] Å", "trained on", "cannot extrapolate");
        assertOneLine(CliRun.of("fit", data.toString(), "--model", "lnp", "--surrogate", model.toString(), "--bound",
                "m_q1=0.01:0.1", "--out", dir.resolve("o").toString()), "--bound m_q1", "[0.05, 0.15] 1/Å", "trained on");
    }
    @Test
    void aFitWhoseBoxReachesTooManyQuadratureNodesSaysWhatToChange() throws IOException {
        // SasView's Lew_Sa3 curve (USANS + SANS, q 1.1e-4 .. 1.64 1/Å): its default radius box is lowered to what
        // the quadrature can average (AnalyticFitModelTest); a box opened to 5000 Å (truncation to 15 000 Å) has
        // starts that need more quadrature nodes than the rule allows at this q_max
        Path data = example("Lew_Sa3_DSM_QinA.h5");
        CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "32", "--no-figures",
                "--bound", "radius_mean=5:5000", "--out", dir.resolve("lew").toString());
        assertOneLine(r, "quadrature nodes, more than", "--q-max", "--bound", "radius_mean=LO:HI");
        // with the q range narrowed as it says, the same fit runs
        CliRun narrowed = CliRun.of("fit", data.toString(), "--model", "sphere", "--starts", "32", "--no-figures",
                "--q-max", "0.01", "--out", dir.resolve("lew-narrow").toString());
        assertEquals(0, narrowed.exit(), narrowed.out() + narrowed.err());
    }

    @Test
    void aPosteriorPressedAgainstABoundIsSaidToBeHeldByIt() throws IOException {
        // spheres of mean radius 120 Å fitted in a radius box that ends at 100 Å: the posterior piles
        // against the upper bound, narrow because the box cuts it
        Path data = sphere(dir, "big.dat", 120, 0.1, 0.01, 0.3, 50);
        Path out = dir.resolve("held");
        CliRun r = CliRun.of("fit", data.toString(), "--model", "sphere", "--bound", "radius_mean=20:100", "--starts", "16",
                "--posterior", "--posterior-steps", "400", "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode q = report(out.resolve("report.json")).get("posterior").get("parameters").get("radius_mean");
        assertTrue(100 - q.get("p95").asDouble() <= 0.05 * (q.get("p95").asDouble() - q.get("p05").asDouble()), q.toString());
        assertEquals("upper", q.get("at_bound").asText(), q.toString());
        assertEquals("held by a bound of the box", q.get("verdict").asText());
        String line = r.out().lines().filter(l -> l.contains("held by a bound of the box, not by the data")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(line.contains("radius_mean (") && line.contains("at the upper bound") && line.contains("--bound"), line);
        assertFalse(r.out().lines().anyMatch(l -> l.contains("well determined by the data") && l.contains("radius_mean")),
                r.out());
    }

    @Test
    void aBatchWhoseEnsemblesSpanBothSignImagesHasTheVerdictsWithinAnImage() throws IOException {
        Path model = StandInLnp.write(dir.resolve("standin.zip"), null);
        Path in = Files.createDirectories(dir.resolve("lnp-curves"));
        Files.writeString(in.resolve("a.dat"), StandInLnp.curve(model, false));
        Files.writeString(in.resolve("b.dat"), StandInLnp.curve(model, true));
        Path out = dir.resolve("lnp-batch");
        CliRun r = CliRun.of("fit", in.toString(), "--model", "lnp", "--surrogate", model.toString(), "--starts", "48",
                "--steps", "5", "--no-figures", "--out", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        List<Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(2, rows.size());
        int spanning = 0;
        for (Map<String, String> row : rows) {
            String name = Path.of(row.get("file")).getFileName().toString().replace(".dat", "");
            JsonNode id = report(out.resolve(name).resolve("report.json")).get("identifiability");
            JsonNode folded = id.get("canonical_image");
            for (int k = 0; k < id.get("spreads").size(); k++) {
                String p = id.get("spreads").get(k).get("name").asText();
                String expected = (folded != null ? folded.get("spreads") : id.get("spreads")).get(k).get("verdict").asText();
                assertEquals(expected, row.get(p + "_verdict_in_image"), name + " " + p);
                assertEquals(id.get("spreads").get(k).get("verdict").asText(), row.get(p + "_verdict"), name + " " + p);
            }
            spanning += folded != null ? 1 : 0;
        }
        // the stand-in's 48 starts (seed 1) end in both sign images on these curves, so the columns are there
        assertTrue(spanning > 0, "no curve's ensemble spans both images: the test does not reach the new columns");
    }
}
