package org.lnpsaxs.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InvariantTest {

    /** With q²I linear in q the trapezoid rule is exact: ∫(α + βq)dq over [a, b] in closed form. */
    @Test
    void exactWhereTheTrapezoidRuleIsExact() {
        double alpha = 3.0;
        double beta = -7.0;
        double[] q = {0.01, 0.013, 0.02, 0.05, 0.051, 0.1, 0.2};
        double[] i = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            i[k] = (alpha + beta * q[k]) / (q[k] * q[k]);
        }
        double a = q[0];
        double b = q[q.length - 1];
        double expect = alpha * (b - a) + 0.5 * beta * (b * b - a * a);
        assertEquals(expect, Invariant.of(q, i), 1e-13 * Math.abs(expect));
    }

    @Test
    void weightsAreTheTrapezoidWeights() {
        double[] q = {1, 2, 4};
        double[] w = Invariant.weights(q);
        assertEquals(1 * 0.5, w[0], 0.0);
        assertEquals(4 * 1.5, w[1], 0.0);
        assertEquals(16 * 1.0, w[2], 0.0);
        assertEquals(w[1] * 2 + w[2], Invariant.of(w, new double[] {9, 0, 2, 1, 9}, 1), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Invariant.of(w, new double[] {1, 2}, 0));
    }
}
