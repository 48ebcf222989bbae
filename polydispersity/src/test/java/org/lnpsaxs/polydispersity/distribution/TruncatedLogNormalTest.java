package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.apache.commons.math3.distribution.LogNormalDistribution;

class TruncatedLogNormalTest extends SizeDistributionContract {

    @Override
    Arbitrary<SizeDistribution> distributions() {
        Arbitrary<double[]> window = Arbitraries.oneOf(
                Arbitraries.just(new double[] {101, 499}),
                Combinators.combine(Arbitraries.doubles().between(20, 200), Arbitraries.doubles().between(1.5, 10))
                        .as((a, f) -> new double[] {a, a * f}));
        return Combinators.combine(window, Arbitraries.doubles().between(0.01, 0.99),
                        Arbitraries.doubles().between(0.02, 1.5))
                .as((w, t, cv) -> {
                    double margin = 0.02 * (w[1] - w[0]);
                    double mean = w[0] + margin + t * (w[1] - w[0] - 2 * margin);
                    return TruncatedLogNormal.of(mean, cv, w[0], w[1]);
                });
    }

    @Override
    double[] essentialRange(SizeDistribution d) {
        TruncatedLogNormal t = (TruncatedLogNormal) d;
        return new double[] {t.truncationLower(), t.truncationUpper()};
    }

    @Override
    double parameterScale(SizeDistribution d, int j) {
        TruncatedLogNormal t = (TruncatedLogNormal) d;
        return j == 0 ? t.mean() * Math.min(t.cv(), 0.3) : t.cv();
    }

    /** The density against commons-math's log-normal (scale μ, shape σ) renormalised to [A, B]. */
    @Example
    void densityMatchesCommonsMathLogNormal() {
        double mean = 250;
        double cv = 0.25;
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv);
        double s2 = Math.log(1 + cv * cv);
        LogNormalDistribution ln = new LogNormalDistribution(Math.log(mean) - s2 / 2, Math.sqrt(s2));
        double z = ln.cumulativeProbability(499) - ln.cumulativeProbability(101);
        for (double x = 101; x <= 499; x += 7) {
            assertEquals(ln.density(x) / z, d.pdf(x), 1e-13 * ln.density(x) / z, "pdf at " + x);
            double f = (ln.cumulativeProbability(x) - ln.cumulativeProbability(101)) / z;
            assertEquals(f, d.cdf(x), 1e-13, "cdf at " + x);
        }
        assertEquals(0, d.pdf(100.9));
        assertEquals(0, d.pdf(499.1));
        assertEquals(0, d.cdf(50));
        assertEquals(1, d.cdf(600));
    }

    /** The untruncated moments: with a wide window the mean is m and the CV is CV. */
    @Example
    void meanAndCvOfTheUntruncatedLogNormal() {
        TruncatedLogNormal d = TruncatedLogNormal.of(200, 0.3, 1, 1e5);
        org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator integrator =
                new org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator(16, 1e-14, 1e-300);
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        for (int i = 0; i < 200; i++) {
            double a = 10 + 10.0 * i;
            double b = a + 10;
            m0 += integrator.integrate(Integer.MAX_VALUE, d::pdf, a, b);
            m1 += integrator.integrate(Integer.MAX_VALUE, x -> x * d.pdf(x), a, b);
            m2 += integrator.integrate(Integer.MAX_VALUE, x -> x * x * d.pdf(x), a, b);
        }
        assertEquals(1, m0, 1e-12);
        assertEquals(200, m1, 1e-10 * 200);
        assertEquals(0.3, Math.sqrt(m2 - m1 * m1) / m1, 1e-9);
    }

    @Example
    void refusesBadValues() {
        assertThrows(IllegalArgumentException.class, () -> TruncatedLogNormal.of(90, 0.2));
        assertThrows(IllegalArgumentException.class, () -> TruncatedLogNormal.of(250, 0));
        assertThrows(IllegalArgumentException.class, () -> TruncatedLogNormal.of(250, 0.2, 300, 200));
        assertThrows(IllegalArgumentException.class, () -> TruncatedLogNormal.of(250, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TruncatedLogNormal.of(250, 0.2).inverseCdf(1.5));
    }
}
