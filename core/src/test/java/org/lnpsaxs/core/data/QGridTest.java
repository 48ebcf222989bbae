package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * The generated grids end exactly at the requested limits (a fit restricted to q ≤ max must keep
 * the last point), ascend strictly, and their interior points follow the closed forms
 * \( q_i = q_0 (q_1/q_0)^{i/(n-1)} \) and \( q_i = q_0 + i (q_1 - q_0)/(n-1) \) evaluated
 * independently (in 34-digit decimal arithmetic for the linear grid, in a different floating-point
 * order for the log grid).
 */
class QGridTest {

    /** The case of the issue: the last point of 10^(a + i·step) was 0.3000000000000001. */
    @Example
    void logGridOfTheIssueEndsAtItsMaximum() {
        QGrid g = QGrid.log(0.002, 0.3, 150);
        assertEquals(0.3, g.max(), 0.0);
        assertEquals(0.002, g.min(), 0.0);
        assertEquals(0.3, QGrid.parse("log:0.002:0.3:150").max(), 0.0);
    }

    @Property(tries = 100, seed = "11")
    void logGridHitsBothEndsAndFollowsTheClosedForm(@ForAll @DoubleRange(min = 1e-4, max = 0.1) @Scale(12) double min,
                                                     @ForAll @DoubleRange(min = 1.001, max = 1000) @Scale(12) double ratio,
                                                     @ForAll @IntRange(min = 2, max = 600) int n) {
        double max = min * ratio;
        QGrid g = QGrid.log(min, max, n);
        assertEquals(n, g.size());
        assertEquals(min, g.get(0), 0.0);
        assertEquals(max, g.get(n - 1), 0.0);
        for (int i = 1; i < n; i++) {
            assertTrue(g.get(i) > g.get(i - 1), "not ascending at " + i);
            double expected = min * Math.exp(Math.log(ratio) * i / (n - 1));
            assertEquals(expected, g.get(i), 1e-13 * expected, "q[" + i + "]");
        }
    }

    @Property(tries = 100, seed = "12")
    void linearGridHitsBothEndsAndFollowsTheClosedForm(@ForAll @DoubleRange(min = 0, max = 0.1) @Scale(12) double min,
                                                        @ForAll @DoubleRange(min = 1e-4, max = 1) @Scale(12) double width,
                                                        @ForAll @IntRange(min = 2, max = 600) int n) {
        double max = min + width;
        QGrid g = QGrid.linear(min, max, n);
        assertEquals(min, g.get(0), 0.0);
        assertEquals(max, g.get(n - 1), 0.0);
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal lo = new BigDecimal(min);
        BigDecimal step = new BigDecimal(max).subtract(lo).divide(BigDecimal.valueOf(n - 1), mc);
        for (int i = 1; i < n; i++) {
            assertTrue(g.get(i) > g.get(i - 1), "not ascending at " + i);
            double expected = lo.add(step.multiply(BigDecimal.valueOf(i), mc), mc).doubleValue();
            assertEquals(expected, g.get(i), 4 * Math.ulp(max), "q[" + i + "]");
        }
    }

    @Example
    void paperGridIsNumpysLinspace() {
        assertEquals(300, QGrid.PAPER.size());
        assertEquals(0.002, QGrid.PAPER.min(), 0.0);
        assertEquals(0.1995, QGrid.PAPER.max(), 0.0);
        assertEquals(0.002 + 0.1975 / 299 * 150, QGrid.PAPER.get(150), 1e-17);
    }
}
