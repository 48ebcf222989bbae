package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

class ChiSquaredLossTest {

    static double[] noisy(double[] x, long seed, double rel) {
        Random r = new Random(seed);
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= 1 + rel * r.nextGaussian();
        }
        return y;
    }

    static double[] sigmas(double[] data, double rel) {
        double[] s = new double[data.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = rel * Math.abs(data[i]) + 1e-3;
        }
        return s;
    }

    @Property(tries = 40, seed = "20261204")
    void closedFormMatchesAnIndependentWeightedRegression(@ForAll @DoubleRange(min = 100, max = 400) double r,
                                                          @ForAll @DoubleRange(min = 0.1, max = 50) double scale,
                                                          @ForAll @DoubleRange(min = 0, max = 2) double bg) {
        double[] q = ScaleFreeLossTest.grid(80);
        double[] truth = ScaleFreeLossTest.sphereLike(q, 250, 1);
        double[] data = noisy(truth, 7, 0.05);
        for (int i = 0; i < data.length; i++) {
            data[i] = scale * data[i] + bg;
        }
        double[] sigma = sigmas(data, 0.05);
        double[] model = ScaleFreeLossTest.sphereLike(q, r, 1);
        ChiSquaredLoss loss = new ChiSquaredLoss(data, sigma);
        ScaleAndBackground sb = loss.scaleAndBackground(model);
        // independent: ordinary least squares on rows scaled by 1/sigma, columns [M/sigma, 1/sigma]
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        double[][] x = new double[q.length][2];
        double[] y = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            x[i][0] = model[i] / sigma[i];
            x[i][1] = 1 / sigma[i];
            y[i] = data[i] / sigma[i];
        }
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        if (beta[0] >= 0) {
            assertEquals(beta[0], sb.scale(), 1e-8 * Math.abs(beta[0]) + 1e-12);
            assertEquals(beta[1], sb.background(), 1e-8 * (Math.abs(beta[1]) + Math.abs(beta[0])));
            assertEquals(ols.calculateResidualSumOfSquares(), loss.value(model), 1e-8 * loss.value(model));
        }
    }

    @Property(tries = 40, seed = "20261204")
    void gradientEqualsFiniteDifferences(@ForAll @DoubleRange(min = 100, max = 400) double r,
                                         @ForAll @DoubleRange(min = -3, max = 3) double logScale,
                                         @ForAll boolean background) {
        double[] q = ScaleFreeLossTest.grid(50);
        double[] data = noisy(ScaleFreeLossTest.sphereLike(q, 250, 1e3), 11, 0.03);
        ChiSquaredLoss loss = new ChiSquaredLoss(data, sigmas(data, 0.03), background, 0.7);
        LossTestSupport.assertGradientMatchesFiniteDifferences(loss,
                ScaleFreeLossTest.sphereLike(q, r, Math.pow(10, logScale)), 1e-5);
    }

    @Property(tries = 30, seed = "20261204")
    void invariantToTheModelScale(@ForAll @DoubleRange(min = 100, max = 400) double r,
                                  @ForAll @DoubleRange(min = -6, max = 6) double logScale) {
        double[] q = ScaleFreeLossTest.grid(50);
        double[] data = noisy(ScaleFreeLossTest.sphereLike(q, 250, 1e3), 3, 0.03);
        ChiSquaredLoss loss = new ChiSquaredLoss(data, sigmas(data, 0.03));
        double ref = loss.value(ScaleFreeLossTest.sphereLike(q, r, 1));
        double scaled = loss.value(ScaleFreeLossTest.sphereLike(q, r, Math.pow(10, logScale)));
        assertEquals(ref, scaled, 1e-9 * ref);
    }

    @Test
    void perfectModelGivesZeroAndRecoversScaleAndBackground() {
        double[] q = ScaleFreeLossTest.grid(60);
        double[] m = ScaleFreeLossTest.sphereLike(q, 250, 1);
        double[] data = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            data[i] = 3.5 * m[i] + 0.25;
        }
        ChiSquaredLoss loss = new ChiSquaredLoss(data, sigmas(data, 0.01));
        ScaleAndBackground sb = loss.scaleAndBackground(m);
        assertEquals(3.5, sb.scale(), 1e-10);
        assertEquals(0.25, sb.background(), 1e-10);
        assertEquals(0.0, loss.value(m), 1e-16);
        assertArrayEquals(data, loss.align(m), 1e-10);
    }

    @Test
    void negativeScaleIsReplacedByTheConstrainedOptimum() {
        // data rise where the model falls: the unconstrained scale is negative
        int n = 20;
        double[] m = new double[n];
        double[] data = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = 10.0 - i * 0.4;
            data[i] = 1 + 0.1 * i;
            s[i] = 0.1;
        }
        ChiSquaredLoss loss = new ChiSquaredLoss(data, s);
        ScaleAndBackground sb = loss.scaleAndBackground(m);
        assertEquals(0.0, sb.scale(), 0.0);
        double mean = 0;
        for (double d : data) {
            mean += d / n;
        }
        assertEquals(mean, sb.background(), 1e-12);
        double chi2 = 0;
        for (double d : data) {
            chi2 += (d - mean) * (d - mean) / 0.01;
        }
        assertEquals(chi2, loss.value(m), 1e-9 * chi2);
        assertArrayEquals(new double[n], loss.gradient(m), 0.0);
    }

    @Test
    void pointWeightScalesTheValue() {
        double[] q = ScaleFreeLossTest.grid(30);
        double[] data = noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 5, 0.05);
        double[] sigma = sigmas(data, 0.05);
        double[] m = ScaleFreeLossTest.sphereLike(q, 230, 1);
        double a = new ChiSquaredLoss(data, sigma, true, 1.0).value(m);
        double b = new ChiSquaredLoss(data, sigma, true, 0.25).value(m);
        assertEquals(0.25 * a, b, 1e-12 * a);
        assertTrue(a > 0);
    }

    @Test
    void refusesBadSigma() {
        assertThrows(IllegalArgumentException.class,
                () -> new ChiSquaredLoss(new double[] {1, 2, 3}, new double[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new ChiSquaredLoss(new double[] {1, 2, 3}, new double[] {1, 1}));
    }

    @Test
    void gaussNewtonEqualsTheProfiledHessianAtAPerfectFit() {
        double[] q = ScaleFreeLossTest.grid(40);
        double[] phi = {120, 3};
        double[] m = LossTestSupport.toy(q, phi);
        double[] data = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            data[i] = 5 * m[i] + 0.01;
        }
        for (boolean bg : new boolean[] {true, false}) {
            double[] d = bg ? data : LossTestSupport.scaled(m, 5);
            ChiSquaredLoss loss = new ChiSquaredLoss(d, sigmas(d, 0.02), bg, 1.0);
            LossTestSupport.assertGaussNewtonIsHessianAtPerfectFit(loss, q, phi);
        }
    }
}
