// Where the curve's own noise puts the estimate, before any fit (docs/calibration.md, "What the draws
// themselves hold"). For each curve NAME.dat of CURVES (the truth in '# truth.NAME=' lines, a sigma
// column, on the shipped surrogate's grid) the residual r = ln D - ln M(truth) is projected at the truth
// by one Gauss-Newton step of the `loglik` likelihood, the model error's size held at the truth's
// contrast and the scale profiled:
//
//   delta = -H^-1 g,   z_j = delta_j / sd_j,   sd_j = sqrt(2 (H^-1)_jj),
//
// H the likelihood's Gauss-Newton Hessian of -2 ln L (LogIntensityLikelihood.gaussNewton) and g its
// gradient at the truth, through the model's exact Jacobian (one vector-Jacobian product per q point).
// z is the linearised estimate's distance from the truth in its own standard deviations: on curves drawn
// from the likelihood's own model (SelfConsistentSet.java) it is N(0, 1) by construction, so the share
// with |z| <= 1 is the 68 % coverage that the draws allow a posterior that follows the linearised
// likelihood; on the direct simulator's curves it also measures how large the simulator's error is
// against the size the error model gives it (RMS of z below 1: the error model is wider than the error,
// at the truth). The truth is taken on the contrast sign's canonical image (GRF_shift >= 0), as
// Coverage.java folds it.
//
// With COVERAGE_CSV (Coverage.java's coverage.csv of posteriors of the same curves, its 'curve' column the
// number after the last '-' of the curve's name) it also prints, per parameter, how often the posterior's
// 68 % interval (p16-p84) and |z| <= 1 agree, and the same at 90 % (p05-p95 and |z| <= 1.645). A second
// table splits every curve's z by the truth's radius_cv (narrow below 0.25, broad at or above). Run from
// the repository root (with COVERAGE_CSV, each row counts only the curves the table holds):
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/NoiseAtTruth.java CURVES [COVERAGE_CSV]
//
// -Dout=FILE writes one row per curve and parameter (curve, parameter, truth, z, sd), atomically.
// -Dcv=B scales the model error's size by (radius_cv / 0.25)^-B at the truth: a first-order what-if for
// a size law in radius_cv (B = 0, the shipped error model, by default); -Dscale=F times F on every curve.
import java.nio.file.*;
import java.util.*;
import org.apache.commons.math3.linear.MatrixUtils;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class NoiseAtTruth {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: NoiseAtTruth CURVES [COVERAGE_CSV]");
        }
        Surrogate s = Surrogate.loadDefault();
        ErrorModel em = s.errorModel().orElseThrow();
        LnpFitModel lnp = LnpFitModel.of(s);
        DifferentiableModel model = lnp.model();
        List<String> names = model.parameters().names();
        int d = names.size();
        Symmetry sign = LnpFitModel.contrastSign();
        int[] signIdx = sign.parameters().stream().mapToInt(names::indexOf).toArray();
        double[] grid = s.q();
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(Path.of(args[0]))) {
            list.filter(p -> p.getFileName().toString().matches(".*-\\d+\\.dat")).sorted().forEach(files::add);
        }
        Map<Integer, double[]> zByCurve = new TreeMap<>();
        Map<Integer, double[]> truthByCurve = new TreeMap<>();
        StringBuilder rows = new StringBuilder("curve,parameter,truth,z,sd\n");
        for (Path f : files) {
            String stem = f.getFileName().toString().replaceFirst("\\.dat$", "");
            int number = Integer.parseInt(stem.substring(stem.lastIndexOf('-') + 1));
            double[] truth = new double[d];
            Arrays.fill(truth, Double.NaN);
            List<double[]> data = new ArrayList<>();
            for (String line : Files.readAllLines(f)) {
                String t = line.trim();
                if (t.startsWith("# truth.")) {
                    int eq = t.indexOf('=');
                    int j = names.indexOf(t.substring(8, eq).trim());
                    if (j >= 0) {
                        truth[j] = Double.parseDouble(t.substring(eq + 1).trim());
                    }
                } else if (!t.isEmpty() && !t.startsWith("#")) {
                    data.add(Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray());
                }
            }
            if (Arrays.stream(truth).anyMatch(Double::isNaN) || data.size() != grid.length
                    || data.stream().anyMatch(r -> r.length < 3)) {
                throw new IllegalStateException(f + ": needs every truth of " + names + " and the " + grid.length
                        + "-point grid of the surrogate with a sigma column");
            }
            double[] v = Arrays.stream(signIdx).mapToDouble(j -> truth[j]).toArray();
            if (!sign.isCanonical(v)) {
                double[] w = sign.map(v);
                for (int t = 0; t < signIdx.length; t++) {
                    truth[signIdx[t]] = w[t];
                }
            }
            double[] q = data.stream().mapToDouble(r -> r[0]).toArray();
            for (int i = 0; i < q.length; i++) {
                if (Math.abs(q[i] - grid[i]) > 1e-9 * grid[i]) {
                    throw new IllegalStateException(f + ": row " + i + " is not on the surrogate's grid");
                }
            }
            ModelError error = em.modelError(q, names);
            LogIntensityLikelihood live = new LogIntensityLikelihood(q, data.stream().mapToDouble(r -> r[1]).toArray(),
                    data.stream().mapToDouble(r -> r[2]).toArray(), 1, error);
            // -Dcv=B: the error's size times (radius_cv / 0.25)^-B at the truth (a what-if for a size law in radius_cv)
            double cvFactor = Math.pow(truth[names.indexOf("radius_cv")] / 0.25, -Double.parseDouble(System.getProperty("cv", "0")));
            double factor = cvFactor * Double.parseDouble(System.getProperty("scale", "1")); // -Dscale=F: times F
            LogIntensityLikelihood held = live.heldAt(error.amplitude().at(truth, 0, truth.length, null, 0) * factor);
            double[] m = model.evaluate(truth);
            double[][] jac = jacobian(model, truth);
            double[][] h = held.gaussNewton(m, jac);
            double[] value = new double[1];
            double[] dm = new double[m.length];
            held.evaluate(m, 1, value, dm);
            double[] g = new double[d];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < d; j++) {
                    g[j] += dm[i] * jac[i][j];
                }
            }
            double[][] inv = MatrixUtils.inverse(MatrixUtils.createRealMatrix(h)).getData();
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                double step = 0;
                for (int k = 0; k < d; k++) {
                    step -= inv[j][k] * g[k];
                }
                double sd = Math.sqrt(2 * inv[j][j]);
                z[j] = step / sd;
                rows.append(String.format(Locale.ROOT, "%d,%s,%.8g,%.4f,%.6g%n", number, names.get(j), truth[j], z[j], sd));
            }
            zByCurve.put(number, z);
            truthByCurve.put(number, truth);
        }
        if (zByCurve.isEmpty()) {
            throw new IllegalArgumentException("no curve files (NAME-NNN.dat) in " + args[0]);
        }
        Map<String, Map<Integer, double[]>> intervals = new HashMap<>();
        if (args.length > 1) {
            List<String> lines = Files.readAllLines(Path.of(args[1]));
            List<String> head = Arrays.asList(lines.get(0).split(","));
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                int curve = Integer.parseInt(c[head.indexOf("curve")]);
                String p = c[head.indexOf("parameter")];
                double truth = Double.parseDouble(c[head.indexOf("truth")]);
                double[] mine = truthByCurve.get(curve);
                if (mine == null || !names.contains(p)) {
                    continue;
                }
                if (Math.abs(mine[names.indexOf(p)] - truth) > 1e-6 * Math.max(1e-3, Math.abs(truth))) {
                    throw new IllegalStateException(args[1] + ": curve " + curve + "'s truth of " + p + " (" + truth
                            + ") is not the curve file's (" + mine[names.indexOf(p)] + ")");
                }
                intervals.computeIfAbsent(p, k -> new HashMap<>()).put(curve, new double[] {truth,
                        Double.parseDouble(c[head.indexOf("p05")]), Double.parseDouble(c[head.indexOf("p16")]),
                        Double.parseDouble(c[head.indexOf("p84")]), Double.parseDouble(c[head.indexOf("p95")])});
            }
        }
        System.out.printf(Locale.ROOT, "%d curves of %s%s; z at the truth, the model error held at the truth's contrast%n",
                zByCurve.size(), args[0], intervals.isEmpty() ? "" : " (each parameter's row: the curves " + args[1] + " holds)");
        System.out.printf(Locale.ROOT, "%-20s %7s %6s %7s %8s%s%n", "parameter", "mean z", "RMS", "|z|<=1", "<=1.645",
                intervals.isEmpty() ? "" : "   posterior 68 % | both, z only, posterior only, neither || 90 % | the same");
        for (int j = 0; j < d; j++) {
            double sum = 0, sq = 0;
            int in1 = 0, in2 = 0;
            int[] c68 = new int[4], c90 = new int[4];
            int post68 = 0, post90 = 0, paired = 0;
            Map<Integer, double[]> iv = intervals.getOrDefault(names.get(j), Map.of());
            int n = 0;
            for (var e : zByCurve.entrySet()) {
                if (!intervals.isEmpty() && !iv.containsKey(e.getKey())) {
                    continue; // with a coverage table, only the curves it holds
                }
                n++;
                double z = e.getValue()[j];
                sum += z;
                sq += z * z;
                boolean a1 = Math.abs(z) <= 1, a2 = Math.abs(z) <= 1.645;
                in1 += a1 ? 1 : 0;
                in2 += a2 ? 1 : 0;
                double[] r = iv.get(e.getKey());
                if (r != null) {
                    boolean b1 = r[2] <= r[0] && r[0] <= r[3], b2 = r[1] <= r[0] && r[0] <= r[4];
                    paired++;
                    post68 += b1 ? 1 : 0;
                    post90 += b2 ? 1 : 0;
                    c68[a1 && b1 ? 0 : a1 ? 1 : b1 ? 2 : 3]++;
                    c90[a2 && b2 ? 0 : a2 ? 1 : b2 ? 2 : 3]++;
                }
            }
            System.out.printf(Locale.ROOT, "%-20s %+7.2f %6.2f %7.2f %8.2f%s%n", names.get(j), sum / n, Math.sqrt(sq / n),
                    (double) in1 / n, (double) in2 / n, paired == 0 ? "" : String.format(Locale.ROOT,
                            "   %.2f (%d) | %d, %d, %d, %d || %.2f | %d, %d, %d, %d", (double) post68 / paired, paired,
                            c68[0], c68[1], c68[2], c68[3], (double) post90 / paired, c90[0], c90[1], c90[2], c90[3]));
        }
        // the same by the truth's radius_cv: narrow (below 0.25) and broad distributions
        int icv = names.indexOf("radius_cv");
        System.out.printf(Locale.ROOT, "by the truth's radius_cv (below / at or above 0.25), all %d curves: RMS z, |z|<=1%n",
                zByCurve.size());
        for (int j = 0; j < d; j++) {
            double[] sq = new double[2];
            int[] n = new int[2], in1 = new int[2];
            for (var e : zByCurve.entrySet()) {
                int h = truthByCurve.get(e.getKey())[icv] < 0.25 ? 0 : 1;
                double z = e.getValue()[j];
                n[h]++;
                sq[h] += z * z;
                in1[h] += Math.abs(z) <= 1 ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%-20s %d / %d curves: %.2f / %.2f, %.2f / %.2f%n", names.get(j), n[0], n[1],
                    Math.sqrt(sq[0] / n[0]), Math.sqrt(sq[1] / n[1]), (double) in1[0] / n[0], (double) in1[1] / n[1]);
        }
        String out = System.getProperty("out");
        if (out != null) {
            Path target = Path.of(out).toAbsolutePath();
            Path tmp = Files.createTempFile(target.getParent(), ".noise", ".tmp");
            Files.writeString(tmp, rows);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.exit(0);
    }

    /** The model's exact Jacobian dM_i/dtheta_k: row i the vector-Jacobian product with the unit vector e_i, all rows in one call. */
    static double[][] jacobian(DifferentiableModel model, double[] theta) {
        int n = model.qSize();
        int p = theta.length;
        double[] th = new double[n * p];
        double[] upstream = new double[n * n];
        double[] grad = new double[n * p];
        for (int r = 0; r < n; r++) {
            System.arraycopy(theta, 0, th, r * p, p);
            upstream[r * n + r] = 1;
        }
        model.vectorJacobianProduct(th, n, upstream, grad);
        double[][] jac = new double[n][p];
        for (int r = 0; r < n; r++) {
            System.arraycopy(grad, r * p, jac[r], 0, p);
        }
        return jac;
    }
}
