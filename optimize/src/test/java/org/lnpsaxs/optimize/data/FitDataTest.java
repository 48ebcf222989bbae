package org.lnpsaxs.optimize.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.loss.LossType;

class FitDataTest {

    static final double[] Q = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07};
    static final double[] I = {5, 4, -1, 3, 2, 0, 1};
    static final double[] S = {0.1, 0.1, 0.1, 0.0, 0.1, 0.1, 0.1};

    static ScatteringCurve curve() {
        return ScatteringCurve.of(Q, I, S).withSource("x.dat");
    }

    @Test
    void aLogarithmicLossLeavesOutRowsWithNonPositiveIntensityAndZeroSigma() {
        FitData d = FitData.prepare(curve(), 0.015, 0.08, Optional.empty(), LossType.SCALE_FREE);
        assertArrayEquals(new double[] {0.02, 0.05, 0.07}, d.q(), 0.0);
        assertArrayEquals(new double[] {4, 2, 1}, d.intensity(), 0.0);
        assertEquals(3, d.pointsFlagged());
        assertEquals(1, d.pointsOutsideRange());
        assertEquals(7, d.pointsRead());
        assertFalse(d.interpolated());
        assertEquals(1.0, d.pointWeight(), 0.0);
    }

    @Test
    void chiSquaredKeepsRowsWithNonPositiveIntensity() {
        FitData d = FitData.prepare(curve(), 0.015, 0.08, Optional.empty(), LossType.CHI2);
        // only the row with sigma = 0 is left out; I = -1 and I = 0 stay
        assertArrayEquals(new double[] {0.02, 0.03, 0.05, 0.06, 0.07}, d.q(), 0.0);
        assertArrayEquals(new double[] {4, -1, 2, 0, 1}, d.intensity(), 0.0);
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.1}, d.sigma(), 0.0);
        assertEquals(1, d.pointsFlagged());
        assertEquals(1, d.pointsOutsideRange());
        assertEquals(5, d.pointsUsed());
    }

    @Test
    void tooFewPointsIsAnErrorThatSaysWhy() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.01, 0.02, 0.03, 0.04}, new double[] {5, 4, 3, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitData.prepare(c.withSource("few.dat"), 0.025, 1, Optional.empty(), LossType.SCALE_FREE));
        assertTrue(e.getMessage().contains("few.dat") && e.getMessage().contains("2 usable"), e.getMessage());
        // an unnamed curve is called so, never "null"
        e = assertThrows(IllegalArgumentException.class,
                () -> FitData.prepare(c, 0.025, 1, Optional.empty(), LossType.SCALE_FREE));
        assertTrue(e.getMessage().startsWith("unnamed curve:") && !e.getMessage().contains("null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FitData.prepare(c, 0.03, 0.03, Optional.empty(), LossType.SCALE_FREE));
        assertTrue(e.getMessage().contains("empty") && !e.getMessage().contains("--"), e.getMessage());
    }

    /** The model grid of these tests: 0.002, 0.004, …, 0.2 1/Å. */
    static final double[] GRID = QGrid.linear(0.002, 0.2, 100).values();

    /** n points from q0 in steps dq (1/Å) of 7 exp(−30 q), linear in ln I, with a 2 % σ; interpolated onto {@link #GRID}. */
    static FitData expLaw(int n, double q0, double dq) {
        double[] q = new double[n];
        double[] i = new double[n];
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            q[k] = q0 + dq * k;
            i[k] = 7 * Math.exp(-30 * q[k]);
            s[k] = 0.02 * i[k];
        }
        return FitData.prepare(ScatteringCurve.of(q, i, s), 0, Double.POSITIVE_INFINITY, Optional.of(QGrid.of(GRID)),
                LossType.CHI2);
    }

    @Test
    void interpolatesOntoTheModelGridInLogSpace() {
        // data on a coarse grid, exp(-a q) is linear in ln I: the interpolation must be exact
        int n = 15;
        double[] q = new double[n];
        for (int k = 0; k < n; k++) {
            q[k] = 0.005 + 0.01 * k;
        }
        double[] grid = GRID;
        FitData d = expLaw(n, 0.005, 0.01);
        assertTrue(d.interpolated());
        double[] gq = d.q();
        // the fitting grid is the run of model-grid points inside the measured range
        int from = Arrays.binarySearch(grid, gq[0]);
        assertTrue(from >= 0 && grid[from] >= q[0] && (from == 0 || grid[from - 1] < q[0]));
        assertArrayEquals(Arrays.copyOfRange(grid, from, from + gq.length), gq, 0.0);
        assertTrue(gq[gq.length - 1] <= q[n - 1]);
        double[] gi = d.intensity();
        double[] gs = d.sigma();
        for (int k = 0; k < gq.length; k++) {
            double expect = 7 * Math.exp(-30 * gq[k]);
            assertEquals(expect, gi[k], 1e-12 * expect);
            assertEquals(0.02 * expect, gs[k], 1e-12 * expect);
        }
        assertEquals((double) n / gq.length, d.pointWeight(), 0.0);
    }

    @Test
    void measuredPointsBeyondTheModelGridAreNotCountedAsFitted() {
        // SAXS data from 0.001 to 0.45 1/Å against a model grid of 0.002 .. 0.2 (the surrogate's kind)
        int n = 90;
        double[] grid = GRID;
        FitData d = expLaw(n, 0.001, 0.005);
        int inside = 0;
        for (int k = 0; k < n; k++) {
            double x = 0.001 + 0.005 * k;
            inside += x >= grid[0] && x <= grid[grid.length - 1] ? 1 : 0;
        }
        assertEquals(39, inside); // 0.006 .. 0.196 (k = 1 .. 39)
        assertEquals(inside, d.pointsUsed());
        assertEquals(n - inside, d.pointsOutsideRange());
        assertEquals((double) inside / d.q().length, d.pointWeight(), 0.0);
        assertTrue(d.measured().qMin() >= grid[0] && d.measured().qMax() <= grid[grid.length - 1]);
        // the fitting grid still reaches the model grid's ends, interpolated (exactly, for this law) with the
        // measured neighbours beyond them
        assertEquals(grid[0], d.q()[0], 0.0);
        assertEquals(grid[grid.length - 1], d.q()[d.q().length - 1], 0.0);
        double last = 7 * Math.exp(-30 * grid[grid.length - 1]);
        assertEquals(last, d.intensity()[d.q().length - 1], 1e-12 * last);
    }

    @Test
    void interpolationInLogIntensityLeavesOutNonPositiveRowsEvenForChiSquared() {
        FitData d = FitData.prepare(curve(), 0, 1, Optional.of(QGrid.linear(0.01, 0.07, 13)), LossType.CHI2);
        assertTrue(d.interpolated());
        assertArrayEquals(new double[] {0.01, 0.02, 0.05, 0.07}, d.measuredQ(), 0.0);
        assertEquals(3, d.pointsFlagged());
    }

    @Test
    void noSigmaStaysNoSigma() {
        FitData d = FitData.prepare(ScatteringCurve.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 0, 10,
                Optional.empty(), LossType.SCALE_FREE);
        assertFalse(d.hasSigma());
        assertNull(d.sigma());
        assertNull(d.source());
        assertEquals("unnamed curve", d.label());
    }
}
