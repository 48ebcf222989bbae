// A one-minute stand-in for the calibration study (docs/calibration.md, "What drives the
// narrow-distribution misses"): would a variant of the surrogate's error model cover the truths? For
// each curve with known truth, its best fit is refined by Gauss-Newton steps (4; -Dgn=N for N) under
// the variant's likelihood (generalised least squares in ln I, the scale profiled, the model error's
// amplitude held at the fit's contrast as a fit holds it), and the Laplace approximation there gives
// each parameter's standard deviation sd (from the Gauss-Newton Hessian). Per parameter it prints the
// share of curves with |z| <= 1 and <= 1.645, z = (fit - truth) / sd on the canonical contrast-sign
// image, and the robust scale median|z| / 0.6745 (1 when the intervals are as wide as the errors
// need, below 1 too wide); then the shares again for the curves whose true radius_cv is below / at
// or above 0.25. Laplace intervals ignore the box and other modes: for radius_mean and
// radius_cv their sd is within 2 % of the posterior's on the calibration set, for GRF_shift and
// shell_thickness the posterior is about 0.7 times as wide; so compare variants, not absolute numbers.
// The generalised least squares is the script's own so that it can add terms the library's
// LogIntensityLikelihood does not have; for the shipped error model it gives the same z and sd as the
// likelihood's own Gauss-Newton Hessian (LogIntensityLikelihood.gaussNewton), to the digits printed.
//
// Run from the repository root (after ./lnpsaxs --version has built the jar):
//
//   mkdir -p runs/errset runs/calibration
//   tar -xzf docs/error-model/errset-20261204.tar.gz -C runs/errset
//   tar -xzf docs/calibration/calibration-set.tar.gz -C runs/calibration
//   tar -xzf docs/calibration/fits-done.tar.gz -C runs/calibration
//   java -cp cli/target/lnpsaxs.jar docs/calibration/AddNoise.java runs/calibration/set runs/calibration/noisy
//   java -Derrset=runs/errset -cp cli/target/lnpsaxs.jar docs/error-model/LaplaceZ.java \
//       runs/calibration/noisy runs/calibration/fits shipped cv:0.34 s0:0.02 par:0.5:0.537
//
// Arguments: CURVES (a folder of curve files on the surrogate's grid, the truth in '# truth.NAME='
// lines; a third column, sigma of I, enters the likelihood as the data's error), FITS (a summary.csv
// of `lnpsaxs fit`, or a folder of fits with one report.json per curve), then variants:
//   shipped      the default model's error model
//   off          no model error (the data's sigma alone)
//   p:P          sigma(q) with exponent P, rescaled to the shipped sigma's RMS over the grid
//   l:L          the Matern length L (1/A)
//   s0:S         the shipped sigma(q) plus S (ln I)
//   em:FILE      the error model of an error-model JSON file, as `lnpsaxs fit --error-model FILE`
//   cv:B         the shipped sigma(q) times (radius_cv / 0.25)^-B at the fit's radius_cv
//   par:S[:F]    the shipped sigma(q) times F, plus S^2 a^2 J Sigma_delta J^T: the parameter-like part
//                of the error measured on the error set given by -Derrset=DIR (parameterLikeCovariance),
//                J the model's tangent at the fit in box widths
//   parsize:S[:F] the same with only the size parameters' block of Sigma_delta (radius_mean, radius_cv)
//   parsizecv:S:B the size block with S (radius_cv / 0.25)^-B at the fit's radius_cv (held)
//   sizeest:C0:P the shipped error with the part that the two size estimates see (its regression on their
//                rows of the step's map A = (X'C^-1 X)^-1 X'C^-1 at the fit) scaled in variance by
//                (radius_cv / C0)^-P at the fit's radius_cv (held), the rest kept (docs/calibration.md, "Where
//                the error model is too wide: the size of broad distributions")
// Options: -Dmodel=lnp-closed (the closed form of the fluctuation term instead of the surrogate's networks,
// the same error models; FITS must then be fits by lnp-closed: from the surrogate's fits four Gauss-Newton
// steps can end where a component stops mattering, with a singular Hessian and sd beyond the box),
// -Dprojection=gls (Sigma_delta from each error-set curve's generalised least-squares
// projection under the shipped error model, less the covariance that model already gives it, the
// mean made positive semi-definite: the parameter-like error the model misses; with -Dchi2=true it also
// prints, per curve of -Derrset, the chi^2 of that projection with the scale profiled: 'chi2 FILE X'),
// -Dprojz=true (with -Dprojection=gls: per parameter, the share of -Derrset curves whose projection's z =
// delta / sd, sd from the error model's covariance of that projection, has |z| <= 1, and the RMS of z, for the
// curves with relative_rho_shell below / at or above 1 on the canonical image),
// -Dprojdump=true (with -Dprojection=gls: per curve of -Derrset, 'proj FILE' then per parameter its name, the truth's
// place in the box (0 at the lower edge, 1 at the upper) and the projection's z = delta / sd as for -Dprojz),
// -Dbands=true (per curve of -Derrset, the RMS of its error over the error model's sigma(q), the
// mean removed and the contrast law divided out, in 6 bands of q: 'bands FILE X1 .. X6'),
// -Dinflate=true (the covariance times chi2_red where chi2_red > 1 + 3 sqrt(2/nu), nu = points - parameters - 1,
// as the chi2 posterior inflates sigma; with the variant off it stands in for `--loss chi2 --posterior`),
// -Dsandwich=true (the sd from a sandwich whose meat is the data's sigma plus the error set's
// own errors, -Derrset), -Dclean=SET_DIR (each point's relative sigma against the noise-free curve of
// the same number: a check of the sigma/I weighting, not a method), -Dnoiseless=SET_DIR (the noise-free
// curve of the same number as the data, with the noisy file's sigma: the surrogate's error alone, weighted
// as the data's sigma weights it; CURVES = SET_DIR with FITS of the noisy curves: no sigma at all), -Ddump=FILE (z and sd per curve
// and parameter of the first variant, CSV).
import java.nio.file.*;
import java.util.*;

