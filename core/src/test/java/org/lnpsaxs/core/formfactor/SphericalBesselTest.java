package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * \( j(x) = 3j_1(x)/x \) and \( j'(x) \) against a 80-digit BigDecimal evaluation of their Taylor
 * series, \( j = 3\sum_k (-1)^k (2k+2)x^{2k}/(2k+3)! \), and their continuity where the evaluation
 * switches between series and closed form.
 */
class SphericalBesselTest {

    /** sasmodels' closed form loses ~2e-14 to cancellation just above x = 0.1. */
    static final double VALUE_TOLERANCE = 1e-13;
    static final double DERIVATIVE_TOLERANCE = 1e-14;

    private static final MathContext MC = new MathContext(80);

    /** {j(x), j'(x)} from the Taylor series in 80-digit arithmetic (exact for the double x). */
    static double[] reference(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, MC);
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal derivative = BigDecimal.ZERO;
        BigDecimal power = BigDecimal.ONE;      // x^(2k)
        BigDecimal factorial = BigDecimal.valueOf(6); // (2k+3)!
        for (int k = 0; k < 400; k++) {
            BigDecimal term = power.multiply(BigDecimal.valueOf(3L * (2 * k + 2)), MC).divide(factorial, MC);
            if (k % 2 == 1) {
                term = term.negate();
            }
            value = value.add(term, MC);
            if (k >= 1) {
                derivative = derivative.add(term.multiply(BigDecimal.valueOf(2L * k), MC).divide(bx, MC), MC);
            }
            if (k > 10 && term.abs().compareTo(new BigDecimal("1e-60")) < 0) {
                break;
            }
            power = power.multiply(x2, MC);
            factorial = factorial.multiply(BigDecimal.valueOf((2L * k + 4) * (2L * k + 5)));
        }
        return new double[] {value.doubleValue(), derivative.doubleValue()};
    }

    /** The size of j near x: the larger of |j| and its envelope min(1, 3/x²) (zeros of j excepted). */
    static double valueScale(double x, double ref) {
        return Math.max(Math.abs(ref), Math.min(1.0, 3.0 / (x * x)));
    }

    /** The size of j' near x: the larger of |j'| and its envelope min(x/5, 3/x²). */
    static double derivativeScale(double x, double ref) {
        return Math.max(Math.abs(ref), Math.min(x / 5.0, 3.0 / (x * x)));
    }

    @Property(tries = 300, seed = "20261204")
    void agreesWithHighPrecisionSeries(@ForAll @DoubleRange(min = -8, max = 1.8) @Scale(6) double log10x) {
        double x = Math.pow(10, log10x);
        double[] ref = reference(x);
        double value = SphericalBessel.value(x);
        double derivative = SphericalBessel.derivative(x);
        assertTrue(Math.abs(value - ref[0]) <= VALUE_TOLERANCE * valueScale(x, ref[0]),
                "j(" + x + ") = " + value + ", reference " + ref[0]);
        assertTrue(Math.abs(derivative - ref[1]) <= DERIVATIVE_TOLERANCE * derivativeScale(x, ref[1]),
                "j'(" + x + ") = " + derivative + ", reference " + ref[1]);
    }

    @Test
    void agreesWithHighPrecisionAroundTheSwitches() {
        for (double c : new double[] {SphericalBessel.VALUE_SERIES_CUTOFF, SphericalBessel.DERIVATIVE_SERIES_CUTOFF}) {
            for (double x = c * 0.98; x <= c * 1.02; x += c * 0.001) {
                double[] ref = reference(x);
                assertEquals(ref[0], SphericalBessel.value(x), VALUE_TOLERANCE * Math.abs(ref[0]), "j(" + x + ")");
                assertEquals(ref[1], SphericalBessel.derivative(x), DERIVATIVE_TOLERANCE * Math.abs(ref[1]),
                        "j'(" + x + ")");
            }
        }
    }

    @Test
    void continuousAtTheSwitches() {
        for (double c : new double[] {SphericalBessel.VALUE_SERIES_CUTOFF, SphericalBessel.DERIVATIVE_SERIES_CUTOFF}) {
            double below = Math.nextDown(c);
            // the jump across the switch is no larger than the accuracy of either side
            double jumpValue = Math.abs(SphericalBessel.value(c) - SphericalBessel.value(below));
            double jumpDerivative = Math.abs(SphericalBessel.derivative(c) - SphericalBessel.derivative(below));
            assertTrue(jumpValue <= VALUE_TOLERANCE * Math.abs(SphericalBessel.value(c)), "j jumps by " + jumpValue + " at " + c);
            assertTrue(jumpDerivative <= DERIVATIVE_TOLERANCE * Math.abs(SphericalBessel.derivative(c)),
                    "j' jumps by " + jumpDerivative + " at " + c);
        }
    }

    @Test
    void valueBelowTheSwitchIsSasmodelsSeries() {
        // sasmodels' four-term series, written out independently: 1 - x²/10 + x⁴/280 - x⁶/15120
        for (double x : new double[] {0.0, 1e-9, 0.003, 0.05, 0.0999}) {
            double x2 = x * x;
            double series = 1.0 + x2 * (-3. / 30. + x2 * (3. / 840. + x2 * (-3. / 45360.)));
            assertEquals(series, SphericalBessel.value(x), 0.0, "x=" + x);
        }
        assertEquals(1.0, SphericalBessel.value(0.0), 0.0);
        assertEquals(0.0, SphericalBessel.derivative(0.0), 0.0);
    }

    @Test
    void derivativeMatchesItsOwnSeriesNearZero() {
        // j'(x) = -x/5 + x³/70 - x⁵/2520 + ...
        for (double x : new double[] {1e-6, 1e-3, 0.01}) {
            double expected = -x / 5 + x * x * x / 70 - Math.pow(x, 5) / 2520;
            assertEquals(expected, SphericalBessel.derivative(x), 1e-15 * Math.abs(expected), "x=" + x);
        }
    }

    /** sin x / x from its Taylor series in 80-digit arithmetic. */
    static double sincReference(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, MC);
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE;   // (-1)^k x^(2k)/(2k+1)!
        for (int k = 0; k < 400; k++) {
            sum = sum.add(term, MC);
            if (k > 10 && term.abs().compareTo(new BigDecimal("1e-60")) < 0) {
                break;
            }
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf(-(2L * k + 2) * (2L * k + 3)), MC);
        }
        return sum.doubleValue();
    }

    @Property(tries = 200, seed = "20261204")
    void sincAgreesWithHighPrecisionSeries(@ForAll @DoubleRange(min = -8, max = 1.5) @Scale(6) double log10x) {
        double x = Math.pow(10, log10x);
        double ref = sincReference(x);
        // above the switch sin(x)/x has no cancellation: a few ulps of its envelope min(1, 1/x)
        assertEquals(ref, SphericalBessel.sinc(x), 4e-16 * Math.max(Math.abs(ref), Math.min(1.0, 1.0 / x)), "x=" + x);
    }

    @Test
    void sincIsTheRadiusSlopeOfTheAmplitude() {
        // sinc(x) = j(x) + x j'(x)/3, from the references of j and j'
        assertEquals(1.0, SphericalBessel.sinc(0.0), 0.0);
        for (double x : new double[] {1e-4, 0.05, Math.nextDown(SphericalBessel.VALUE_SERIES_CUTOFF), 0.1, 0.7, 3.0, 17.5}) {
            double[] ref = reference(x);
            double expected = ref[0] + x * ref[1] / 3;
            assertEquals(expected, SphericalBessel.sinc(x), 1e-15 * Math.max(Math.abs(expected), Math.min(1.0, 1.0 / x)),
                    "x=" + x);
        }
    }

    @Test
    void cubeValueIsXCubedJOverThree() {
        for (double x : new double[] {0.1, 0.37, 1.0, 4.4934, 12.0, 55.5}) {
            double expected = reference(x)[0] * x * x * x / 3;
            // an absolute error of a few ulps of the larger term, max(|sin x|, |x cos x|) <= max(1, x)
            double bound = 4e-16 * Math.max(1.0, x);
            assertEquals(expected, SphericalBessel.cubeValue(x, Math.sin(x), Math.cos(x)), bound, "x=" + x);
        }
    }
}
