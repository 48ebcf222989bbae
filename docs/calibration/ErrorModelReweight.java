// A change of the error model, measured on posteriors already made: the shipped library's posterior
// draws of each curve reweighted to the likelihood with the change (importance sampling;
// docs/calibration.md, "The broad-size term at the posterior" and "A bright-shell factor at the posterior").
//
// The posterior of a `--loss loglik` fit samples exp(-L/2), L = min_a (y - m - a1)' C^-1 (y - m - a1), with
// y = ln I_data, m = ln I_model(theta) and the covariance C = diag((sigma/I)^2) + E, E = a^2 Sigma the
// surrogate's error model held at the pilot fit's size a (report.json best.model_error_amplitude). The change
// SPEC is one of
//   sizeest:C0:P  the broad-size term (LaplaceZ.java's variant of that name), as the library applies it
//                 (LogIntensityLikelihood.withSizeEstimateTerm, SizeEstimateTerm): E becomes
//                 E + (f - 1) E B'(B E B')^-1 B E (= T E T', T = I + (sqrt(f) - 1) E B'(B E B')^-1 B), with B the
//                 rows of radius_mean and radius_cv in the generalised-least-squares step map
//                 (X'C^-1 X)^-1 X'C^-1 (X = [d ln I/d theta, 1]) at the best fit and f = (radius_cv_best / C0)^-P:
//                 the part of the error that the two size estimates see is scaled in variance by f, the rest kept;
//   bright:K      E times K^2 (the error's sigma times K) where the best fit's shell is brighter than its core
//                 (relative_rho_shell >= 1 on the canonical image, GRF_shift >= 0), unchanged elsewhere;
//   scale:K       E times K^2 on every curve.
// Each draw gets the weight exp(-(L_new - L_old)/2) (L_old recomputed here; its difference from the draw's
// recorded loss is printed as a check and must be constant per curve), and the weighted quantiles replace
// the report's p05..p95, median and mean in a copy of report.json under OUT/noisy-NNN/, which Coverage.java
// reads. Per curve it prints the weights' effective sample size (Kish) over the draws used.
//
// Usage (from the repository root, after `mvn -q -DskipTests package`):
//   java -cp cli/target/lnpsaxs.jar docs/calibration/ErrorModelReweight.java NOISY_DIR FITS_DIR OUT_DIR SPEC [THIN]
// e.g. runs/fifth/noisy runs/fifth/fits runs/rw/fifth-0.2-2 sizeest:0.2:2. With sizeest:C0:0 or bright:1
// every weight is 1 (a check: the quantiles are the draws' own). THIN (default 1) uses every THIN-th draw.
// A curve file without a sigma column (the shipped example) has the model error alone in C.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lnpsaxs.core.math.Cholesky;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.loss.SizeEstimateTerm;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class ErrorModelReweight {

    public static void main(String[] args) throws Exception {
        Path noisy = Path.of(args[0]);
        Path fits = Path.of(args[1]);
        Path out = Path.of(args[2]);
        String[] spec = args[3].split(":");
        boolean sizeTerm = spec[0].equals("sizeest") && spec.length == 3;
        boolean everywhere = spec[0].equals("scale");
        if (!sizeTerm && !((spec[0].equals("bright") || everywhere) && spec.length == 2)) {
            throw new IllegalArgumentException("SPEC must be sizeest:C0:P, bright:K or scale:K, got " + args[3]);
        }
        double c0 = sizeTerm ? Double.parseDouble(spec[1]) : 0;
        double power = sizeTerm ? Double.parseDouble(spec[2]) : 0;
        double bright = sizeTerm ? 1 : Double.parseDouble(spec[1]);
        int thin = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Surrogate s = Surrogate.loadDefault();
        ErrorModel em = s.errorModel().orElseThrow();
        LnpFitModel lnp = LnpFitModel.of(s);
        DifferentiableModel model = lnp.model();
        List<String> names = model.parameters().names();
        int d = names.size();
        ParameterSpace box = lnp.defaultSpace(java.util.Map.of()).box();
        double[] lo = box.lowerBounds();
        double[] hi = box.upperBounds();
        double[] q = s.q();
        int nq = q.length;
        double[] sig = new double[nq];
        for (int i = 0; i < nq; i++) {
            sig[i] = em.sigma(q[i]);
        }
        double[][] sigma = new ModelError(q, sig, em.correlationLength(), "error model").covariance(q);
        ObjectMapper json = new ObjectMapper();
        List<Path> dirs;
        try (Stream<Path> l = Files.list(fits)) {
            dirs = l.filter(p -> Files.exists(p.resolve("posterior-draws.dat"))).sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        System.out.printf(Locale.ROOT, "%d curves; %s%n", dirs.size(), sizeTerm ? String.format(Locale.ROOT,
                "term (radius_cv / %.4g)^-%.4g on the size estimates' part of the error", c0, power)
                : String.format(Locale.ROOT, "the error's sigma times %.4g %s", bright,
                        everywhere ? "on every curve" : "where the shell is the brighter part"));
        org.lnpsaxs.optimize.model.Symmetry sign = lnp.symmetries().get(0);
        int[] signIdx = sign.parameters().stream().mapToInt(names::indexOf).toArray();
        for (Path dir : dirs) {
            String stem = dir.getFileName().toString();
            double[][] curve = read(noisy.resolve(stem + ".dat"));
            double[] y = new double[nq];
            double[] v = new double[nq];
            for (int i = 0; i < nq; i++) {
                if (Math.abs(curve[0][i] / q[i] - 1) > 1e-9) {
                    throw new IllegalStateException(stem + ": not on the surrogate's grid");
                }
                y[i] = Math.log(curve[1][i]);
                v[i] = Math.pow(curve[2][i] / curve[1][i], 2);
            }
            ObjectNode report = (ObjectNode) json.readTree(dir.resolve("report.json").toFile());
            double a = report.path("best").path("model_error_amplitude").asDouble();
            double[] best = new double[d];
            for (int j = 0; j < d; j++) {
                best[j] = report.path("best").path("parameters").path(names.get(j)).asDouble();
            }
            double[] e = new double[nq * nq];
            double[] cOld = new double[nq * nq];
            for (int i = 0; i < nq; i++) {
                for (int k = 0; k < nq; k++) {
                    e[i * nq + k] = a * a * sigma[i][k];
                    cOld[i * nq + k] = e[i * nq + k] + (i == k ? v[i] : 0);
                }
            }
            double f;
            double[] cNew;
            if (sizeTerm) {
                // the library's term (LogIntensityLikelihood.withSizeEstimateTerm) on the held error a^2 Sigma
                double[] held = new double[nq];
                for (int i = 0; i < nq; i++) {
                    held[i] = a * sig[i];
                }
                ModelError me = new ModelError(q, held, em.correlationLength(), "held error").withSizeEstimates(
                        new SizeEstimateTerm(names.indexOf("radius_mean"), names.indexOf("radius_cv"), c0, power));
                double[] sd = new double[nq];
                for (int i = 0; i < nq; i++) {
                    sd[i] = Math.sqrt(v[i]);
                }
                double[] mBest = model.evaluate(best);
                double[][] jac = logJacobian(model, best, lo, hi);
                for (int i = 0; i < nq; i++) {
                    for (int j = 0; j < d; j++) {
                        jac[i][j] *= mBest[i];
                    }
                }
                double[] intensity = new double[nq];
                for (int i = 0; i < nq; i++) {
                    intensity[i] = Math.exp(y[i]);
                }
                LogIntensityLikelihood withTerm = new LogIntensityLikelihood(q, intensity, v[0] > 0 ? multiply(sd,
                        intensity) : null, 1, me).withSizeEstimateTerm(best, mBest, jac,
                        java.util.stream.IntStream.range(0, d).toArray());
                f = withTerm.sizeEstimateFactor().getAsDouble();
                double[][] ePrime = withTerm.modelErrorCovariance();
                cNew = new double[nq * nq];
                for (int i = 0; i < nq; i++) {
                    for (int k = 0; k < nq; k++) {
                        cNew[i * nq + k] = ePrime[i][k] + (i == k ? v[i] : 0);
                    }
                }
            } else {
                double[] pair = new double[signIdx.length];
                for (int t = 0; t < signIdx.length; t++) {
                    pair[t] = best[signIdx[t]];
                }
                if (!sign.isCanonical(pair)) {
                    pair = sign.map(pair);
                }
                boolean brightShell = pair[sign.parameters().indexOf("relative_rho_shell")] >= 1;
                f = brightShell || everywhere ? bright * bright : 1;
                cNew = cOld.clone();
                for (int k = 0; k < nq * nq; k++) {
                    cNew[k] += (f - 1) * e[k];
                }
            }
            double[] lOld = Cholesky.lower(cOld, nq);
            double[] lNew = Cholesky.lower(cNew, nq);
            if (lOld == null || lNew == null) {
                throw new IllegalStateException(stem + ": a covariance is not positive definite");
            }
            // the draws: chain iteration loss log_posterior then the parameters
            List<double[]> draws = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            int row = 0;
            for (String line : Files.readAllLines(dir.resolve("posterior-draws.dat"))) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (row++ % thin != 0) {
                    continue;
                }
                String[] t = line.trim().split("\\s+");
                double[] th = new double[d];
                for (int j = 0; j < d; j++) {
                    th[j] = Double.parseDouble(t[4 + j]);
                }
                draws.add(th);
                losses.add(Double.parseDouble(t[2]));
            }
            int n = draws.size();
            double[] theta = new double[n * d];
            for (int k = 0; k < n; k++) {
                System.arraycopy(draws.get(k), 0, theta, k * d, d);
            }
            double[] m = new double[n * nq];
            model.evaluate(theta, n, m);
            double[] logW = new double[n];
            double[] check = new double[n];
            double[] r = new double[nq];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < nq; i++) {
                    r[i] = y[i] - Math.log(m[k * nq + i]);
                }
                double old = profiled(lOld, nq, r);
                logW[k] = -(profiled(lNew, nq, r) - old) / 2;
                check[k] = old - losses.get(k);
            }
            double maxLog = Arrays.stream(logW).max().orElseThrow();
            double[] w = new double[n];
            double sw = 0;
            double sw2 = 0;
            for (int k = 0; k < n; k++) {
                w[k] = Math.exp(logW[k] - maxLog);
                sw += w[k];
                sw2 += w[k] * w[k];
            }
            double mean = Arrays.stream(check).average().orElseThrow();
            double spread = Math.sqrt(Arrays.stream(check).map(c -> (c - mean) * (c - mean)).sum() / n);
            System.out.printf(Locale.ROOT, "%s: radius_cv %.3f, variance factor %.3f, %d draws, ESS %.0f (%.2f), recomputed loss - recorded: sd %.2g%n",
                    stem, best[names.indexOf("radius_cv")], f, n, sw * sw / sw2, sw * sw / sw2 / n, spread);
            ObjectNode params = (ObjectNode) report.path("posterior").path("parameters");
            for (int j = 0; j < d; j++) {
                double[] x = new double[n];
                double wm = 0;
                for (int k = 0; k < n; k++) {
                    x[k] = draws.get(k)[j];
                    wm += w[k] * x[k];
                }
                ObjectNode p = (ObjectNode) params.path(names.get(j));
                p.put("mean", wm / sw);
                p.put("median", quantile(x, w, 0.5));
                p.put("p05", quantile(x, w, 0.05));
                p.put("p16", quantile(x, w, 0.16));
                p.put("p84", quantile(x, w, 0.84));
                p.put("p95", quantile(x, w, 0.95));
            }
            ((ObjectNode) report.path("posterior")).put("reweighted", String.format(Locale.ROOT,
                    "ErrorModelReweight %s: effective sample size %.0f of %d draws", args[3], sw * sw / sw2, n));
            Path target = out.resolve(stem);
            Files.createDirectories(target);
            Path tmp = Files.createTempFile(target, "report", ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), report);
            Files.move(tmp, target.resolve("report.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** q, I, sigma columns of a curve file. */
    static double[][] read(Path file) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] t = line.trim().split("\\s+");
                rows.add(new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1]),
                        t.length > 2 ? Double.parseDouble(t[2]) : 0}); // no sigma column: the model error alone
            }
        }
        double[][] c = new double[3][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int k = 0; k < 3; k++) {
                c[k][i] = rows.get(i)[k];
            }
        }
        return c;
    }

    /** The weighted quantile: the smallest draw whose cumulative weight reaches p of the total. */
    static double quantile(double[] x, double[] w, double p) {
        Integer[] order = new Integer[x.length];
        for (int k = 0; k < x.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> x[k]));
        double total = Arrays.stream(w).sum();
        double cum = 0;
        for (int k : order) {
            cum += w[k];
            if (cum >= p * total) {
                return x[k];
            }
        }
        return x[order[order.length - 1]];
    }

    /** min over a of (r - a1)' C^-1 (r - a1), with C = L L'. */
    static double profiled(double[] l, int n, double[] r) {
        double[] z = forward(l, n, r);
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        double[] u = forward(l, n, ones);
        double zz = 0;
        double zu = 0;
        double uu = 0;
        for (int i = 0; i < n; i++) {
            zz += z[i] * z[i];
            zu += z[i] * u[i];
            uu += u[i] * u[i];
        }
        return zz - zu * zu / uu;
    }

    static double[] forward(double[] l, int n, double[] b) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    /** d ln I / d theta at th by central differences, steps 1e-5 of the box (one-sided at a bound). */
    static double[][] logJacobian(DifferentiableModel model, double[] th, double[] lo, double[] hi) {
        int d = th.length;
        double[] m = model.evaluate(th);
        double[][] jac = new double[m.length][d];
        for (int j = 0; j < d; j++) {
            double step = 1e-5 * (hi[j] - lo[j]);
            double[] a = th.clone();
            double[] b = th.clone();
            a[j] = Math.min(hi[j], th[j] + step);
            b[j] = Math.max(lo[j], th[j] - step);
            double[] ma = model.evaluate(a);
            double[] mb = model.evaluate(b);
            for (int i = 0; i < m.length; i++) {
                jac[i][j] = (ma[i] - mb[i]) / (a[j] - b[j]) / m[i];
            }
        }
        return jac;
    }
}
