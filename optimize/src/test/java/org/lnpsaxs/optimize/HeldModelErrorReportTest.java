package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.loss.ErrorAmplitude;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.report.FitReport;

/**
 * A fit under a model error whose size depends on the parameters holds that size at its best fit,
 * so its reported loss is −2 ln L under the held covariance. The report also gives the held size
 * and the loss with the size at the best parameters' own value; the latter is checked here against
 * −2 ln L written out with dense matrices (generalised least squares for the scale, the log
 * determinant and the scale's marginalisation term), not with the likelihood's own eigen path.
 */
class HeldModelErrorReportTest {

    /** a(θ) = (R/180 Å)^-2: a smaller sphere has the larger model error. */
    static ErrorAmplitude law(int radius) {
        return new ErrorAmplitude() {
            @Override
            public double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset) {
                double x = theta[offset + radius] / 180;
                if (gradient != null) {
                    Arrays.fill(gradient, gOffset, gOffset + parameters, 0.0);
                    gradient[gOffset + radius] = -2 / (x * x * x) / 180;
                }
                return 1 / (x * x);
            }

            @Override
            public String description() {
                return "(R/180)^-2";
            }
        };
    }

    @Test
    void theReportGivesTheHeldSizeAndTheLossAtTheBestFitsOwnSize() throws Exception {
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem base = FitterTest.problem(AnalyticFitModel.sphere(), "sphere", syn[0], syn[1]);
        DifferentiableModel model = base.model();
        int radius = model.parameters().indexOf("radius_mean");
        double[] q = base.data().q();
        double[] sigmaModel = new double[q.length];
        Arrays.fill(sigmaModel, 0.02);
        ModelError error = new ModelError(q, sigmaModel, 0.01, "test").withAmplitude(law(radius));
        double[] data = base.data().intensity();
        double[] sigma = base.data().sigma();
        FitProblem problem = base.withLoss(new LogIntensityLikelihood(q, data, sigma, 1.0, error));
        FitResult r = Fitter.defaults().withStarts(12).withFisher(false).fit(problem);

        assertTrue(r.heldModelError().isPresent(), "a parameter-dependent model error is held and said so");
        FitResult.HeldModelError h = r.heldModelError().orElseThrow();
        double[] best = r.bestParameters().values().stream().mapToDouble(Double::doubleValue).toArray();
        double own = law(radius).at(best, 0, best.length, null, 0);
        assertEquals(own, h.amplitude(), FitRun.REHOLD_TOLERANCE * own, "held at the best fit's size");

        double expected = dense(q, data, sigma, sigmaModel, 0.01, own * own, model.evaluate(best))
                - dense(q, data, sigma, sigmaModel, 0.01, 1, null);
        assertEquals(expected, h.lossAtOwnSize(), 1e-6 * Math.max(1, Math.abs(expected)));
        // the reported loss is under the held covariance: the two differ by the size's terms
        assertFalse(Math.abs(h.lossAtOwnSize() - r.bestLoss()) < 1e-3, "the two losses differ where the size is not 1");

        JsonNode json = new ObjectMapper().readTree(FitReport.toJsonString(r)).path("best");
        assertEquals(h.amplitude(), json.path("model_error_amplitude").asDouble(), 0);
        assertEquals(h.lossAtOwnSize(), json.path("loss_at_own_size").asDouble(), 0);
    }

    @Test
    void aFitWithoutAParameterDependentErrorHasNone() throws Exception {
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem p = FitterTest.problem(AnalyticFitModel.sphere(), "sphere", syn[0], syn[1]);
        FitResult r = Fitter.defaults().withStarts(8).withFisher(false).fit(p);
        assertTrue(r.heldModelError().isEmpty());
        JsonNode best = new ObjectMapper().readTree(FitReport.toJsonString(r)).path("best");
        assertTrue(best.path("model_error_amplitude").isMissingNode() && best.path("loss_at_own_size").isMissingNode());
    }

    /**
     * With m = null: ln det C(t) + ln(1ᵀC(t)⁻¹1), the terms that a size t adds; with m: the same
     * plus the generalised least-squares residual rᵀC⁻¹r with the scale (an offset in ln I) profiled.
     * C(t) = diag((σ/D)²) + t Σ, Σ the Matérn-3/2 covariance of σ_model with length ell.
     */
    static double dense(double[] q, double[] data, double[] sigma, double[] sigmaModel, double ell, double t, double[] m) {
        int n = q.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = Math.sqrt(3) * Math.abs(q[i] - q[j]) / ell;
                c[i][j] = t * sigmaModel[i] * sigmaModel[j] * (1 + x) * Math.exp(-x);
            }
            double rel = sigma[i] / data[i];
            c[i][i] += rel * rel;
        }
        CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(c, false), 1e-14, 1e-300);
        DecompositionSolver solve = chol.getSolver();
        RealVector one = new ArrayRealVector(n, 1.0);
        RealVector cOne = solve.solve(one);
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += 2 * Math.log(chol.getL().getEntry(i, i));
        }
        double value = logDet + Math.log(one.dotProduct(cOne));
        if (m != null) {
            RealVector e = new ArrayRealVector(n);
            for (int i = 0; i < n; i++) {
                e.setEntry(i, Math.log(data[i]) - Math.log(m[i]));
            }
            double a = cOne.dotProduct(e) / one.dotProduct(cOne);
            RealVector r = e.mapSubtract(a);
            value += r.dotProduct(solve.solve(r));
        }
        return value;
    }
}
