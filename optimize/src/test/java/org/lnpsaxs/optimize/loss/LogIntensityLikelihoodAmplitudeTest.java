package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The {@code loglik} likelihood with a model error whose size depends on the parameters
 * (C(θ) = diag(v) + a(θ)² Σ), against independent references: the scale-marginalised Gaussian
 * density integrated numerically over ln s (commons-math's multivariate normal), a hand-built
 * generalised least squares, and finite differences.
 */
class LogIntensityLikelihoodAmplitudeTest {

    /** a(θ) = exp(θ₀ + 0.5 θ₁²) on a 3-parameter vector (θ₂ does not enter). */
    static final ErrorAmplitude AMPLITUDE = new ErrorAmplitude() {
        @Override
        public double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset) {
            double a = Math.exp(theta[offset] + 0.5 * theta[offset + 1] * theta[offset + 1]);
            if (gradient != null) {
                gradient[gOffset] = a;
                gradient[gOffset + 1] = a * theta[offset + 1];
                gradient[gOffset + 2] = 0;
            }
            return a;
        }

        @Override
        public String description() {
            return "exp(t0 + t1^2/2)";
        }
    };

    static final ErrorAmplitude ONE = new ErrorAmplitude() {
        @Override
        public double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset) {
            if (gradient != null) {
                java.util.Arrays.fill(gradient, gOffset, gOffset + parameters, 0.0);
            }
            return 1;
        }

        @Override
        public String description() {
            return "1";
        }
    };

    /**
     * −2 ln ∫ N(ln D; ln M + a1, C) da by the trapezoid rule over a, the Gaussian's logarithm from an
     * LU inverse and determinant, summed in log space (an independent reference).
     */
    static double marginal(double[] ld, double[] lm, double[][] cov) {
        int n = ld.length;
        LUDecomposition lu = new LUDecomposition(new Array2DRowRealMatrix(cov));
        RealMatrix inv = lu.getSolver().getInverse();
        double logNorm = -0.5 * (n * Math.log(2 * Math.PI) + Math.log(lu.getDeterminant()));
        double centre = 0;
        for (int i = 0; i < n; i++) {
            centre += (ld[i] - lm[i]) / n;
        }
        int steps = 8000;
        double lo = centre - 3;
        double h = 6.0 / steps;
        double[] x = new double[n];
        double[] logs = new double[steps + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= steps; k++) {
            double a = lo + k * h;
            for (int i = 0; i < n; i++) {
                x[i] = ld[i] - lm[i] - a;
            }
            double quad = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    quad += x[i] * inv.getEntry(i, j) * x[j];
                }
            }
            logs[k] = logNorm - 0.5 * quad + Math.log(k == 0 || k == steps ? 0.5 : 1);
            max = Math.max(max, logs[k]);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return -2 * (max + Math.log(sum * h));
    }

    static double[][] covariance(double[] q, double[] data, double[] sigma, ModelError e, double amp) {
        double[][] c = e.covariance(q);
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                c[i][j] *= amp * amp;
            }
            if (sigma != null) {
                c[i][i] += Math.pow(sigma[i] / data[i], 2);
            }
        }
        return c;
    }

    static double[] log(double[] x) {
        return LogIntensityLikelihoodTest.log(x);
    }

    @Test
    void differencesOfValueAreDifferencesOfTheScaleMarginalisedDensity() {
        double[] q = ScaleFreeLossTest.grid(24);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 3, 0.02);
        ModelError e = LogIntensityLikelihoodTest.error(q, 0.03).withAmplitude(AMPLITUDE);
        double[] m1 = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 246, 1), 0.4);
        double[] m2 = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 255, 1), 3.0);
        double[] th1 = {0.4, -0.3, 7};
        double[] th2 = {-0.5, 0.2, -1};
        for (double[] sigma : new double[][] {LogIntensityLikelihoodTest.sigmaRelative(data, 0.02), null}) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, data, sigma, 1.0, e);
            assertTrue(lik.dependsOnParameters());
            double v1 = lik.value(th1, m1);
            double v2 = lik.value(th2, m2);
            double r1 = marginal(log(data), log(m1), covariance(q, data, sigma, e, AMPLITUDE.at(th1, 0, 3, null, 0)));
            double r2 = marginal(log(data), log(m2), covariance(q, data, sigma, e, AMPLITUDE.at(th2, 0, 3, null, 0)));
            assertEquals(r1 - r2, v1 - v2, 1e-6 * (Math.abs(r1) + Math.abs(r2)), sigma == null ? "no sigma" : "sigma");
            // the same curve at two amplitudes: the log-determinant terms matter
            double r1b = marginal(log(data), log(m1), covariance(q, data, sigma, e, AMPLITUDE.at(th2, 0, 3, null, 0)));
            assertEquals(r1 - r1b, v1 - lik.value(th2, m1), 1e-6 * (Math.abs(r1) + Math.abs(r1b)));
        }
    }

    @Test
    void atAmplitudeOneItIsTheFixedCovarianceLikelihood() {
        double[] q = ScaleFreeLossTest.grid(30);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 5, 0.02);
        double[] sigma = LogIntensityLikelihoodTest.sigmaRelative(data, 0.02);
        ModelError fixed = LogIntensityLikelihoodTest.error(q, 0.02);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 243, 1), 2.0);
        double[] theta = {0.3, 0.1, 0};
        for (double[] s : new double[][] {sigma, null}) {
            LogIntensityLikelihood plain = new LogIntensityLikelihood(q, data, s, 1.0, fixed);
            LogIntensityLikelihood one = new LogIntensityLikelihood(q, data, s, 1.0, fixed.withAmplitude(ONE));
            double v = plain.value(model);
            assertEquals(v, one.value(theta, model), 1e-9 * v);
            assertEquals(v, one.value(model), 1e-9 * v);
            assertEquals(plain.scale(model), one.scale(model), 1e-9 * plain.scale(model));
            assertEquals(plain.logDeterminant(), one.logDeterminant(), 1e-9 * Math.abs(plain.logDeterminant()));
            assertEquals(plain.scalePrecision(), one.scalePrecision(), 1e-9 * plain.scalePrecision());
            assertFalse(plain.dependsOnParameters());
            assertSame(plain, plain.at(theta));
        }
    }

    @Test
    void heldAtAPointItIsTheGeneralisedLeastSquaresAtThatAmplitude() {
        double[] q = ScaleFreeLossTest.grid(20);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 7, 0.02);
        double[] sigma = LogIntensityLikelihoodTest.sigmaRelative(data, 0.02);
        ModelError e = LogIntensityLikelihoodTest.error(q, 0.03).withAmplitude(AMPLITUDE);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 247, 1), 5.0);
        double[] theta = {0.7, 0.4, 0};
        double amp = AMPLITUDE.at(theta, 0, 3, null, 0);
        LogIntensityLikelihood held = new LogIntensityLikelihood(q, data, sigma, 1.0, e).at(theta);
        assertFalse(held.dependsOnParameters());
        assertEquals(amp, held.amplitudeReference(), 1e-12 * amp);
        // independent: r' C^-1 r with the scale solved by generalised least squares (LU inverse)
        RealMatrix c = new Array2DRowRealMatrix(covariance(q, data, sigma, e, amp));
        RealMatrix inv = new LUDecomposition(c).getSolver().getInverse();
        int n = q.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.log(data[i] / model[i]);
        }
        double oo = 0;
        double od = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                oo += inv.getEntry(i, j);
                od += inv.getEntry(i, j) * d[j];
            }
        }
        double a = od / oo;
        double chi = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                chi += (d[i] - a) * inv.getEntry(i, j) * (d[j] - a);
            }
        }
        assertEquals(chi, held.value(model), 1e-8 * chi);
        assertEquals(Math.exp(a), held.scale(model), 1e-9 * Math.exp(a));
        assertEquals(Math.log(new LUDecomposition(c).getDeterminant()), held.logDeterminant(), 1e-8 * Math.abs(held.logDeterminant()));
        assertEquals(oo, held.scalePrecision(), 1e-8 * oo);
        // the held value is r'C^-1 r; the live value at that point differs by a constant, the same for any curve
        LogIntensityLikelihood live = new LogIntensityLikelihood(q, data, sigma, 1.0, e);
        double[] other = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 252, 1), 0.3);
        double offset = live.value(theta, model) - held.value(model);
        assertEquals(offset, live.value(theta, other) - held.value(other), 1e-8 * (Math.abs(offset) + held.value(other)));
        assertTrue(Math.abs(offset) > 1e-3, "the held covariance leaves out a real log-determinant term: " + offset);
        // held at the same amplitude by value: the same likelihood
        assertEquals(held.value(other), live.heldAt(amp).value(other), 1e-12 * held.value(other));
    }

    @Test
    void gradientsWithRespectToTheCurveAndTheParametersMatchFiniteDifferences() {
        double[] q = ScaleFreeLossTest.grid(40);
        double[] data = ChiSquaredLossTest.noisy(ScaleFreeLossTest.sphereLike(q, 250, 1), 9, 0.02);
        double[] model = LossTestSupport.scaled(ScaleFreeLossTest.sphereLike(q, 244, 1), 3.0);
        double[] theta = {0.2, -0.6, 3};
        ModelError e = LogIntensityLikelihoodTest.error(q, 0.01).withAmplitude(AMPLITUDE);
        for (double[] sigma : new double[][] {LogIntensityLikelihoodTest.sigmaRelative(data, 0.02), null}) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, data, sigma, 1.0, e);
            int n = q.length;
            double[] v = new double[1];
            double[] g = new double[n];
            double[] gt = new double[3];
            lik.evaluate(theta, 3, model, 1, v, g, gt);
            for (int i = 0; i < n; i += 3) {
                double h = 1e-6 * model[i];
                double[] up = model.clone();
                double[] dn = model.clone();
                up[i] += h;
                dn[i] -= h;
                double fd = (lik.value(theta, up) - lik.value(theta, dn)) / (2 * h);
                assertEquals(fd, g[i], 1e-5 * Math.abs(fd) + 1e-9 / model[i], "dL/dM at " + i);
            }
            for (int j = 0; j < 3; j++) {
                double h = 1e-6;
                double[] up = theta.clone();
                double[] dn = theta.clone();
                up[j] += h;
                dn[j] -= h;
                double fd = (lik.value(up, model) - lik.value(dn, model)) / (2 * h);
                assertEquals(fd, gt[j], 1e-5 * Math.abs(fd) + 1e-8, "dL/dtheta " + j);
            }
            assertTrue(Math.abs(gt[0]) > 1e-3, "the amplitude's gradient is not trivially zero: " + gt[0]);
            // batched like single
            double[] two = new double[2 * n];
            System.arraycopy(model, 0, two, 0, n);
            System.arraycopy(model, 0, two, n, n);
            double[] th2 = new double[6];
            System.arraycopy(theta, 0, th2, 0, 3);
            System.arraycopy(theta, 0, th2, 3, 3);
            th2[3] += 0.1;
            double[] v2 = new double[2];
            lik.evaluate(th2, 3, two, 2, v2, null, null);
            assertEquals(v[0], v2[0], 0);
            assertEquals(lik.value(new double[] {theta[0] + 0.1, theta[1], theta[2]}, model), v2[1], 0);
        }
    }
}
