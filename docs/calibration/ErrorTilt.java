// How the direct simulator's error tilts a posterior (docs/calibration.md, "What pulls s_q1 down at the
// top of the box"). A hybrid curve (SelfConsistentSet.java -Dhybrid) is the direct simulator's noisy curve
// with e = ln I_direct - ln M(truth) taken out and nothing else changed, so the direct curve's
// likelihood is the hybrid's times a factor that e alone makes:
//
//   G_direct(theta) - G_hybrid(theta) = dG(theta),   G = -2 ln L under one covariance (the scale profiled),
//
// both under one covariance: the error model's size at the contrast of the hybrid fit's best point (the fit
// itself held the size at its first stage's best, which this program cannot read from a report). Over
// the hybrid posterior's draws (HYBRID_FITS/NAME/posterior-draws.dat), dG is the exact, not linearised, tilt
// by which e turns the hybrid posterior into the direct one: reweighting the draws by exp(-dG/2) gives the
// direct curve's posterior where the weights' effective sample size allows. Per curve it prints, for PARAM,
// the hybrid posterior's p16/median/p84, the same reweighted, the direct fit's own (DIRECT_FITS/NAME/
// report.json, if there), the weights' effective sample size, and dG's least-squares slope along PARAM over
// the draws (per box width of PARAM; negative: e favours the upper end) with the spread of dG. -Ddraws=K
// adds the slopes that K draws of e from the shipped error model (at that size, seeded per
// curve) would give the same draws, and the direct curve's slope as z against them. Run from the
// repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/ErrorTilt.java HYBRID_CURVES DIRECT_CURVES HYBRID_FITS \
//       DIRECT_FITS PARAM
//
// (HYBRID_CURVES/NAME.dat and DIRECT_CURVES/NAME.dat the two curves of one name, with sigma columns.)
// -Dreplica=REP_DIR:SET_DIR adds a line per curve for the direct curve made from another realisation of the
// simulator at the same truth (REP_DIR/curve-NNN.dat) with the same measurement noise, I_rep * I_direct /
// I_set (SET_DIR/curve-NNN.dat the noise-free curve the direct one was made from): e changes only by the
// realisation noise, so a tilt that both realisations share is the surrogate's error, one that differs
// is the realisation noise's.
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class ErrorTilt {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ErrorTilt HYBRID_CURVES DIRECT_CURVES HYBRID_FITS DIRECT_FITS PARAM");
        }
        Path hybrid = Path.of(args[0]);
        Path direct = Path.of(args[1]);
        Path hybridFits = Path.of(args[2]);
        Path directFits = Path.of(args[3]);
        String param = args[4];
        ObjectMapper json = new ObjectMapper();
        Surrogate sur = Surrogate.loadDefault();
        ErrorModel em = sur.errorModel().orElseThrow();
        LnpFitModel lnp = LnpFitModel.of(sur);
        DifferentiableModel model = lnp.model();
        List<String> names = model.parameters().names();
        int p = names.indexOf(param);
        if (p < 0) {
            throw new IllegalArgumentException(param + " is not one of " + names);
        }
        double lo = model.parameters().lowerBounds()[p];
        double hi = model.parameters().upperBounds()[p];
        List<String> curves = new ArrayList<>();
        try (var list = Files.list(hybridFits)) {
            list.filter(d -> Files.exists(d.resolve("posterior-draws.dat"))).map(d -> d.getFileName().toString()).sorted()
                    .forEach(curves::add);
        }
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no posterior-draws.dat under " + hybridFits);
        }
        System.out.printf(Locale.ROOT, "%s (box %.4g..%.4g): p16/median/p84 of the hybrid posterior, reweighted by exp(-dG/2),"
                + " and the direct fit's own%n", param, lo, hi);
        for (String name : curves) {
            double[][] h = columns(hybrid.resolve(name + ".dat"));
            double[][] d = columns(direct.resolve(name + ".dat"));
            double truth = truth(hybrid.resolve(name + ".dat"), param);
            double[] best = theta(names, json.readTree(hybridFits.resolve(name).resolve("report.json").toFile())
                    .path("best").path("parameters"));
            ModelError me = em.modelError(h[0], names);
            LogIntensityLikelihood lh = new LogIntensityLikelihood(h[0], h[1], h[2], 1, me).at(best);
            List<double[]> draws = draws(hybridFits.resolve(name).resolve("posterior-draws.dat"), names.size());
            int n = draws.size();
            double[] x = new double[n];
            double[][] ms = new double[n][];
            double[] gh = new double[n];
            for (int k = 0; k < n; k++) {
                ms[k] = model.evaluate(draws.get(k));
                gh[k] = loss(lh, ms[k]);
                x[k] = (draws.get(k)[p] - lo) / (hi - lo);
            }
            double[] ones = new double[n];
            Arrays.fill(ones, 1);
            String own = "";
            Path dr = directFits.resolve(name).resolve("report.json");
            if (Files.exists(dr)) {
                JsonNode pp = json.readTree(dr.toFile()).path("posterior").path("parameters").path(param);
                own = String.format(Locale.ROOT, "  direct fit %.4f/%.4f/%.4f", pp.path("p16").asDouble(), pp.path("median").asDouble(),
                        pp.path("p84").asDouble());
            }
            double[] dg = deltaG(ms, gh, new LogIntensityLikelihood(d[0], d[1], d[2], 1, me).at(best));
            System.out.printf(Locale.ROOT, "%s truth %.4f  hybrid %.4f/%.4f/%.4f%s%n  direct:  %s%n", name, truth,
                    quantile(draws, p, ones, 0.16), quantile(draws, p, ones, 0.5), quantile(draws, p, ones, 0.84), own,
                    tilt(draws, p, x, dg));
            String replica = System.getProperty("replica");
            Path rep = replica == null ? null : Path.of(replica.split(":")[0]).resolve("curve-" + number(name) + ".dat");
            if (rep != null && Files.exists(rep)) {
                double[] ir = columns(rep)[1];
                double[] is = columns(Path.of(replica.split(":")[1]).resolve("curve-" + number(name) + ".dat"))[1];
                double[] d2 = new double[ir.length];
                double[] s2 = new double[ir.length];
                for (int k = 0; k < ir.length; k++) {
                    d2[k] = d[1][k] * ir[k] / is[k];
                    s2[k] = d[2][k] * ir[k] / is[k];
                }
                System.out.println("  replica: " + tilt(draws, p, x, deltaG(ms, gh,
                        new LogIntensityLikelihood(d[0], d2, s2, 1, me).at(best))));
            }
            int k = Integer.getInteger("draws", 0);
            if (k > 0) { // e drawn from the error model at that size: the slopes it would give
                double a = me.amplitude() == null ? 1 : me.amplitude().at(best, 0, best.length, null, 0);
                double[][] lower = new CholeskyDecomposition(MatrixUtils.createRealMatrix(me.covariance(h[0])), 1e-12, 1e-14)
                        .getL().getData();
                Random rng = new Random(20261212L * 1000003L + Integer.parseInt(number(name)));
                double[] slopes = new double[k];
                for (int j = 0; j < k; j++) {
                    double[] z = new double[h[0].length];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = rng.nextGaussian();
                    }
                    double[] dj = new double[z.length];
                    double[] sj = new double[z.length];
                    for (int i = 0; i < z.length; i++) {
                        double e = 0;
                        for (int l = 0; l <= i; l++) {
                            e += lower[i][l] * z[l];
                        }
                        dj[i] = h[1][i] * Math.exp(a * e);
                        sj[i] = h[2][i] * Math.exp(a * e);
                    }
                    slopes[j] = slope(x, deltaG(ms, gh, new LogIntensityLikelihood(h[0], dj, sj, 1, me).at(best)));
                }
                double mean = Arrays.stream(slopes).average().orElseThrow();
                double sd = Math.sqrt(Arrays.stream(slopes).map(v -> (v - mean) * (v - mean)).sum() / (k - 1));
                System.out.printf(Locale.ROOT, "  error model, %d draws of e: dG slope %.2f +- %.2f per box width; the direct"
                        + " curve's z = %.2f%n", k, mean, sd, (slope(x, dg) - mean) / sd);
            }
        }
        System.exit(0);
    }

    static String number(String name) {
        return name.substring(name.length() - 3);
    }

    static double loss(LogIntensityLikelihood l, double[] curve) {
        double[] value = new double[1];
        l.evaluate(curve, 1, value, null);
        return value[0];
    }

    /** G under l minus the hybrid's G, per draw. */
    static double[] deltaG(double[][] ms, double[] gh, LogIntensityLikelihood l) {
        double[] dg = new double[ms.length];
        for (int k = 0; k < ms.length; k++) {
            dg[k] = loss(l, ms[k]) - gh[k];
        }
        return dg;
    }

    /** The least-squares slope of y along x. */
    static double slope(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (int k = 0; k < x.length; k++) {
            sxx += (x[k] - mx) * (x[k] - mx);
            sxy += (x[k] - mx) * (y[k] - my);
        }
        return sxy / sxx;
    }

    /** The reweighted quantiles of column p, the weights' ESS, and dG's slope along x with its spread. */
    static String tilt(List<double[]> draws, int p, double[] x, double[] dg) {
        int n = dg.length;
        double min = Arrays.stream(dg).min().orElseThrow();
        double[] w = new double[n];
        double sw = 0;
        double sw2 = 0;
        for (int k = 0; k < n; k++) {
            w[k] = Math.exp(-(dg[k] - min) / 2);
            sw += w[k];
            sw2 += w[k] * w[k];
        }
        double mg = Arrays.stream(dg).average().orElseThrow();
        double sgg = Arrays.stream(dg).map(v -> (v - mg) * (v - mg)).sum();
        return String.format(Locale.ROOT, "reweighted %.4f/%.4f/%.4f (ESS %.0f of %d)  dG slope %.2f per box width, sd %.2f",
                quantile(draws, p, w, 0.16), quantile(draws, p, w, 0.5), quantile(draws, p, w, 0.84), sw * sw / sw2, n,
                slope(x, dg), Math.sqrt(sgg / n));
    }

    /** The weighted quantile of column p of the draws. */
    static double quantile(List<double[]> draws, int p, double[] w, double level) {
        Integer[] order = new Integer[draws.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> draws.get(k)[p]));
        double total = Arrays.stream(w).sum();
        double acc = 0;
        for (int k : order) {
            acc += w[k];
            if (acc >= level * total) {
                return draws.get(k)[p];
            }
        }
        return draws.get(order[order.length - 1])[p];
    }

    /** q, I and sigma of a curve file (sigma NaN where the file has no third column). */
    static double[][] columns(Path file) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                rows.add(Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        double[][] c = new double[3][rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            for (int j = 0; j < 3; j++) {
                c[j][k] = j < rows.get(k).length ? rows.get(k)[j] : Double.NaN;
            }
        }
        return c;
    }

    static double truth(Path file, String param) throws Exception {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# truth." + param + "=")) {
                return Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** The draws' parameter columns (after chain, iteration, loss and log_posterior). */
    static List<double[]> draws(Path file, int d) throws Exception {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                double[] v = Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray();
                out.add(Arrays.copyOfRange(v, 4, 4 + d));
            }
        }
        return out;
    }

    static double[] theta(List<String> names, JsonNode parameters) {
        double[] theta = new double[names.size()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = parameters.path(names.get(j)).asDouble(Double.NaN);
        }
        return theta;
    }
}