import org.lnpsaxs.core.math.Cholesky;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.lnpsaxs.surrogate.internal.JsonValues;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

public class LaplaceZ {

    /** The error-set curves' errors ln I_direct - ln I_model(truth), mean removed, divided by a(truth). */
    static final List<double[]> EMPIRICAL = new ArrayList<>();
    /** With the variant sizeest: {t^2, index of radius_mean, index of radius_cv} for the curve at hand, else null. */
    static double[] SIZE_EST;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Surrogate s = Surrogate.loadDefault();
        ErrorModel shipped = s.errorModel().orElseThrow();
        // -Dmodel=lnp-closed: the closed form of the fluctuation term (LnpFitModel.closedForm()) in place of the
        // surrogate's networks; the error model of the variants is still the surrogate's unless em:FILE names another
        LnpFitModel lnp = "lnp-closed".equals(System.getProperty("model")) ? LnpFitModel.closedForm() : LnpFitModel.of(s);
        DifferentiableModel model = lnp.model();
        System.out.println("model: " + lnp.name());
        List<String> names = model.parameters().names();
        int d = names.size();
        ParameterSpace box = lnp.defaultSpace(Map.of()).box();
        if (!box.names().equals(names)) {
            throw new IllegalStateException("the box " + box.names() + " and the model " + names + " differ");
        }
        double[] lo = box.lowerBounds(), hi = box.upperBounds();
        Symmetry sign = lnp.symmetries().get(0);
        int[] signIdx = sign.parameters().stream().mapToInt(names::indexOf).toArray();
        double[] q = s.q();

