package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;

/**
 * The {@code loglik} likelihood on an analytic model (no model error): with 1 % Gaussian noise
 * and σ = 1 % of I it is the Gaussian likelihood of the data to first order, so the fit's reduced
 * χ² is about 1 and its Fisher standard errors agree with those of the χ² fit of the same data.
 */
class LogLikelihoodFitTest {

    @Test
    void analyticModelFitGivesAReducedChiSquareNearOneAndTheChiSquareStandardErrors() {
        FitModel fm = AnalyticFitModel.sphere();
        Map<String, Double> truth = FitterTest.sphereTruth();
        double[][] d = FitterTest.synthetic(fm, truth, 0);
        Random rnd = new Random(20261204L);
        for (int k = 0; k < d[0].length; k++) {
            d[0][k] *= 1 + 0.01 * rnd.nextGaussian();
        }
        FitProblem data = FitterTest.problem(fm, "sphere.dat", d[0], d[1]);
        // the χ² without a background: the same nuisance (the scale) as loglik
        FitProblem chi2 = data.withLoss(new ChiSquaredLoss(data.data().intensity(), data.data().sigma(), false, 1.0));
        FitProblem lik = data.withLoss("loglik");
        assertTrue(lik.loss() instanceof LogIntensityLikelihood);
        assertEquals(null, ((LogIntensityLikelihood) lik.loss()).modelError(), "analytic models carry no model error");
        FitResult r = Fitter.defaults().withStarts(16).fit(lik);
        FitResult c = Fitter.defaults().withStarts(16).fit(chi2);
        // 80 points, 2 free parameters and the scale: chi2_77 / 77 has a standard deviation of 0.16
        assertNotNull(r.reducedChi2());
        assertTrue(r.reducedChi2() > 0.5 && r.reducedChi2() < 1.6, "reduced chi2 " + r.reducedChi2());
        for (String name : new String[] {"radius_mean", "radius_cv"}) {
            Double se = r.identifiability().fisher().standardError(name);
            Double seChi2 = c.identifiability().fisher().standardError(name);
            assertNotNull(se, name);
            assertEquals(seChi2, se, 0.1 * seChi2, name + " Fisher SE, loglik vs chi2");
            assertEquals(truth.get(name), r.bestParameters().get(name), 4 * se, name);
            assertEquals(c.bestParameters().get(name), r.bestParameters().get(name), se, name + " loglik vs chi2 best fit");
        }
    }
}
