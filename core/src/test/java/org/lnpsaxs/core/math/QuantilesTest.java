package org.lnpsaxs.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

class QuantilesTest {

    @Test
    void smallCasesByHand() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1.0, Quantiles.of(v, 0), 0.0);
        assertEquals(4.0, Quantiles.of(v, 1), 0.0);
        assertEquals(2.5, Quantiles.of(v, 0.5), 0.0);
        // position 0.9 * 3 = 2.7: 3 + 0.7 * (4 - 3)
        assertEquals(3.7, Quantiles.of(v, 0.9), 1e-15);
        assertEquals(7.0, Quantiles.of(new double[] {7}, 0.3), 0.0);
        assertEquals(4.0, v[0], 0.0); // not modified
    }

    @Test
    void agreesWithCommonsMathsR7Estimator() {
        SplittableRandom r = new SplittableRandom(5);
        double[] v = new double[101];
        for (int k = 0; k < v.length; k++) {
            v[k] = r.nextGaussian();
        }
        Percentile ref = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        for (double p : new double[] {0.01, 0.05, 0.37, 0.5, 0.95, 0.99}) {
            assertEquals(ref.evaluate(v, 100 * p), Quantiles.of(v, p), 1e-12, "p = " + p);
        }
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(new double[] {1}, 1.5));
    }
}
