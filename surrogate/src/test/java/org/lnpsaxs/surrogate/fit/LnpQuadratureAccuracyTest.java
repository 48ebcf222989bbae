package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.quadrature.AdaptiveGaussLegendre;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.QuadratureRule;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * The {@code lnp} fit model's quadrature over its whole fit box with the shipped surrogate, every
 * q of the surrogate's grid, against a converged average written here independently of the
 * polydispersity module: commons-math's log-normal density renormalised to [101, 499] Å (its
 * mass from commons-math's cdf), 8-point Gauss–Legendre (commons-math) on 1-Å panels, the
 * surrogate evaluated at every one of the 3184 radii. Its convergence is checked against 0.5-Å
 * panels.
 *
 * <p>Points: radius_mean {150, 190, 235, 280, 320} Å × radius_cv {0.10, 0.15, 0.25, 0.325, 0.40}
 * (corners included), each with the example particle's other eight parameters and with
 * {@code lnpsaxs.quadrature.draws} (default 2) draws of them uniform in the fit box (seed
 * 20261204, m_q1 ≤ m_q2). The default rule must stay within 10⁻³ at every q; the printed table
 * of candidate rules (worst relative error at any q and at q ≤ 0.02 Å⁻¹, nodes) is the one in
 * docs/polydispersity.md, measured with
 * {@code mvn -B -o -Dquick -pl surrogate -am test -Dtest=LnpQuadratureAccuracyTest -Dlnpsaxs.quadrature.draws=10}.
 */
class LnpQuadratureAccuracyTest {

    static final double A = 101;
    static final double B = 499;
    static final double[] MEANS = {150, 190, 235, 280, 320};
    static final double[] CVS = {0.10, 0.15, 0.25, 0.325, 0.40};
    static Surrogate surrogate;

    @BeforeAll
    static void load() {
        surrogate = Surrogate.loadDefault();
    }

