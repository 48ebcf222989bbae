package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.ensemble.EnsembleRuleType;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.report.FitReport;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;

/**
 * Recovery of the truth from noise-free synthetic data of the analytic models. For a sphere with
 * a radius distribution the curve's shape depends on radius_mean and radius_cv only (scale and
 * contrast are absorbed by the scale), so both are identifiable; for a core-shell sphere with
 * the shell and solvent SLDs fixed, radius_mean, radius_cv, thickness and sld_core (the
 * core/shell contrast ratio) all shape the curve and are identifiable.
 */
class FitterTest {

    static final double[] Q = QGrid.log(0.005, 0.3, 80).values();

    /** Noise-free data of the fit model's own curve at {@code truth} plus 10⁻⁴ cm⁻¹ background, with 1 % σ. */
    static double[][] synthetic(FitModel fm, Map<String, Double> truth) {
        return synthetic(fm, truth, 1e-4);
    }

    static double[][] synthetic(FitModel fm, Map<String, Double> truth, double background) {
        DifferentiableModel m = fm.bind(QGrid.of(Q)).model();
        double[] th = new double[m.parameters().size()];
        for (int j = 0; j < th.length; j++) {
            th[j] = truth.get(m.parameters().get(j).name());
        }
        double[] i = m.evaluate(th);
        double[] s = new double[i.length];
        for (int k = 0; k < i.length; k++) {
            i[k] += background; // an absolute background, as measured data have
            s[k] = 0.01 * i[k];
        }
        return new double[][] {i, s};
    }

    /** The default problem for the curve (Q, intensity, sigma) named {@code name}. */
    static FitProblem problem(FitModel fm, String name, double[] intensity, double[] sigma) {
        return FitProblem.of(fm, ScatteringCurve.of(Q, intensity, sigma).withSource(name));
    }

    static Map<String, Double> sphereTruth() {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("scale", 0.01);
        t.put("background", 0.0);
        t.put("sld", 10.0);
        t.put("sld_solvent", 9.47);
        t.put("radius_mean", 180.0);
        t.put("radius_cv", 0.12);
        return t;
    }

    static void assertRecovered(FitResult r, Map<String, Double> truth, List<String> names, double rel) {
        for (String n : names) {
            double v = r.bestParameters().get(n);
            assertEquals(truth.get(n), v, rel * Math.abs(truth.get(n)), n + " in " + r.bestParameters());
        }
    }

