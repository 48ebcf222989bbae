package org.lnpsaxs.optimize.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnsembleRuleTest {

    @Test
    void thresholdIsOnePointTwoTimesTheMeanOfTheBestTenPercent() {
        double[] l = new double[100];
        for (int i = 0; i < 100; i++) {
            l[(i * 37) % 100] = i + 1; // shuffled: loss i+1 sits at start (37 i) mod 100
        }
        Ensemble e = EnsembleRule.paper().select(l);
        // best 10 are 1..10, mean 5.5, threshold 6.6: losses 1..6 qualify
        assertEquals(6.6, e.threshold(), 1e-12);
        assertEquals(6, e.size());
        assertEquals(Ensemble.Clamp.NONE, e.clamped());
        for (int k = 0; k < 6; k++) {
            assertEquals(k + 1.0, l[e.members()[k]], 0.0);
        }
    }

    @Test
    void clampedDownToThirtyPercent() {
        double[] l = new double[50];
        java.util.Arrays.fill(l, 2.0);
        Ensemble e = EnsembleRule.paper().select(l);
        assertEquals(50, e.candidates());
        assertEquals(15, e.size());
        assertEquals(Ensemble.Clamp.DOWN, e.clamped());
        // ties are broken by start index
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, e.members());
    }

    @Test
    void clampedUpToFivePercent() {
        double[] l = new double[100];
        java.util.Arrays.fill(l, 1e6);
        l[40] = 0;
        l[41] = 0;
        l[7] = 0;
        Ensemble e = EnsembleRule.paper().select(l);
        // best 10: three zeros and seven 1e6, threshold 8.4e5: 3 candidates, fewer than 5
        assertEquals(3, e.candidates());
        assertEquals(5, e.size());
        assertEquals(Ensemble.Clamp.UP, e.clamped());
        assertArrayEquals(new int[] {7, 40, 41, 0, 1}, e.members());
    }

    @Test
    void smallRunsStillGiveAtLeastOneMember() {
        Ensemble e = EnsembleRule.paper().select(new double[] {3, 1, 2});
        assertArrayEquals(new int[] {1}, e.members());
        assertEquals(1, EnsembleRule.paper().select(new double[] {5}).size());
    }

    @Test
    void unscorableStartsCountInNButAreNeverMembers() {
        double[] l = new double[20];
        for (int i = 0; i < 20; i++) {
            l[i] = i < 10 ? Double.POSITIVE_INFINITY : i;
        }
        Ensemble e = EnsembleRule.paper().select(l);
        // n = 20: best 2 of the finite are 10, 11 -> mean 10.5, threshold 12.6 -> 10, 11, 12; range 1..6
        assertArrayEquals(new int[] {10, 11, 12}, e.members());
        double[] none = {Double.POSITIVE_INFINITY, Double.NaN};
        assertThrows(IllegalArgumentException.class, () -> EnsembleRule.paper().select(none));
        assertThrows(IllegalArgumentException.class, () -> EnsembleRule.paper().select(new double[] {-1, 2}));
    }

    @Test
    void deltaChi2UsesTheJointConfidenceQuantile() {
        // 68.27 % quantiles of chi2 with 1 and 2 degrees of freedom: 1.000 and 2.296
        assertEquals(1.0, EnsembleRule.DeltaChi2.forFit(1, 10, 20).delta(), 2e-3);
        assertEquals(2.2957, EnsembleRule.DeltaChi2.forFit(2, 10, 20).delta(), 2e-3);
        // a poor fit (chi2/nu = 2) doubles the threshold
        assertEquals(2 * 2.2957, EnsembleRule.DeltaChi2.forFit(2, 40, 20).delta(), 4e-3);
        Ensemble e = new EnsembleRule.DeltaChi2(1.5).select(new double[] {10, 11.4, 11.6, 10.2, Double.POSITIVE_INFINITY});
        assertArrayEquals(new int[] {0, 3, 1}, e.members());
        assertEquals(11.5, e.threshold(), 0.0);
    }
}
