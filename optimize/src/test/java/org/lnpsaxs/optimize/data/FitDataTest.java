package org.lnpsaxs.optimize.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FitDataTest {

    @Test
    void leavesOutFlaggedRowsAndRowsOutsideTheRange() {
        double[] q = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07};
        double[] i = {5, 4, -1, 3, 2, 0, 1};
        double[] s = {0.1, 0.1, 0.1, 0.0, 0.1, 0.1, 0.1};
        FitData d = FitData.prepare("x.dat", q, i, s, 0.015, 0.08, null);
        assertArrayEquals(new double[] {0.02, 0.05, 0.07}, d.q(), 0.0);
        assertArrayEquals(new double[] {4, 2, 1}, d.intensity(), 0.0);
        assertEquals(3, d.pointsFlagged());
        assertEquals(1, d.pointsOutsideRange());
        assertEquals(7, d.pointsRead());
        assertFalse(d.interpolated());
        assertEquals(1.0, d.pointWeight(), 0.0);
    }

    @Test
    void tooFewPointsIsAnErrorThatSaysWhy() {
        double[] q = {0.01, 0.02, 0.03, 0.04};
        double[] i = {5, 4, 3, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitData.prepare("few.dat", q, i, null, 0.025, 1, null));
        assertTrue(e.getMessage().contains("few.dat") && e.getMessage().contains("2 usable"), e.getMessage());
    }

    @Test
    void interpolatesOntoTheModelGridInLogSpace() {
        // data on a coarse grid, exp(-a q) is linear in ln I: the interpolation must be exact
        int n = 15;
        double[] q = new double[n];
        double[] i = new double[n];
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            q[k] = 0.005 + 0.01 * k;
            i[k] = 7 * Math.exp(-30 * q[k]);
            s[k] = 0.02 * i[k];
        }
        double[] grid = new double[100];
        for (int k = 0; k < grid.length; k++) {
            grid[k] = 0.002 * (k + 1);
        }
        FitData d = FitData.prepare("lin.dat", q, i, s, 0, Double.POSITIVE_INFINITY, grid);
        assertTrue(d.interpolated());
        double[] gq = d.q();
        assertTrue(gq[0] >= q[0] && gq[gq.length - 1] <= q[n - 1]);
        assertEquals(grid[d.modelFrom()], gq[0], 0.0);
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
    void noSigmaStaysNoSigma() {
        FitData d = FitData.prepare("n.dat", new double[] {1, 2, 3}, new double[] {3, 2, 1}, null, 0, 10, null);
        assertFalse(d.hasSigma());
        assertNull(d.sigma());
    }
}
