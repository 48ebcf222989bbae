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
// -Dout=FILE writes one row per curve and parameter (curve, parameter, truth, z, sd; with -Dclean also the
// truth's radius_cv, z_err and f_N), atomically.
// -Dcv=B scales the model error's size by (radius_cv / 0.25)^-B at the truth: a first-order what-if for
// a size law in radius_cv (B = 0, the shipped error model, by default); -Dscale=F times F on every curve.
//
// The step is a linear map of the residual, A r with A = (X'C^-1 X)^-1 X'C^-1 (X = [J/M, 1], the scale profiled;
// C = the held model error + diag(sigma^2/D^2)); it is written out as matrices (class Gls) and checked on every
// curve against the likelihood's own Gauss-Newton step (LogIntensityLikelihood), to 10^-6.
//
// -Dclean=DIR (the same curves without measurement noise, NAME-NNN.dat with the same numbers, e.g. the
// set AddNoise.java was run on) splits z into the part of the noise, ln D - ln D_clean, and the part of
// the model's error, ln D_clean - ln M(truth). The step's variance splits the same way: the data's sigma
// gives each parameter the share f_N = (A diag(sigma^2/D^2) A')_jj / var_j, the error model f_E = 1 - f_N.
// A table then compares, by the truth's radius_cv, the mean f_E with the mean z_err^2 that the direct
// simulator's error actually gives (their ratio below 1: the error model is wider than the error in that
// direction), and the mean f_N with the mean z_noise^2 (a check: the noise is drawn from sigma, so these
// agree up to the curves' scatter).
//
// -Dsize=C0:P (a what-if): the model error's size-like part, its E^-1-orthogonal projection on the size
// parameters' directions J/M (radius_mean, radius_cv), scaled in variance by (radius_cv / C0)^-P at the
// truth; the rest of the error, independent of it, is kept. -Dsize=C0:P:estimates instead scales the part
// of the error that the two size estimates see (its regression on their rows of A), the rest kept.
import java.nio.file.*;
import java.util.*;
import org.apache.commons.math3.linear.CholeskyDecomposition;
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
        String cleanProperty = System.getProperty("clean");
        Path cleanDir = cleanProperty == null ? null : Path.of(cleanProperty);
        String sizeProperty = System.getProperty("size");
        double[] sizeLaw = sizeProperty == null ? null
                : Arrays.stream(sizeProperty.split(":")).limit(2).mapToDouble(Double::parseDouble).toArray();
        boolean alongEstimates = sizeProperty != null && sizeProperty.endsWith(":estimates");
        Map<Integer, double[][]> split = new TreeMap<>(); // with -Dclean: {z of the model's error, f_N} per curve
        Map<Integer, double[]> zByCurve = new TreeMap<>();
        Map<Integer, double[]> truthByCurve = new TreeMap<>();
        StringBuilder rows = new StringBuilder("curve,parameter,truth,z,sd" + (cleanDir == null ? "" : ",radius_cv,z_err,f_N")
                + "\n");
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
            double[][] inv = MatrixUtils.inverse(MatrixUtils.createRealMatrix(h)).getData();
            double[] lnData = data.stream().mapToDouble(r -> Math.log(r[1])).toArray();
            double[] residual = new double[m.length];
            for (int i = 0; i < m.length; i++) {
                residual[i] = lnData[i] - Math.log(m[i]);
            }
            double[] zLik = zOf(held, m, jac, inv, lnData, residual);
            // the same linear map written out: C = the held error (-Dsize: its size-like part rescaled) + the data's
            // sigma, checked against the likelihood's own where nothing is rescaled
            double[] dataVar = data.stream().mapToDouble(r -> (r[2] / r[1]) * (r[2] / r[1])).toArray();
            double[][] e = error.scaled(error.amplitude().at(truth, 0, truth.length, null, 0) * factor).withAmplitude(null)
                    .covariance(q);
            double[][] jlog = new double[m.length][d];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < d; j++) {
                    jlog[i][j] = jac[i][j] / m[i];
                }
            }
            double t = sizeLaw == null ? 1 : Math.sqrt(Math.pow(truth[names.indexOf("radius_cv")] / sizeLaw[0], -sizeLaw[1]));
            int[] sizeCols = {names.indexOf("radius_mean"), names.indexOf("radius_cv")};
            Gls gls = new Gls(e, dataVar, jlog);
            if (t != 1) {
                gls = new Gls(alongEstimates ? rescaleAlong(e, gls, sizeCols, t) : rescaleSizeLike(e, jlog, sizeCols, t),
                        dataVar, jlog);
            }
            double[] z = gls.z(residual);
            if (t == 1) {
                for (int j = 0; j < d; j++) {
                    if (Math.abs(z[j] - zLik[j]) > 1e-6 * Math.max(1, Math.abs(zLik[j]))) {
                        throw new IllegalStateException(f + ": the written-out step gives z = " + z[j] + " for " + names.get(j)
                                + ", the likelihood's " + zLik[j]);
                    }
                }
            }
            zByCurve.put(number, z);
            truthByCurve.put(number, truth);
            if (cleanDir == null) {
                for (int j = 0; j < d; j++) {
                    rows.append(String.format(Locale.ROOT, "%d,%s,%.8g,%.4f,%.6g%n", number, names.get(j), truth[j], z[j],
                            gls.sd(j)));
                }
            } else {
                double[] clean = readIntensities(cleanDir, number, grid.length);
                double[] rErr = new double[m.length];
                for (int i = 0; i < m.length; i++) {
                    rErr[i] = Math.log(clean[i]) - Math.log(m[i]);
                }
                double[] zErr = gls.z(rErr);
                double[] fN = gls.shareOf(dataVar);
                split.put(number, new double[][] {zErr, fN});
                for (int j = 0; j < d; j++) {
                    rows.append(String.format(Locale.ROOT, "%d,%s,%.8g,%.4f,%.6g,%.6g,%.4f,%.4f%n", number, names.get(j),
                            truth[j], z[j], gls.sd(j), truth[names.indexOf("radius_cv")], zErr[j], fN[j]));
                }
            }
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
        if (!split.isEmpty()) {
            System.out.printf(Locale.ROOT, "the step's variance split (-Dclean=%s), narrow / broad"
                    + " (radius_cv below / at or above 0.25):%n%-20s %15s %15s %15s %15s %15s%n", cleanDir, "parameter",
                    "f_E predicted", "z_err^2", "ratio", "f_N predicted", "z_noise^2");
            for (int j = 0; j < d; j++) {
                double[][] sum = new double[2][4];
                int[] n = new int[2];
                for (var e : split.entrySet()) {
                    int h = truthByCurve.get(e.getKey())[icv] < 0.25 ? 0 : 1;
                    double zAll = zByCurve.get(e.getKey())[j];
                    double zErr = e.getValue()[0][j];
                    double fN = e.getValue()[1][j];
                    n[h]++;
                    sum[h][0] += 1 - fN;
                    sum[h][1] += zErr * zErr;
                    sum[h][2] += fN;
                    sum[h][3] += (zAll - zErr) * (zAll - zErr);
                }
                System.out.printf(Locale.ROOT, "%-20s %7.2f / %-5.2f %7.2f / %-5.2f %7.2f / %-5.2f %7.2f / %-5.2f %7.2f / %-5.2f%n",
                        names.get(j), sum[0][0] / n[0], sum[1][0] / n[1], sum[0][1] / n[0], sum[1][1] / n[1],
                        sum[0][1] / sum[0][0], sum[1][1] / sum[1][0], sum[0][2] / n[0], sum[1][2] / n[1],
                        sum[0][3] / n[0], sum[1][3] / n[1]);
            }
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

    /**
     * z = (-H^-1 g) / sd for the residual {@code r} in ln I at the model curve {@code m}: the held likelihood's
     * gradient is linear in the residual, so it is evaluated at the curve D exp(-r) (whose residual against the
     * data is r) and its derivative rescaled from that curve to m.
     */
    static double[] zOf(LogIntensityLikelihood held, double[] m, double[][] jac, double[][] inv, double[] lnData,
                        double[] r) {
        int n = m.length, d = inv.length;
        double[] at = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = Math.exp(lnData[i] - r[i]);
        }
        double[] value = new double[1];
        double[] dm = new double[n];
        held.evaluate(at, 1, value, dm);
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            double w = dm[i] * at[i] / m[i];
            for (int j = 0; j < d; j++) {
                g[j] += w * jac[i][j];
            }
        }
        double[] z = new double[d];
        for (int j = 0; j < d; j++) {
            double step = 0;
            for (int k = 0; k < d; k++) {
                step -= inv[j][k] * g[k];
            }
            z[j] = step / Math.sqrt(2 * inv[j][j]);
        }
        return z;
    }

    /**
     * The Gauss-Newton step of the likelihood at the truth as a linear map of the residual r in ln I: with
     * X = [J/M, 1] (the scale profiled as a free ln s) and C = E + diag(sigma^2/D^2), the step is
     * A r, A = (X'C^-1 X)^-1 X'C^-1, and its covariance (X'C^-1 X)^-1.
     */
    static final class Gls {
        final double[][] a;
        final double[][] cov;
        final int d;

        Gls(double[][] e, double[] dataVar, double[][] jlog) {
            int n = e.length;
            d = jlog[0].length;
            double[][] c = new double[n][];
            for (int i = 0; i < n; i++) {
                c[i] = e[i].clone();
                c[i][i] += dataVar[i];
            }
            double[][] x = new double[n][d + 1];
            for (int i = 0; i < n; i++) {
                System.arraycopy(jlog[i], 0, x[i], 0, d);
                x[i][d] = 1;
            }
            var cx = new CholeskyDecomposition(MatrixUtils.createRealMatrix(c), 1e-12, 1e-14).getSolver()
                    .solve(MatrixUtils.createRealMatrix(x));
            var f = MatrixUtils.createRealMatrix(x).transpose().multiply(cx);
            var covM = MatrixUtils.inverse(f);
            cov = covM.getData();
            a = covM.multiply(cx.transpose()).getData();
        }

        /** z_j = (A r)_j / sd_j for the parameters (the scale left out). */
        double[] z(double[] r) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < r.length; i++) {
                    s += a[j][i] * r[i];
                }
                z[j] = s / sd(j);
            }
            return z;
        }

        double sd(int j) {
            return Math.sqrt(cov[j][j]);
        }

        /** Each parameter's share of the step's variance that independent errors of variance {@code var} give. */
        double[] shareOf(double[] var) {
            double[] out = new double[d];
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < var.length; i++) {
                    s += a[j][i] * a[j][i] * var[i];
                }
                out[j] = s / cov[j][j];
            }
            return out;
        }
    }

    /**
     * E' = T E T' with T = I + (t - 1) P, P = S (S'E^-1 S)^-1 S'E^-1 the E^-1-orthogonal projection on the
     * columns {@code cols} of {@code jlog} (the size parameters' directions in ln I): the part of the error that
     * looks like a change of size is scaled by t, the rest, independent of it under N(0, E), is kept.
     */
    static double[][] rescaleSizeLike(double[][] e, double[][] jlog, int[] cols, double t) {
        int n = e.length;
        double[][] sArr = new double[n][cols.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cols.length; k++) {
                sArr[i][k] = jlog[i][cols[k]];
            }
        }
        var em = MatrixUtils.createRealMatrix(e);
        var sm = MatrixUtils.createRealMatrix(sArr);
        var eInvS = new CholeskyDecomposition(em, 1e-12, 1e-14).getSolver().solve(sm);
        var p = sm.multiply(MatrixUtils.inverse(sm.transpose().multiply(eInvS))).multiply(eInvS.transpose());
        return congruence(em, p, t);
    }

    /**
     * E' = T E T' with T = I + (t - 1) E B'(B E B')^-1 B, B the rows {@code cols} of the unmodified step's map A:
     * the part of the error that the size estimates see (its regression on B e) is scaled by t, the part
     * uncorrelated with them kept.
     */
    static double[][] rescaleAlong(double[][] e, Gls gls, int[] cols, double t) {
        double[][] bArr = new double[cols.length][];
        for (int k = 0; k < cols.length; k++) {
            bArr[k] = gls.a[cols[k]].clone();
        }
        var em = MatrixUtils.createRealMatrix(e);
        var b = MatrixUtils.createRealMatrix(bArr);
        var eb = em.multiply(b.transpose());
        var p = eb.multiply(MatrixUtils.inverse(b.multiply(eb))).multiply(b);
        return congruence(em, p, t);
    }

    /** T E T' with T = I + (t - 1) P, symmetrised against rounding. */
    static double[][] congruence(org.apache.commons.math3.linear.RealMatrix e,
                                 org.apache.commons.math3.linear.RealMatrix p, double t) {
        int n = e.getRowDimension();
        var tm = MatrixUtils.createRealIdentityMatrix(n).add(p.scalarMultiply(t - 1));
        double[][] out = tm.multiply(e).multiply(tm.transpose()).getData();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (out[i][j] + out[j][i]);
                out[i][j] = v;
                out[j][i] = v;
            }
        }
        return out;
    }

    /** The intensities (second column) of the curve numbered {@code number} in {@code dir} (NAME-NNN.dat). */
    static double[] readIntensities(Path dir, int number, int points) throws Exception {
        Path f;
        try (var list = Files.list(dir)) {
            f = list.filter(p -> p.getFileName().toString().matches(".*-0*" + number + "\\.dat")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(dir + " has no curve numbered " + number));
        }
        double[] out = Files.readAllLines(f).stream().map(String::trim).filter(t -> !t.isEmpty() && !t.startsWith("#"))
                .mapToDouble(t -> Double.parseDouble(t.split("\\s+")[1])).toArray();
        if (out.length != points) {
            throw new IllegalStateException(f + ": " + out.length + " points, not the grid's " + points);
        }
        return out;
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
