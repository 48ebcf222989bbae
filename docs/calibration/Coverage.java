// Step 4 of the calibration study (docs/calibration.md): coverage of the fitted intervals. Reads
// the truth from each curve file (noisy-NNN.dat or curve-NNN.dat: the number after the last '-') and the fit's report.json, and writes per parameter the
// fraction of truths inside the posterior's 68 % (p16..p84) and 90 % (p05..p95) intervals and
// inside the paper's ensemble range (p05..p95 of the ensemble), with interval widths relative to
// the fit box. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/Coverage.java NOISY_DIR FITS_DIR [NOISY_DIR FITS_DIR ...] OUT_DIR
//
// Several pairs pool their sets: the k-th pair's curves (from 0) are numbered 1000 k + their own number.
// FITS_DIR holds one directory per curve with its report.json (as `lnpsaxs fit DIR --out FITS_DIR`
// writes them). Writes OUT_DIR/coverage.csv (one row per curve and parameter), OUT_DIR/coverage.md
// (the table) and OUT_DIR/calibration.png/.svg (nominal against observed coverage, with the
// +-10 point band), atomically. -Dscale=F_BELOW:F_ABOVE scales every interval about its centre by a factor
// chosen by the truth's relative_rho_shell (below / at or above 1, canonical image): a first-order look at a
// per-regime factor on the model error's sigma, not the fits' intervals. Where the model declares a symmetry and the report folds samples to
// a canonical image, the truth is folded the same way before it is compared.
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.*;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lnpsaxs.core.io.AtomicFiles;

public class Coverage {

    /** Where the split table divides narrow from broad size distributions (radius_cv). */
    static final double CV_SPLIT = 0.25;
    /**
     * Where the second split table divides the contrast regimes (relative_rho_shell on the canonical image,
     * GRF_shift = g >= 0): the shell's contrast minus the core's mean contrast is (relative_rho_shell - 1)(1 + g),
     * so at or above 1 the shell is at least as bright as the core (dimensionless, contrasts relative to the solvent).
     */
    static final double RHO_SPLIT = 1.0;

