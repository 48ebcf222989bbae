// The direct simulator's realisation noise against the surrogate's error model, and what it does to
// the fits (docs/calibration.md, "The simulator's realisation noise and s_q1"). Two copies of the same
// curves, simulated with different seeds (GenerateCalibrationSet.java, -Dreplica=1), differ only by
// the realisation noise: d(q) = ln I_1 - ln I_0 has twice its variance. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/RealisationNoise.java SET_0 SET_1 NOISY_0 [FITS_0 FITS_1]
//
// SET_0, SET_1: folders of noise-free curve files curve-NNN.dat (the truth in '# truth.NAME=' lines);
// the curves present in both are compared. NOISY_0: the noisy curves noisy-NNN.dat of SET_0 (their
// third column, sigma of I, is the data's error). FITS_0, FITS_1 (optional): folders of `lnpsaxs fit`
// output, noisy-NNN/report.json, of the noisy copies of SET_0 and SET_1 (the same noise seed, so the
// measurement noise is nearly the same draw); FITS_0's reports must hold a posterior.
//
// Prints, in ln I (natural log, dimensionless):
// 1. per band of q, the RMS over curves and points of the realisation noise r = (d - mean d) / sqrt 2
//    (each curve's mean removed: the fit's free scale absorbs it) against the error model's sigma at
//    the truth's contrast (a(theta) sigma(q)), against the data's sigma/I, and against the two together;
//    then the same in a window around the first structure peak, |q - m_q1| <= 2 s_q1 of the truth;
//    and per curve, with the truth's s_q1, m_q1 and size, the peak window's RMS r and r / (model + data);
// 2. the correlation of r / (a sigma) along q at lags of 1, 2, 5, 10, 20 and 40 grid steps, pooled over
//    the curves, beside the error model's Matern-3/2 correlation at the same distance;
// 3. with fits: per parameter, the best fits' difference between the two copies, Delta, over the
//    posterior's sd of copy 0 (on the canonical image of the contrast-sign symmetry): the median of
//    |Delta| / (sqrt 2 sd), the RMS of Delta / (sqrt 2 sd) (1 would mean that the realisation noise
//    alone moves the fit by the posterior's whole width) and the share of curves with
//    |Delta| / sqrt 2 > sd.
import java.io.IOException;
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class RealisationNoise {
    static final double[] BANDS = {0, 0.02, 0.05, 0.08, 0.11, 0.15, 0.2};
    static final int[] LAGS = {1, 2, 5, 10, 20, 40};

    record Curve(double[] q, double[] i, double[] sigma, Map<String, Double> truth) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 5) {
            throw new IllegalArgumentException("usage: RealisationNoise SET_0 SET_1 NOISY_0 [FITS_0 FITS_1]");
        }
        Path set0 = Path.of(args[0]);
        Path set1 = Path.of(args[1]);
        Path noisy0 = Path.of(args[2]);
        ErrorModel em = Surrogate.loadDefault().errorModel().orElseThrow();
        List<String> ids = new ArrayList<>();
        try (var s = Files.list(set1)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("curve-\\d{3}\\.dat"))
                    .filter(n -> Files.exists(set0.resolve(n))).sorted().forEach(n -> ids.add(n.substring(6, 9)));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no curve-NNN.dat in both " + set0 + " and " + set1);
        }
        int nb = BANDS.length - 1;
        double[][] sum = new double[4][nb + 1];
        int[] count = new int[nb + 1];
        double[] lagSum = new double[LAGS.length];
        double[] lagVar = new double[LAGS.length];
        int[] lagN = new int[LAGS.length];
        double dq = 0;
        StringBuilder perCurve = new StringBuilder(
                "\ncurve s_q1 (1/A)  m_q1 (1/A)  radius_mean (A)  radius_cv  RMS r and r / (model + data) at the peak\n");
        for (String id : ids) {
            Curve c0 = read(set0.resolve("curve-" + id + ".dat"));
            Curve c1 = read(set1.resolve("curve-" + id + ".dat"));
            Curve n0 = read(noisy0.resolve("noisy-" + id + ".dat"));
            int n = c0.q.length;
            if (c1.q.length != n || n0.q.length != n) {
                throw new IllegalStateException("curve " + id + ": the grids differ");
            }
            dq = c0.q[1] - c0.q[0];
            double[] d = new double[n];
            double mean = 0;
            for (int k = 0; k < n; k++) {
                d[k] = Math.log(c1.i[k]) - Math.log(c0.i[k]);
                mean += d[k] / n;
            }
            double a = em.amplitude(c0.truth.get("GRF_shift"), c0.truth.get("relative_rho_shell"));
            double m1 = c0.truth.get("m_q1");
            double s1 = c0.truth.get("s_q1");
            double[] z = new double[n];
            double[] peak = new double[2];
            int peakN = 0;
            for (int k = 0; k < n; k++) {
                double r = (d[k] - mean) / Math.sqrt(2);
                double model = a * em.sigma(c0.q[k]);
                double data = n0.sigma[k] / n0.i[k];
                z[k] = r / model;
                int b = band(c0.q[k]);
                double[] ratios = {r * r, r * r / (model * model), r * r / (data * data), r * r / (model * model + data * data)};
                for (int t = 0; t < 4; t++) {
                    sum[t][b] += ratios[t];
                }
                count[b]++;
                if (Math.abs(c0.q[k] - m1) <= 2 * s1) {
                    for (int t = 0; t < 4; t++) {
                        sum[t][nb] += ratios[t];
                    }
                    count[nb]++;
                    peak[0] += ratios[0];
                    peak[1] += ratios[3];
                    peakN++;
                }
            }
            perCurve.append(String.format(Locale.ROOT, "%s  %.4f  %.4f  %.3f  %.3f   %.4f   %.3f%n", id, s1, m1,
                    c0.truth.get("radius_mean"), c0.truth.get("radius_cv"), Math.sqrt(peak[0] / peakN),
                    Math.sqrt(peak[1] / peakN)));
            for (int l = 0; l < LAGS.length; l++) {
                for (int k = 0; k + LAGS[l] < n; k++) {
                    lagSum[l] += z[k] * z[k + LAGS[l]];
                    lagVar[l] += 0.5 * (z[k] * z[k] + z[k + LAGS[l]] * z[k + LAGS[l]]);
                    lagN[l]++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d curves (%s ... %s); the error model: sigma0 %.4f, sigma1 %.4f, exponent %.3f, "
                        + "Matern length %.4g 1/A, contrast exponent %.3f%n", ids.size(), ids.get(0), ids.get(ids.size() - 1),
                em.sigma0(), em.sigma1(), em.exponent(), em.correlationLength(), em.contrastExponent());
        System.out.println("\nband (1/A)        points  RMS r    r / model   r / data   r / (model + data)");
        for (int b = 0; b <= nb; b++) {
            String name = b < nb ? String.format(Locale.ROOT, "%.3f-%.3f", BANDS[b], BANDS[b + 1]) : "|q-m_q1|<=2s_q1";
            System.out.printf(Locale.ROOT, "%-17s %6d  %.4f   %.3f       %.3f      %.3f%n", name, count[b],
                    Math.sqrt(sum[0][b] / count[b]), Math.sqrt(sum[1][b] / count[b]), Math.sqrt(sum[2][b] / count[b]),
                    Math.sqrt(sum[3][b] / count[b]));
        }
        double[] grid = read(set0.resolve("curve-" + ids.get(0) + ".dat")).q;
        ModelError matern = em.modelError(grid, List.of("GRF_shift", "relative_rho_shell"));
        System.out.println("\nlag (steps, 1/A)        correlation of r/model   Matern-3/2 of the error model");
        for (int l = 0; l < LAGS.length; l++) {
            System.out.printf(Locale.ROOT, "%3d  %.5f            %.3f                    %.3f%n", LAGS[l], LAGS[l] * dq,
                    lagSum[l] / lagVar[l], matern.correlation(LAGS[l] * dq));
        }
        System.out.print(perCurve);
        if (args.length == 5) {
            fits(ids, Path.of(args[3]), Path.of(args[4]));
        }
        System.exit(0);
    }

    /** Part 3: the best fits of the two copies against the posterior's sd of copy 0. */
    static void fits(List<String> ids, Path fits0, Path fits1) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Symmetry sign = LnpFitModel.contrastSign();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        int used = 0;
        for (String id : ids) {
            Path r0 = fits0.resolve("noisy-" + id).resolve("report.json");
            Path r1 = fits1.resolve("noisy-" + id).resolve("report.json");
            if (!Files.exists(r0) || !Files.exists(r1)) {
                continue;
            }
            JsonNode j0 = json.readTree(r0.toFile());
            JsonNode j1 = json.readTree(r1.toFile());
            JsonNode post = j0.path("posterior").path("parameters");
            if (post.isMissingNode()) {
                throw new IllegalStateException(r0 + " holds no posterior");
            }
            Map<String, Double> b0 = canonical(sign, j0.path("best").path("parameters"));
            Map<String, Double> b1 = canonical(sign, j1.path("best").path("parameters"));
            for (String p : b0.keySet()) {
                double sd = post.path(p).path("sd").asDouble();
                ratios.computeIfAbsent(p, k -> new ArrayList<>()).add((b1.get(p) - b0.get(p)) / (Math.sqrt(2) * sd));
            }
            used++;
        }
        System.out.printf(Locale.ROOT, "%n%d curves fitted in both copies%nparameter            median |D|/(sqrt2 sd)   RMS D/(sqrt2 sd)   "
                + "share |D|/sqrt2 > sd%n", used);
        for (var e : ratios.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double[] abs = Arrays.stream(v).map(Math::abs).sorted().toArray();
            double rms = Math.sqrt(Arrays.stream(v).map(x -> x * x).average().orElse(Double.NaN));
            long over = Arrays.stream(abs).filter(x -> x > 1).count();
            double med = abs.length % 2 == 1 ? abs[abs.length / 2] : 0.5 * (abs[abs.length / 2 - 1] + abs[abs.length / 2]);
            System.out.printf(Locale.ROOT, "%-20s %.3f                   %.3f              %.2f%n", e.getKey(), med, rms,
                    (double) over / v.length);
        }
    }

    static Map<String, Double> canonical(Symmetry sign, JsonNode parameters) {
        Map<String, Double> m = new LinkedHashMap<>();
        parameters.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asDouble()));
        List<String> names = sign.parameters();
        double[] v = new double[names.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = m.get(names.get(j));
        }
        if (!sign.isCanonical(v)) {
            double[] image = sign.map(v);
            for (int j = 0; j < v.length; j++) {
                m.put(names.get(j), image[j]);
            }
        }
        return m;
    }

    static int band(double q) {
        for (int b = 0; b < BANDS.length - 2; b++) {
            if (q < BANDS[b + 1]) {
                return b;
            }
        }
        return BANDS.length - 2;
    }

    static Curve read(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        Map<String, Double> truth = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.startsWith("# truth.")) {
                int eq = t.indexOf('=');
                truth.put(t.substring(8, eq), Double.parseDouble(t.substring(eq + 1)));
            } else if (!t.isEmpty() && !t.startsWith("#")) {
                rows.add(Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        int n = rows.size();
        double[] q = new double[n], i = new double[n], s = new double[n];
        for (int k = 0; k < n; k++) {
            q[k] = rows.get(k)[0];
            i[k] = rows.get(k)[1];
            s[k] = rows.get(k).length > 2 ? rows.get(k)[2] : Double.NaN;
        }
        return new Curve(q, i, s, truth);
    }
}
