package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.loss.ErrorAmplitude;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/**
 * The fit objective with a loss that depends on the parameters directly (a model error whose size
 * depends on the radius): its gradients, fused and split, equal finite differences of its values,
 * so the direct gradient through the amplitude reaches the optimiser and the samplers.
 */
class ParameterDependentObjectiveTest {

    @Test
    void theObjectivesGradientIncludesTheAmplitudesAndMatchesFiniteDifferences() {
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem problem = FitterTest.problem(AnalyticFitModel.sphere(), "sphere", syn[0], syn[1]);
        DifferentiableModel model = problem.model();
        int p = model.parameters().size();
        int radius = model.parameters().indexOf("radius_mean");
        double[] q = problem.data().q();
        double[] sigmaModel = new double[q.length];
        java.util.Arrays.fill(sigmaModel, 0.02);
        // a(θ) = (R/180 Å)^-2: a smaller sphere has the larger error
        ErrorAmplitude law = new ErrorAmplitude() {
            @Override
            public double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset) {
                double x = theta[offset + radius] / 180;
                if (gradient != null) {
                    java.util.Arrays.fill(gradient, gOffset, gOffset + parameters, 0.0);
                    gradient[gOffset + radius] = -2 / (x * x * x) / 180;
                }
                return 1 / (x * x);
            }

            @Override
            public String description() {
                return "(R/180)^-2";
            }
        };
        ModelError error = new ModelError(q, sigmaModel, 0.01, "test").withAmplitude(law);
        LogIntensityLikelihood loss = new LogIntensityLikelihood(q, problem.data().intensity(), problem.data().sigma(), 1.0,
                error);
        Reparameterization reparam = new Reparameterization(problem.space());
        FitObjective objective = new FitObjective(model, reparam, loss, null, 1, 4);
        int d = objective.dimension();
        Random r = new Random(17);
        int batch = 3;
        double[] u = new double[batch * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = 0.8 * r.nextGaussian();
        }
        int[] ids = {0, 1, 2};
        double[] values = new double[batch];
        double[] fused = new double[batch * d];
        objective.valueAndGradient(ids, u, batch, values, fused);
        double[] split = new double[batch * d];
        double[] again = new double[batch];
        objective.value(ids, u, batch, again);
        objective.gradient(ids, u, batch, split);
        boolean radiusMatters = false;
        for (int b = 0; b < batch; b++) {
            assertEquals(values[b], again[b], 1e-12 * Math.abs(values[b]));
            for (int j = 0; j < d; j++) {
                double h = 1e-6;
                double[] up = java.util.Arrays.copyOfRange(u, b * d, (b + 1) * d);
                double[] dn = up.clone();
                up[j] += h;
                dn[j] -= h;
                double[] fu = new double[1];
                double[] fdn = new double[1];
                objective.value(new int[] {5}, up, 1, fu);
                objective.value(new int[] {5}, dn, 1, fdn);
                double fd = (fu[0] - fdn[0]) / (2 * h);
                assertEquals(fd, fused[b * d + j], 1e-5 * Math.max(1, Math.abs(fd)), "fused d/du" + j + ", start " + b);
                assertEquals(fd, split[b * d + j], 1e-5 * Math.max(1, Math.abs(fd)), "split d/du" + j + ", start " + b);
            }
        }
        // the amplitude's own contribution is not negligible: without it the radius derivative differs
        LogIntensityLikelihood held = loss.at(objective.physical(ids, u, 1));
        FitObjective plain = new FitObjective(model, reparam, held, null, 1, 4);
        double[] v0 = new double[1];
        double[] g0 = new double[d];
        plain.valueAndGradient(new int[] {0}, java.util.Arrays.copyOf(u, d), 1, v0, g0);
        for (int j = 0; j < d; j++) {
            radiusMatters |= Math.abs(g0[j] - fused[j]) > 1e-3 * Math.max(1, Math.abs(fused[j]));
        }
        assertTrue(radiusMatters, "the direct gradient through the amplitude changes the objective's gradient");
        // and the physical-gradient path agrees with finite differences in θ
        double[] theta = objective.physical(ids, u, 1);
        double[] pv = new double[1];
        double[] pg = new double[p];
        objective.valueAndPhysicalGradient(theta, 1, pv, pg);
        double h = 1e-4;
        double[] up = theta.clone();
        double[] dn = theta.clone();
        up[radius] += h;
        dn[radius] -= h;
        double fd = (loss.value(up, model.evaluate(up)) - loss.value(dn, model.evaluate(dn))) / (2 * h);
        assertEquals(fd, pg[radius], 1e-5 * Math.max(1, Math.abs(fd)));
    }
}