    /** The converged average at layer vector {@code theta} (lnp order), panels of {@code panel} Å. */
    static double[] reference(double[] theta, double panel) {
        double mean = theta[1];
        double cv = theta[2];
        double s2 = Math.log1p(cv * cv);
        LogNormalDistribution ln = new LogNormalDistribution(Math.log(mean) - s2 / 2, Math.sqrt(s2));
        double mass = ln.cumulativeProbability(B) - ln.cumulativeProbability(A);
        GaussIntegrator unit = new GaussIntegratorFactory().legendreHighPrecision(8, 0, 1);
        int panels = (int) Math.round((B - A) / panel);
        double h = (B - A) / panels;
        int n = panels * 8;
        double[] rows = new double[n * 9];
        double[] w = new double[n];
        // lnp order: GRF_shift, radius_mean, radius_cv, then the seven others; monodisperse: GRF_shift, R, ...
        for (int i = 0; i < panels; i++) {
            for (int k = 0; k < 8; k++) {
                int r = i * 8 + k;
                double x = A + h * (i + unit.getPoint(k));
                rows[r * 9] = theta[0];
                rows[r * 9 + 1] = x;
                System.arraycopy(theta, 3, rows, r * 9 + 2, 7);
                w[r] = h * unit.getWeight(k) * ln.density(x) / mass;
            }
        }
        int nq = surrogate.qSize();
        double[] out = new double[n * nq];
        surrogate.evaluate(rows, n, out);
        double[] ref = new double[nq];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < nq; j++) {
                ref[j] += w[r] * out[r * nq + j];
            }
        }
        return ref;
    }

    /** The parameter sets: the (mean, CV) grid × the example particle and random draws of the rest. */
    static List<double[]> points(FitSpace space, int draws) {
        ParameterSpace box = space.box();
        double[] example = LnpParameters.example();
        Random rnd = new Random(20261204L);
        List<double[]> out = new ArrayList<>();
        for (double m : MEANS) {
            for (double cv : CVS) {
                for (int d = 0; d <= draws; d++) {
                    double[] t = new double[10];
                    if (d == 0) {
                        t[0] = example[0];
                        System.arraycopy(example, 2, t, 3, 7);
                    } else {
                        for (int j = 0; j < 10; j++) {
                            t[j] = box.get(j).lower() + (box.get(j).upper() - box.get(j).lower()) * rnd.nextDouble();
                        }
                        if (t[4] > t[5]) {
                            double s = t[4];
                            t[4] = t[5];
                            t[5] = s;
                        }
                    }
                    t[1] = m;
                    t[2] = cv;
                    out.add(t);
                }
            }
        }
        return out;
    }

    static double[] evaluate(DifferentiableModel m, double[] theta) {
        double[] o = new double[m.qSize()];
        m.evaluate(theta, 1, o);
        return o;
    }

    @Test
    void defaultRuleIsWithin1eMinus3OverTheLnpBox() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        assertEquals(Quadrature.ACCURATE, fm.quadrature().orElseThrow());
        assertEquals("gauss-legendre-density(" + LnpFitModel.ACCURATE_NODES + ")", fm.rule().name());
        FitSpace space = fm.defaultSpace(Map.of());
        assertEquals(150, space.box().get("radius_mean").lower(), 0.0);
        assertEquals(320, space.box().get("radius_mean").upper(), 0.0);
        assertEquals(0.10, space.box().get("radius_cv").lower(), 0.0);
        assertEquals(0.40, space.box().get("radius_cv").upper(), 0.0);
        int draws = Integer.getInteger("lnpsaxs.quadrature.draws", 2);
        Map<String, QuadratureRule> rules = new LinkedHashMap<>();
        rules.put("paper: Gauss–Legendre in CDF space, 32", GaussLegendreCdf.paper());
        rules.put("Gauss–Legendre in CDF space, 64", GaussLegendreCdf.of(64));
        rules.put("Gauss–Legendre in CDF space, 128", GaussLegendreCdf.of(128));
        for (int n : new int[] {32, 44, 48, 50, 52, 56, 64}) {
            rules.put("Gauss–Legendre × density, " + n, GaussLegendreDensity.of(n));
        }
        rules.put("adaptive (analytic models' accurate)", AdaptiveGaussLegendre.of());
        Map<String, DifferentiableModel> models = new LinkedHashMap<>();
        for (Map.Entry<String, QuadratureRule> e : rules.entrySet()) {
            models.put(e.getKey(), PolydisperseModel.of(surrogate, Dispersion.paper(LnpParameters.R, A, B).withRule(e.getValue())));
        }
        Map<String, double[]> worst = new LinkedHashMap<>();
        Map<String, int[]> nodes = new LinkedHashMap<>();
        for (String k : rules.keySet()) {
            worst.put(k, new double[2]);
            nodes.put(k, new int[] {Integer.MAX_VALUE, 0});
        }
        double[] q = surrogate.q();
        double worstDefault = 0;
        List<double[]> pts = points(space, draws);
        for (double[] theta : pts) {
            double[] ref = reference(theta, 1.0);
            double[] value = evaluate(fm.model(), theta);
            double err = 0;
            for (int j = 0; j < q.length; j++) {
                err = Math.max(err, Math.abs(value[j] / ref[j] - 1));
            }
            worstDefault = Math.max(worstDefault, err);
            assertTrue(err <= 1e-3, "lnp default quadrature at " + java.util.Arrays.toString(theta)
                    + ": max relative error " + err);
            for (Map.Entry<String, DifferentiableModel> e : models.entrySet()) {
                double[] v = evaluate(e.getValue(), theta);
                double[] wv = worst.get(e.getKey());
                for (int j = 0; j < q.length; j++) {
                    double r = Math.abs(v[j] / ref[j] - 1);
                    wv[0] = Math.max(wv[0], r);
                    if (q[j] <= 0.02) {
                        wv[1] = Math.max(wv[1], r);
                    }
                }
                int k = ((PolydisperseModel) e.getValue()).quadratureRows(theta);
                int[] nk = nodes.get(e.getKey());
                nk[0] = Math.min(nk[0], k);
                nk[1] = Math.max(nk[1], k);
            }
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%d parameter sets%n| rule | max rel. error, all q | max rel. error, q ≤ 0.02 1/Å | nodes (min–max) |%n"
                        + "|---|---|---|---|%n", pts.size()));
        for (String k : rules.keySet()) {
            table.append(String.format(Locale.ROOT, "| %s | %.1e | %.1e | %d–%d |%n", k, worst.get(k)[0], worst.get(k)[1],
                    nodes.get(k)[0], nodes.get(k)[1]));
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "lnp default (%s): worst %.2e%n", fm.rule().name(), worstDefault);
    }

    /** The reference is converged: 0.5-Å panels move it by < 1e-6 (the bar is 1e-3). */
    @Test
    void referenceIsConverged() {
        FitSpace space = LnpFitModel.of(surrogate).defaultSpace(Map.of());
        List<double[]> pts = points(space, 1);
        for (double[] theta : List.of(pts.get(0), pts.get(pts.size() - 1), pts.get(13))) {
            double[] a = reference(theta, 1.0);
            double[] b = reference(theta, 0.5);
            double d = 0;
            for (int j = 0; j < a.length; j++) {
                d = Math.max(d, Math.abs(a[j] / b[j] - 1));
            }
            assertTrue(d < 1e-6, "reference at " + java.util.Arrays.toString(theta) + " moved by " + d);
        }
    }

    @Test
    void accurateNodesScaleWithTheOscillationsToResolve() {
        assertEquals(52, LnpFitModel.accurateNodes(0.1995, 101, 499));
        assertEquals(104, LnpFitModel.accurateNodes(0.399, 101, 499));
        assertEquals(LnpFitModel.MIN_ACCURATE_NODES, LnpFitModel.accurateNodes(0.05, 101, 499));
        assertEquals(32, LnpFitModel.of(surrogate).withQuadrature(Quadrature.PAPER).rule().maxNodes());
    }
}
