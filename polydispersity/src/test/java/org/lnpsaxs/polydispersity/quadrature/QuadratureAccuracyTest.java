package org.lnpsaxs.polydispersity.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.Sphere;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * Number-weighted averages \( \langle f_2\rangle(q) = \int \mathrm{pdf}(R)\, f_2(q; R)\,dR \) of the
 * sphere's \( f_2 = 10^{-4}F^2 \) (which scales like \( R^6 \) at low q, like the LNP intensities)
 * over the paper's truncated log-normal, by the quadrature rules, against a converged reference:
 * commons-math's 24-point Gauss–Legendre rule on 400 one-Å panels of [101, 499] Å with the
 * density of commons-math's log-normal renormalised to the window (independent of the code under
 * test), on the paper's q grid (300 points, 0.002–0.1995 Å⁻¹), CV in [0.1, 0.4].
 *
 * <p>Measured (see docs/polydispersity.md): the paper's 32 nodes in CDF space miss the issue's
 * 1e-3 bar (errors up to ~2e-2 already at low q, where the truncation at 499 Å cuts a thin tail
 * that the \( R^6 \) weighting emphasises, and up to ~0.4 at high q); the density-weighted rule
 * meets it with 64 nodes on the whole grid (~4e-10) and with 32 nodes wherever
 * \( q\,m\,\mathrm{CV} \le 2 \). The paper rule is checked here against an independent
 * construction of the same nodes and for convergence to the reference as the node count grows.
 */
class QuadratureAccuracyTest {

    static final double A = 101;
    static final double B = 499;
    static final double[] Q = QGrid.PAPER.values();
    static final Sphere SPHERE = new Sphere();

    /** f2(q_i; R) of a sphere with contrast 1 (sld 2, solvent 1). */
    static double[] f2(double radius) {
        double[] out = new double[Q.length];
        SPHERE.compute(Q, new double[] {2, 1, radius}, 1, out, new double[1]);
        return out;
    }

    /** The reference average on the paper grid. */
    static double[] reference(double mean, double cv) {
        double s2 = Math.log1p(cv * cv);
        LogNormalDistribution ln = new LogNormalDistribution(Math.log(mean) - s2 / 2, Math.sqrt(s2));
        double mass = ln.cumulativeProbability(B) - ln.cumulativeProbability(A);
        GaussIntegrator unit = new GaussIntegratorFactory().legendreHighPrecision(24, 0, 1);
        double[] out = new double[Q.length];
        int panels = 398;
        for (int p = 0; p < panels; p++) {
            for (int k = 0; k < 24; k++) {
                double r = A + p + unit.getPoint(k);
                double weight = unit.getWeight(k) * ln.density(r) / mass;
                double[] f = f2(r);
                for (int i = 0; i < Q.length; i++) {
                    out[i] += weight * f[i];
                }
            }
        }
        return out;
    }

    static double[] average(QuadratureRule rule, TruncatedLogNormal d) {
        Nodes n = rule.nodes(d);
        double[] out = new double[Q.length];
        for (int k = 0; k < n.size(); k++) {
            double[] f = f2(n.x()[k]);
            for (int i = 0; i < Q.length; i++) {
                out[i] += n.w()[k] * f[i];
            }
        }
        return out;
    }

    /** max_i |a_i/r_i − 1| over the q with q·m·CV ≤ limit. */
    static double maxRelativeError(double[] ref, double[] value, double mean, double cv, double limit) {
        double max = 0;
        for (int i = 0; i < Q.length; i++) {
            if (Q[i] * mean * cv <= limit) {
                max = Math.max(max, Math.abs(value[i] / ref[i] - 1));
            }
        }
        return max;
    }

    @Property(tries = 8, seed = "4")
    void densityRuleWith64NodesMeetsTheBarOnTheWholeGrid(@ForAll @DoubleRange(min = 110, max = 490) double mean,
                                                         @ForAll @DoubleRange(min = 0.1, max = 0.4) double cv) {
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, A, B);
        double err = maxRelativeError(reference(mean, cv), average(GaussLegendreDensity.of(64), d), mean, cv,
                Double.POSITIVE_INFINITY);
        assertTrue(err <= 1e-3, d + ": max relative error " + err);
    }

    @Property(tries = 8, seed = "5")
    void densityRuleWith32NodesMeetsTheBarWhereTheNodesResolveTheCurve(
            @ForAll @DoubleRange(min = 110, max = 490) double mean,
            @ForAll @DoubleRange(min = 0.1, max = 0.4) double cv) {
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, A, B);
        double err = maxRelativeError(reference(mean, cv), average(GaussLegendreDensity.of(32), d), mean, cv, 2.0);
        assertTrue(err <= 1e-3, d + ": max relative error for q·m·CV <= 2: " + err);
    }

    /**
     * The paper's rule is what it says: nodes \( F^{-1}(u_k) \) with commons-math's Gauss–Legendre
     * \( u_k \) and commons-math's log-normal quantile, weights \( W_k/2 \).
     */
    @Example
    void paperRuleIsGaussLegendreInCdfSpace() {
        double mean = 260;
        double cv = 0.22;
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, A, B);
        double s2 = Math.log1p(cv * cv);
        LogNormalDistribution ln = new LogNormalDistribution(Math.log(mean) - s2 / 2, Math.sqrt(s2), 1e-15);
        double fa = ln.cumulativeProbability(A);
        double mass = ln.cumulativeProbability(B) - fa;
        GaussIntegrator gl = new GaussIntegratorFactory().legendreHighPrecision(32, 0, 1);
        Nodes n = GaussLegendreCdf.paper().nodes(d);
        assertEquals(32, n.size());
        for (int k = 0; k < 32; k++) {
            double x = ln.inverseCumulativeProbability(fa + gl.getPoint(k) * mass);
            assertEquals(x, n.x()[k], 1e-9 * x, "node " + k);
            assertEquals(gl.getWeight(k), n.w()[k], 1e-14, "weight " + k);
        }
    }

    /** The paper's rule converges to the reference as the number of nodes grows. */
    @Example
    void paperRuleConvergesWithMoreNodes() {
        double mean = 200;
        double cv = 0.25;
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, A, B);
        double[] ref = reference(mean, cv);
        double e32 = maxRelativeError(ref, average(GaussLegendreCdf.of(32), d), mean, cv, 1);
        double e128 = maxRelativeError(ref, average(GaussLegendreCdf.of(128), d), mean, cv, 1);
        double e1024 = maxRelativeError(ref, average(GaussLegendreCdf.of(1024), d), mean, cv, 1);
        assertTrue(e128 < e32 / 2 && e1024 < e128 / 2 && e1024 < 1e-3,
                "errors 32: " + e32 + ", 128: " + e128 + ", 1024: " + e1024);
    }
}
