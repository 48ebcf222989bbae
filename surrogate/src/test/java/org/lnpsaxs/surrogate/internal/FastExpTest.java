package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FastExpTest {

    /** The stated bound against Math.exp on a dense grid and at random points of [−LIMIT, LIMIT]. */
    @Test
    void withinTheStatedRelativeErrorOfMathExp() {
        int n = 400_001;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = -FastExp.LIMIT + 2 * FastExp.LIMIT * i / (n - 1);
        }
        check(t);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            t[i] = FastExp.LIMIT * (2 * r.nextDouble() - 1);
        }
        check(t);
    }

    private static void check(double[] t) {
        double[] out = new double[t.length];
        FastExp.exp(t, 1, 0, out, t.length);
        double worst = 0;
        for (int i = 0; i < t.length; i++) {
            double e = Math.exp(t[i]);
            double rel = Math.abs(out[i] - e) / e;
            worst = Math.max(worst, rel);
            assertTrue(rel <= FastExp.RELATIVE_ERROR, "t = " + t[i] + ": relative error " + rel);
            assertEquals(out[i], FastExp.exp(t[i]), 0.0, "scalar and array forms at t = " + t[i]);
        }
        // the bound is not vacuous: the method is an approximation
        assertTrue(worst > 0, "no rounding difference at all");
    }

    /** exp(a (x + c)) with the affine map, and Math.exp outside the polynomial's range. */
    @Test
    void affineArgumentAndValuesBeyondTheLimit() {
        double ln10 = Math.log(10);
        double[] x = {-2.5, 0, 0.3, 1.7, 50, -400, 800, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        double[] out = new double[x.length];
        FastExp.exp(x, ln10, 0.25, out, x.length);
        for (int i = 0; i < x.length; i++) {
            double expected = Math.pow(10, x[i] + 0.25);
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                assertEquals(expected, out[i], 0.0, "x = " + x[i]);
            } else {
                assertEquals(expected, out[i], 1e-12 * expected, "x = " + x[i]);
            }
        }
        // beyond the limit the result is Math.exp's own
        assertEquals(Math.exp(ln10 * (50 + 0.25)), out[4], 0.0);
    }

    /** Every element beyond the limit gets Math.exp, wherever it lies: first, last, or several in a row. */
    @Test
    void everyElementBeyondTheLimitIsRecomputedWhereverItLies() {
        double[] x = {45, 0.5, -1, 41, -41, 2, 60};
        double[] out = new double[x.length];
        FastExp.exp(x, 1, 0, out, x.length);
        for (int i = 0; i < x.length; i++) {
            double expected = Math.abs(x[i]) <= FastExp.LIMIT ? FastExp.exp(x[i]) : Math.exp(x[i]);
            assertEquals(expected, out[i], 0.0, "x = " + x[i]);
        }
        double[] inside = {0.5, -1, 2};
        FastExp.exp(inside, 1, 0, out, inside.length);
        for (int i = 0; i < inside.length; i++) {
            assertEquals(FastExp.exp(inside[i]), out[i], 0.0, "x = " + inside[i]);
        }
    }
}
