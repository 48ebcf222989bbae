// The surrogate's error model (docs/surrogate.md, "The surrogate's error model"): measures the
// shipped surrogate against the direct simulator and writes the error model into a model file.
// Run from the repository root (the jar of this checkout: ./lnpsaxs --version builds it):
//
//   mkdir -p runs/errset && tar -xzf docs/error-model/errset-20261204.tar.gz -C runs/errset
//   java -cp cli/target/lnpsaxs.jar docs/error-model/BuildErrorModel.java \
//       data/test-hq.lnpd.gz data/test-std.lnpd.gz runs/errset \
//       surrogate/src/main/resources/org/lnpsaxs/surrogate/default-model.zip OUT.zip [DATE [FITS_SUMMARY]]
//
// FITS_SUMMARY (docs/error-model/errset-fits-20261204.csv for the shipped model) is the summary.csv of
// blind fits of the polydisperse curves; with it the program calibrates the factor k of sigma by the
// likelihood-ratio statistic at the truth (see the comment at that step). The contrast law is fitted
// always. With the shipped inputs and date it rewrites the shipped model byte for byte.
//
// Inputs: test-hq (256 held-out curves, 100 x 3 realisations: the reference), test-std (the same
// 256 parameter points at the training settings, 10 x 3: the simulator's realisation noise), and
// the polydisperse curves made by docs/calibration/GenerateCalibrationSet.java with seed 20261204
// (the direct simulator averaged over a truncated log-normal radius, truth in each header).
// Everything in natural-log units of I. It prints the measured numbers and writes OUT.zip: the
// input model file with its error-model entry replaced (network and weights copied byte for byte,
// checksums recomputed; ModelFile.withErrorModel). DATE (UTC, yyyy-MM-dd) defaults to today; give
// it to reproduce a file byte for byte. Deterministic otherwise.
//
// The shipped error model is fitted to the polydisperse comparison with the surrogate averaged by
// the generator's own 64-node rule (the surrogate's error through an accurate size average, the
// direct curves' realisation noise included; the lnp fit model's quadrature error is reported but
// is the fit model's, not the surrogate's):
// sigma(q) = s0 + s1 (q/0.1)^p by weighted least squares on the RMS in bins of 10 grid points, the
// Matern-3/2 length by least squares on the correlation at lags 1..30 of the residuals with each
// curve's mean removed (a constant offset is absorbed by the profiled scale).
//
// -Dmodel=closed measures the closed form (ClosedFormLnp, `fit --model lnp-closed`) instead of the
// surrogate in MODEL.zip (whose q grid it takes) and writes the error model alone, as JSON, to OUT (a
// .json file); FITS_SUMMARY is then the summary.csv of `lnpsaxs fit runs/errset --model lnp-closed
// --loss loglik --starts 64 --no-figures`.
import java.io.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.*;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.lnpsaxs.surrogate.lnp.ClosedFormLnp;
import org.lnpsaxs.core.model.BatchedModel;

public class BuildErrorModel {
    static final double LN10 = Math.log(10);
    static final int[] LAGS = {1, 2, 3, 5, 7, 10, 15, 20, 30};
    static final int BIN = 10;

