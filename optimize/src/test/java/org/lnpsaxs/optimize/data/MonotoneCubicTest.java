package org.lnpsaxs.optimize.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MonotoneCubicTest {

    @Test
    void passesThroughTheNodes() {
        double[] x = {0, 1, 2.5, 3, 7};
        double[] y = {1, -2, 4, 4, 0.5};
        MonotoneCubic f = MonotoneCubic.of(x, y);
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], f.value(x[i]), 0.0);
        }
    }

    @Test
    void reproducesAStraightLineExactly() {
        double[] x = {0.1, 0.2, 0.35, 0.5, 0.9};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 - 2 * x[i];
        }
        MonotoneCubic f = MonotoneCubic.of(x, y);
        for (double t = 0.1; t <= 0.9; t += 0.013) {
            assertEquals(3 - 2 * t, f.value(t), 1e-14);
        }
    }

    @Test
    void flatStretchStaysFlat() {
        // a step: a plain cubic spline overshoots here, the monotone one must not
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 0, 0, 1, 1, 1};
        MonotoneCubic f = MonotoneCubic.of(x, y);
        for (double t = 0; t <= 5; t += 0.01) {
            double v = f.value(t);
            assertTrue(v >= 0 && v <= 1, "overshoot at " + t + ": " + v);
        }
        assertEquals(0.0, f.value(1.5), 0.0);
        assertEquals(1.0, f.value(4.5), 0.0);
    }

    @Test
    void convergesOnASmoothCurve() {
        // second order overall (the end slopes are one-sided secants): the error falls about 4-fold
        // when the spacing halves
        double e1 = maxError(11);
        double e2 = maxError(21);
        double e3 = maxError(41);
        assertTrue(e1 < 1e-2, "error " + e1);
        assertTrue(e2 < e1 / 3.5 && e3 < e2 / 3.5, "errors " + e1 + ", " + e2 + ", " + e3);
    }

    private static double maxError(int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.01 + 0.09 * i / (n - 1);
            y[i] = Math.exp(-30 * x[i]) * (1 + 5 * x[i]);
        }
        MonotoneCubic f = MonotoneCubic.of(x, y);
        double err = 0;
        for (double t = 0.01; t <= 0.1; t += 0.0007) {
            err = Math.max(err, Math.abs(f.value(t) - Math.exp(-30 * t) * (1 + 5 * t)));
        }
        return err;
    }

    @Test
    void refusesExtrapolationAndBadInput() {
        MonotoneCubic f = MonotoneCubic.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> f.value(0.5));
        assertThrows(IllegalArgumentException.class, () -> f.value(3.5));
        assertThrows(IllegalArgumentException.class, () -> MonotoneCubic.of(new double[] {1, 1, 2}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> MonotoneCubic.of(new double[] {1, 2}, new double[] {1, Double.NaN}));
    }

    @Property(tries = 200, seed = "20261204")
    void monotoneDataGiveAMonotoneInterpolant(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        x[0] = rnd.nextDouble();
        y[0] = rnd.nextGaussian();
        for (int i = 1; i < n; i++) {
            x[i] = x[i - 1] + 0.01 + rnd.nextDouble() * (rnd.nextBoolean() ? 1 : 0.05);
            // increasing with occasional flat stretches and jumps
            y[i] = y[i - 1] + (rnd.nextInt(4) == 0 ? 0 : Math.pow(10, 3 * rnd.nextDouble() - 2));
        }
        MonotoneCubic f = MonotoneCubic.of(x, y);
        double prev = f.value(x[0]);
        for (int k = 1; k <= 2000; k++) {
            double t = x[0] + (x[n - 1] - x[0]) * k / 2000.0;
            double v = f.value(Math.min(t, x[n - 1]));
            assertTrue(v >= prev - 1e-12 * Math.max(1, Math.abs(prev)), "decrease at " + t + ": " + prev + " -> " + v);
            prev = v;
        }
    }
}
