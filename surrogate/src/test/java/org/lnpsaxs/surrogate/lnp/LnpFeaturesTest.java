package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.TestModels;

class LnpFeaturesTest {

    private static final ParameterSpace SPACE = LnpParameters.SPACE;
    private static final LnpFeatures F = new LnpFeatures(SPACE, 5.0);

    /** A fixed random linear functional of everything {@link LnpFeatures#compute} produces. */
    private static double functional(double[] theta, double[] a) {
        LnpFeatures.Row row = new LnpFeatures.Row();
        F.compute(theta, 0, row);
        double s = a[0] * row.r + a[1] * row.rc + a[2] * row.cc + a[3] * row.cs + a[4] * row.lgNc;
        for (int i = 0; i < LnpFeatures.FLUCTUATION_FEATURES; i++) {
            s += a[5 + i] * row.xf[i];
        }
        for (int i = 0; i < LnpFeatures.CORRECTION_FEATURES; i++) {
            s += a[5 + LnpFeatures.FLUCTUATION_FEATURES + i] * row.xe[i];
        }
        return s;
    }

    @Property(tries = 30, seed = "20261204")
    void backwardEqualsCentralDifferences(@ForAll long seed) {
        double[] theta = TestModels.randomTheta(1, seed);
        SplittableRandom r = new SplittableRandom(seed ^ 77);
        double[] a = new double[5 + LnpFeatures.FLUCTUATION_FEATURES + LnpFeatures.CORRECTION_FEATURES];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        LnpFeatures.Row row = new LnpFeatures.Row();
        F.compute(theta, 0, row);
        double[] dxf = java.util.Arrays.copyOfRange(a, 5, 5 + LnpFeatures.FLUCTUATION_FEATURES);
        double[] dxe = java.util.Arrays.copyOfRange(a, 5 + LnpFeatures.FLUCTUATION_FEATURES, a.length);
        double[] grad = new double[9];
        F.backward(theta, 0, row, dxf, dxe, a[0], a[1], a[2], a[3], a[4], grad, 0);
        for (int j = 0; j < 9; j++) {
            double h = 1e-6 * (SPACE.get(j).upper() - SPACE.get(j).lower());
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[j] += h;
            m[j] -= h;
            double fd = (functional(p, a) - functional(m, a)) / (2 * h);
            assertEquals(fd, grad[j], 1e-6 * (Math.abs(fd) + 1), SPACE.get(j).name());
        }
    }

    @Test
    void swappedSpectralComponentsGiveTheSameFeatures() {
        double[] theta = {0.2, 250, 0.3, 0.12, 0.07, 0.02, 0.1, 50, 1.1};
        double[] swapped = {0.2, 250, 0.7, 0.07, 0.12, 0.1, 0.02, 50, 1.1};
        LnpFeatures.Row a = new LnpFeatures.Row();
        LnpFeatures.Row b = new LnpFeatures.Row();
        F.compute(theta, 0, a);
        F.compute(swapped, 0, b);
        assertArrayEquals(a.xf, b.xf, 1e-15);
        assertArrayEquals(a.xe, b.xe, 0.0);
        // and the values: R_c, contrasts, core volume
        assertEquals(200, a.rc, 0.0);
        assertEquals(0.2, a.cc, 0.0);
        assertEquals(1.1 * 1.2 - 1, a.cs, 1e-15);
        assertEquals(Math.log10(4 * Math.PI / 3 * 200 * 200 * 200 / 125), a.lgNc, 1e-14);
    }

    @Test
    void featuresSpanMinusOneToOneOverTheBox() {
        double[] lo = SPACE.lowerBounds();
        double[] hi = SPACE.upperBounds();
        double[] corner = lo.clone();
        corner[7] = hi[7];       // thickest shell at the smallest R: the smallest core
        LnpFeatures.Row row = new LnpFeatures.Row();
        F.compute(corner, 0, row);
        assertEquals(-1, row.xf[0], 1e-12);
        assertEquals(-1, row.xf[1], 1e-12);
        double[] other = hi.clone();
        other[7] = lo[7];
        F.compute(other, 0, row);
        assertEquals(1, row.xf[0], 1e-12);
        assertEquals(1, row.xe[0], 1e-12);
        assertEquals(-1, row.xe[1], 1e-12);
    }
}