    public static void main(String[] args) throws Exception {
        Path hqFile = Path.of(args[0]), stdFile = Path.of(args[1]), polyDir = Path.of(args[2]);
        Path modelIn = Path.of(args[3]), modelOut = Path.of(args[4]);
        String date = args.length > 5 ? args[5] : LocalDate.now(ZoneOffset.UTC).toString();
        Surrogate s = Surrogate.load(modelIn);
        boolean closed = "closed".equals(System.getProperty("model"));
        BatchedModel mono = closed ? ClosedFormLnp.of(s.q()) : s;
        Map<String, Object> measured = new LinkedHashMap<>();

        // ---- monodisperse: surrogate vs test-hq, test-std vs test-hq -------------------------
        Dataset hq = Dataset.read(hqFile), std = Dataset.read(stdFile);
        int n = hq.size(), nq = hq.q().length, np = hq.parameters().size();
        double[] q = hq.q();
        if (!Arrays.equals(q, s.q()) || !hq.parameters().names().equals(s.parameters().names())) {
            throw new IllegalStateException("the data sets and the model differ in q grid or parameters");
        }
        double[] th = hq.thetaArray();
        double[] pred = new double[n * nq];
        if (closed) {
            mono.evaluate(th, n, pred);
            for (int i = 0; i < pred.length; i++) {
                pred[i] = Math.log10(pred[i]);
            }
        } else {
            s.predictLog10(th, n, pred);
        }
        double[][] dSur = new double[n][nq], dReal = new double[n][nq];
        for (int i = 0; i < n; i++) {
            if (!Arrays.equals(hq.theta(i), std.theta(i))) {
                throw new IllegalStateException("test-hq and test-std differ at curve " + i);
            }
            double[] h = hq.log10Intensity(i), st = std.log10Intensity(i);
            for (int k = 0; k < nq; k++) {
                dSur[i][k] = (pred[i * nq + k] - h[k]) * LN10;
                dReal[i][k] = (st[k] - h[k]) * LN10;
            }
        }
        // realisation noise: var(std - hq) = v10 + v100 = 1.1 v10 (30 vs 300 realisation-axes)
        double[] rmsSur = new double[nq], rmsSurOnly = new double[nq], biasSur = new double[nq], noise10 = new double[nq];
        for (int k = 0; k < nq; k++) {
            double b = 0, r = 0, r2 = 0;
            for (int i = 0; i < n; i++) {
                b += dSur[i][k];
                r += dSur[i][k] * dSur[i][k];
                r2 += dReal[i][k] * dReal[i][k];
            }
            biasSur[k] = b / n;
            rmsSur[k] = Math.sqrt(r / n);
            double v10 = r2 / n / 1.1;
            noise10[k] = Math.sqrt(v10);
            rmsSurOnly[k] = Math.sqrt(Math.max(0, r / n - v10 / 10));
        }
        System.out.println("== monodisperse " + (closed ? "closed form" : "surrogate") + " vs test-hq (" + n + " curves), ln I ==");
        System.out.println("q-band(1/A)        rms    rms(hq noise removed)  max|bias|  realisation noise 10x3");
        List<Object> bands = new ArrayList<>();
        for (int b0 = 0; b0 < nq; b0 += 60) {
            int b1 = Math.min(nq, b0 + 60);
            double r = rmsBand(rmsSur, b0, b1), ro = rmsBand(rmsSurOnly, b0, b1), nz = rmsBand(noise10, b0, b1);
            double mb = 0;
            for (int k = b0; k < b1; k++) {
                mb = Math.max(mb, Math.abs(biasSur[k]));
            }
            System.out.printf(Locale.ROOT, "%.4f-%.4f  %.4f  %.4f  %.4f  %.4f%n", q[b0], q[b1 - 1], r, ro, mb, nz);
            bands.add(Map.of("q", List.of(round(q[b0]), round(q[b1 - 1])), "rms", round(r), "rmsWithoutReferenceNoise",
                    round(ro), "maxAbsBias", round(mb), "realisationNoise10x3", round(nz)));
        }
        measured.put("monodisperseByQBand", bands);
        // dependence on R (quartiles of the test set), RMS over q bands
        int iR = hq.parameters().indexOf("R");
        Integer[] ord = new Integer[n];
        for (int i = 0; i < n; i++) {
            ord[i] = i;
        }
        Arrays.sort(ord, Comparator.comparingDouble(i -> th[i * np + iR]));
        System.out.println("monodisperse RMS by R quartile (q bands of 60 points):");
        List<Object> byR = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            double rlo = th[ord[g * n / 4] * np + iR], rhi = th[ord[(g + 1) * n / 4 - 1] * np + iR];
            List<Object> row = new ArrayList<>();
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "R %3.0f-%3.0f A:", rlo, rhi));
            for (int b0 = 0; b0 < nq; b0 += 60) {
                double acc = 0;
                int c = 0;
                for (int j = g * n / 4; j < (g + 1) * n / 4; j++) {
                    for (int k = b0; k < b0 + 60; k++) {
                        acc += dSur[ord[j]][k] * dSur[ord[j]][k];
                        c++;
                    }
                }
                row.add(round(Math.sqrt(acc / c)));
                sb.append(String.format(Locale.ROOT, " %.4f", Math.sqrt(acc / c)));
            }
            System.out.println(sb);
            byR.add(Map.of("R", List.of(round(rlo), round(rhi)), "rmsByQBand", row));
        }
        measured.put("monodisperseByRadiusQuartile", byR);
        double[] corrSur = correlation(dSur, rmsSur, false), corrReal = correlation(dReal, rms(dReal), false);
        System.out.println("lag (grid points, dq = " + String.format(Locale.ROOT, "%.3g", q[1] - q[0])
                + " 1/A): correlation " + (closed ? "closed-form" : "surrogate") + " error / realisation noise");
        Map<String, Object> lagSur = new LinkedHashMap<>(), lagReal = new LinkedHashMap<>();
        for (int lag : LAGS) {
            System.out.printf(Locale.ROOT, "%3d  %.3f  %.3f%n", lag, corrSur[lag], corrReal[lag]);
            lagSur.put(String.valueOf(lag), round(corrSur[lag]));
            lagReal.put(String.valueOf(lag), round(corrReal[lag]));
        }
        measured.put("monodisperseCorrelationByLag", lagSur);
        measured.put("realisationNoiseCorrelationByLag", lagReal);
        double lMono = fitLength(corrSur, q[1] - q[0]);
        measured.put("monodisperseMaternLength", round(lMono));
        // the same form fitted to the monodisperse errors, and the spread of each curve's whitened
        // chi2/(N-1) under it (1 on average if the form and kernel describe every curve alike)
        double[] monoForm = fitForm(binned(q)[0], binned(rmsSur)[1]);
        ModelError monoError = new ModelError(q, sigmaOnGrid(q, monoForm), lMono, "monodisperse");
        double[] monoChi = new double[n];
        double[] one = new double[nq];
        for (int i = 0; i < n; i++) {
            double[] ref = new double[nq];
            double[] model = new double[nq];
            for (int k = 0; k < nq; k++) {
                ref[k] = 1;
                model[k] = Math.exp(dSur[i][k]);
            }
            monoChi[i] = new LogIntensityLikelihood(q, ref, null, 1.0, monoError).value(model) / (nq - 1);
        }
        double[] sortedChi = monoChi.clone();
        Arrays.sort(sortedChi);
        double corrR = correlationWithLog(th, np, iR, monoChi);
        System.out.printf(Locale.ROOT, "monodisperse form sigma(q) = %.5f + %.5f (q/0.1)^%.3f, length %.5f 1/A; per-curve"
                + " chi2/(N-1): mean %.2f, median %.2f, p10 %.2f, p90 %.2f; correlation of ln chi2 with R %.2f%n",
                monoForm[0], monoForm[1], monoForm[2], lMono, Arrays.stream(monoChi).average().orElse(0),
                sortedChi[n / 2], sortedChi[n / 10], sortedChi[9 * n / 10], corrR);
        measured.put("monodisperseForm", List.of(round(monoForm[0]), round(monoForm[1]), round(monoForm[2])));
        measured.put("monodisperseChi2PerDof", Map.of("mean", round(Arrays.stream(monoChi).average().orElse(0)),
                "median", round(sortedChi[n / 2]), "p10", round(sortedChi[n / 10]), "p90", round(sortedChi[9 * n / 10]),
                "correlationOfLogWithR", round(corrR)));

        // ---- polydisperse: lnp fit model (and the same 64-node quadrature) vs direct curves ---
        List<Path> files = new ArrayList<>();
        try (var st = Files.list(polyDir)) {
            st.filter(p -> p.getFileName().toString().matches("curve-\\d+\\.dat")).sorted().forEach(files::add);
        }
        int nc = files.size();
        if (nc < 3) {
            throw new IllegalStateException(polyDir + ": " + nc + " polydisperse curves, need at least 3");
        }
        var fit = (closed ? LnpFitModel.closedForm() : LnpFitModel.of(s)).model();
        List<String> names = fit.parameters().names();
        double[][] dFit = new double[nc][nq], dSame = new double[nc][nq], truths = new double[nc][];
        double[][] direct = new double[nc][], sameCurves = new double[nc][];
        MessageDigest setHash = MessageDigest.getInstance("SHA-256");
        List<Object> polyFiles = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            byte[] bytes = Files.readAllBytes(files.get(c));
            setHash.update(bytes);
            polyFiles.add(files.get(c).getFileName() + " " + sha256(bytes));
            double[] truth = new double[names.size()];
            List<double[]> rows = new ArrayList<>();
            for (String l : new String(bytes, "UTF-8").split("\n")) {
                if (l.startsWith("# truth.")) {
                    String[] kv = l.substring(8).split("=");
                    truth[names.indexOf(kv[0])] = Double.parseDouble(kv[1]);
                } else if (!l.startsWith("#") && !l.isBlank()) {
                    String[] t = l.trim().split("\\s+");
                    rows.add(new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1])});
                }
            }
            if (rows.size() != nq || Math.abs(rows.get(0)[0] - q[0]) > 1e-12) {
                throw new IllegalStateException(files.get(c) + ": not on the surrogate's q grid");
            }
            truths[c] = truth;
            direct[c] = rows.stream().mapToDouble(r -> r[1]).toArray();
            double[] pf = fit.evaluate(truth);
            Dispersion d = new Dispersion("R", TruncatedLogNormal.of(truth[names.indexOf("radius_mean")],
                    truth[names.indexOf("radius_cv")], 101, 499), GaussLegendreDensity.of(64), "radius");
            double[] ps = PolydisperseModel.of(mono, d).evaluate(truth);
            sameCurves[c] = ps;
            for (int k = 0; k < nq; k++) {
                dFit[c][k] = Math.log(pf[k] / direct[c][k]);
                dSame[c][k] = Math.log(ps[k] / direct[c][k]);
            }
        }
        double[] rmsFit = rms(dFit), rmsSame = rms(dSame);
        System.out.println("== polydisperse (" + nc + " direct curves, seed 20261204) ==");
        System.out.println("q-band(1/A)        rms(lnp fit model)  rms(" + (closed ? "closed form" : "surrogate") + ", same 64-node rule)  mean bias (the latter)");
        List<Object> pbands = new ArrayList<>();
        for (int b0 = 0; b0 < nq; b0 += 60) {
            int b1 = Math.min(nq, b0 + 60);
            double bias = 0;
            for (int c = 0; c < nc; c++) {
                for (int k = b0; k < b1; k++) {
                    bias += dSame[c][k];
                }
            }
            bias /= nc * (b1 - b0);
            System.out.printf(Locale.ROOT, "%.4f-%.4f  %.4f  %.4f  %+.4f%n", q[b0], q[b1 - 1], rmsBand(rmsFit, b0, b1),
                    rmsBand(rmsSame, b0, b1), bias);
            pbands.add(Map.of("q", List.of(round(q[b0]), round(q[b1 - 1])), "rmsFitModel", round(rmsBand(rmsFit, b0, b1)),
                    "rmsSameQuadrature", round(rmsBand(rmsSame, b0, b1)), "meanBias", round(bias)));
        }
        measured.put("polydisperseByQBand", pbands);

        // ---- the error model: sigma(q) form and Matern length, fitted to the polydisperse errors
        double[] form = fitForm(binned(q)[0], binned(rmsSame)[1]);
        double[] sigmaGrid = sigmaOnGrid(q, form);
        double[][] centred = new double[nc][];
        for (int c = 0; c < nc; c++) {
            double m = Arrays.stream(dSame[c]).average().orElse(0);
            centred[c] = Arrays.stream(dSame[c]).map(v -> v - m).toArray();
        }
        double[] corrPoly = correlation(centred, sigmaGrid, true);
        double length = fitLength(corrPoly, q[1] - q[0]);
        System.out.printf(Locale.ROOT, "fitted: sigma(q) = %.5f + %.5f (q/0.1)^%.3f (ln I); Matern-3/2 length %.5f 1/A"
                + " (%.1f grid steps); monodisperse length %.5f 1/A%n", form[0], form[1], form[2], length,
                length / (q[1] - q[0]), lMono);
        Map<String, Object> lagPoly = new LinkedHashMap<>();
        System.out.println("lag: polydisperse correlation (per-curve mean removed) / Matern fit");
        for (int lag : LAGS) {
            double model = matern(lag * (q[1] - q[0]), length);
            System.out.printf(Locale.ROOT, "%3d  %.3f  %.3f%n", lag, corrPoly[lag], model);
            lagPoly.put(String.valueOf(lag), round(corrPoly[lag]));
        }
        measured.put("polydisperseCorrelationByLag", lagPoly);
        // consistency: the profiled -2 ln L of each direct curve against the surrogate's average (and
        // the lnp fit model) at the truth, with the error model as the only covariance, per degree of
        // freedom (N - 1): about 1 if the error model describes the errors (in-sample)
        ModelError me = new ModelError(q, sigmaGrid, length, "check");
        List<Object> chi = new ArrayList<>();
        List<Object> chiFit = new ArrayList<>();
        StringBuilder sb = new StringBuilder("chi2/(N-1) of each curve at its truth (radius_mean/A, radius_cv):");
        for (int c = 0; c < nc; c++) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, direct[c], null, 1.0, me);
            double v = lik.value(sameCurves[c]) / (nq - 1);
            double vf = lik.value(fit.evaluate(truths[c])) / (nq - 1);
            chi.add(round(v));
            chiFit.add(round(vf));
            sb.append(String.format(Locale.ROOT, "%n  %s  %.2f  (%.0f, %.2f)  lnp fit model %.2f", files.get(c).getFileName(),
                    v, truths[c][names.indexOf("radius_mean")], truths[c][names.indexOf("radius_cv")], vf));
        }
        System.out.println(sb);
        measured.put("polydisperseChi2PerDofAtTruth", chi);
        measured.put("polydisperseChi2PerDofAtTruthLnpFitModel", chiFit);
        // for comparison: the maximum-likelihood (REML, offset profiled) Matern length and sigma
        // factor c for the same sigma(q) shape on these curves; not what is shipped (see the docs)
        double[] ml = maximumLikelihood(q, sigmaGrid, direct, sameCurves);
        System.out.printf(Locale.ROOT, "maximum likelihood on these curves: Matern length %.5f 1/A, sigma factor %.3f%n",
                ml[0], ml[1]);
        measured.put("polydisperseMaximumLikelihood", Map.of("maternLength", round(ml[0]), "sigmaFactor", round(ml[1])));

        // ---- the contrast law: the error's size against the particle's contrast -----------------
        // c^2 = g^2 + (rho (1 + g) - 1)^2 (core and shell contrast). ln of each curve's chi2/(N-1) at its
        // truth is regressed on ln(sqrt(c^2 + floor^2)/0.1): slope -2b. The residuals divided by each
        // curve's a = (sqrt(c^2 + floor^2)/0.1)^-b then give sigma(q) and the Matern length again; twice.
        int iG = names.indexOf(ErrorModel.CORE_CONTRAST), iRho = names.indexOf(ErrorModel.SHELL_DENSITY);
        double floor = CONTRAST_FLOOR, b = 0;
        double[] formC = form;
        double lengthC = length;
        double[] lnC = new double[nc], lnChi = new double[nc];
        for (int iter = 0; iter < 3; iter++) {
            ModelError mi = new ModelError(q, sigmaOnGrid(q, formC), lengthC, "iteration");
            for (int c = 0; c < nc; c++) {
                double g = truths[c][iG], cs = truths[c][iRho] * (1 + g) - 1;
                lnC[c] = 0.5 * Math.log((g * g + cs * cs + floor * floor) / (ErrorModel.REFERENCE_CONTRAST
                        * ErrorModel.REFERENCE_CONTRAST));
                lnChi[c] = Math.log(new LogIntensityLikelihood(q, direct[c], null, 1.0, mi).value(sameCurves[c])
                        / (nq - 1));
            }
            double mx = Arrays.stream(lnC).average().orElse(0), my = Arrays.stream(lnChi).average().orElse(0);
            double sxy = 0, sxx = 0;
            for (int c = 0; c < nc; c++) {
                sxy += (lnC[c] - mx) * (lnChi[c] - my);
                sxx += (lnC[c] - mx) * (lnC[c] - mx);
            }
            b = Math.max(0, -sxy / sxx / 2);
            double[][] scaled = new double[nc][nq];
            for (int c = 0; c < nc; c++) {
                double a = Math.exp(-b * lnC[c]);
                for (int k = 0; k < nq; k++) {
                    scaled[c][k] = dSame[c][k] / a;
                }
            }
            formC = fitForm(binned(q)[0], binned(rms(scaled))[1]);
            double[] sg = sigmaOnGrid(q, formC);
            double[][] cen = new double[nc][];
            for (int c = 0; c < nc; c++) {
                double m = Arrays.stream(scaled[c]).average().orElse(0);
                cen[c] = Arrays.stream(scaled[c]).map(v -> v - m).toArray();
            }
            lengthC = fitLength(correlation(cen, sg, true), q[1] - q[0]);
        }
        // the scatter about the law: residual SD of ln chi2/(N-1), and the Spearman correlation before
        ErrorModel lawModel = new ErrorModel("law", formC[0], formC[1], formC[2], lengthC, b, floor, Map.of());
        ModelError lawError = lawModel.modelError(q, names);
        double[] chiLaw = new double[nc];
        for (int c = 0; c < nc; c++) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, direct[c], null, 1.0, lawError).at(truths[c]);
            chiLaw[c] = lik.value(sameCurves[c]) / (nq - 1);
        }
        double[] lnChiLaw = Arrays.stream(chiLaw).map(Math::log).toArray();
        double meanLn = Arrays.stream(lnChiLaw).average().orElse(0);
        double sdLn = Math.sqrt(Arrays.stream(lnChiLaw).map(v -> (v - meanLn) * (v - meanLn)).sum() / (nc - 1));
        System.out.printf(Locale.ROOT, "contrast law: a = (sqrt(c^2 + %.3g^2)/0.1)^-%.4f; sigma(q) = %.5f + %.5f (q/0.1)^%.3f"
                + " at c = 0.1; Matern length %.5f 1/A; chi2/(N-1) at the truth under it: median %.3f, SD of its ln %.3f"
                + " (without the law %.3f)%n", floor, b, formC[0], formC[1], formC[2], lengthC,
                quantile(Arrays.stream(chiLaw).sorted().toArray(), 0.5), sdLn, sd(lnChi));
        Map<String, Object> law = new LinkedHashMap<>();
        law.put("floor", floor);
        law.put("exponent", round(b));
        law.put("form", List.of(round(formC[0]), round(formC[1]), round(formC[2])));
        law.put("maternLength", round(lengthC));
        law.put("chi2PerDofAtTruthMedian", round(quantile(Arrays.stream(chiLaw).sorted().toArray(), 0.5)));
        law.put("sdOfLnChi2PerDofWithLaw", round(sdLn));
        measured.put("contrastLaw", law);

        // ---- the amplitude, calibrated by the likelihood-ratio statistic of blind fits ------------
        // With the model's error as the only covariance (these curves have no measurement noise) and
        // sigma scaled by k, the statistic G = -2 ln L(truth) + 2 ln L(best fit) is A/k^2 + B per curve
        // (A from the whitened residuals, B = 2(N - 1) ln(a_truth/a_best) from the log-determinant).
        // If the error model were right, G would follow chi2 with d (the free parameters) degrees of
        // freedom; k is the smallest factor >= 1 that brings the 68 % and 90 % quantiles of G to those
        // of chi2_d (the best fits are those of the fits in the summary, made with the model then shipped).
        double amplitude = 1;
        if (args.length > 6) {
            // the summary.csv of `lnpsaxs fit POLYDIR --model lnp --loss loglik --out FITS` (one row per curve)
            Path summary = Path.of(args[6]);
            List<String> lines = Files.readAllLines(summary);
            List<String> header = Arrays.asList(lines.get(0).split(","));
            Map<String, String[]> rowsByFile = new HashMap<>();
            for (String l : lines.subList(1, lines.size())) {
                String[] cells = l.split(",");
                rowsByFile.put(Path.of(cells[header.indexOf("file")]).getFileName().toString(), cells);
            }
            List<double[]> ab = new ArrayList<>();
            List<String> fitted = new ArrayList<>();
            int d = names.size();
            for (int c = 0; c < nc; c++) {
                String file = files.get(c).getFileName().toString();
                String[] cells = rowsByFile.get(file);
                if (cells == null || !"ok".equals(cells[header.indexOf("status")])) {
                    continue;
                }
                double[] hat = new double[d];
                for (int j = 0; j < d; j++) {
                    hat[j] = Double.parseDouble(cells[header.indexOf(names.get(j))]);
                }
                LogIntensityLikelihood lik = new LogIntensityLikelihood(q, direct[c], null, 1.0, lawError);
                // the fit holds the amplitude at its best fit's contrast (LnpFitModel's plug-in)
                LogIntensityLikelihood held = lik.at(hat);
                ab.add(new double[] {held.value(fit.evaluate(truths[c])) - held.value(fit.evaluate(hat)), 0});
                fitted.add(file);
            }
            if (ab.size() < 10) {
                throw new IllegalStateException(summary + ": " + ab.size() + " fitted curves, need at least 10");
            }
            double c68 = chiSquareQuantile(d, 0.68), c90 = chiSquareQuantile(d, 0.90);
            double lo = 1, hi = 1;
            while (hi < 1e3 && (quantileG(ab, hi, 0.68) > c68 || quantileG(ab, hi, 0.90) > c90)) {
                hi *= 2;
            }
            if (hi > 1) {
                lo = hi / 2;
                for (int it = 0; it < 60; it++) {
                    double mid = (lo + hi) / 2;
                    if (quantileG(ab, mid, 0.68) > c68 || quantileG(ab, mid, 0.90) > c90) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
            amplitude = hi;
            System.out.printf(Locale.ROOT, "likelihood-ratio statistic G at the truth over %d blind fits, at k = 1: median"
                    + " %.1f, 68 %% %.1f, 90 %% %.1f (chi2_%d: %.2f, %.2f, %.2f); at k = %.3f: %.1f, %.1f, %.1f%n",
                    ab.size(), quantileG(ab, 1, 0.5), quantileG(ab, 1, 0.68), quantileG(ab, 1, 0.9), d,
                    chiSquareQuantile(d, 0.5), c68, c90, amplitude, quantileG(ab, amplitude, 0.5),
                    quantileG(ab, amplitude, 0.68), quantileG(ab, amplitude, 0.9));
            Map<String, Object> cal = new LinkedHashMap<>();
            cal.put("statistic", "G = -2 ln L(truth) + 2 ln L(best of the blind multi-start fit) = A/k^2 + B");
            cal.put("fits", summary.getFileName() + " " + sha256(Files.readAllBytes(summary)));
            cal.put("degreesOfFreedom", d);
            cal.put("quantilesOfGAtK1", Map.of("median", round(quantileG(ab, 1, 0.5)), "p68", round(quantileG(ab, 1, 0.68)),
                    "p90", round(quantileG(ab, 1, 0.9))));
            cal.put("chiSquareQuantiles", Map.of("median", round(chiSquareQuantile(d, 0.5)), "p68", round(c68),
                    "p90", round(c90)));
            cal.put("factor", round(amplitude));
            List<Object> perCurve = new ArrayList<>();
            for (int i = 0; i < ab.size(); i++) {
                perCurve.add(Map.of("curve", fitted.get(i), "A", round(ab.get(i)[0]), "B", round(ab.get(i)[1])));
            }
            cal.put("perCurve", perCurve);
            measured.put("amplitudeCalibration", cal);
        }

        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("date", date);
        prov.put("program", "docs/error-model/BuildErrorModel.java");
        prov.put("method", "sigma(q) = s0 + s1 (q/0.1)^p fitted (weighted least squares, relative) to the RMS of"
                + " ln I_surrogate - ln I_direct in bins of " + BIN + " grid points over the polydisperse curves, the"
                + " surrogate averaged at each curve's truth by the same 64-node rule as the direct curve; Matern-3/2"
                + " length fitted (least squares) to the correlation"
                + " at lags 1..30 of the residuals with each curve's mean removed; monodisperse numbers for comparison"
                + (amplitude != 1 || args.length > 6 ? "; then s0 and s1 multiplied by the factor k of amplitudeCalibration"
                + " (the smallest k >= 1 that brings the 68 % and 90 % quantiles of the likelihood-ratio statistic at"
                + " the truth of blind fits to those of chi2 with one degree of freedom per free parameter)" : "")
                + "; the size of the error follows the contrast law of contrastLaw: ln chi2/(N-1) at the truth regressed"
                + " on ln of the contrast, then sigma(q) and the length fitted again to the residuals divided by"
                + " each curve's amplitude (three rounds)");
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put(hqFile.getFileName().toString(), sha256(Files.readAllBytes(hqFile)));
        sets.put(stdFile.getFileName().toString(), sha256(Files.readAllBytes(stdFile)));
        sets.put("polydisperse set (seed 20261204, " + nc + " curves, SHA-256 of the files concatenated in name order)",
                hex(setHash.digest()));
        prov.put("datasets", sets);
        prov.put("polydisperseCurves", polyFiles);
        if (closed) {
            prov.put("model", "ClosedFormLnp of lnpsaxs " + org.lnpsaxs.core.Lnpsaxs.version() + " on the q grid of " + modelIn.getFileName());
        } else {
            // the model file without any error model (so that running the program again in place gives the same bytes)
            Path bare = Files.createTempFile("lnpsaxs-model", ".zip");
            try {
                ModelFile.withErrorModel(modelIn, bare, null);
                prov.put("modelFile", sha256(Files.readAllBytes(bare)) + " (SHA-256 of the model file without its error model)");
            } finally {
                Files.deleteIfExists(bare);
            }
        }
        prov.put("measured", measured);
        ErrorModel em = new ErrorModel((closed ? "the closed form (ClosedFormLnp)" : "this surrogate")
                + " averaged over a truncated log-normal radius (an accurate"
                + " quadrature) against the direct simulator averaged alike at the training settings (10 x 3"
                + " realisations), realisation noise included", round(formC[0] * amplitude), round(formC[1] * amplitude), round(formC[2]), round(lengthC), round(b), floor, prov);
        if (closed) {
            Path tmp = Files.createTempFile(modelOut.toAbsolutePath().getParent(), ".error-model", ".tmp");
            Files.write(tmp, em.toJson());
            Files.move(tmp, modelOut, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            ModelFile.withErrorModel(modelIn, modelOut, em);
        }
        System.out.println("wrote " + modelOut + ": " + em);
        System.exit(0);
    }

    /** REML over the curves: golden section in ln l, the factor c^2 = mean chi2/(N-1) in closed form. */
    static double[] maximumLikelihood(double[] q, double[] sigma, double[][] direct, double[][] model) {
        double dq = q[1] - q[0], a = Math.log(dq), b = Math.log(40 * dq), g = (Math.sqrt(5) - 1) / 2;
        for (int it = 0; it < 40; it++) {
            double x = b - g * (b - a), y = a + g * (b - a);
            if (reml(q, sigma, direct, model, Math.exp(x))[0] < reml(q, sigma, direct, model, Math.exp(y))[0]) {
                b = y;
            } else {
                a = x;
            }
        }
        double l = Math.exp((a + b) / 2);
        return new double[] {l, Math.sqrt(reml(q, sigma, direct, model, l)[1])};
    }

    /** {-2 ln restricted likelihood up to a constant, the ML c^2} at length l. */
    static double[] reml(double[] q, double[] sigma, double[][] direct, double[][] model, double l) {
        ModelError me = new ModelError(q, sigma, l, "reml");
        int n = q.length, nc = direct.length;
        double chi = 0, logdet = 0, lu = 0;
        for (int c = 0; c < nc; c++) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, direct[c], null, 1.0, me);
            chi += lik.value(model[c]);
            logdet = lik.logDeterminant();
            lu = Math.log(lik.scalePrecision());
        }
        double c2 = chi / (nc * (n - 1.0));
        return new double[] {nc * ((n - 1) * Math.log(c2) + logdet + lu) + chi / c2, c2};
    }

    /** The floor c_min of the contrast law (the contrast below which the error stops growing). */
    static final double CONTRAST_FLOOR = 0.01;

    /** The p-quantile of G = A/k^2 + B over the curves. */
    static double quantileG(List<double[]> ab, double k, double p) {
        return quantile(ab.stream().mapToDouble(v -> v[0] / (k * k) + v[1]).sorted().toArray(), p);
    }

    static double sd(double[] x) {
        double m = Arrays.stream(x).average().orElse(0);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1));
    }

    /** The p-quantile of ascending values (linear between order statistics). */
    static double quantile(double[] sorted, double p) {
        double x = p * (sorted.length - 1);
        int i = (int) Math.floor(x);
        return i + 1 < sorted.length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    /** The p-quantile of chi2 with d degrees of freedom (bisection on the regularised lower gamma). */
    static double chiSquareQuantile(int d, double p) {
        double lo = 0, hi = 10 * d + 100;
        for (int it = 0; it < 200; it++) {
            double mid = (lo + hi) / 2;
            if (lowerGamma(d / 2.0, mid / 2) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** P(a, x), the regularised lower incomplete gamma function (series; fine for x below ~a + 50). */
    static double lowerGamma(double a, double x) {
        double term = 1 / a, sum = term;
        for (int n = 1; n < 1000; n++) {
            term *= x / (a + n);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        double lnGammaA = lnGamma(a);
        return Math.exp(-x + a * Math.log(x) - lnGammaA) * sum;
    }

    /** ln Γ(a) for a > 0 (Lanczos, g = 7). */
    static double lnGamma(double a) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (a < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * a)) - lnGamma(1 - a);
        }
        a -= 1;
        double x = c[0];
        for (int i = 1; i < 9; i++) {
            x += c[i] / (a + i);
        }
        double t = a + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (a + 0.5) * Math.log(t) - t + Math.log(x);
    }

    static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.5g", v));
    }

    /** Bins of BIN grid points: {mean of x, root-mean-square of x}. */
    static double[][] binned(double[] x) {
        double[][] out = new double[2][x.length / BIN];
        for (int b = 0; b < out[0].length; b++) {
            double acc = 0, sq = 0;
            for (int k = b * BIN; k < (b + 1) * BIN; k++) {
                acc += x[k];
                sq += x[k] * x[k];
            }
            out[0][b] = acc / BIN;
            out[1][b] = Math.sqrt(sq / BIN);
        }
        return out;
    }

    static double[] sigmaOnGrid(double[] q, double[] form) {
        double[] s = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            s[k] = form[0] + form[1] * Math.pow(q[k] / ErrorModel.REFERENCE_Q, form[2]);
        }
        return s;
    }

    /** Pearson correlation of parameter j with ln v over the curves. */
    static double correlationWithLog(double[] th, int np, int j, double[] v) {
        int n = v.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += th[i * np + j];
            my += Math.log(v[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double x = th[i * np + j] - mx, y = Math.log(v[i]) - my;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static double rmsBand(double[] rms, int b0, int b1) {
        double acc = 0;
        for (int k = b0; k < b1; k++) {
            acc += rms[k] * rms[k];
        }
        return Math.sqrt(acc / (b1 - b0));
    }

    static double[] rms(double[][] d) {
        double[] r = new double[d[0].length];
        for (int k = 0; k < r.length; k++) {
            double acc = 0;
            for (double[] row : d) {
                acc += row[k] * row[k];
            }
            r[k] = Math.sqrt(acc / d.length);
        }
        return r;
    }

    /** Mean over curves and q of d_k d_{k+lag} / (s_k s_{k+lag}), lags 0..40. */
    static double[] correlation(double[][] d, double[] s, boolean normaliseByLagZero) {
        int nq = s.length;
        double[] c = new double[41];
        for (int lag = 0; lag <= 40; lag++) {
            double acc = 0;
            int m = 0;
            for (double[] row : d) {
                for (int k = 0; k + lag < nq; k++) {
                    acc += row[k] * row[k + lag] / (s[k] * s[k + lag]);
                    m++;
                }
            }
            c[lag] = acc / m;
        }
        if (normaliseByLagZero) {
            double c0 = c[0];
            for (int lag = 0; lag <= 40; lag++) {
                c[lag] /= c0;
            }
        }
        return c;
    }

    static double matern(double dq, double l) {
        double x = Math.sqrt(3) * Math.abs(dq) / l;
        return (1 + x) * Math.exp(-x);
    }

    /** Least-squares Matern-3/2 length to the correlation at lags 1..30 (golden section in ln l). */
    static double fitLength(double[] corr, double dq) {
        double a = Math.log(dq * 0.5), b = Math.log(dq * 200), g = (Math.sqrt(5) - 1) / 2;
        for (int it = 0; it < 200; it++) {
            double c = b - g * (b - a), d = a + g * (b - a);
            if (sse(corr, dq, Math.exp(c)) < sse(corr, dq, Math.exp(d))) {
                b = d;
            } else {
                a = c;
            }
        }
        return Math.exp((a + b) / 2);
    }

    static double sse(double[] corr, double dq, double l) {
        double s = 0;
        for (int lag = 1; lag <= 30; lag++) {
            double r = corr[lag] - matern(lag * dq, l);
            s += r * r;
        }
        return s;
    }

    /** s0, s1 >= 0 and p in [0, 3] (step 0.005) minimising sum ((s(q_b) - rms_b)/rms_b)^2. */
    static double[] fitForm(double[] qb, double[] rb) {
        double[] best = null;
        double bestSse = Double.POSITIVE_INFINITY;
        for (int ip = 0; ip <= 600; ip++) {
            double p = ip * 0.005;
            // weighted linear least squares of rb on [1, x], weights 1/rb^2, with the non-negative fallbacks
            double[][] cands = new double[3][];
            double s11 = 0, s1x = 0, sxx = 0, s1y = 0, sxy = 0;
            for (int b = 0; b < qb.length; b++) {
                double w = 1 / (rb[b] * rb[b]), x = Math.pow(qb[b] / ErrorModel.REFERENCE_Q, p);
                s11 += w;
                s1x += w * x;
                sxx += w * x * x;
                s1y += w * rb[b];
                sxy += w * x * rb[b];
            }
            double det = s11 * sxx - s1x * s1x;
            if (det > 0) {
                cands[0] = new double[] {(sxx * s1y - s1x * sxy) / det, (s11 * sxy - s1x * s1y) / det, p};
            }
            cands[1] = new double[] {s1y / s11, 0, p};
            cands[2] = new double[] {0, sxy / sxx, p};
            for (double[] cand : cands) {
                if (cand == null || cand[0] < 0 || cand[1] < 0) {
                    continue;
                }
                double e = 0;
                for (int b = 0; b < qb.length; b++) {
                    double r = (cand[0] + cand[1] * Math.pow(qb[b] / ErrorModel.REFERENCE_Q, p) - rb[b]) / rb[b];
                    e += r * r;
                }
                if (e < bestSse) {
                    bestSse = e;
                    best = cand;
                }
            }
        }
        return best;
    }

    static String sha256(byte[] b) throws Exception {
        return hex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String hex(byte[] d) {
        return HexFormat.of().formatHex(d);
    }
}
