package org.lnpsaxs.optimize.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * The size-estimate term of the {@code loglik} likelihood ({@link LogIntensityLikelihood#withSizeEstimateTerm})
 * against a reference built here from its definition with commons-math's dense algebra: the step map
 * \( G = (X^TC^{-1}X)^{-1}X^TC^{-1} \), its rows B of the location and the width, the transform
 * \( T = I + (\sqrt f - 1)EB^T(BEB^T)^{-1}B \) and \( E' = TET^T \) (the library computes the same matrix
 * as a rank-two update), and the profiled generalised-least-squares value with \( C' = D + E' \).
 */
class SizeEstimateTermTest {

    private static final int N = 40;
    /** Parameters of the made-up model: 0 location, 1 width, 2 and 3 others. */
    private static final int P = 4;

    private final double[] q = new double[N];
    private final double[] data = new double[N];
    private final double[] sigma = new double[N];
    private final double[] model = new double[N];
    private final double[][] jacobian = new double[N][P];
    private final double[] theta = {250, 0.3, 1.0, 0.5};

    SizeEstimateTermTest() {
        Random r = new Random(20261208);
        for (int i = 0; i < N; i++) {
            q[i] = 0.005 + 0.005 * i;
            model[i] = Math.exp(2 - 10 * q[i] + 0.3 * Math.sin(37 * q[i]));
            data[i] = model[i] * Math.exp(0.02 * r.nextGaussian());
            sigma[i] = data[i] * (0.005 + 0.01 * r.nextDouble());
            for (int k = 0; k < P; k++) {
                jacobian[i][k] = model[i] * Math.cos((k + 1) * 11 * q[i] + k);
            }
        }
    }

    private ModelError error(double referenceWidth, double power) {
        double[] s = new double[N];
        for (int i = 0; i < N; i++) {
            s[i] = 0.01 + 0.03 * q[i] / 0.2;
        }
        return new ModelError(q, s, 0.02, "test error").withSizeEstimates(new SizeEstimateTerm(0, 1, referenceWidth, power));
    }

    private LogIntensityLikelihood likelihood(double referenceWidth, double power) {
        return new LogIntensityLikelihood(q, data, sigma, 1, error(referenceWidth, power));
    }

    /** E' = T E Tᵀ from the definition (dense, commons-math). */
    private RealMatrix reference(double f) {
        RealMatrix e = new Array2DRowRealMatrix(error(0.2, 2).covariance(q));
        RealMatrix c = e.copy();
        for (int i = 0; i < N; i++) {
            double rel = sigma[i] / data[i];
            c.addToEntry(i, i, rel * rel);
        }
        RealMatrix x = new Array2DRowRealMatrix(N, P + 1);
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < P; k++) {
                x.setEntry(i, k, jacobian[i][k] / model[i]);
            }
            x.setEntry(i, P, 1);
        }
        RealMatrix cInvX = new CholeskyDecomposition(c).getSolver().solve(x);
        RealMatrix g = MatrixUtils.inverse(x.transpose().multiply(cInvX)).multiply(cInvX.transpose());
        RealMatrix b = new Array2DRowRealMatrix(2, N);
        b.setRow(0, g.getRow(0));
        b.setRow(1, g.getRow(1));
        RealMatrix eb = e.multiply(b.transpose());
        RealMatrix proj = eb.multiply(MatrixUtils.inverse(b.multiply(eb))).multiply(b);
        RealMatrix t = MatrixUtils.createRealIdentityMatrix(N).add(proj.scalarMultiply(Math.sqrt(f) - 1));
        RealMatrix ete = t.multiply(e).multiply(t.transpose());
        return ete.add(ete.transpose()).scalarMultiply(0.5);
    }

    /** min over a of (y − ln M − a1)ᵀ(D + E')⁻¹(…), dense. */
    private double gls(RealMatrix errorCov) {
        RealMatrix c = errorCov.copy();
        for (int i = 0; i < N; i++) {
            double rel = sigma[i] / data[i];
            c.addToEntry(i, i, rel * rel);
        }
        RealMatrix inv = new CholeskyDecomposition(c).getSolver().getInverse();
        RealVector r = MatrixUtils.createRealVector(new double[N]);
        RealVector one = MatrixUtils.createRealVector(new double[N]);
        for (int i = 0; i < N; i++) {
            r.setEntry(i, Math.log(data[i]) - Math.log(model[i]));
            one.setEntry(i, 1);
        }
        double a = one.dotProduct(inv.operate(r)) / one.dotProduct(inv.operate(one));
        RealVector res = r.subtract(one.mapMultiply(a));
        return res.dotProduct(inv.operate(res));
    }

    @Test
    void theErrorCovarianceIsTheTransformOfTheDefinition() {
        // width 0.3, reference 0.2, power 2: f = (1.5)^-2
        LogIntensityLikelihood lik = likelihood(0.2, 2).withSizeEstimateTerm(theta, model, jacobian, new int[] {0, 1, 2, 3});
        double f = Math.pow(0.3 / 0.2, -2);
        assertEquals(f, lik.sizeEstimateFactor().getAsDouble(), 1e-15);
        RealMatrix want = reference(f);
        double[][] got = lik.modelErrorCovariance();
        double scale = want.getNorm();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                assertEquals(want.getEntry(i, j), got[i][j], 1e-10 * scale, "E'[" + i + "][" + j + "]");
                assertEquals(got[i][j], got[j][i], 0.0);
            }
        }
        // the value with C' = D + E', profiled scale, from the dense reference
        double[] v = new double[1];
        lik.evaluate(model, 1, v, null);
        assertEquals(gls(want), v[0], 1e-9 * Math.abs(v[0]));
        // and it is not the value without the term
        double[] v0 = new double[1];
        likelihood(0.2, 2).evaluate(model, 1, v0, null);
        assertTrue(Math.abs(v[0] - v0[0]) > 1e-3 * Math.abs(v0[0]), v[0] + " vs " + v0[0]);
    }

    @Test
    void theSizeEstimatesSeeTheErrorScaledByTheFactorAndNothingElseChanges() {
        double[][] e = error(0.2, 2).covariance(q);
        double f = Math.pow(0.3 / 0.15, -3);
        double[][] e2 = likelihood(0.15, 3).withSizeEstimateTerm(theta, model, jacobian, new int[] {0, 1, 2, 3})
                .modelErrorCovariance();
        // the difference has rank 2: its third singular value vanishes against the first
        double[] sv = new org.apache.commons.math3.linear.SingularValueDecomposition(new Array2DRowRealMatrix(e2)
                .subtract(new Array2DRowRealMatrix(e))).getSingularValues();
        assertTrue(sv[1] > 1e-6 * sv[0], "rank 2 expected: " + sv[0] + ", " + sv[1]);
        assertTrue(sv[2] < 1e-10 * sv[0], "rank 2 expected, third singular value " + sv[2] + " of " + sv[0]);
        // the reference's B E' Bᵀ = f B E Bᵀ (B T = √f B)
        RealMatrix want = reference(f);
        RealMatrix base = reference(1);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                assertEquals(e[i][j], base.getEntry(i, j), 1e-14 * base.getNorm());
                assertEquals(want.getEntry(i, j), e2[i][j], 1e-10 * want.getNorm());
            }
        }
    }

    @Test
    void atTheReferenceWidthTheTermChangesNothing() {
        double[] at = theta.clone();
        at[1] = 0.25;
        LogIntensityLikelihood plain = likelihood(0.25, 3);
        LogIntensityLikelihood lik = plain.withSizeEstimateTerm(at, model, jacobian, new int[] {0, 1, 2, 3});
        assertEquals(1.0, lik.sizeEstimateFactor().getAsDouble(), 0.0);
        double[] v = new double[1];
        double[] v0 = new double[1];
        lik.evaluate(model, 1, v, null);
        plain.evaluate(model, 1, v0, null);
        assertEquals(v0[0], v[0], 1e-12 * Math.abs(v0[0]));
    }

    @Test
    void columnScalesAndTheOrderOfColumnsDoNotMatter() {
        double[][] scaled = new double[N][P];
        double[][] reordered = new double[N][P];
        double[] widths = {170, 0.3, 2.5, 0.01};
        int[] order = {2, 0, 3, 1};
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < P; k++) {
                scaled[i][k] = jacobian[i][k] * widths[k];
                reordered[i][k] = jacobian[i][order[k]];
            }
        }
        double[][] a = likelihood(0.15, 3).withSizeEstimateTerm(theta, model, jacobian, new int[] {0, 1, 2, 3})
                .modelErrorCovariance();
        double[][] b = likelihood(0.15, 3).withSizeEstimateTerm(theta, model, scaled, new int[] {0, 1, 2, 3})
                .modelErrorCovariance();
        double[][] c = likelihood(0.15, 3).withSizeEstimateTerm(theta, model, reordered, order).modelErrorCovariance();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                assertEquals(a[i][j], b[i][j], 1e-10 * Math.abs(a[i][i]));
                assertEquals(a[i][j], c[i][j], 1e-10 * Math.abs(a[i][i]));
            }
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        LogIntensityLikelihood without = new LogIntensityLikelihood(q, data, sigma, 1, new ModelError(q, new double[N], 0,
                "none"));
        int[] all = {0, 1, 2, 3};
        assertThrows(IllegalStateException.class, () -> without.withSizeEstimateTerm(theta, model, jacobian, all));
        LogIntensityLikelihood applied = likelihood(0.2, 2).withSizeEstimateTerm(theta, model, jacobian, all);
        assertTrue(applied.sizeEstimateTerm().isEmpty());
        assertThrows(IllegalStateException.class, () -> applied.withSizeEstimateTerm(theta, model, jacobian, all));
        // the width not among the free columns
        double[][] three = new double[N][3];
        for (int i = 0; i < N; i++) {
            three[i] = new double[] {jacobian[i][0], jacobian[i][2], jacobian[i][3]};
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> likelihood(0.2, 2).withSizeEstimateTerm(theta, model, three, new int[] {0, 2, 3}));
        assertTrue(ex.getMessage().contains("width"), ex.getMessage());
        // a parameter-dependent error must be held first
        LogIntensityLikelihood live = new LogIntensityLikelihood(q, data, sigma, 1,
                error(0.2, 2).withAmplitude(LogIntensityLikelihoodAmplitudeTest.ONE));
        assertThrows(IllegalStateException.class, () -> live.withSizeEstimateTerm(theta, model, jacobian, all));
        assertEquals(Math.pow(0.3 / 0.2, -2), live.at(theta).withSizeEstimateTerm(theta, model, jacobian, all)
                .sizeEstimateFactor().getAsDouble(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new SizeEstimateTerm(1, 1, 0.2, 2));
        assertThrows(IllegalArgumentException.class, () -> new SizeEstimateTerm(0, 1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new SizeEstimateTerm(0, 1, 0.2, -1));
    }
}