    record Row(int curve, String name, double truth, double p05, double p16, double p84, double p95, double e05,
               double e95, double boxWidth, boolean converged) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length % 2 == 0) {
            throw new IllegalArgumentException("usage: Coverage CURVES FITS [CURVES FITS ...] OUT");
        }
        Path out = Path.of(args[args.length - 1]);
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        // several sets pooled: the k-th pair's curves are numbered 1000 k + their own number
        List<Path> curves = new ArrayList<>();
        Map<Path, Integer> setOf = new HashMap<>();
        for (int k = 0; k + 1 < args.length - 1; k += 2) {
            List<Path> set = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(args[k]), "*-[0-9][0-9][0-9].dat")) {
                ds.forEach(set::add);
            }
            Collections.sort(set);
            for (Path c : set) {
                setOf.put(c, k / 2);
            }
            curves.addAll(set);
        }
        int curvesUsed = 0;
        int unconverged = 0;
        for (Path c : curves) {
            int set = setOf.get(c);
            Path fits = Path.of(args[2 * set + 1]);
            String stem = c.getFileName().toString().replace(".dat", "");
            int index = 1000 * set + Integer.parseInt(stem.substring(stem.lastIndexOf('-') + 1));
            Path report = fits.resolve(stem).resolve("report.json");
            if (!Files.exists(report)) {
                missing.add(stem);
                continue;
            }
            Map<String, Double> truth = new LinkedHashMap<>();
            for (String line : Files.readAllLines(c)) {
                if (line.startsWith("# truth.")) {
                    String[] kv = line.substring(8).split("=");
                    truth.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
                }
            }
            JsonNode root = json.readTree(report.toFile());
            JsonNode post = root.path("posterior");
            if (post.isMissingNode()) {
                missing.add(stem + " (no posterior)");
                continue;
            }
            truth = Symmetry.fold(root, truth);
            boolean converged = post.path("converged").asBoolean(false);
            if (!converged) {
                unconverged++;
            }
            curvesUsed++;
            Map<String, double[]> ens = new HashMap<>();
            for (JsonNode s : root.path("identifiability").path("spreads")) {
                ens.put(s.path("name").asText(), new double[] {s.path("p05").asDouble(), s.path("p95").asDouble()});
            }
            Iterator<Map.Entry<String, JsonNode>> it = post.path("parameters").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (!truth.containsKey(name)) {
                    continue;
                }
                JsonNode p = e.getValue();
                JsonNode box = root.path("space").path("free").path(name);
                double[] en = ens.getOrDefault(name, new double[] {Double.NaN, Double.NaN});
                rows.add(new Row(index, name, truth.get(name), p.path("p05").asDouble(), p.path("p16").asDouble(),
                        p.path("p84").asDouble(), p.path("p95").asDouble(), en[0], en[1],
                        box.path("upper").asDouble() - box.path("lower").asDouble(), converged));
            }
        }
        String scale = System.getProperty("scale");
        if (scale != null) {
            rows = scaled(rows, scale);
        }
        StringBuilder csv = new StringBuilder("curve,parameter,truth,p05,p16,p84,p95,ensemble_p05,ensemble_p95,box_width,converged\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%b%n", r.curve, r.name,
                    r.truth, r.p05, r.p16, r.p84, r.p95, r.e05, r.e95, r.boxWidth, r.converged));
        }
        AtomicFiles.writeString(out.resolve("coverage.csv"), csv);

        Map<String, List<Row>> byName = new LinkedHashMap<>();
        for (Row r : rows) {
            byName.computeIfAbsent(r.name, k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d curves with a posterior (%d not converged by the report's criteria)%s.%n%n",
                curvesUsed, unconverged, missing.isEmpty() ? "" : "; without a report: " + String.join(", ", missing)));
        if (scale != null) {
            md.append("**Not the fits' intervals:** every interval scaled about its centre by -Dscale=" + scale
                    + " (relative_rho_shell below / at or above " + RHO_SPLIT + " on the canonical image).\n\n");
        }
        md.append("| parameter | n | in 68 % interval | in 90 % interval | in paper's ensemble range | median 90 % width / box | median ensemble width / box | width factor 68 % | width factor 90 % |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        XYChart chart = new XYChartBuilder().width(640).height(560).title("Calibration: nominal vs observed coverage")
                .xAxisTitle("nominal coverage").yAxisTitle("observed coverage").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        XYSeries diag = chart.addSeries("nominal", new double[] {0.5, 1.0}, new double[] {0.5, 1.0});
        diag.setMarker(SeriesMarkers.NONE).setLineColor(Color.BLACK);
        XYSeries lo = chart.addSeries("-10 points", new double[] {0.5, 1.0}, new double[] {0.4, 0.9});
        lo.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        XYSeries hi = chart.addSeries("+10 points", new double[] {0.5, 1.0}, new double[] {0.6, 1.1});
        hi.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        for (Map.Entry<String, List<Row>> e : byName.entrySet()) {
            List<Row> l = e.getValue();
            int n = l.size();
            double in68 = share(l, false);
            double in90 = share(l, true);
            double inEns = l.stream().filter(r -> r.e05 <= r.truth && r.truth <= r.e95).count() / (double) n;
            double w90 = median(l.stream().mapToDouble(r -> (r.p95 - r.p05) / r.boxWidth).toArray());
            double wEns = median(l.stream().mapToDouble(r -> (r.e95 - r.e05) / r.boxWidth).toArray());
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f ± %.2f | %.2f ± %.2f | %.2f ± %.2f | %.3f | %.3f | %.2f | %.2f |%n",
                    e.getKey(), n, in68, se(in68, n), in90, se(in90, n), inEns, se(inEns, n), w90, wEns, widthFactor(l, false),
                    widthFactor(l, true)));
            XYSeries s = chart.addSeries(e.getKey(), new double[] {0.68, 0.90}, new double[] {in68, in90});
            s.setLineStyle(new java.awt.BasicStroke(0f));
        }
        md.append("\n(± is the binomial standard error √(p(1−p)/n); widths are relative to the fit box. The width factor is"
                + " the factor by which every curve's interval, scaled about its centre, would have to be widened (> 1) or"
                + " narrowed (< 1) for the nominal share of truths to fall inside: the nominal quantile of"
                + " |truth − centre| / half-width; 1 when calibrated, blind to where the misses lie.)\n");
        // the same, split by how broad the true size distribution is (the surrogate's error grows as it narrows)
        splitTable(md, byName, truthsOf(rows, "radius_cv"), CV_SPLIT, "the truth's radius_cv", "narrow / broad");
        // and by the contrast regime: a shell darker or brighter than the core (RHO_SPLIT)
        splitTable(md, byName, truthsOf(rows, "relative_rho_shell"), RHO_SPLIT,
                "the truth's relative_rho_shell on the canonical image (GRF_shift >= 0)", "below / at or above");
        // per curve: where in the size space and in which contrast regime it lies
        Map<Integer, List<Row>> byCurve = new TreeMap<>();
        for (Row r : rows) {
            byCurve.computeIfAbsent(r.curve, k -> new ArrayList<>()).add(r);
        }
        md.append("\n| curve | radius_mean (truth, Å) | radius_cv (truth) | relative_rho_shell (truth, canonical) | parameters in 68 % | in 90 % | converged |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Integer, List<Row>> e : byCurve.entrySet()) {
            List<Row> l = e.getValue();
            double rm = l.stream().filter(r -> r.name.equals("radius_mean")).mapToDouble(Row::truth).findFirst().orElse(Double.NaN);
            double cv = l.stream().filter(r -> r.name.equals("radius_cv")).mapToDouble(Row::truth).findFirst().orElse(Double.NaN);
            double rho = l.stream().filter(r -> r.name.equals("relative_rho_shell")).mapToDouble(Row::truth).findFirst()
                    .orElse(Double.NaN);
            long in68 = l.stream().filter(r -> r.p16 <= r.truth && r.truth <= r.p84).count();
            long in90 = l.stream().filter(r -> r.p05 <= r.truth && r.truth <= r.p95).count();
            md.append(String.format(Locale.ROOT, "| %03d | %.1f | %.3f | %.3f | %d of %d | %d of %d | %s |%n", e.getKey(), rm,
                    cv, rho, in68, l.size(), in90, l.size(), l.get(0).converged ? "yes" : "no"));
        }
        AtomicFiles.writeString(out.resolve("coverage.md"), md);
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        AtomicFiles.write(out.resolve("calibration.png"), os -> ImageIO.write(img, "png", os));
        AtomicFiles.write(out.resolve("calibration.svg"), os -> VectorGraphicsEncoder.saveVectorGraphic(chart, os,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        System.out.print(md);
    }

    /**
     * The rows with every posterior interval scaled about its centre by {@code spec} = F_BELOW:F_ABOVE, the
     * factor chosen by the curve's canonical relative_rho_shell (below / at or above {@link #RHO_SPLIT}): to
     * first order what a factor on the model error's sigma in that regime would do (an approximation: the
     * data's sigma is not scaled, and the fit would move).
     */
    static List<Row> scaled(List<Row> rows, String spec) {
        String[] f = spec.split(":");
        if (f.length != 2) {
            throw new IllegalArgumentException("-Dscale=F_BELOW:F_ABOVE, got " + spec);
        }
        double below = Double.parseDouble(f[0]), above = Double.parseDouble(f[1]);
        Map<Integer, Double> rho = truthsOf(rows, "relative_rho_shell");
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            double k = rho.get(r.curve) < RHO_SPLIT ? below : above;
            double c68 = (r.p16 + r.p84) / 2, h68 = (r.p84 - r.p16) / 2;
            double c90 = (r.p05 + r.p95) / 2, h90 = (r.p95 - r.p05) / 2;
            out.add(new Row(r.curve, r.name, r.truth, c90 - k * h90, c68 - k * h68, c68 + k * h68, c90 + k * h90, r.e05,
                    r.e95, r.boxWidth, r.converged));
        }
        return out;
    }

    /** Each curve's truth of one parameter (folded as the rows are). */
    static Map<Integer, Double> truthsOf(List<Row> rows, String name) {
        Map<Integer, Double> out = new HashMap<>();
        for (Row r : rows) {
            if (r.name.equals(name)) {
                out.put(r.curve, r.truth);
            }
        }
        return out;
    }

    /** The coverage table again, its curves split where the truth of one parameter crosses {@code split}. */
    static void splitTable(StringBuilder md, Map<String, List<Row>> byName, Map<Integer, Double> key, double split,
            String what, String halves) {
        md.append(String.format(Locale.ROOT, "%nSplit by %s (below / at or above %.2f):%n%n", what, split));
        md.append("| parameter | n (" + halves + ") | in 68 % | in 90 % | width factor 68 % | width factor 90 % |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Row>> e : byName.entrySet()) {
            StringBuilder[] cells = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder(),
                    new StringBuilder()};
            for (int half = 0; half < 2; half++) {
                boolean below = half == 0;
                List<Row> l = e.getValue().stream().filter(r -> key.containsKey(r.curve)
                        && (key.get(r.curve) < split) == below).toList();
                int n = l.size();
                String sep = half == 0 ? "" : " / ";
                cells[0].append(sep).append(n);
                if (n == 0) {
                    for (int k = 1; k < 5; k++) {
                        cells[k].append(sep).append("–");
                    }
                    continue;
                }
                cells[1].append(sep).append(String.format(Locale.ROOT, "%.2f", share(l, false)));
                cells[2].append(sep).append(String.format(Locale.ROOT, "%.2f", share(l, true)));
                cells[3].append(sep).append(String.format(Locale.ROOT, "%.2f", widthFactor(l, false)));
                cells[4].append(sep).append(String.format(Locale.ROOT, "%.2f", widthFactor(l, true)));
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", e.getKey(), cells[0], cells[1],
                    cells[2], cells[3], cells[4]));
        }
    }

    /** The share of rows whose truth lies inside the 90 % (p05..p95) or the 68 % (p16..p84) interval. */
    static double share(List<Row> l, boolean ninety) {
        return l.stream().filter(r -> ninety ? r.p05 <= r.truth && r.truth <= r.p95 : r.p16 <= r.truth && r.truth <= r.p84)
                .count() / (double) l.size();
    }

    /**
     * The width factor of the 90 % or the 68 % intervals: the nominal quantile of |truth − centre| / half-width
     * (the smallest value with at least the nominal share of rows at or below it).
     */
    static double widthFactor(List<Row> l, boolean ninety) {
        double[] z = l.stream().mapToDouble(r -> ninety
                ? Math.abs(r.truth - (r.p05 + r.p95) / 2) / ((r.p95 - r.p05) / 2)
                : Math.abs(r.truth - (r.p16 + r.p84) / 2) / ((r.p84 - r.p16) / 2)).sorted().toArray();
        return z[Math.max(0, (int) Math.ceil((ninety ? 0.90 : 0.68) * z.length) - 1)];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    static double se(double p, int n) {
        return Math.sqrt(p * (1 - p) / n);
    }

    /**
     * The lnp model's contrast-sign symmetry ({@code LnpFitModel.contrastSign()}): when the report
     * says the posterior's draws were folded onto its canonical image (GRF_shift >= 0), the truth is
     * mapped onto that image too, so that the two are compared on the same image.
     */
    static final class Symmetry {
        static Map<String, Double> fold(JsonNode root, Map<String, Double> truth) {
            org.lnpsaxs.optimize.model.Symmetry sign = org.lnpsaxs.surrogate.fit.LnpFitModel.contrastSign();
            boolean applied = false;
            for (JsonNode s : root.path("posterior").path("symmetries")) {
                applied |= sign.name().equals(s.path("name").asText()) && s.path("applied").asBoolean(false);
            }
            List<String> names = sign.parameters();
            if (!applied || !truth.keySet().containsAll(names)) {
                return truth;
            }
            double[] v = new double[names.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = truth.get(names.get(j));
            }
            if (sign.isCanonical(v)) {
                return truth;
            }
            double[] image = sign.map(v);
            Map<String, Double> folded = new LinkedHashMap<>(truth);
            for (int j = 0; j < v.length; j++) {
                folded.put(names.get(j), image[j]);
            }
            return folded;
        }
    }
}
