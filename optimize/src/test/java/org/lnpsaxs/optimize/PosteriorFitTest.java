package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.loss.LossType;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.posterior.ConvergenceCriteria;
import org.lnpsaxs.optimize.posterior.Determination;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.optimize.posterior.Marginal;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;
import org.lnpsaxs.optimize.testing.GaussianLoss;
import org.lnpsaxs.optimize.testing.LinearFitModel;

/**
 * The posterior phase of the fit against posteriors known in closed form: a linear model with a
 * Gaussian likelihood and a wide uniform prior (a Gaussian posterior, mean and covariance from
 * the normal equations), the same with one parameter truncated by its box (a truncated Gaussian,
 * quantiles from the normal CDF), a model with an exact sign symmetry (folding), the refusal of a
 * loss that is not a likelihood, and σ inflation for a model too simple for its data.
 */
class PosteriorFitTest {

    static final double[] X = QGrid.linear(0.1, 1.0, 20).values();

    private static FitProblem problem(FitModel model, double[] d, double[] s) {
        return FitProblem.of(model, ScatteringCurve.of(X, d, s).withSource("test")).withLoss(new GaussianLoss(d, s));
    }

    private static Fitter fitter() {
        return Fitter.defaults().withStarts(32).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(40_000));
    }

    /** The noise-free line 1 + 2x on {@link #X}: the linear model's data at a0 = 1, a1 = 2. */
    static double[] line() {
        double[] d = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            d[i] = 1 + 2 * X[i];
        }
        return d;
    }

    /** Σw, Σwx and Σwx² over {@link #X} with w = 1/0.1²: the normal equations of the line fitted with σ = 0.1. */
    static double[] weightedSums() {
        double[] sums = new double[3];
        for (double x : X) {
            sums[0] += 100;
            sums[1] += 100 * x;
            sums[2] += 100 * x * x;
        }
        return sums;
    }

    /** σ = v at every point of {@link #X}. */
    static double[] constant(double v) {
        double[] s = new double[X.length];
        java.util.Arrays.fill(s, v);
        return s;
    }

    /** The standard normal CDF from the complementary error function (Numerical Recipes' erfc, |rel. error| < 1.2e-7). */
    static double phi(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }

    /** Its inverse by bisection. */
    static double phiInverse(double p) {
        double lo = -12;
        double hi = 12;
        for (int i = 0; i < 200; i++) {
            double m = 0.5 * (lo + hi);
            if (phi(m) < p) {
                lo = m;
            } else {
                hi = m;
            }
        }
        return 0.5 * (lo + hi);
    }

    @Test
    void linearGaussianModelRecoversTheAnalyticPosterior() {
        linearGaussian(PosteriorSettings.Method.HMC);
    }

    @Test
    void theEnsembleSamplerStillRecoversTheAnalyticPosterior() {
        linearGaussian(PosteriorSettings.Method.ENSEMBLE);
    }

    @Test
    void eachSamplerHasItsOwnDefaultBudget() {
        PosteriorSettings hmc = PosteriorSettings.defaults();
        assertEquals(PosteriorSettings.Method.HMC, hmc.method());
        assertEquals(PosteriorSettings.DEFAULT_HMC_ITERATIONS, hmc.maxSteps());
        PosteriorSettings ens = hmc.withMethod(PosteriorSettings.Method.ENSEMBLE);
        assertEquals(PosteriorSettings.DEFAULT_MAX_STEPS, ens.maxSteps());
        assertEquals(PosteriorSettings.DEFAULT_HMC_ITERATIONS, ens.withMethod(PosteriorSettings.Method.HMC).maxSteps());
        // a budget the user set stays when the method changes
        assertEquals(777, hmc.withMaxSteps(777).withMethod(PosteriorSettings.Method.ENSEMBLE).maxSteps());
    }

    private void linearGaussian(PosteriorSettings.Method method) {
        double[] d = line();
        double[] s = constant(0.1);
        FitResult r = Fitter.defaults().withStarts(32).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMethod(method).withMaxSteps(40_000))
                .fit(problem(LinearFitModel.of(new double[] {-5, 5}, new double[] {-5, 10}), d, s));
        FitPosterior p = r.posterior();
        assertNotNull(p);
        assertTrue(p.method().startsWith(method == PosteriorSettings.Method.HMC ? "Hamiltonian" : "affine-invariant"),
                p.method());
        assertTrue(p.converged(), () -> p.reason());
        // normal equations: (X^T W X)^-1 with rows (1, x), w = 1/0.01; the mean is the truth (noise-free data)
        double[] sums = weightedSums();
        double sw = sums[0];
        double sx = sums[1];
        double sxx = sums[2];
        double det = sw * sxx - sx * sx;
        double[] mu = {1, 2};
        double[] sd = {Math.sqrt(sxx / det), Math.sqrt(sw / det)};
        for (int j = 0; j < 2; j++) {
            Marginal m = p.marginal("a" + j);
            assertEquals(mu[j], m.mean(), 0.15 * sd[j], m.toString());
            assertEquals(mu[j], m.median(), 0.15 * sd[j], m.toString());
            assertEquals(sd[j], m.sd(), 0.1 * sd[j], m.toString());
            assertEquals(mu[j] + phiInverse(0.05) * sd[j], m.p05(), 0.2 * sd[j], m.toString());
            assertEquals(mu[j] + phiInverse(0.16) * sd[j], m.p16(), 0.15 * sd[j], m.toString());
            assertEquals(mu[j] + phiInverse(0.84) * sd[j], m.p84(), 0.15 * sd[j], m.toString());
            assertEquals(mu[j] + phiInverse(0.95) * sd[j], m.p95(), 0.2 * sd[j], m.toString());
        }
        // how well each is determined: the 90 % width 3.29 sd over the box width (10 and 15)
        double[] widths = {10, 15};
        for (int j = 0; j < 2; j++) {
            Determination dj = p.determination("a" + j);
            double share = (phiInverse(0.95) - phiInverse(0.05)) * sd[j] / widths[j];
            assertEquals(share, dj.boxShare(), 0.2 * share, dj.toString());
            assertEquals(share <= Determination.WELL ? Determination.Verdict.WELL_DETERMINED
                    : Determination.Verdict.PARTLY_DETERMINED, dj.verdict(), dj.toString());
        }
        // the correlation -sx/sqrt(sw sxx)
        double rho = -sx / Math.sqrt(sw * sxx);
        double[][] draws = p.chain().draws();
        double m0 = p.marginal("a0").mean();
        double m1 = p.marginal("a1").mean();
        double c01 = 0;
        for (double[] dr : draws) {
            c01 += (dr[0] - m0) * (dr[1] - m1);
        }
        c01 /= draws.length - 1;
        assertEquals(rho, c01 / (p.marginal("a0").sd() * p.marginal("a1").sd()), 0.05);
        assertEquals(1.0, p.likelihood().inflation());
        assertEquals(p.walkers() * p.keptSteps(), p.samples());
        assertTrue(p.evaluations() >= (long) p.walkers() * p.totalSteps());
        drawsTableHoldsTheChainWithItsChiSquared(r, d, s);
    }

    /**
     * The draws table ({@code posterior-draws.dat}): one row per written draw with its chain, its
     * iteration, the loss and the log posterior in the parameters' own coordinates — checked against
     * χ² computed here from the row's parameters (for the ensemble sampler, whose own log density is
     * over its logistic coordinates, this fails unless their Jacobian is taken out).
     */
    private static void drawsTableHoldsTheChainWithItsChiSquared(FitResult r, double[] d, double[] s) {
        FitPosterior p = r.posterior();
        String table = org.lnpsaxs.optimize.report.FitReport.posteriorDrawsTable(r);
        List<String> header = table.lines().filter(l -> l.startsWith("#")).toList();
        assertEquals("# chain iteration loss log_posterior a0 a1", header.get(header.size() - 1));
        List<double[]> rows = table.lines().filter(l -> !l.startsWith("#"))
                .map(l -> java.util.Arrays.stream(l.trim().split(" ")).mapToDouble(Double::parseDouble).toArray()).toList();
        int every = (int) Math.ceil((double) p.samples() / org.lnpsaxs.optimize.report.FitReport.MAX_POSTERIOR_DRAWS);
        assertEquals(((p.keptSteps() + every - 1) / every) * p.walkers(), rows.size());
        assertTrue(rows.size() <= org.lnpsaxs.optimize.report.FitReport.MAX_POSTERIOR_DRAWS);
        double previous = -1;
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            assertEquals(i % p.walkers(), (int) row[0]);
            if (i % p.walkers() == 0) {
                assertTrue(row[1] > previous, "iterations increase");
                previous = row[1];
            }
            double chi2 = 0;
            for (int k = 0; k < X.length; k++) {
                double e = (d[k] - (row[4] + row[5] * X[k])) / s[k];
                chi2 += e * e;
            }
            assertEquals(chi2, row[2], 1e-9 * (1 + chi2), "loss of row " + i);
            assertEquals(-chi2 / 2, row[3], 1e-9 * (1 + chi2), "log posterior of row " + i);
            int step = (i / p.walkers()) * every;
            assertEquals(p.chain().get(step, i % p.walkers(), 0), row[4], 1e-10 * (1 + Math.abs(row[4])));
        }
    }

    /**
     * A budget too short for the criteria: the posterior says how long would do, and a rerun with that
     * budget (the same seed repeats the short run and goes on) converges — for a Gaussian posterior,
     * whose chains mix at a steady rate, as the extrapolation assumes.
     */
    @Test
    void anUnconvergedPosteriorSuggestsABudgetThatConverges() {
        double[] d = line();
        double[] s = constant(0.1);
        FitProblem pr = problem(LinearFitModel.of(new double[] {-5, 5}, new double[] {-5, 10}), d, s);
        ConvergenceCriteria strict = new ConvergenceCriteria(1.01, 3000, 50);
        Fitter base = Fitter.defaults().withStarts(16).withFisher(false).withThreads(2);
        FitPosterior shortRun = base.withPosterior(PosteriorSettings.defaults().withMaxSteps(400).withCriteria(strict))
                .fit(pr).posterior();
        assertFalse(shortRun.converged());
        int suggested = shortRun.suggestedBudget().orElseThrow();
        assertTrue(suggested > 400, "suggested " + suggested);
        assertTrue(shortRun.reason().contains("--posterior-steps " + suggested), shortRun.reason());
        FitPosterior longer = base.withPosterior(PosteriorSettings.defaults().withMaxSteps(suggested).withCriteria(strict))
                .fit(pr).posterior();
        assertTrue(longer.converged(), () -> longer.reason());
        assertTrue(longer.suggestedBudget().isEmpty());
        assertEquals(longer.samples(), longer.draws("a0").length);
        assertEquals(longer.marginal("a1").median(), median(longer.draws("a1")), 1e-12);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        int n = c.length;
        return 0.5 * (c[(n - 1) / 2] + c[n / 2]);
    }

    /** Data that say nothing (σ a hundred times the signal): the posterior is the box's uniform prior, not determined. */
    @Test
    void uninformativeDataLeaveAParameterNotDetermined() {
        double[] d = line();
        double[] s = constant(300);
        FitPosterior p = Fitter.defaults().withStarts(16).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(3000))
                .fit(problem(LinearFitModel.of(new double[] {-5, 5}, new double[] {-5, 10}), d, s)).posterior();
        for (String name : new String[] {"a0", "a1"}) {
            Determination det = p.determination(name);
            // a uniform prior's 90 % interval spans 0.9 of the box
            assertEquals(0.9, det.boxShare(), 0.05, det.toString());
            assertEquals(Determination.Verdict.NOT_DETERMINED, det.verdict());
        }
        assertThrows(IllegalArgumentException.class, () -> p.determination("a2"));
    }

    /**
     * Log-scaled box coordinates keep the uniform prior in θ: with uninformative data on a box
     * spanning a factor 100 the posterior is uniform in θ (quantiles at 5, 16, 84, 95 % of the box), not
     * in ln θ (which would put the median at 1 instead of 5.05); with informative data the Gaussian of
     * the normal equations.
     */
    @Test
    void logScaledCoordinatesKeepTheUniformPrior() {
        double[] d = line();
        double[] flat = constant(300);
        double[] sharp = constant(0.1);
        FitModel model = LinearFitModel.of(new double[] {0.1, 10}, new double[] {-5, 10}).withPosteriorLogScale("a0");
        Fitter f = Fitter.defaults().withStarts(16).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(6000));
        FitPosterior uniform = f.fit(problem(model, d, flat)).posterior();
        assertTrue(uniform.converged(), () -> uniform.reason());
        Marginal a0 = uniform.marginal("a0");
        double w = 9.9;
        assertEquals(0.1 + 0.5 * w, a0.median(), 0.04 * w, a0.toString());
        assertEquals(0.1 + 0.05 * w, a0.p05(), 0.02 * w, a0.toString());
        assertEquals(0.1 + 0.95 * w, a0.p95(), 0.02 * w, a0.toString());
        assertEquals(0.1 + 0.16 * w, a0.p16(), 0.03 * w, a0.toString());
        FitPosterior gauss = f.fit(problem(model, d, sharp)).posterior();
        assertTrue(gauss.converged(), () -> gauss.reason());
        double[] sums = weightedSums();
        double sd0 = Math.sqrt(sums[2] / (sums[0] * sums[2] - sums[1] * sums[1]));
        Marginal g0 = gauss.marginal("a0");
        assertEquals(1.0, g0.mean(), 0.15 * sd0, g0.toString());
        assertEquals(sd0, g0.sd(), 0.1 * sd0, g0.toString());
        assertTrue(gauss.method().contains("Hamiltonian"), gauss.method());
    }

    @Test
    void determinationThresholds() {
        Marginal m = new Marginal("x", 0, 1, 0, 0, -1, -0.5, 0.5, 1); // 90 % width 2, in boxes centred on it
        assertEquals(0.02, Determination.of(m, -50, 50).boxShare(), 1e-12);
        assertEquals(0.04, Determination.of(m, -50, 50, 50).boxShare(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Determination.of(m, -50, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> Determination.of(m, -50, 50, 101));
        assertEquals(Determination.Verdict.WELL_DETERMINED, Determination.of(m, -20, 20).verdict()); // 0.05
        assertEquals(Determination.Verdict.PARTLY_DETERMINED, Determination.of(m, -19.5, 19.5).verdict());
        assertEquals(Determination.Verdict.PARTLY_DETERMINED, Determination.of(m, -4, 4).verdict()); // 0.25
        assertEquals(Determination.Verdict.POORLY_DETERMINED, Determination.of(m, -3.95, 3.95).verdict());
        assertEquals(Determination.Verdict.NOT_DETERMINED, Determination.of(m, -1.25, 1.25).verdict()); // 0.8
        // no bound within 5 % of the interval's width (0.1) of its ends: none named
        assertEquals(org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.NONE, Determination.of(m, -1.11, 40).atBound());
        assertThrows(IllegalArgumentException.class, () -> Determination.of(m, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Determination.of(m, 0, Double.POSITIVE_INFINITY));
    }

    @Test
    void aPosteriorPressedAgainstABoundIsHeldByIt() {
        var upper = org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.UPPER;
        var lower = org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.LOWER;
        var none = org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound.NONE;
        // SasView's latex example fitted by a sphere whose radius box ends below the particles' radius:
        // radius_cv's 90 % interval 0.59266..0.59986 in a box [0, 0.6] (width 0.0072, 0.00014 from the edge)
        Marginal cv = new Marginal("radius_cv", 0.5975, 0.002, 0, 0, 0.59266, 0.59537, 0.59952, 0.59986);
        Determination d = Determination.of(cv, 0.0, 0.6);
        assertEquals(upper, d.atBound());
        assertEquals(Determination.Verdict.AT_BOUND, d.verdict(), "1 % of the box, but the box holds it");
        // the same interval 0.1 of its width below the bound: the data hold it
        assertEquals(Determination.Verdict.WELL_DETERMINED, Determination.of(cv, 0.0, 0.59986 + 0.1 * 0.0072).verdict());
        assertEquals(none, Determination.of(cv, 0.0, 0.59986 + 0.1 * 0.0072).atBound());
        // mirrored at the lower bound
        Marginal low = new Marginal("x", 1.5, 0.5, 0, 0, 1.0001, 1.2, 1.8, 2.0);
        assertEquals(lower, Determination.of(low, 1.0, 100).atBound());
        assertEquals(Determination.Verdict.AT_BOUND, Determination.of(low, 1.0, 100).verdict());
        // a wide posterior against one bound keeps its verdict and names the bound
        assertEquals(Determination.Verdict.POORLY_DETERMINED, Determination.of(low, 1.0, 3.0).verdict()); // 0.5
        assertEquals(lower, Determination.of(low, 1.0, 3.0).atBound());
        // the prior itself touches both bounds: not determined, no single bound named
        Marginal flat = new Marginal("x", 0.5, 0.29, 0, 0, 0.05, 0.16, 0.84, 0.95);
        assertEquals(Determination.Verdict.NOT_DETERMINED, Determination.of(flat, 0.0, 1.0).verdict());
        assertEquals(none, Determination.of(flat, 0.0, 1.0).atBound());
    }

    @Test
    void aBoxThatCutsThePosteriorGivesTheTruncatedGaussian() {
        // one constant a0 in [0, 1]; the likelihood N(0.05, 0.1^2) is cut at 0
        int n = X.length;
        double[] d = new double[n];
        double[] s = new double[n];
        double sigma = 0.1 * Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            d[i] = 0.05;
            s[i] = sigma;
        }
        FitResult r = fitter().fit(problem(LinearFitModel.of(new double[] {0, 1}), d, s));
        FitPosterior p = r.posterior();
        assertTrue(p.converged(), () -> p.reason());
        Marginal m = p.marginal("a0");
        double mu = 0.05;
        double sd = 0.1;
        double a = phi((0 - mu) / sd);
        double b = phi((1 - mu) / sd);
        double[] probs = {0.05, 0.16, 0.5, 0.84, 0.95};
        double[] got = {m.p05(), m.p16(), m.median(), m.p84(), m.p95()};
        for (int k = 0; k < probs.length; k++) {
            double expect = mu + sd * phiInverse(a + probs[k] * (b - a));
            assertEquals(expect, got[k], 0.02, "quantile " + probs[k]);
        }
        // mean of the truncated normal: mu + sd (pdf(alpha) - pdf(beta)) / (Phi(beta) - Phi(alpha))
        double alpha = -mu / sd;
        double pdfAlpha = Math.exp(-0.5 * alpha * alpha) / Math.sqrt(2 * Math.PI);
        assertEquals(mu + sd * pdfAlpha / (b - a), m.mean(), 0.01);
        assertTrue(m.p05() >= 0);
    }

    @Test
    void anExactSymmetryIsFoldedOntoItsCanonicalImageAndNamed() {
        // I = a0^2 + a1 x with a0 = ±1: two images of equal likelihood; the declared sign symmetry folds them
        double[] d = line();
        double[] s = constant(0.1);
        FitResult r = fitter().fit(problem(LinearFitModel.of(new double[] {-2, 2}, new double[] {-5, 10}).squared(), d, s));
        FitPosterior p = r.posterior();
        assertTrue(p.converged(), () -> p.reason());
        Marginal a0 = p.marginal("a0");
        assertTrue(a0.p05() > 0.5, a0.toString());
        assertEquals(1.0, a0.median(), 0.05);
        FitPosterior.SymmetryUse use = p.symmetries().get(0);
        assertTrue(use.applied());
        assertEquals("sign of a0", use.name());
        // both images were sampled (the mirror of the fit's mode is started too), about half in each
        assertTrue(use.foldedShare() > 0.3 && use.foldedShare() < 0.7, "folded share " + use.foldedShare());
        assertTrue(p.modes().size() >= 2, p.modes().toString());
        for (double[] dr : p.chain().draws()) {
            assertTrue(dr[0] >= 0);
        }
        // the folded draws of a0 can only take [0, 2] of its box [-2, 2]: its share is of that half (by hand), a1's of its box
        Marginal a1 = p.marginal("a1");
        assertEquals((a0.p95() - a0.p05()) / 2.0, p.determination("a0").boxShare(), 1e-4 * p.determination("a0").boxShare());
        assertEquals((a1.p95() - a1.p05()) / 15.0, p.determination("a1").boxShare(), 1e-12);
        // the report names the symmetry and holds the posterior contract
        var json = org.lnpsaxs.optimize.report.FitReport.toJson(r);
        var sym = json.get("symmetries").get(0);
        assertEquals("sign of a0", sym.get("name").asText());
        assertTrue(sym.get("statement").asText().contains("not determined"));
        assertEquals("a0 >= 0", sym.get("canonical_image").asText());
        int members = r.ensemble().size();
        assertEquals(members, sym.get("members_canonical").asInt() + sym.get("members_mirrored").asInt());
        // the ensemble holds both images here, and its modes are split by them first: no mode mixes them
        assertTrue(sym.get("members_canonical").asInt() > 0 && sym.get("members_mirrored").asInt() > 0, sym.toString());
        var modesJson = json.get("identifiability").get("modes");
        assertTrue(modesJson.get("split_by_symmetry").asText().startsWith("sign of a0"), modesJson.toString());
        assertTrue(modesJson.get("count").asInt() >= 2, modesJson.toString());
        java.util.Map<Integer, Boolean> imageOfMode = new java.util.HashMap<>();
        for (var m : json.get("ensemble").get("members")) {
            boolean canonical = m.get("parameters").get("a0").asDouble() >= 0;
            Boolean before = imageOfMode.putIfAbsent(m.get("mode").asInt(), canonical);
            assertTrue(before == null || before == canonical, "mode " + m.get("mode") + " holds both images");
        }
        assertEquals(2, new java.util.HashSet<>(imageOfMode.values()).size());
        // and so does the line a person reads: the name, then the report's note (mode pairs spelled out)
        List<String> notes = org.lnpsaxs.optimize.report.FitReport.symmetryNotes(r);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("sign of a0: ") && notes.get(0).contains("not determined"), notes.get(0));
        assertFalse(notes.get(0).contains("mirror_modes"), notes.get(0));
        if (sym.get("mirror_modes").size() > 0) {
            var pair = sym.get("mirror_modes").get(0);
            assertTrue(notes.get(0).contains(pair.get(0).asInt() + "-" + pair.get(1).asInt()), notes.get(0));
        }
        var post = json.get("posterior");
        assertTrue(post.get("converged").asBoolean());
        assertEquals(p.samples(), post.get("samples").asInt());
        for (String n : new String[] {"a0", "a1"}) {
            assertTrue(post.get("diagnostics").get(n).has("r_hat") && post.get("diagnostics").get(n).has("ess"));
            for (String k : new String[] {"mean", "median", "p05", "p16", "p84", "p95"}) {
                assertTrue(post.get("parameters").get(n).get(k).isNumber(), n + "." + k);
            }
        }
        assertEquals(p.marginal("a0").median(), post.get("parameters").get("a0").get("median").asDouble(), 0.0);
        assertTrue(post.get("symmetries").get(0).get("applied").asBoolean());
    }

    /**
     * I = a0 + (a1 + a2) x with the swap of a1 and a2 declared (canonical image a1 ≤ a2, the space's
     * ordering), a0 in [−5, 5], a1 in [0, 2], a2 in [0, a2Upper]; the data 1 + 1.5 x with σ 0.1.
     */
    private static FitProblem swapProblem(double a2Upper) {
        org.lnpsaxs.optimize.model.Symmetry swap = org.lnpsaxs.optimize.model.Symmetry.of("swap of a1 and a2",
                "(a1, a2) -> (a2, a1)", "which of a1 and a2 is the smaller is not determined", "a1 <= a2",
                List.of("a1", "a2"), v -> new double[] {v[1], v[0]}, v -> v[0] <= v[1], v -> 0.0)
                .withCanonicalOrdering("a1", "a2");
        LinearFitModel model = LinearFitModel.of(new double[] {-5, 5}, new double[] {0, 2}, new double[] {0, a2Upper})
                .withPowers(0, 1, 1).withSymmetries(swap);
        double[] d = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            d[i] = 1 + 1.5 * X[i];
        }
        FitProblem pr = problem(model, d, constant(0.1));
        return pr.withSpace(pr.space().withOrderedPair("a1", "a2"));
    }

    /**
     * A relabelling symmetry whose canonical image is the fit space's ordering: I = a0 + (a1 + a2) x
     * does not change when a1 and a2 trade places, and the space orders a1 ≤ a2. The data fix a1 + a2 =
     * 1.5 and leave a1 − a2 free, so the posterior is the line a1 + a2 = 1.5 through the whole box; folded
     * onto a1 ≤ a2 with a uniform prior, a1 is uniform on [0, 0.75] (the likelihood's width across the
     * line, about 0.02 here, barely blurs it). The sampler must cross the ordering — about half its
     * draws lie beyond it before they are folded — and the reported draws must all keep it.
     */
    @Test
    void anOrderingThatARelabellingSymmetryFoldsOntoIsSampledAcross() {
        for (PosteriorSettings.Method method : PosteriorSettings.Method.values()) {
            FitProblem pr = swapProblem(2);
            Fitter f = Fitter.defaults().withStarts(32).withFisher(false).withThreads(2)
                    .withPosterior(PosteriorSettings.defaults().withMethod(method)
                            .withMaxSteps(method == PosteriorSettings.Method.HMC ? 6_000 : 40_000));
            FitResult r = f.fit(pr);
            FitPosterior p = r.posterior();
            assertTrue(p.converged(), () -> method + ": " + p.reason());
            // the multi-start fit searched the ordered half only, and the report says so
            List<String> notes = org.lnpsaxs.optimize.report.FitReport.symmetryNotes(r);
            assertTrue(notes.get(0).startsWith("swap of a1 and a2: the fit searches the canonical image only"), notes.toString());
            // and its modes are not said to be split by a symmetry that cannot split them
            String split = org.lnpsaxs.optimize.report.FitReport.toJson(r).get("identifiability").get("modes")
                    .path("split_by_symmetry").asText("");
            assertFalse(split.contains("swap"), split);
            Marginal a1 = p.marginal("a1");
            assertEquals(0.375, a1.median(), 0.04, method + " " + a1);
            assertEquals(0.0375, a1.p05(), 0.04, method + " " + a1);
            assertEquals(0.7125, a1.p95(), 0.04, method + " " + a1);
            assertEquals(1.125, p.marginal("a2").median(), 0.04, method + " " + p.marginal("a2"));
            FitPosterior.SymmetryUse use = p.symmetries().get(0);
            assertTrue(use.applied(), method + " " + use);
            assertTrue(use.foldedShare() > 0.3 && use.foldedShare() < 0.7,
                    method + ": the draws beyond the ordering, before folding: " + use.foldedShare());
            for (double[] dr : p.chain().draws()) {
                assertTrue(dr[1] <= dr[2], method + ": a reported draw breaks a1 <= a2");
            }
            assertTrue(p.method().contains("sampled across a1 <= a2") || method != PosteriorSettings.Method.HMC,
                    p.method());
        }
    }

    /**
     * The same swap with boxes it does not map onto each other (a2 up to 3, a1 up to 2): lifting the
     * ordering would change the prior, so it stays a wall — no draw crosses it — and the method says so.
     */
    @Test
    void anOrderingStaysAWallWhereTheSymmetryDoesNotMapTheBoxOntoItself() {
        FitProblem pr = swapProblem(3);
        FitPosterior p = Fitter.defaults().withStarts(32).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(6_000)).fit(pr).posterior();
        assertEquals(0.0, p.symmetries().get(0).foldedShare(), 0.0);
        assertFalse(p.method().contains("sampled across"), p.method());
        assertTrue(p.method().contains("the box and orderings are reflecting walls"), p.method());
        // the posterior is still the line a1 + a2 = 1.5 with a1 <= a2: a1 uniform on [0, 0.75]
        assertEquals(0.375, p.marginal("a1").median(), 0.04, p.marginal("a1").toString());
    }

    @Test
    void sameSeedSameDrawsWhateverTheThreads() {
        double[] d = line();
        double[] s = constant(0.1);
        FitProblem pr = problem(LinearFitModel.of(new double[] {-5, 5}, new double[] {-5, 10}), d, s);
        PosteriorSettings few = PosteriorSettings.defaults().withMaxSteps(200).withFirstCheck(100);
        FitPosterior one = Fitter.defaults().withStarts(16).withFisher(false).withThreads(1).withPosterior(few).fit(pr)
                .posterior();
        FitPosterior two = Fitter.defaults().withStarts(16).withFisher(false).withThreads(3).withPosterior(few).fit(pr)
                .posterior();
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.chain().values(), two.chain().values());
        FitPosterior other = Fitter.defaults().withStarts(16).withFisher(false).withThreads(1).withSeed(2)
                .withPosterior(few).fit(pr).posterior();
        assertFalse(java.util.Arrays.equals(one.chain().values(), other.chain().values()));
    }

    @Test
    void aLossThatIsNotALikelihoodIsRefusedBeforeAnyWork() {
        FitProblem sf = FitProblem.of(AnalyticFitModel.sphere(), ScatteringCurve.of(FitterTest.Q,
                FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth())[0]).withSource("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fitter().fit(sf));
        // no sigma and a model without its own error: no likelihood to offer, and the message says what is missing
        assertTrue(e.getMessage().contains("scale-free") && e.getMessage().contains("add a sigma column"), e.getMessage());
        assertTrue(sf.posteriorLikelihood().isEmpty());
        // with sigma the likelihood is chi2; the scale-free loss chosen anyway is refused, naming it
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem withSigma = FitProblem.of(AnalyticFitModel.sphere(), ScatteringCurve.of(FitterTest.Q, syn[0], syn[1])
                .withSource("y"));
        assertEquals(java.util.Optional.of(LossType.CHI2), withSigma.posteriorLikelihood());
        assertTrue(withSigma.posteriorRefusal().isEmpty());
        FitProblem chosen = withSigma.withLoss(LossType.SCALE_FREE);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> fitter().fit(chosen));
        assertTrue(c.getMessage().contains("scale-free") && c.getMessage().contains("choose the chi2 loss"), c.getMessage());
    }

    @Test
    void aModelTooSimpleForItsDataHasItsSigmaInflated() {
        // a sphere fitted to data with 1 % sigma and a 5 % ripple it cannot describe
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        double[] i = syn[0].clone();
        for (int k = 0; k < i.length; k++) {
            i[k] *= 1 + 0.05 * Math.sin(k);
        }
        FitProblem pr = FitterTest.problem(AnalyticFitModel.sphere(), "ripple", i, syn[1]);
        FitResult r = Fitter.defaults().withStarts(32).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(400).withFirstCheck(200)).fit(pr);
        FitPosterior p = r.posterior();
        assertTrue(r.reducedChi2() > 2, "reduced chi2 " + r.reducedChi2());
        assertEquals(r.reducedChi2(), p.likelihood().inflation(), 1e-12);
        assertTrue(p.likelihood().note().contains("inflated"), p.likelihood().note());
        FitResult off = Fitter.defaults().withStarts(32).withThreads(2).withPosterior(PosteriorSettings.defaults()
                .withMaxSteps(400).withFirstCheck(200).withSigmaInflation(false)).fit(pr);
        assertEquals(1.0, off.posterior().likelihood().inflation());
        // a budget too small for the criteria: not converged, with the reason, and sampling stopped at the cap
        FitPosterior small = Fitter.defaults().withStarts(32).withThreads(2).withPosterior(PosteriorSettings.defaults()
                .withMaxSteps(40).withFirstCheck(20).withCriteria(new ConvergenceCriteria(1.001, 100000, 50))).fit(pr)
                .posterior();
        assertFalse(small.converged());
        assertEquals(40, small.totalSteps());
        assertTrue(small.reason().contains("ESS"), small.reason());
    }
}