    @Test
    void sphereChi2RecoversRadiusMeanAndCv() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1]);
        assertEquals("chi2", p.loss().name());
        FitResult r = Fitter.defaults().withStarts(24).fit(p);
        assertRecovered(r, sphereTruth(), List.of("radius_mean", "radius_cv"), 1e-5);
        // χ² solved the scale (volume fraction 0.01 at contrast 0.53 vs the fixed sasmodels SLDs 1 and 6) and background
        double contrastRatio = Math.pow((10.0 - 9.47) / (1.0 - 6.0), 2);
        assertEquals(0.01 * contrastRatio, r.scaleAndBackground().scale(), 1e-6 * 0.01 * contrastRatio);
        assertEquals(1e-4, r.scaleAndBackground().background(), 1e-9);
        assertTrue(r.bestLoss() < 1e-12, "chi2 " + r.bestLoss());
        assertEquals(ParameterSpread.Verdict.WELL_DETERMINED, r.identifiability().spreads().get(0).verdict());
        assertNotNull(r.identifiability().fisher().standardErrors());
        assertTrue(r.ensemble().size() >= 2);
    }

    @Test
    void withoutANumberOfStartsAFitTakesItsModels() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1]);
        assertEquals(FitSettings.MODEL_DEFAULT_STARTS, Fitter.defaults().settings().starts());
        // the documented rule: 32 per free parameter, at least 128, at most 512 (sphere: radius_mean, radius_cv)
        assertEquals(128, Fitter.defaults().withFisher(false).fit(p).starts());
        assertEquals(128, fm.defaultStarts(4));
        assertEquals(160, fm.defaultStarts(5));
        assertEquals(512, fm.defaultStarts(16));
        assertEquals(512, fm.defaultStarts(40));
        assertEquals(24, Fitter.defaults().withStarts(24).settings().startsFor(fm, 2), "a number given is the number");
        assertThrows(IllegalArgumentException.class, () -> Fitter.defaults().withStarts(0));
    }

    @Test
    void sphereScaleFreeWithRelativeBackgroundRecoversTheTruth() {
        AnalyticFitModel fm = AnalyticFitModel.sphere().withBackground(true);
        double[][] d = synthetic(AnalyticFitModel.sphere(), sphereTruth());
        FitProblem p = problem(fm, "sphere.dat", d[0], null);
        assertEquals("scale-free", p.loss().name());
        FitResult r = Fitter.defaults().withStarts(32).fit(p);
        assertRecovered(r, sphereTruth(), List.of("radius_mean", "radius_cv"), 1e-4);
        // background_ratio = 1e-4 / (model intensity at the first q)
        DifferentiableModel plain = AnalyticFitModel.sphere().bind(QGrid.of(Q)).model();
        double[] th = new double[plain.parameters().size()];
        for (int j = 0; j < th.length; j++) {
            th[j] = sphereTruth().get(plain.parameters().get(j).name());
        }
        double first = plain.evaluate(th)[0];
        assertEquals(1e-4 / first, r.bestParameters().get("background_ratio"), 1e-3 * 1e-4 / first);
        assertNull(r.scaleAndBackground());
    }

    @Test
    void coreShellSphereRecoversAllFourShapeParameters() {
        FitModel fm = AnalyticFitModel.coreShellSphere();
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("scale", 0.02);
        t.put("background", 0.0);
        t.put("radius_mean", 150.0);
        t.put("radius_cv", 0.15);
        t.put("thickness", 30.0);
        t.put("sld_core", 1.5);
        t.put("sld_shell", 2.0);
        t.put("sld_solvent", 3.0);
        double[][] d = synthetic(fm, t);
        FitProblem p = problem(fm, "css.dat", d[0], d[1]);
        FitResult r = Fitter.defaults().withStarts(160).fit(p);
        assertRecovered(r, t, List.of("radius_mean", "radius_cv", "thickness", "sld_core"), 1e-4);
    }

    /**
     * The paper's fixed-step AdamW protocol (1000 steps, final rate 0.6e-2) stops short of the
     * minimum along the radius–CV valley: measured here, radius_mean to 0.4 % and radius_cv to
     * 4 % from 8 starts (L-BFGS reaches 1e-12 on the same problem). The test pins that behaviour:
     * radius within 1 %, CV within 5 %, and a loss far below every start's initial loss.
     */
    @Test
    void paperAdamWProtocolGetsCloseToTheSphere() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth(), 0.0); // the model has no background here
        // this test is about the precision of the paper's 1000-step schedule, not about the global
        // search (the sphere's loss has local minima at other radii): a box around the truth
        FitProblem p = problem(fm, "sphere.dat", d[0], null)
                .withBounds("radius_mean", 120, 300);
        // every start to the end, as the paper ran it (racing would stop the starts far above the best)
        FitResult r = Fitter.defaults().withStarts(8).withOptimizer(AdamW.paper().withRacing(AdamW.Racing.OFF))
                .withFisher(false).fit(p);
        assertRecovered(r, sphereTruth(), List.of("radius_mean"), 1e-2);
        assertRecovered(r, sphereTruth(), List.of("radius_cv"), 5e-2);
        assertTrue(r.bestLoss() < 1e-3, "loss " + r.bestLoss());
        assertEquals(8L * 1000, r.gradients());
    }

    @Test
    void sameSeedSameReportWhateverTheThreads() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        for (int i = 0; i < d[0].length; i++) {
            d[0][i] *= 1 + 0.01 * Math.sin(37.0 * i); // deterministic "noise": ensemble and modes are non-trivial
        }
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1]);
        Fitter f = Fitter.defaults().withStarts(20).withSeed(7).withProfiles(List.of("radius_cv")).withProfilePoints(5);
        String a = withoutRuntime(FitReport.toJsonString(f.withThreads(1).withChunkSize(7).fit(p)));
        String b = withoutRuntime(FitReport.toJsonString(f.withThreads(2).withChunkSize(5).fit(p)));
        assertEquals(a, b);
        String c = withoutRuntime(FitReport.toJsonString(f.withSeed(8).fit(p)));
        assertTrue(!a.equals(c), "another seed must give other starts");
    }

    static String withoutRuntime(String json) {
        return json.replaceAll("\"runtime_s\" : [^,\\n]*", "\"runtime_s\" : 0");
    }

    @Test
    void profileLikelihoodOfChi2HasItsMinimumAtTheBestFitAndAnInterval() {
        // pinned to the paper's quadrature: the profile's 68 % half-width here is 0.50 of the Fisher
        // SE with either rule (linear interpolation between profile points ±2 SE apart), at the edge
        // of the factor-2 check below; the paper rule's numbers sit just inside it
        FitModel fm = AnalyticFitModel.sphere().withQuadrature(Quadrature.PAPER);
        double[][] d = synthetic(fm, sphereTruth());
        for (int i = 0; i < d[0].length; i++) {
            d[0][i] *= 1 + 0.01 * Math.sin(37.0 * i);
        }
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1])
                .withBounds("radius_cv", 0.11, 0.13);
        FitResult r = Fitter.defaults().withStarts(16).withProfiles(List.of("radius_cv")).withProfilePoints(9).fit(p);
        Profile prof = r.identifiability().profiles().get(0);
        double best = r.bestParameters().get("radius_cv");
        for (int g = 0; g < prof.values().length; g++) {
            // the profile never lies below the best fit (it is a constrained minimum)
            assertTrue(prof.losses()[g] >= r.bestLoss() - 1e-9 * r.bestLoss(), "value " + prof.values()[g]);
        }
        assertNotNull(prof.lower68());
        assertNotNull(prof.upper68());
        assertTrue(prof.lower68() < best && best < prof.upper68(), prof.lower68() + " " + best + " " + prof.upper68());
        // the 68 % interval agrees with the Fisher standard error to within a factor 2 (near-quadratic χ²)
        double se = r.identifiability().fisher().standardErrors().get("radius_cv");
        double half = 0.5 * (prof.upper68() - prof.lower68());
        assertTrue(half > se / 2 && half < se * 2, "profile half-width " + half + ", Fisher SE " + se);
    }

    /**
     * The Δχ² rule for both likelihood losses (χ² and loglik, which used to be refused with a class
     * cast): the members are exactly the starts within Δ of the best, Δ the 68.27 % quantile of
     * χ²(F) times max(1, χ²_min/ν), the quantile found here by bisection on the closed-form series
     * of the regularised incomplete gamma function.
     */
    @Test
    void deltaChi2EnsembleHoldsExactlyTheStartsWithinTheQuantileForEveryLikelihood() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth(), 0.0); // no background: loglik has none to fit
        Random rng = new Random(11);
        for (int k = 0; k < d[0].length; k++) {
            d[0][k] += d[1][k] * rng.nextGaussian();
        }
        for (String lossName : List.of("chi2", "loglik")) {
            FitProblem p = problem(fm, "sphere.dat", d[0], d[1]).withLoss(lossName);
            FitResult r = Fitter.defaults().withStarts(16).withEnsembleRule(EnsembleRuleType.DELTA_CHI2).fit(p);
            int free = p.space().freeCount();
            int dof = Q.length - free - p.loss().solvedParameters().size();
            double min = r.bestLoss();
            double delta = chiSquaredQuantile(0.6827, free) * Math.max(1.0, min / dof);
            assertTrue(min > 0.5 * dof && min < 1.5 * dof, lossName + ": chi2_min " + min + " for " + dof + " dof");
            Set<Integer> members = new HashSet<>();
            for (int m : r.ensemble().members()) {
                members.add(m);
            }
            int inside = 0;
            for (int i = 0; i < r.starts(); i++) {
                boolean within = r.loss(i) <= min + delta;
                inside += within ? 1 : 0;
                assertEquals(within, members.contains(i), lossName + ": start " + i + " loss " + r.loss(i) + ", limit "
                        + (min + delta));
            }
            assertTrue(inside >= 2, lossName + ": " + inside + " member(s)");
            assertEquals(min + delta, r.ensemble().threshold(), 1e-9 * (min + delta), lossName);
        }
    }

    /** The p-quantile of χ²(k): bisection on P(k/2, x/2) = e^{-y} Σ_n y^{a+n}/Γ(a+n+1), y = x/2. */
    static double chiSquaredQuantile(double prob, int k) {
        double lo = 0;
        double hi = 10.0 * k + 50;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (regularisedGammaP(0.5 * k, 0.5 * mid) < prob) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double regularisedGammaP(double a, double y) {
        // Γ(a + 1) for integer or half-integer a, by the recurrence from Γ(1) = 1 or Γ(1/2) = √π
        double gamma = (2 * a) % 2 == 0 ? 1.0 : Math.sqrt(Math.PI);
        for (double t = (2 * a) % 2 == 0 ? 1.0 : 0.5; t < a + 1 - 1e-9; t += 1) {
            gamma *= t;
        }
        double term = Math.exp(a * Math.log(y) - y) / gamma;
        double sum = term;
        for (int n = 1; n < 1000 && term > 1e-17 * sum; n++) {
            term *= y / (a + n);
            sum += term;
        }
        return sum;
    }

    @Test
    void badRequestsAreRefusedWithReasons() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        FitProblem p = problem(fm, "sphere.dat", d[0], null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.withLoss("chi2"));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.withLoss("l1"));
        assertThrows(IllegalArgumentException.class, () -> Fitter.defaults().withProfiles(List.of("sld")).fit(p));
        assertThrows(IllegalArgumentException.class, () -> Fitter.defaults().withEnsembleRule(EnsembleRuleType.DELTA_CHI2).fit(p));
        // the radius box opens to any size above 0 Å (the data's q range gives the default only)
        assertThrows(IllegalArgumentException.class, () -> p.withBounds("radius_mean", 0, 1e5));
        p.withBounds("radius_mean", 1, 1e5);
    }

    @Test
    void resultsReadForAPersonAndSayWhatTheLossFitted() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1]);
        FitResult r = Fitter.defaults().withStarts(12).fit(p);
        for (Object o : new Object[] {p, r, r.identifiability(), r.ensemble(), r.sizeDistribution(), p.data(),
            r.identifiability().fisher(), r.identifiability().modes(), r.identifiability().spreads().get(0),
            Fitter.defaults(), p.space()}) {
            String text = o.toString();
            assertFalse(text.contains("@") || text.contains("[D") || text.contains("null"), text);
        }
        assertTrue(p.toString().contains("sphere to sphere.dat") && p.toString().contains("radius_mean"), p.toString());
        assertTrue(r.toString().contains("radius_mean 180"), r.toString());
        // chi2 determined scale and background: they are not among the parameters held at values that matter
        assertEquals(List.of("scale", "background"), p.loss().solvedParameters());
        assertEquals(List.of("sld", "sld_solvent"), List.copyOf(p.fixedParameters().keySet()));
        var json = FitReport.toJson(r);
        assertEquals("[\"scale\",\"background\"]", json.get("space").get("solved_by_loss").toString());
        assertFalse(json.get("space").get("fixed").has("scale"));
        // results do not hand out their arrays
        r.theta()[0] = -1;
        r.ensemble().members()[0] = -1;
        r.sizeDistribution().radius()[0] = -1;
        assertTrue(r.parameter(0, 0) != -1 && r.ensemble().member(0) != -1 && r.sizeDistribution().radius()[0] != -1);
    }

    @Test
    void aBestFitOnABoundIsNeverCalledWellDetermined() {
        FitModel fm = AnalyticFitModel.sphere();
        double[][] d = synthetic(fm, sphereTruth());
        // the truth (180 Å) lies above the box: every good fit ends on its upper bound
        FitProblem p = problem(fm, "sphere.dat", d[0], d[1]).withBounds("radius_mean", 100, 150);
        FitResult r = Fitter.defaults().withStarts(12).fit(p);
        ParameterSpread s = r.identifiability().spread("radius_mean");
        assertEquals(ParameterSpread.Bound.UPPER, s.atBound());
        assertTrue(s.verdict() != ParameterSpread.Verdict.WELL_DETERMINED, s.toString());
    }

    @Test
    void fewerPointsThanFreeParametersPlusTwoAreRefused() {
        FitModel fm = AnalyticFitModel.coreShellSphere();
        double[] q = {0.02, 0.05, 0.1, 0.2, 0.25};
        double[] i = fm.bind(QGrid.of(q)).model().evaluate(1, 0, 150, 0.15, 30, 1.5, 2.0, 3.0);
        double[] sig = new double[i.length];
        java.util.Arrays.fill(sig, 1e-3);
        FitProblem p = FitProblem.of(fm, ScatteringCurve.of(q, i, sig).withSource("five.dat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fitter.defaults().fit(p));
        assertTrue(e.getMessage().contains("five.dat: 5 usable point(s) for 4 free parameter(s)")
                && e.getMessage().contains("at least the free parameters + 2 = 6"), e.getMessage());
        // with two parameters fixed, 5 points are enough
        FitResult r = Fitter.defaults().withStarts(4).withFisher(false)
                .fit(p.withFixed(Map.of("thickness", 30.0, "sld_core", 1.5)));
        assertEquals(2, r.problem().space().freeCount());
    }
}
