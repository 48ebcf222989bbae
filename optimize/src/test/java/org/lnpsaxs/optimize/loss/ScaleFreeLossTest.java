package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.math.Invariant;

class ScaleFreeLossTest {

    static double[] grid(int n) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = 0.002 + 0.1975 * i / (n - 1);
        }
        return q;
    }

    static double[] sphereLike(double[] q, double r, double level) {
        double[] v = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            double x = q[i] * r;
            double j = 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
            v[i] = level * (j * j + 1e-4);
        }
        return v;
    }

    @Test
    void handComputedThreePointValue() {
        // q = 1, 2, 3: trapezoid weights t = 0.5, 1, 0.5 -> c = 0.5, 4, 4.5
        double[] q = {1, 2, 3};
        double[] data = {2, 1, 1};       // Q_w = 1 + 4 + 4.5 = 9.5
        double[] model = {1, 1, 1};      // Q_w = 9
        double[] dh = {2 / 9.5, 1 / 9.5, 1 / 9.5};
        double[] mh = {1 / 9.0, 1 / 9.0, 1 / 9.0};
        double log = 0;
        double lin = 0;
        for (int i = 0; i < 3; i++) {
            log += Math.pow(Math.log(mh[i]) - Math.log(dh[i]), 2);
            lin += Math.pow((mh[i] - dh[i]) / 1e5, 2);
        }
        double expected = 0.1 * log / 3 + lin / 3;
        assertEquals(9.5, Invariant.of(q, data), 1e-15);
        assertEquals(expected, new ScaleFreeLoss(q, data).value(model), 1e-15 * expected);
    }

    @Test
    void linearTermMattersAtLargeNormalisedIntensity() {
        // Q_w normalisation of a 250 Å sphere puts I/Q_w near 1e6 Å^3 at low q: both terms are active
        double[] q = grid(300);
        double[] data = sphereLike(q, 250, 1);
        double[] model = sphereLike(q, 255, 1);
        ScaleFreeLoss loss = new ScaleFreeLoss(q, data);
        double qd = Invariant.of(q, data);
        double qm = Invariant.of(q, model);
        double lin = 0;
        for (int i = 0; i < q.length; i++) {
            lin += Math.pow((model[i] / qm - data[i] / qd) / 1e5, 2);
        }
        lin /= q.length;
        double total = loss.value(model);
        assertEquals(true, lin > 1e-3 * total && lin < total, "linear part " + lin + " of " + total);
    }

    @Test
    void zeroForAModelProportionalToTheData() {
        double[] q = grid(300);
        double[] data = sphereLike(q, 250, 3e5);
        ScaleFreeLoss loss = new ScaleFreeLoss(q, data);
        assertEquals(0.0, loss.value(sphereLike(q, 250, 17.0)), 1e-28);
    }

    @Property(tries = 60, seed = "20261204")
    void invariantToScalingModelOrData(@ForAll @DoubleRange(min = 80, max = 400) double r,
                                       @ForAll @DoubleRange(min = -6, max = 6) double logModelScale,
                                       @ForAll @DoubleRange(min = -6, max = 6) double logDataScale) {
        double[] q = grid(200);
        double ref = new ScaleFreeLoss(q, sphereLike(q, 240, 1.0)).value(sphereLike(q, r, 1.0));
        double a = Math.pow(10, logModelScale);
        double b = Math.pow(10, logDataScale);
        double scaled = new ScaleFreeLoss(q, sphereLike(q, 240, b)).value(sphereLike(q, r, a));
        assertEquals(ref, scaled, 1e-10 * ref);
    }

    @Property(tries = 40, seed = "20261204")
    void gradientEqualsFiniteDifferences(@ForAll @DoubleRange(min = 100, max = 400) double r,
                                         @ForAll @DoubleRange(min = -3, max = 3) double logScale) {
        double[] q = grid(60);
        ScaleFreeLoss loss = new ScaleFreeLoss(q, sphereLike(q, 250, 1e6));
        LossTestSupport.assertGradientMatchesFiniteDifferences(loss, sphereLike(q, r, Math.pow(10, logScale)), 1e-5);
    }

    @Test
    void batchedEqualsOneByOne() {
        double[] q = grid(50);
        ScaleFreeLoss loss = new ScaleFreeLoss(q, sphereLike(q, 250, 1));
        double[] batch = new double[3 * 50];
        double[] expectV = new double[3];
        double[][] expectG = new double[3][];
        for (int b = 0; b < 3; b++) {
            double[] m = sphereLike(q, 150 + 60 * b, 1 + b);
            System.arraycopy(m, 0, batch, b * 50, 50);
            expectV[b] = loss.value(m);
            expectG[b] = loss.gradient(m);
        }
        double[] v = new double[3];
        double[] g = new double[150];
        loss.evaluate(batch, 3, v, g);
        assertArrayEquals(expectV, v, 0.0);
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(expectG[b], java.util.Arrays.copyOfRange(g, b * 50, b * 50 + 50), 0.0);
        }
    }

    @Test
    void nonPositiveModelScoresInfinityNotNaN() {
        double[] q = grid(10);
        ScaleFreeLoss loss = new ScaleFreeLoss(q, sphereLike(q, 250, 1));
        double[] m = sphereLike(q, 200, 1);
        m[4] = 0;
        assertEquals(Double.POSITIVE_INFINITY, loss.value(m));
        assertArrayEquals(new double[10], loss.gradient(m), 0.0);
        double[] bad = sphereLike(q, 250, 1);
        bad[2] = -1;
        assertThrows(IllegalArgumentException.class, () -> new ScaleFreeLoss(q, bad));
    }

    @Test
    void alignPutsTheModelOnTheDataScale() {
        double[] q = grid(40);
        double[] data = sphereLike(q, 250, 123.0);
        double[] aligned = new ScaleFreeLoss(q, data).align(sphereLike(q, 250, 0.5));
        assertArrayEquals(data, aligned, 1e-12 * 123);
    }

    @Test
    void gaussNewtonEqualsTheHessianAtAPerfectFit() {
        double[] q = grid(40);
        double[] phi = {120, 3};
        ScaleFreeLoss loss = new ScaleFreeLoss(q, LossTestSupport.scaled(LossTestSupport.toy(q, phi), 42));
        LossTestSupport.assertGaussNewtonIsHessianAtPerfectFit(loss, q, phi);
    }
}