        List<String> lines = fitLines(Path.of(args[1]), names);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<double[]> truths = new ArrayList<>(), fits = new ArrayList<>(), data = new ArrayList<>(), sigmas = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] cells = l.split(",");
            if (!"ok".equals(cells[header.indexOf("status")])) {
                continue;
            }
            double[] hat = new double[d];
            for (int j = 0; j < d; j++) {
                hat[j] = Double.parseDouble(cells[header.indexOf(names.get(j))]);
            }
            double[] truth = new double[d];
            List<Double> intensity = new ArrayList<>(), sigma = new ArrayList<>();
            Path file = dir.resolve(Path.of(cells[header.indexOf("file")]).getFileName());
            if (!Files.exists(file)) { // the noise-free set names its curves curve-NNN.dat
                file = dir.resolve(file.getFileName().toString().replace("noisy-", "curve-"));
            }
            for (String row : Files.readAllLines(file)) {
                if (row.startsWith("# truth.")) {
                    String[] kv = row.substring(8).split("=");
                    truth[names.indexOf(kv[0].trim())] = Double.parseDouble(kv[1].trim());
                } else if (!row.startsWith("#") && !row.isBlank()) {
                    String[] t = row.trim().split("\\s+");
                    intensity.add(Double.parseDouble(t[1]));
                    if (t.length > 2) {
                        sigma.add(Double.parseDouble(t[2]));
                    }
                }
            }
            if (intensity.size() != q.length) {
                throw new IllegalStateException(cells[0] + ": not on the surrogate's grid");
            }
            truths.add(truth);
            fits.add(hat);
            data.add(intensity.stream().mapToDouble(Double::doubleValue).toArray());
            double[] sg = sigma.size() == q.length ? sigma.stream().mapToDouble(Double::doubleValue).toArray() : null;
            String oracle = System.getProperty("clean");
            String noiseless = System.getProperty("noiseless");
            if (sg != null && (oracle != null || noiseless != null)) {
                // the noise-free curve of the same number: as the denominator of the relative sigma (-Dclean,
                // a check, not a method) or as the data, keeping the noisy file's sigma (-Dnoiseless)
                String cleanName = Path.of(cells[header.indexOf("file")]).getFileName().toString().replace("noisy-", "curve-");
                int k = 0;
                double[] dk = data.get(data.size() - 1);
                for (String row : Files.readAllLines(Path.of(oracle != null ? oracle : noiseless).resolve(cleanName))) {
                    if (!row.startsWith("#") && !row.isBlank()) {
                        double clean = Double.parseDouble(row.trim().split("\\s+")[1]);
                        if (oracle != null) {
                            sg[k] = sg[k] * intensity.get(k) / clean;
                        } else {
                            dk[k] = clean;
                        }
                        k++;
                    }
                }
            }
            sigmas.add(sg);
            files.add(Path.of(cells[header.indexOf("file")]).getFileName().toString());
        }
        System.out.printf(Locale.ROOT, "%d curves; shipped: %s%n", truths.size(), shipped);
        double shippedRms = rms(shipped, q);
        String errset = System.getProperty("errset");
        double[][] sigmaDelta = errset == null ? null
                : parameterLikeCovariance(Path.of(errset), model, shipped, names, q, lo, hi);
        for (int v = 2; v < args.length; v++) {
            ErrorModel em = variant(args[v], shipped, q, shippedRms);
            double parScale = args[v].startsWith("par") ? Double.parseDouble(args[v].split(":")[1]) : 0;
            double[][] sd = sigmaDelta;
            if (args[v].startsWith("parsize") && sigmaDelta != null) { // only the size block of Sigma_delta
                sd = new double[d][d];
                for (String a : List.of("radius_mean", "radius_cv")) {
                    for (String b : List.of("radius_mean", "radius_cv")) {
                        sd[names.indexOf(a)][names.indexOf(b)] = sigmaDelta[names.indexOf(a)][names.indexOf(b)];
                    }
                }
            }
            if (parScale > 0 && sigmaDelta == null) {
                throw new IllegalArgumentException("the variant " + args[v] + " needs -Derrset=DIR");
            }
            double[][] z = new double[truths.size()][];
            for (int c = 0; c < truths.size(); c++) {
                ErrorModel emc = em;
                if (args[v].startsWith("cv:")) { // sigma times (radius_cv/0.25)^-beta at the fit's radius_cv, held
                    double f = Math.pow(fits.get(c)[names.indexOf("radius_cv")] / 0.25, -Double.parseDouble(args[v].substring(3)));
                    emc = new ErrorModel(em.scope(), em.sigma0() * f, em.sigma1() * f, em.exponent(), em.correlationLength(),
                            em.contrastExponent(), em.contrastFloor(), Map.of());
                }
                double ps = parScale;
                if (args[v].startsWith("parsizecv:")) { // S (radius_cv/0.25)^-B at the fit's radius_cv, held
                    ps = parScale * Math.pow(fits.get(c)[names.indexOf("radius_cv")] / 0.25,
                            -Double.parseDouble(args[v].split(":")[2]));
                }
                if (args[v].startsWith("sizeest:")) {
                    String[] f = args[v].split(":");
                    SIZE_EST = new double[] {Math.pow(fits.get(c)[names.indexOf("radius_cv")] / Double.parseDouble(f[1]),
                            -Double.parseDouble(f[2])), names.indexOf("radius_mean"), names.indexOf("radius_cv")};
                } else {
                    SIZE_EST = null;
                }
                z[c] = zScores(model, emc, sd, ps, q, data.get(c), sigmas.get(c), fits.get(c), truths.get(c), lo,
                        hi, sign, signIdx, names);
            }
            String dump = System.getProperty("dump");
            if (dump != null && v == 2) { // per curve and parameter: z and sd of the first variant
                StringBuilder sb = new StringBuilder("file,parameter,z,sd\n");
                for (int c = 0; c < z.length; c++) {
                    for (int j = 0; j < d; j++) {
                        sb.append(String.format(Locale.ROOT, "%s,%s,%.6g,%.6g%n", files.get(c), names.get(j), z[c][j], z[c][d + j]));
                    }
                }
                Files.writeString(Path.of(dump), sb);
            }
            System.out.println(em == null ? String.format("%n== %s: no model error", args[v]) : String.format(Locale.ROOT,
                    "%n== %s: sigma(q) = %.4g + %.4g (q/0.1)^%.3g, length %.4g 1/A", args[v], em.sigma0(), em.sigma1(),
                    em.exponent(), em.correlationLength()));
            int icv = names.indexOf("radius_cv");
            System.out.printf(Locale.ROOT, "%-20s %8s %8s %8s   %s%n", "parameter", "|z|<=1", "<=1.645", "scale",
                    "|z|<=1 (<=1.645), truth's radius_cv < 0.25 / >= 0.25");
            for (int j = 0; j < d; j++) {
                double[] a = new double[z.length];
                int in1 = 0, in2 = 0;
                int[] nSplit = new int[2], in1Split = new int[2], in2Split = new int[2];
                for (int c = 0; c < z.length; c++) {
                    a[c] = Math.abs(z[c][j]);
                    in1 += a[c] <= 1 ? 1 : 0;
                    in2 += a[c] <= 1.645 ? 1 : 0;
                    int h = truths.get(c)[icv] < 0.25 ? 0 : 1;
                    nSplit[h]++;
                    in1Split[h] += a[c] <= 1 ? 1 : 0;
                    in2Split[h] += a[c] <= 1.645 ? 1 : 0;
                }
                Arrays.sort(a);
                System.out.printf(Locale.ROOT, "%-20s %8.2f %8.2f %8.2f   %.2f / %.2f (%.2f / %.2f)%n", names.get(j),
                        (double) in1 / z.length, (double) in2 / z.length, a[a.length / 2] / 0.6745,
                        share(in1Split[0], nSplit[0]), share(in1Split[1], nSplit[1]), share(in2Split[0], nSplit[0]),
                        share(in2Split[1], nSplit[1]));
            }
        }
    }

    static double share(int k, int n) {
        return n == 0 ? Double.NaN : (double) k / n;
    }

    /**
     * The rows of a summary.csv (file, the parameters, status), or the same made from a directory of
     * fits (one folder per curve with its report.json: the best fit, and the data file it names).
     */
    static List<String> fitLines(Path fits, List<String> names) throws Exception {
        if (!Files.isDirectory(fits)) {
            return Files.readAllLines(fits);
        }
        List<String> out = new ArrayList<>();
        out.add("file," + String.join(",", names) + ",status");
        List<Path> reports = new ArrayList<>();
        try (var st = Files.list(fits)) {
            st.map(f -> f.resolve("report.json")).filter(Files::isRegularFile).sorted().forEach(reports::add);
        }
        for (Path r : reports) {
            Map<?, ?> report = (Map<?, ?>) JsonValues.read(Files.readAllBytes(r));
            Map<?, ?> best = (Map<?, ?>) ((Map<?, ?>) report.get("best")).get("parameters");
            StringBuilder sb = new StringBuilder(String.valueOf(((Map<?, ?>) report.get("data")).get("file")));
            for (String n : names) {
                sb.append(',').append(((Number) best.get(n)).doubleValue());
            }
            out.add(sb.append(",ok").toString());
        }
        return out;
    }

    static double rms(ErrorModel em, double[] q) {
        double s = 0;
        for (double x : q) {
            s += em.sigma(x) * em.sigma(x);
        }
        return Math.sqrt(s / q.length);
    }

    static ErrorModel variant(String spec, ErrorModel e, double[] q, double shippedRms) {
        String[] p = spec.split(":");
        switch (p[0]) {
            case "shipped":
                return e;
            case "off": // no model error: the data's sigma alone (needs curves with a sigma column)
                return null;
            case "p": {
                ErrorModel u = new ErrorModel(e.scope(), e.sigma0(), 1.0, Double.parseDouble(p[1]), e.correlationLength(),
                        e.contrastExponent(), e.contrastFloor(), Map.of());
                double f = shippedRms / rms(u, q);
                return new ErrorModel(e.scope(), e.sigma0() * f, f, u.exponent(), e.correlationLength(), e.contrastExponent(),
                        e.contrastFloor(), Map.of());
            }
            case "cv": // scaled per curve in main
                return e;
            case "parsizecv":
            case "sizeest": // rescaled per curve in zScores
                return e;
            case "par":
            case "parsize": { // the parameter-like term is added per curve; par:S:F also scales the shipped sigma by F
                double f = p.length > 2 ? Double.parseDouble(p[2]) : 1;
                return new ErrorModel(e.scope(), e.sigma0() * f, e.sigma1() * f, e.exponent(), e.correlationLength(),
                        e.contrastExponent(), e.contrastFloor(), Map.of());
            }
            case "em": // the error model of an error-model JSON file (as `lnpsaxs fit --error-model FILE`)
                try {
                    String file = spec.substring(3);
                    return ErrorModel.fromJson(Files.readAllBytes(Path.of(file)), file);
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            case "s0": // the shipped sigma(q) plus a constant S0 (ln I)
                return new ErrorModel(e.scope(), e.sigma0() + Double.parseDouble(p[1]), e.sigma1(), e.exponent(),
                        e.correlationLength(), e.contrastExponent(), e.contrastFloor(), Map.of());
            case "l":
                return new ErrorModel(e.scope(), e.sigma0(), e.sigma1(), e.exponent(), Double.parseDouble(p[1]),
                        e.contrastExponent(), e.contrastFloor(), Map.of());
            default:
                throw new IllegalArgumentException("unknown variant " + spec);
        }
    }

    /**
     * The parameter-like part of the surrogate's error (the variant {@code par:S}): on each error-set
     * curve the error e = ln I_direct - ln I_model(truth) is regressed (ordinary least squares, with a
     * constant for the profiled scale) on the model's tangent J_b = d ln I / d(theta / box width) at
     * the truth; delta / a(truth) (a the contrast law) is one sample of the error in parameter space.
     * Returns their mean outer product (box units squared).
     */
    static double[][] parameterLikeCovariance(Path errset, DifferentiableModel model, ErrorModel shipped, List<String> names,
                                              double[] q, double[] lo, double[] hi) throws Exception {
        int d = names.size();
        double[][] acc = new double[d][d];
        int n = 0;
        List<Path> files = new ArrayList<>();
        try (var st = Files.list(errset)) {
            st.filter(f -> f.getFileName().toString().matches("curve-\\d+\\.dat")).sorted().forEach(files::add);
        }
        double[] rms = new double[d];
        double maxCv = Double.parseDouble(System.getProperty("errsetMaxCv", "Infinity"));
        for (Path f : files) {
            double[] truth = new double[d];
            List<Double> intensity = new ArrayList<>();
            for (String row : Files.readAllLines(f)) {
                if (row.startsWith("# truth.")) {
                    String[] kv = row.substring(8).split("=");
                    truth[names.indexOf(kv[0].trim())] = Double.parseDouble(kv[1].trim());
                } else if (!row.startsWith("#") && !row.isBlank()) {
                    intensity.add(Double.parseDouble(row.trim().split("\\s+")[1]));
                }
            }
            if (!(truth[names.indexOf("radius_cv")] < maxCv)) { // -DerrsetMaxCv: only the narrower distributions
                continue;
            }
            double[] m = model.evaluate(truth);
            double[][] jl = logJacobian(model, truth, lo, hi);
            int nq = m.length;
            double[][] x = new double[nq][d + 1];
            double[] e = new double[nq];
            for (int i = 0; i < nq; i++) {
                e[i] = Math.log(intensity.get(i)) - Math.log(m[i]);
                for (int j = 0; j < d; j++) {
                    x[i][j] = jl[i][j] * (hi[j] - lo[j]);
                }
                x[i][d] = 1;
            }
            double[][] xtx = new double[d + 1][d + 1];
            double[] xte = new double[d + 1];
            for (int i = 0; i < nq; i++) {
                for (int a = 0; a <= d; a++) {
                    xte[a] += x[i][a] * e[i];
                    for (int b = 0; b <= d; b++) {
                        xtx[a][b] += x[i][a] * x[i][b];
                    }
                }
            }
            double[] delta = solve(xtx, xte);
            double amp = shipped.amplitude(truth[names.indexOf(ErrorModel.CORE_CONTRAST)],
                    truth[names.indexOf(ErrorModel.SHELL_DENSITY)]);
            double[][] excessV = null;
            if (GLS) { // the fit's own projection under the error model (its amplitude at the truth), and its covariance
                double[] sg = new double[nq];
                for (int i = 0; i < nq; i++) {
                    sg[i] = amp * shipped.sigma(q[i]);
                }
                double[][] cm = new ModelError(q, sg, shipped.correlationLength(), "gls").covariance(q);
                double[] c = new double[nq * nq];
                for (int i = 0; i < nq; i++) {
                    System.arraycopy(cm[i], 0, c, i * nq, nq);
                }
                String sigmaDir = System.getProperty("errsetSigma");
                if (sigmaDir != null) { // the data's sigma of a noisy copy of the curve (noisy-NNN.dat), relative
                    Path noisy = Path.of(sigmaDir).resolve(f.getFileName().toString().replace("curve-", "noisy-"));
                    int k = 0;
                    for (String row : Files.readAllLines(noisy)) {
                        if (!row.startsWith("#") && !row.isBlank()) {
                            String[] t = row.trim().split("\\s+");
                            c[k * nq + k] += Math.pow(Double.parseDouble(t[2]) / intensity.get(k), 2);
                            k++;
                        }
                    }
                }
                double[] l = Cholesky.lower(c, nq);
                double[][] w = whitenedColumns(l, nq, x, d); // x's last column is the ones
                double[] y = forward(l, nq, e);
                double[][] fi = new double[d + 1][d + 1];
                double[] g = new double[d + 1];
                for (int u = 0; u <= d; u++) {
                    g[u] = dot(w[u], y);
                    for (int v = 0; v <= d; v++) {
                        fi[u][v] = dot(w[u], w[v]);
                    }
                }
                delta = solve(fi, g);
                excessV = invert(fi);
                if (Boolean.getBoolean("projz")) { // -Dprojz=true: the projection's z per parameter, by contrast regime
                    double core = truth[names.indexOf(ErrorModel.CORE_CONTRAST)];
                    double rho = truth[names.indexOf(ErrorModel.SHELL_DENSITY)];
                    if (core < 0) { // the contrast-sign mirror's relative_rho_shell (canonical image, core >= 0)
                        rho = (2 - rho * (1 + core)) / (1 - core);
                    }
                    int regime = rho < 1 ? 0 : 1;
                    PROJZ_N[regime]++;
                    for (int a = 0; a < d; a++) {
                        double z = delta[a] / Math.sqrt(excessV[a][a]);
                        PROJZ_IN[regime][a] += Math.abs(z) <= 1 ? 1 : 0;
                        PROJZ_SQ[regime][a] += z * z;
                    }
                }
                if (Boolean.getBoolean("projdump")) { // -Dprojdump=true: per curve, each parameter's truth and projection
                    StringBuilder b = new StringBuilder("proj " + f.getFileName());
                    for (int a = 0; a < d; a++) {
                        b.append(String.format(Locale.ROOT, " %s %.4f %.3f", names.get(a),
                                (truth[a] - lo[a]) / (hi[a] - lo[a]), delta[a] / Math.sqrt(excessV[a][a])));
                    }
                    System.out.println(b);
                }
                if (Boolean.getBoolean("chi2")) { // -Dchi2=true: how parameter-like the error at the truth is
                    // g . delta is the GLS residual's drop when the parameters and the scale move; less the
                    // scale's own share, it is the parameter-like chi^2 (chi^2 with d degrees of freedom when
                    // the error is a draw of the error model)
                    double chi2 = dot(g, delta) - g[d] * g[d] / fi[d][d];
                    System.out.printf(Locale.ROOT, "chi2 %s %.2f%n", f.getFileName(), chi2);
                }
            }
            double mean = Arrays.stream(e).average().orElse(0);
            double[] en = new double[nq];
            for (int i = 0; i < nq; i++) {
                en[i] = (e[i] - mean) / amp;
            }
            EMPIRICAL.add(en);
            if (Boolean.getBoolean("bands")) { // -Dbands=true: RMS of the error in units of the error model's sigma, 6 bands of q
                StringBuilder b = new StringBuilder("bands " + f.getFileName());
                int w = nq / 6;
                for (int k = 0; k < 6; k++) {
                    double ss = 0;
                    for (int i = k * w; i < (k + 1) * w; i++) {
                        ss += Math.pow(en[i] / shipped.sigma(q[i]), 2);
                    }
                    b.append(String.format(Locale.ROOT, " %.3f", Math.sqrt(ss / w)));
                }
                System.out.println(b);
            }
            for (int a = 0; a < d; a++) {
                rms[a] += Math.pow(delta[a] / amp, 2);
                for (int b = 0; b < d; b++) {
                    acc[a][b] += (delta[a] * delta[b] - (excessV == null ? 0 : excessV[a][b])) / (amp * amp);
                }
            }
            n++;
        }
        if (Boolean.getBoolean("projz")) {
            System.out.println("the error's projection at the truth, z = delta / sd (sd from the error model's covariance of the"
                    + " projection): share with |z| <= 1 and RMS z, relative_rho_shell < 1 / >= 1 (canonical image; "
                    + PROJZ_N[0] + " / " + PROJZ_N[1] + " curves)");
            for (int a = 0; a < d; a++) {
                System.out.printf(Locale.ROOT, "projz %-20s %.2f / %.2f   RMS %.2f / %.2f%n", names.get(a),
                        PROJZ_IN[0][a] / PROJZ_N[0], PROJZ_IN[1][a] / PROJZ_N[1], Math.sqrt(PROJZ_SQ[0][a] / PROJZ_N[0]),
                        Math.sqrt(PROJZ_SQ[1][a] / PROJZ_N[1]));
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "parameter-like error over %d error-set curves, RMS of delta/a in box widths:", n));
        for (int a = 0; a < d; a++) {
            sb.append(String.format(Locale.ROOT, " %s %.2g", names.get(a), Math.sqrt(rms[a] / n)));
            for (int b = 0; b < d; b++) {
                acc[a][b] /= n;
            }
        }
        System.out.println(sb);
        return GLS ? nonNegative(acc) : acc;
    }

    /** -Dprojz=true: per contrast regime (relative_rho_shell below / at or above 1), the curves, the count with |z| <= 1, sum z^2. */
    static final double[] PROJZ_N = new double[2];
    static final double[][] PROJZ_IN = new double[2][10], PROJZ_SQ = new double[2][10];

    /** -Dprojection=gls: Sigma_delta from the fit's own projection, less the covariance the error model already gives it. */
    static final boolean GLS = "gls".equals(System.getProperty("projection"));

    /** The symmetric matrix with its negative eigenvalues set to 0 (commons-math's eigendecomposition, as the library's). */
    static double[][] nonNegative(double[][] a) {
        int n = a.length;
        EigenDecomposition ed = new EigenDecomposition(new Array2DRowRealMatrix(a, true));
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double lam = Math.max(0, ed.getRealEigenvalue(k));
            double[] v = ed.getEigenvector(k).toArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] += v[i] * lam * v[j];
                }
            }
        }
        return out;
    }

    /**
     * z per parameter (then sd) after Gauss-Newton steps from {@code hat}, both points folded to the
     * canonical image. Generalised least squares in ln I with the scale profiled (a constant column),
     * the covariance C = a^2 Sigma_model + diag((sigma/I)^2) + S^2 a^2 J_b Sigma_delta J_b^T, a and J_b
     * held at {@code hat} as a fit holds them.
     */
    static double[] zScores(DifferentiableModel model, ErrorModel em, double[][] sigmaDelta, double parScale, double[] q,
                            double[] data, double[] sigma, double[] hat, double[] truth, double[] lo, double[] hi,
                            Symmetry sign, int[] signIdx, List<String> names) {
        int d = hat.length, nq = q.length;
        double[] c = new double[nq * nq];
        double a = em == null ? 0 : em.amplitude(hat[names.indexOf(ErrorModel.CORE_CONTRAST)],
                hat[names.indexOf(ErrorModel.SHELL_DENSITY)]);
        double[] errorCov = em == null ? null : errorPart(em, a, q);
        if (errorCov != null) {
            System.arraycopy(errorCov, 0, c, 0, nq * nq);
        }
        if (sigma != null) {
            for (int i = 0; i < nq; i++) {
                c[i * nq + i] += Math.pow(sigma[i] / data[i], 2);
            }
        }
        if (sigmaDelta != null && parScale > 0) {
            double[][] jl = logJacobian(model, hat, lo, hi);
            double[][] jb = new double[nq][d];
            for (int i = 0; i < nq; i++) {
                for (int j = 0; j < d; j++) {
                    jb[i][j] = jl[i][j] * (hi[j] - lo[j]);
                }
            }
            double f = parScale * parScale * a * a;
            for (int i = 0; i < nq; i++) {
                double[] t = new double[d];
                for (int u = 0; u < d; u++) {
                    for (int v = 0; v < d; v++) {
                        t[u] += sigmaDelta[u][v] * jb[i][v];
                    }
                }
                for (int k = 0; k < nq; k++) {
                    double v = 0;
                    for (int u = 0; u < d; u++) {
                        v += jb[k][u] * t[u];
                    }
                    c[i * nq + k] += f * v;
                }
            }
        }
        if (SIZE_EST != null) {
            rescaleSizeEstimates(c, errorCov, logJacobian(model, hat, lo, hi), SIZE_EST);
        }
        double[] l = Cholesky.lower(c, nq);
        if (l == null) {
            throw new IllegalStateException("covariance not positive definite");
        }
        double[] lnD = new double[nq];
        for (int i = 0; i < nq; i++) {
            lnD[i] = Math.log(data[i]);
        }
        double[] th = hat.clone();
        double[][] fisher = null;
        double[][] w = null;
        int steps = Integer.getInteger("gn", 4);
        for (int it = 0; it <= steps; it++) {
            double[] m = model.evaluate(th);
            w = whitenedColumns(l, nq, logJacobian(model, th, lo, hi), d);
            double[] r = new double[nq];
            for (int i = 0; i < nq; i++) {
                r[i] = lnD[i] - Math.log(m[i]);
            }
            double[] y = forward(l, nq, r);
            fisher = new double[d + 1][d + 1];
            double[] g = new double[d + 1];
            for (int u = 0; u <= d; u++) {
                g[u] = dot(w[u], y);
                for (int v = 0; v <= d; v++) {
                    fisher[u][v] = dot(w[u], w[v]);
                }
            }
            if (it == steps) {
                break;
            }
            double[] step = solve(fisher, g);
            double[] next = th.clone();
            for (int j = 0; j < d; j++) {
                next[j] = Math.min(hi[j], Math.max(lo[j], th[j] + step[j]));
            }
            if (profiled(l, nq, lnD, model.evaluate(next), w[d]) < profiled(l, nq, lnD, m, w[d])) {
                th = next;
            }
        }
        double[][] cov = invert(fisher);
        if (Boolean.getBoolean("sandwich") && !EMPIRICAL.isEmpty()) {
            // P = (W^T W)^-1 W^T L^-1 maps a data-space error to the parameter (and ln s) error; the meat is
            // the data's sigma plus a^2 times the errors seen on the error set
            // w is the whitened design at th, from the last pass of the loop above
            double[][] cinvJ = new double[d + 1][]; // rows: C^-1 X column, via L^-T w
            for (int j = 0; j <= d; j++) {
                cinvJ[j] = backward(l, nq, w[j]);
            }
            double[][] meat = new double[d + 1][d + 1];
            for (double[] e : EMPIRICAL) {
                double[] pe = new double[d + 1];
                for (int j = 0; j <= d; j++) {
                    pe[j] = dot(cinvJ[j], e) * a;
                }
                for (int u = 0; u <= d; u++) {
                    for (int v = 0; v <= d; v++) {
                        meat[u][v] += pe[u] * pe[v] / EMPIRICAL.size();
                    }
                }
            }
            if (sigma != null) {
                for (int u = 0; u <= d; u++) {
                    for (int v = 0; v <= d; v++) {
                        double acc = 0;
                        for (int i = 0; i < nq; i++) {
                            acc += cinvJ[u][i] * cinvJ[v][i] * Math.pow(sigma[i] / data[i], 2);
                        }
                        meat[u][v] += acc;
                    }
                }
            }
            double[][] full = invert(fisher);
            double[][] tmp = new double[d + 1][d + 1];
            double[][] sw = new double[d + 1][d + 1];
            for (int u = 0; u <= d; u++) {
                for (int v = 0; v <= d; v++) {
                    for (int k = 0; k <= d; k++) {
                        tmp[u][v] += full[u][k] * meat[k][v];
                    }
                }
            }
            for (int u = 0; u <= d; u++) {
                for (int v = 0; v <= d; v++) {
                    for (int k = 0; k <= d; k++) {
                        sw[u][v] += tmp[u][k] * full[k][v];
                    }
                }
            }
            cov = sw;
        }
        if (Boolean.getBoolean("inflate")) { // as the chi2 posterior does: sigma times sqrt(chi2_red) when it is clearly above 1
            int nu = nq - d - 1;
            double red = profiled(l, nq, lnD, model.evaluate(th), w[d]) / nu;
            if (red > 1 + 3 * Math.sqrt(2.0 / nu)) {
                for (double[] row : cov) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= red;
                    }
                }
            }
        }
        double[] fa = fold(th, sign, signIdx), t = fold(truth, sign, signIdx);
        double[] z = new double[2 * d]; // z, then sd
        for (int j = 0; j < d; j++) {
            z[d + j] = Math.sqrt(cov[j][j]);
            z[j] = (fa[j] - t[j]) / z[d + j];
        }
        return z;
    }

    /** The model error's covariance a^2 E (flat N x N). */
    static double[] errorPart(ErrorModel em, double a, double[] q) {
        int nq = q.length;
        double[] s = new double[nq];
        for (int i = 0; i < nq; i++) {
            s[i] = em.sigma(q[i]);
        }
        double[][] cm = new ModelError(q, s, em.correlationLength(), "check").covariance(q);
        double[] out = new double[nq * nq];
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < nq; j++) {
                out[i * nq + j] = a * a * cm[i][j];
            }
        }
        return out;
    }

    /**
     * C = E + N becomes T E T' + N, T = I + (t - 1) E B'(B E B')^-1 B, B the size parameters' rows of the step's
     * map A = (X'C^-1 X)^-1 X'C^-1 (X = [the log-Jacobian, 1]) at the fit: the part of the error that the size
     * estimates see is scaled by t (variance by t^2 = spec[0]), the part uncorrelated with them kept. The
     * library's home of the term since 2026-12-08 is LogIntensityLikelihood.withSizeEstimateTerm (the same matrix
     * as a rank-two update); this stand-in keeps its own form for the data covariances it builds itself.
     */
    static void rescaleSizeEstimates(double[] c, double[] e, double[][] jlog, double[] spec) {
        if (e == null) {
            throw new IllegalArgumentException("the variant sizeest needs a model error");
        }
        int nq = jlog.length, d = jlog[0].length;
        var cm = new Array2DRowRealMatrix(nq, nq);
        var em = new Array2DRowRealMatrix(nq, nq);
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < nq; j++) {
                cm.setEntry(i, j, c[i * nq + j]);
                em.setEntry(i, j, e[i * nq + j]);
            }
        }
        var x = new Array2DRowRealMatrix(nq, d + 1);
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < d; j++) {
                x.setEntry(i, j, jlog[i][j]);
            }
            x.setEntry(i, d, 1);
        }
        var cx = new org.apache.commons.math3.linear.CholeskyDecomposition(cm, 1e-12, 1e-14).getSolver().solve(x);
        var map = org.apache.commons.math3.linear.MatrixUtils.inverse(x.transpose().multiply(cx)).multiply(cx.transpose());
        var b = new Array2DRowRealMatrix(2, nq);
        b.setRow(0, map.getRow((int) spec[1]));
        b.setRow(1, map.getRow((int) spec[2]));
        var eb = em.multiply(b.transpose());
        var proj = eb.multiply(org.apache.commons.math3.linear.MatrixUtils.inverse(b.multiply(eb))).multiply(b);
        var t = org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(nq)
                .add(proj.scalarMultiply(Math.sqrt(spec[0]) - 1));
        var rescaled = t.multiply(em).multiply(t.transpose());
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < nq; j++) {
                c[i * nq + j] += 0.5 * (rescaled.getEntry(i, j) + rescaled.getEntry(j, i)) - e[i * nq + j];
            }
        }
    }

    /** L^-1 times each of the first {@code d} columns of {@code x} (N rows) and times a column of ones (the profiled ln-scale). */
    static double[][] whitenedColumns(double[] l, int n, double[][] x, int d) {
        double[][] w = new double[d + 1][];
        for (int j = 0; j <= d; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = j < d ? x[i][j] : 1;
            }
            w[j] = forward(l, n, col);
        }
        return w;
    }

    /** -2 ln L up to a constant with the scale profiled: |y|^2 - (y.u)^2/|u|^2, y = L^-1 (ln D - ln M), u = L^-1 1. */
    static double profiled(double[] l, int n, double[] lnD, double[] m, double[] u) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = lnD[i] - Math.log(m[i]);
        }
        double[] y = forward(l, n, r);
        double yu = dot(y, u);
        return dot(y, y) - yu * yu / dot(u, u);
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

    /** Solves L^T x = b (L lower, row-major). */
    static double[] backward(double[] l, int n, double[] b) {
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Central differences of ln I (steps 1e-5 of the box; one-sided at a bound). */
    static double[][] logJacobian(DifferentiableModel model, double[] th, double[] lo, double[] hi) {
        double[][] j = jacobian(model, th, lo, hi);
        double[] m = model.evaluate(th);
        for (int i = 0; i < m.length; i++) {
            for (int k = 0; k < th.length; k++) {
                j[i][k] /= m[i];
            }
        }
        return j;
    }

    static double[] fold(double[] th, Symmetry sign, int[] idx) {
        double[] v = new double[idx.length];
        for (int t = 0; t < idx.length; t++) {
            v[t] = th[idx[t]];
        }
        double[] out = th.clone();
        if (!sign.isCanonical(v)) {
            double[] w = sign.map(v);
            for (int t = 0; t < idx.length; t++) {
                out[idx[t]] = w[t];
            }
        }
        return out;
    }

    /** Central differences of the model, steps 1e-5 of the box (one-sided at a bound). */
    static double[][] jacobian(DifferentiableModel model, double[] th, double[] lo, double[] hi) {
        int d = th.length;
        double[][] jac = null;
        for (int j = 0; j < d; j++) {
            double step = 1e-5 * (hi[j] - lo[j]);
            double[] a = th.clone(), b = th.clone();
            a[j] = Math.min(hi[j], th[j] + step);
            b[j] = Math.max(lo[j], th[j] - step);
            double[] ma = model.evaluate(a), mb = model.evaluate(b);
            if (jac == null) {
                jac = new double[ma.length][d];
            }
            for (int i = 0; i < ma.length; i++) {
                jac[i][j] = (ma[i] - mb[i]) / (a[j] - b[j]);
            }
        }
        return jac;
    }

    static double[] solve(double[][] a, double[] b) {
        double[][] inv = invert(a);
        double[] x = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                x[i] += inv[i][j] * b[j];
            }
        }
        return x;
    }

    /** Gauss-Jordan with partial pivoting (10 x 10). */
    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double piv = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
