package org.lnpsaxs.optimize.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Which modes the report calls mirror images of each other ({@link FitReport#mirrorPairs}): each
 * mode pairs with its nearest image within tolerance, and only when that is mutual.
 */
class MirrorPairsTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * The shipped example's four modes: a large sign pair (0, 1) and a small one (2, 3) whose centres
     * sit close to the large ones, so each small mode is also within tolerance of the large mode of
     * the other sign. The pairs are the two sign pairs, not all four combinations.
     */
    @Test
    void aSmallPairNextToALargeOneGivesTwoPairsNotFour() {
        double[][] d = {
            {INF, 0.01, 2.0, 0.30},
            {0.01, INF, 0.30, 2.0},
            {2.0, 0.30, INF, 0.05},
            {0.30, 2.0, 0.05, INF},
        };
        List<int[]> pairs = FitReport.mirrorPairs(d);
        assertEquals(2, pairs.size());
        assertArrayEquals(new int[] {0, 1}, pairs.get(0));
        assertArrayEquals(new int[] {2, 3}, pairs.get(1));
    }

    @Test
    void aModeWithoutAnImageWithinToleranceStaysUnpaired() {
        double[][] d = {
            {INF, 0.2, 1.5},
            {0.2, INF, 3.0},
            {1.5, 3.0, INF},
        };
        List<int[]> pairs = FitReport.mirrorPairs(d);
        assertEquals(1, pairs.size());
        assertArrayEquals(new int[] {0, 1}, pairs.get(0));
        assertEquals(0, FitReport.mirrorPairs(new double[][] {{INF}}).size());
    }

    @Test
    void onlyMutualNearestImagesPair() {
        // 0's nearest image is 1, but 1's nearest is 2 (and 2's is 1): one pair, {1, 2}
        double[][] d = {
            {INF, 0.4, 0.9},
            {0.4, INF, 0.1},
            {0.9, 0.1, INF},
        };
        List<int[]> pairs = FitReport.mirrorPairs(d);
        assertEquals(1, pairs.size());
        assertArrayEquals(new int[] {1, 2}, pairs.get(0));
    }

    @Test
    void theDistanceIsTakenBothWays() {
        // 0 -> 1 looks within tolerance, 1 -> 0 does not: not images of each other
        double[][] d = {
            {INF, 0.5},
            {1.5, INF},
        };
        assertEquals(0, FitReport.mirrorPairs(d).size());
    }
}
