package org.lnpsaxs.optimize.identifiability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    static double[][] sample(long seed, int m) {
        Random r = new Random(seed);
        double[][] x = new double[m][3];
        for (int i = 0; i < m; i++) {
            double a = r.nextGaussian();
            x[i][0] = a;
            x[i][1] = Math.exp(a) + 0.3 * r.nextGaussian();
            x[i][2] = r.nextInt(5); // ties
        }
        return x;
    }

    @Property(tries = 30, seed = "20261204")
    void correlationsAgreeWithCommonsMath(@ForAll long seed) {
        double[][] x = sample(seed, 40);
        double[][] p = new PearsonsCorrelation().computeCorrelationMatrix(x).getData();
        double[][] s = new SpearmansCorrelation().computeCorrelationMatrix(x).getData();
        double[][] mp = Statistics.pearson(x);
        double[][] ms = Statistics.spearman(x);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(p[a][b], mp[a][b], 1e-12);
                assertEquals(s[a][b], ms[a][b], 1e-12);
            }
        }
    }

    @Test
    void quantilesUseLinearInterpolation() {
        double[][] x = sample(3, 57);
        double[] col = new double[57];
        for (int i = 0; i < 57; i++) {
            col[i] = x[i][1];
        }
        // R-7 / Excel definition, as numpy's default
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        assertEquals(p.evaluate(col, 5), Statistics.quantile(x, 1, 0.05), 1e-12);
        assertEquals(p.evaluate(col, 95), Statistics.quantile(x, 1, 0.95), 1e-12);
    }

    @Test
    void constantColumnsCorrelateZeroNotNaN() {
        double[][] x = {{1, 5}, {2, 5}, {3, 5}};
        double[][] r = Statistics.pearson(x);
        assertEquals(0.0, r[0][1], 0.0);
        assertEquals(1.0, r[1][1], 0.0);
        assertEquals(0.0, Statistics.spearman(x)[1][0], 0.0);
    }
}
