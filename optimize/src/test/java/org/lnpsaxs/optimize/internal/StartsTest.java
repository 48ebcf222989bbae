package org.lnpsaxs.optimize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;

class StartsTest {

    private static final FitSpace SPACE = FitSpace.of(ParameterSpace.of(
            Parameter.of("radius_mean", "Å", 10, 10000),
            Parameter.of("cv", "", 0.0, 1.0)));

    @Test
    void linearStartsAreUniformInTheShrunkBox() {
        int n = 1024;
        double[] theta = Starts.physical(SPACE, n, 7, 0.05);
        int[] bins = new int[10];
        for (int s = 0; s < n; s++) {
            double cv = theta[2 * s + 1];
            assertTrue(cv >= 0.05 && cv <= 0.95, "" + cv);
            bins[(int) Math.min(9, (cv - 0.05) / 0.09)]++;
        }
        for (int b : bins) {
            assertEquals(n / 10.0, b, 3.0, java.util.Arrays.toString(bins)); // a Sobol net: near-exact strata
        }
    }

    @Test
    void logScaledStartsAreUniformInTheLogarithm() {
        int n = 1024;
        double[] theta = Starts.physical(SPACE.withLogScale("radius_mean"), n, 7, 0.05);
        // log10 box [1, 4], shrunk by 0.05 of its width (0.15 decade) at each end: [1.15, 3.85]
        int[] perDecadeTenth = new int[27];
        for (int s = 0; s < n; s++) {
            double l = Math.log10(theta[2 * s]);
            assertTrue(l >= 1.15 - 1e-12 && l <= 3.85 + 1e-12, "" + l);
            perDecadeTenth[(int) Math.min(26, (l - 1.15) / 0.1)]++;
        }
        for (int c : perDecadeTenth) {
            assertEquals(n / 27.0, c, 4.0, java.util.Arrays.toString(perDecadeTenth));
        }
        // uniform starts in the shrunk box put none below 20 Å (it starts at 509.5 Å); log starts put about 8 % there
        int small = 0;
        for (int s = 0; s < n; s++) {
            small += theta[2 * s] < 20 ? 1 : 0;
        }
        assertTrue(small > 0.05 * n, "only " + small + " starts below 20 Å");
    }
}
