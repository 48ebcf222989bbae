package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class LogIntensityLikelihoodTest {

    /** A model error over the whole test grid: σ rising linearly from 0.01 to 0.05, ℓ = 0.02 1/Å. */
    static ModelError error(double[] q, double length) {
        double[] s = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            s[i] = 0.01 + 0.04 * (q[i] - q[0]) / (q[q.length - 1] - q[0]);
        }
        return new ModelError(q, s, length, "test error");
    }

    static double[] sigmaRelative(double[] data, double rel) {
        double[] s = new double[data.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = rel * data[i] * (1 + 0.5 * Math.sin(i));
        }
        return s;
    }

    /** −2 ln of the multivariate normal density of ln D given ln M + a, by commons-math (an eigen decomposition). */
    static double minusTwoLogDensity(double[] logData, double[] logModel, double a, double[][] cov) {
        double[] mean = new double[logModel.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = logModel[i] + a;
        }
        double p = new MultivariateNormalDistribution(mean, cov).density(logData);
        return -2 * Math.log(p);
    }

    static double[] log(double[] x) {
        return Arrays.stream(x).map(Math::log).toArray();
    }

    /** The full covariance built by hand: diag((σ/D)²) + σ_i σ_j (1 + √3 d/ℓ) exp(−√3 d/ℓ). */
    static double[][] covarianceByHand(double[] q, double[] data, double[] sigma, ModelError e) {
        int n = q.length;
        double[] s = e.sigma();
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = Math.abs(q[i] - q[j]) * Math.sqrt(3) / e.correlationLength();
                c[i][j] = s[i] * s[j] * (1 + d) * Math.exp(-d);
            }
            c[i][i] += Math.pow(sigma[i] / data[i], 2);
        }
        return c;
    }

    /** Golden-section minimum of f on [lo, hi]. */
    static double argmin(java.util.function.DoubleUnaryOperator f, double lo, double hi) {
        double g = (Math.sqrt(5) - 1) / 2;
        double a = lo;
        double b = hi;
        for (int it = 0; it < 200; it++) {
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            if (f.applyAsDouble(c) < f.applyAsDouble(d)) {
                b = d;
            } else {
                a = c;
            }
        }
        return (a + b) / 2;
    }

    @Test
    void valueIsTheProfiledMultivariateNormalDensity() {
        double[] q = ScaleFreeLossTest.grid(12);
        double[] truth = ScaleFreeLossTest.sphereLike(q, 250, 1);
        double[] data = ChiSquaredLossTest.noisy(truth, 3, 0.03);
        double[] sigma = sigmaRelative(data, 0.03);
        ModelError e = error(q, 0.03);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 240, 1), 0.37);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, data, sigma, 1.0, e);
        double[][] cov = covarianceByHand(q, data, sigma, e);
        double[] ld = log(data);
        double[] lm = log(model);
        double aBest = argmin(a -> minusTwoLogDensity(ld, lm, a, cov), -5, 5);
        double direct = minusTwoLogDensity(ld, lm, aBest, cov);
        assertEquals(direct, loss.value(model) + loss.normalisation(), 1e-7 * Math.abs(direct));
        // the profiled scale is the brute-force 1-D optimum
        assertEquals(Math.exp(aBest), loss.scale(model), 1e-6 * Math.exp(aBest));
        // ln det C, independently (LU)
        RealMatrix m = new Array2DRowRealMatrix(cov);
        assertEquals(Math.log(new LUDecomposition(m).getDeterminant()), loss.logDeterminant(), 1e-9
                * Math.abs(loss.logDeterminant()));
        // 1' C^-1 1, independently (LU inverse)
        RealMatrix inv = new LUDecomposition(m).getSolver().getInverse();
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                sum += inv.getEntry(i, j);
            }
        }
        assertEquals(sum, loss.scalePrecision(), 1e-8 * sum);
    }

    @Test
    void withoutModelErrorItIsTheWeightedChiSquareInLogIntensity() {
        double[] q = ScaleFreeLossTest.grid(50);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 5, 0.02);
        double[] sigma = sigmaRelative(data, 0.02);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 255, 1), 4.0);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, data, sigma, 1.0, null);
        // independent: weighted mean of the log ratio, then the weighted sum of squares
        double sw = 0;
        double swr = 0;
        for (int i = 0; i < q.length; i++) {
            double w = Math.pow(data[i] / sigma[i], 2);
            sw += w;
            swr += w * Math.log(data[i] / model[i]);
        }
        double a = swr / sw;
        double chi2 = 0;
        for (int i = 0; i < q.length; i++) {
            chi2 += Math.pow(Math.log(data[i] / model[i]) - a, 2) * Math.pow(data[i] / sigma[i], 2);
        }
        assertEquals(chi2, loss.value(model), 1e-10 * chi2);
        assertEquals(Math.exp(a), loss.scale(model), 1e-12 * Math.exp(a));
        assertTrue(loss.isLikelihood());
        assertEquals(List.of("scale"), loss.solvedParameters());
        assertEquals("loglik", loss.name());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        double[] q = ScaleFreeLossTest.grid(60);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 9, 0.02);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 243, 1), 7.0);
        for (ModelError e : new ModelError[] {null, error(q, 0.01), error(q, 0)}) {
            LogIntensityLikelihood loss = new LogIntensityLikelihood(q, data, sigmaRelative(data, 0.02), 1.0, e);
            LossTestSupport.assertGradientMatchesFiniteDifferences(loss, model, 1e-6);
        }
        // model error alone (no data sigma)
        LogIntensityLikelihood alone = new LogIntensityLikelihood(q, data, null, 1.0, error(q, 0.01));
        LossTestSupport.assertGradientMatchesFiniteDifferences(alone, model, 1e-6);
    }

    @Test
    void invariantToTheModelScaleAndBatchedLikeSingle() {
        double[] q = ScaleFreeLossTest.grid(40);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 11, 0.02);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, data, sigmaRelative(data, 0.02), 1.0, error(q, 0.02));
        double[] m1 = ScaleFreeLossTest.sphereLike(q, 260, 1);
        double[] m2 = ScaleFreeLossTest.sphereLike(q, 240, 1);
        assertEquals(loss.value(m1), loss.value(LossTestSupport.scaled(m1, 1e4)), 1e-9 * loss.value(m1));
        double[] batch = new double[2 * q.length];
        System.arraycopy(m1, 0, batch, 0, q.length);
        System.arraycopy(m2, 0, batch, q.length, q.length);
        double[] v = new double[2];
        double[] g = new double[2 * q.length];
        loss.evaluate(batch, 2, v, g);
        assertEquals(loss.value(m1), v[0], 0);
        assertEquals(loss.value(m2), v[1], 0);
        assertArrayEquals(loss.gradient(m2), Arrays.copyOfRange(g, q.length, 2 * q.length), 0);
        // aligned curve: scale times model
        double s = loss.scale(m1);
        assertEquals(s * m1[7], loss.align(m1)[7], 1e-12 * s * m1[7]);
    }

    @Test
    void pointWeightBelowOneInflatesTheDataVariance() {
        double[] q = ScaleFreeLossTest.grid(30);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 13, 0.02);
        double[] sigma = sigmaRelative(data, 0.02);
        double[] model = ScaleFreeLossTest.sphereLike(q, 252, 1);
        double one = new LogIntensityLikelihood(q, data, sigma, 1.0, null).value(model);
        assertEquals(one / 4, new LogIntensityLikelihood(q, data, sigma, 0.25, null).value(model), 1e-10 * one);
        assertEquals(one, new LogIntensityLikelihood(q, data, sigma, 3.0, null).value(model), 1e-10 * one);
    }

    @Test
    void gaussNewtonEqualsTheProfiledHessianAtAPerfectFit() {
        double[] q = ScaleFreeLossTest.grid(40);
        double[] phi = {120, 3};
        double[] d = LossTestSupport.scaled(LossTestSupport.toy(q, phi), 5);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, d, sigmaRelative(d, 0.02), 1.0, error(q, 0.015));
        LossTestSupport.assertGaussNewtonIsHessianAtPerfectFit(loss, q, phi);
    }

    @Test
    void unscorableCurvesAndInvalidInputs() {
        double[] q = ScaleFreeLossTest.grid(10);
        double[] data = ScaleFreeLossTest.sphereLike(q, 250, 1);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, data, sigmaRelative(data, 0.02), 1.0, null);
        double[] bad = data.clone();
        bad[3] = 0;
        double[] v = new double[1];
        double[] g = new double[q.length];
        Arrays.fill(g, 7);
        loss.evaluate(bad, 1, v, g);
        assertEquals(Double.POSITIVE_INFINITY, v[0]);
        assertArrayEquals(new double[q.length], g, 0);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new LogIntensityLikelihood(q, data, null, 1.0, null));
        assertTrue(none.getMessage().contains("sigma"), none.getMessage());
        double[] neg = data.clone();
        neg[2] = -1;
        assertThrows(IllegalArgumentException.class, () -> new LogIntensityLikelihood(q, neg, null, 1.0, error(q, 0.01)));
        assertThrows(IllegalArgumentException.class, () -> new LogIntensityLikelihood(q, data, null, 0, error(q, 0.01)));
    }

    @Test
    void modelErrorKernelAndInterpolation() {
        double[] q = {0.01, 0.02, 0.04};
        ModelError e = new ModelError(q, new double[] {0.01, 0.03, 0.07}, 0.05, "x");
        // Matérn 3/2 at d = ℓ: (1 + √3) e^{-√3}
        assertEquals((1 + Math.sqrt(3)) * Math.exp(-Math.sqrt(3)), e.correlation(0.05), 1e-15);
        assertEquals(1, e.correlation(0), 0);
        assertEquals(0.05, e.sigmaAt(0.03), 1e-15);
        assertEquals(0.07, e.sigmaAt(0.04), 0);
        double[][] c = e.covariance(new double[] {0.02, 0.03});
        assertEquals(0.03 * 0.05 * e.correlation(0.01), c[0][1], 1e-18);
        assertThrows(IllegalArgumentException.class, () -> e.sigmaAt(0.05));
        assertThrows(IllegalArgumentException.class, () -> new ModelError(q, new double[] {0.01, -1, 0}, 0.05, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ModelError(new double[] {0.02, 0.01}, new double[2], 0, "x"));
        ModelError white = new ModelError(q, new double[] {0.01, 0.03, 0.07}, 0, "x");
        assertEquals(0, white.correlation(1e-9), 0);
        assertEquals(e, new ModelError(q, new double[] {0.01, 0.03, 0.07}, 0.05, "x"));
        ModelError twice = e.scaled(2);
        assertArrayEquals(new double[] {0.02, 0.06, 0.14}, twice.sigma(), 1e-15);
        assertEquals(0.05, twice.correlationLength(), 0);
        assertThrows(IllegalArgumentException.class, () -> e.scaled(-1));
    }
}
