package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;

import org.junit.jupiter.api.Test;

/**
 * {@link Normal}'s tails and quantile against an independent reference: \( \Phi \) summed from
 * its Maclaurin series in 120-digit decimal arithmetic,
 * \( \Phi(z) = \tfrac12 + \tfrac{1}{\sqrt{2\pi}} \sum_n (-1)^n z^{2n+1} / (2^n n! (2n+1)) \),
 * which converges for every z (its terms grow to about \( e^{z^2/2} \) before they fall, so 120
 * digits leave more than 80 after the cancellation for |z| ≤ 9).
 */
class NormalTest {

    private static final MathContext MC = new MathContext(120);
    /** π to 110 digits. */
    private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510"
            + "58209749445923078164062862089986280348253421170679821480865132823066470938446");

    /** \( \Phi(z) \) and \( Q(z) = 1 - \Phi(z) \) in 120-digit arithmetic, from the series. */
    private static BigDecimal[] reference(double zd) {
        BigDecimal z = new BigDecimal(zd);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal term = z; // (-1)^n z^(2n+1) / (2^n n!)
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal tiny = new BigDecimal("1e-110");
        for (int n = 0; n < 5000; n++) {
            BigDecimal t = term.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(t, MC);
            if (n > 10 && t.abs().compareTo(tiny) < 0) {
                break;
            }
            term = term.multiply(z2, MC).divide(BigDecimal.valueOf(-2L * (n + 1)), MC);
        }
        BigDecimal root = PI.multiply(BigDecimal.valueOf(2), MC).sqrt(MC);
        BigDecimal half = new BigDecimal("0.5");
        BigDecimal lower = half.add(sum.divide(root, MC), MC);
        BigDecimal upper = half.subtract(sum.divide(root, MC), MC);
        return new BigDecimal[] {lower, upper};
    }

    @Test
    void tailsMatchTheSeriesToAFewUnitsInTheLastPlace() {
        double worst = 0;
        for (double z = -9; z <= 9; z += 0.0625) {
            BigDecimal[] ref = reference(z);
            double phi = ref[0].doubleValue();
            double q = ref[1].doubleValue();
            // erfc's argument z/sqrt(2) is z times a rounded constant, rounded again (relative error
            // up to 2^-52 together), which moves a tail by z^2 times that, relatively: 8 ulp on top
            double e1 = Math.abs(Normal.cdf(z) - phi) / (8 * Math.ulp(phi) + z * z * 0x1p-52 * phi);
            double e2 = Math.abs(Normal.upperTail(z) - q) / (8 * Math.ulp(q) + z * z * 0x1p-52 * q);
            worst = Math.max(worst, Math.max(e1, e2));
            assertTrue(e1 <= 1, "Phi(" + z + ") = " + Normal.cdf(z) + ", reference " + phi);
            assertTrue(e2 <= 1, "Q(" + z + ") = " + Normal.upperTail(z) + ", reference " + q);
        }
        assertTrue(worst > 0, "the comparison compared nothing");
    }

    @Test
    void quantileInvertsTheReferenceTails() {
        // z -> p = Phi(z) (reference, rounded to double) -> quantile(p) must come back to z within
        // what p's own rounding allows: |dz| <= (ulp(p)/2) / phi(z), plus a few ulp of z
        for (double z = -37.5; z <= -0.05; z += z < -9 ? 0.5 : 0.0625) {
            double p = z >= -9 ? reference(z)[0].doubleValue() : Normal.cdf(z);
            if (p < Double.MIN_NORMAL) {
                continue;
            }
            double back = Normal.quantile(p);
            double allowed = 0.5 * Math.ulp(p) / Normal.pdf(z) + 4 * Math.ulp(z);
            assertEquals(z, back, allowed, "quantile(" + p + ")");
            assertEquals(-z, Normal.upperQuantile(p), allowed, "upperQuantile(" + p + ")");
            if (1.0 - p < 1.0) {
                assertEquals(-z, Normal.quantile(1.0 - p), 0.5 * Math.ulp(1.0) / Normal.pdf(z) + 4 * Math.ulp(z),
                        "quantile(1 - " + p + ")");
            }
        }
        assertEquals(Double.NEGATIVE_INFINITY, Normal.quantile(0));
        assertEquals(Double.POSITIVE_INFINITY, Normal.quantile(1));
        assertEquals(0.0, Normal.quantile(0.5), 1e-300);
    }

    @Test
    void massIsTheDifferenceOfTheReferenceTails() {
        double[][] pairs = {{-3, -1}, {-1, 2}, {0.5, 4}, {-8, 8}, {2, 2.001}, {-6, -5.999}};
        for (double[] ab : pairs) {
            BigDecimal m = reference(ab[1])[0].subtract(reference(ab[0])[0], MC);
            double want = m.doubleValue();
            // a difference of two tails: a few ulp of each (the smaller side of each end)
            double ta = Math.min(reference(ab[0])[0].doubleValue(), reference(ab[0])[1].doubleValue());
            double tb = Math.min(reference(ab[1])[0].doubleValue(), reference(ab[1])[1].doubleValue());
            assertEquals(want, Normal.mass(ab[0], ab[1]), 8 * (Math.ulp(ta) + Math.ulp(tb)) + 4 * Math.ulp(want),
                    "mass(" + ab[0] + ", " + ab[1] + ")");
        }
    }
}
