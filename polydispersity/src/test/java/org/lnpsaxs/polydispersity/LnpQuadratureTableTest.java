package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.QuadratureRule;

/**
 * The quadrature rules over the {@code lnp} fit model's box, for the lead's choice of its default:
 * the number-weighted layer ({@link PolydisperseModel}, as {@code LnpFitModel} builds it) over the
 * paper's truncated log-normal of the outer radius R ([101, 499] Å; radius_mean 150–320 Å, CV
 * 0.10–0.40) on the paper's q grid (300 points, 0.002–0.1995 Å⁻¹). The monodisperse curve is a
 * stand-in for the surrogate with the same R⁶ growth and R-periodic oscillations: the analytic
 * core-shell sphere of outer radius R, shell 55 Å (the middle of the box's 40–70 Å), SLDs
 * 10 / 10.5 / 9.47 (1e-6/Å²), f₂ = 10⁻⁴F² (cm⁻¹·Å³).
 *
 * <p>Reference: commons-math's log-normal density renormalised to [101, 499] Å, 16-point
 * Gauss–Legendre on 0.5-Å panels (converged: 1-Å panels agree to 1e-12). The table printed
 * here (max relative error over the box at any q and at q ≤ 0.02 Å⁻¹, nodes per parameter set)
 * is in docs/polydispersity.md ({@code mvn -pl polydispersity -am test -Dtest=LnpQuadratureTableTest}).
 */
class LnpQuadratureTableTest {

    static final double A = TruncatedLogNormal.DEFAULT_LOWER;
    static final double B = TruncatedLogNormal.DEFAULT_UPPER;
    static final double SHELL = 55;
    static final double[] Q = QGrid.PAPER.values();
    static final double[] MEANS = {150, 190, 230, 270, 320};
    static final double[] CVS = {0.10, 0.175, 0.25, 0.325, 0.40};

    /** I(q; R) = f₂ of the core-shell sphere of outer radius R (value only, like the simulator). */
    static final class StandIn implements BatchedModel {
        static final ParameterSpace SPACE = ParameterSpace.of(new Parameter("R", "Å", 60, 1000, "outer radius"));
        final CoreShellSphere css = new CoreShellSphere();

        @Override
        public ParameterSpace parameters() {
            return SPACE;
        }

        @Override
        public double[] q() {
            return Q.clone();
        }

        @Override
        public int qSize() {
            return Q.length;
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            double[] k = new double[batch * 5];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(new double[] {theta[b] - SHELL, SHELL, 10, 10.5, 9.47}, 0, k, b * 5, 5);
            }
            css.compute(Q, k, batch, out, new double[batch]);
        }
    }

    static double[] reference(double mean, double cv, double panel) {
        double s2 = Math.log1p(cv * cv);
        LogNormalDistribution ln = new LogNormalDistribution(Math.log(mean) - s2 / 2, Math.sqrt(s2));
        double mass = ln.cumulativeProbability(B) - ln.cumulativeProbability(A);
        GaussIntegrator unit = new GaussIntegratorFactory().legendreHighPrecision(16, 0, 1);
        int panels = (int) Math.round((B - A) / panel);
        double[] r = new double[panels * 16];
        double[] w = new double[panels * 16];
        for (int p = 0; p < panels; p++) {
            for (int k = 0; k < 16; k++) {
                r[p * 16 + k] = A + panel * (p + unit.getPoint(k));
                w[p * 16 + k] = panel * unit.getWeight(k) * ln.density(r[p * 16 + k]) / mass;
            }
        }
        double[] f = new double[r.length * Q.length];
        new StandIn().evaluate(r, r.length, f);
        double[] out = new double[Q.length];
        for (int j = 0; j < r.length; j++) {
            for (int i = 0; i < Q.length; i++) {
                out[i] += w[j] * f[j * Q.length + i];
            }
        }
        return out;
    }

    record Row(String name, QuadratureRule rule) {
    }

    @Test
    void tabulateTheRulesOverTheLnpBox() {
        Row[] rows = {
            new Row("paper: Gauss–Legendre in CDF space, 32", GaussLegendreCdf.paper()),
            new Row("Gauss–Legendre in CDF space, 64", GaussLegendreCdf.of(64)),
            new Row("Gauss–Legendre in CDF space, 128", GaussLegendreCdf.of(128)),
            new Row("Gauss–Legendre × density, 32", GaussLegendreDensity.of(32)),
            new Row("Gauss–Legendre × density, 48", GaussLegendreDensity.of(48)),
            new Row("Gauss–Legendre × density, 64", GaussLegendreDensity.of(64)),
            new Row("accurate (adaptive)", Quadrature.ACCURATE.rule()),
        };
        double[][] worst = new double[rows.length][2];
        double[] nodes = new double[rows.length];
        int[] maxNodes = new int[rows.length];
        int cases = 0;
        for (double mean : MEANS) {
            for (double cv : CVS) {
                double[] ref = reference(mean, cv, 0.5);
                cases++;
                for (int k = 0; k < rows.length; k++) {
                    PolydisperseModel layer = PolydisperseModel.of(new StandIn(),
                            Dispersion.paper("R", A, B).withRule(rows[k].rule()));
                    double[] v = layer.with("radius_mean", mean).with("radius_cv", cv).evaluate();
                    for (int i = 0; i < Q.length; i++) {
                        double e = Math.abs(v[i] / ref[i] - 1);
                        worst[k][0] = Math.max(worst[k][0], e);
                        if (Q[i] <= 0.02) {
                            worst[k][1] = Math.max(worst[k][1], e);
                        }
                    }
                    QuadratureRule adapted = rows[k].rule().adaptedTo(TruncatedLogNormal.of(mean, cv, A, B), 100, 500,
                            Q[Q.length - 1]);
                    int n = adapted.nodes(TruncatedLogNormal.of(mean, cv, A, B)).size();
                    nodes[k] += n;
                    maxNodes[k] = Math.max(maxNodes[k], n);
                }
            }
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| rule | max rel. error, all q | max rel. error, q ≤ 0.02 1/Å | nodes per set (mean / max) |%n|---|---|---|---|%n"));
        for (int k = 0; k < rows.length; k++) {
            table.append(String.format(Locale.ROOT, "| %s | %.1e | %.1e | %.0f / %d |%n", rows[k].name(), worst[k][0],
                    worst[k][1], nodes[k] / cases, maxNodes[k]));
        }
        System.out.print(table);
        assertTrue(worst[rows.length - 1][0] <= 1e-3, "accurate rule over the lnp box: " + worst[rows.length - 1][0]);
    }

    @Test
    void referenceIsConverged() {
        for (double[] c : new double[][] {{150, 0.4}, {320, 0.1}}) {
            double[] a = reference(c[0], c[1], 0.5);
            double[] b = reference(c[0], c[1], 1.0);
            double max = 0;
            for (int i = 0; i < Q.length; i++) {
                max = Math.max(max, Math.abs(b[i] / a[i] - 1));
            }
            assertTrue(max < 1e-10, "reference moved by " + max);
        }
    }
}
