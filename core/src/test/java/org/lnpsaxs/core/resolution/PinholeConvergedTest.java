package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lnpsaxs.core.data.QGrid;

/**
 * The converged pinhole operator against an independent adaptive quadrature of the truncated,
 * renormalised Gaussian convolution, and against the closed-form mean of a truncated Gaussian.
 */
class PinholeConvergedTest {

    static final double TOLERANCE = 1e-6;

    /** A smooth analytic curve: a homogeneous sphere of diameter 2R (closed form, no project code). */
    static DoubleUnaryOperator sphereCurve(double radius) {
        return q -> {
            double x = Math.abs(q) * radius;
            double j = x < 1e-3 ? 1 - x * x / 10 : 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
            return j * j;
        };
    }

    /**
     * The reference: ∫G·I / ∫G over [q-2.5σ, q+3σ] by commons-math's iterative Gauss–Legendre
     * integrator (relative accuracy 1e-13), split at q' = 0 where I(|q'|) has a kink.
     */
    static double reference(DoubleUnaryOperator curve, double q, double sigma) {
        double lo = q - 2.5 * sigma;
        double hi = q + 3.0 * sigma;
        DoubleUnaryOperator g = x -> Math.exp(-0.5 * ((x - q) / sigma) * ((x - q) / sigma));
        double num = 0;
        double den = 0;
        double[] cuts = lo < 0 ? new double[] {lo, 0, hi} : new double[] {lo, hi};
        for (int k = 0; k + 1 < cuts.length; k++) {
            num += integrate(x -> g.applyAsDouble(x) * curve.applyAsDouble(x), cuts[k], cuts[k + 1]);
            den += integrate(g, cuts[k], cuts[k + 1]);
        }
        return num / den;
    }

    static double integrate(DoubleUnaryOperator f, double a, double b) {
        IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(8, 1e-13, 1e-300, 2, 64);
        return integrator.integrate(50_000_000, f::applyAsDouble, a, b);
    }

    @ParameterizedTest(name = "R = {0} Å, dq/q = {1}")
    @CsvSource({"50, 0.05", "300, 0.05", "600, 0.05", "1000, 0.05", "2000, 0.05", "300, 0.1", "120, 0.5"})
    void agreesWithAdaptiveQuadrature(double radius, double dqOverQ) {
        QGrid q = QGrid.log(0.002, 0.5, 40);
        ResolutionOperator op = Pinhole.converged(q, dqOverQ);
        DoubleUnaryOperator curve = sphereCurve(radius);
        double[] calc = op.qCalc().values();
        for (int j = 0; j < calc.length; j++) {
            calc[j] = curve.applyAsDouble(calc[j]);
        }
        double[] smeared = op.apply(calc);
        double max = 0;
        for (int i = 0; i < q.size(); i++) {
            double ref = reference(curve, q.get(i), dqOverQ * q.get(i));
            max = Math.max(max, Math.abs(smeared[i] - ref) / Math.abs(ref));
        }
        assertTrue(max <= TOLERANCE, "max relative error " + max);
    }

    /** For a linear curve the smeared value is the curve at the truncated Gaussian's mean (exact for Gauss–Legendre). */
    @Test
    void linearCurveGivesTheTruncatedGaussianMean() {
        QGrid q = QGrid.linear(0.01, 0.3, 30);
        ResolutionOperator op = Pinhole.converged(q, 0.1);
        double[] calc = op.qCalc().values();
        for (int j = 0; j < calc.length; j++) {
            calc[j] = 2.0 - 3.0 * calc[j];
        }
        double[] smeared = op.apply(calc);
        NormalDistribution n = new NormalDistribution();
        double shift = (n.density(-2.5) - n.density(3.0)) / (n.cumulativeProbability(3.0) - n.cumulativeProbability(-2.5));
        for (int i = 0; i < q.size(); i++) {
            double mean = q.get(i) + 0.1 * q.get(i) * shift;
            assertEquals(2.0 - 3.0 * mean, smeared[i], 1e-14, "q=" + q.get(i));
        }
    }

    @Test
    void zeroWidthIsNotSmeared() {
        QGrid q = QGrid.linear(0.01, 0.3, 30);
        ResolutionOperator op = Pinhole.converged(q, 0.0);
        assertEquals(q, op.qCalc());
        double[] x = q.values();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(-x[i]);
        }
        double[] y = op.apply(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 0.0);
        }
    }
}
