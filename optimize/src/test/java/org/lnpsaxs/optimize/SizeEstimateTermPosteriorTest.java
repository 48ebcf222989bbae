package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.identifiability.FisherInformation;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.loss.SizeEstimateTerm;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.posterior.Chain;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;

/**
 * A posterior under a model error with a size-estimate term samples the likelihood with the term
 * applied at the best fit: every draw's recorded loss is that likelihood's value at the draw (up to
 * one constant), not the value without the term. And the term does what theory says: where the
 * model error dominates the covariance (the data's σ a thousand times smaller), Woodbury's identity
 * gives the Gaussian (Laplace) covariance of the two size parameters as f times the one without the
 * term (\( V' = V + (f - 1)V S^T V_{BB}^{-1} S V \)), so their standard errors scale by √f.
 */
class SizeEstimateTermPosteriorTest {

    private final FitProblem base;
    private final DifferentiableModel model;
    private final int location;
    private final int width;
    private final double[] q;
    private final double[] data;
    private final double[] sigma;
    private final ModelError error;

    SizeEstimateTermPosteriorTest() {
        FitModel sphere = AnalyticFitModel.sphere();
        double[][] syn = FitterTest.synthetic(sphere, FitterTest.sphereTruth());
        base = FitterTest.problem(sphere, "sphere", syn[0], syn[1]);
        model = base.model();
        location = model.parameters().indexOf("radius_mean");
        width = model.parameters().indexOf("radius_cv");
        q = base.data().q();
        data = base.data().intensity();
        sigma = new double[q.length];
        double[] sigmaModel = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            sigma[i] = 2e-5 * data[i];
            sigmaModel[i] = 0.02;
        }
        error = new ModelError(q, sigmaModel, 0.01, "test error");
    }

    @Test
    void theDrawsAreScoredByTheLikelihoodWithTheTermAppliedAtTheBestFit() {
        // the truth's radius_cv 0.12 against a reference width of 0.24: f near (1/2)^-2 = 4
        LogIntensityLikelihood lik = new LogIntensityLikelihood(q, data, sigma, 1.0,
                error.withSizeEstimates(new SizeEstimateTerm(location, width, 0.24, 2)));
        FitResult r = Fitter.defaults().withStarts(8).withFisher(false).withThreads(2)
                .withPosterior(PosteriorSettings.defaults().withMaxSteps(40_000)).fit(base.withLoss(lik));
        FitPosterior p = r.posterior();
        assertTrue(p.converged(), () -> p.reason());
        double[] best = full(r.bestParameters());
        FitSpace space = r.problem().space();
        LogIntensityLikelihood withTerm = lik.withSizeEstimateTerm(best, model.evaluate(best),
                FisherInformation.boxScaledJacobian(model, best, space, 1), space.freeIndices());
        double f = withTerm.sizeEstimateFactor().getAsDouble();
        assertEquals(Math.pow(best[width] / 0.24, -2), f, 1e-12);
        assertTrue(p.likelihood().note().contains(String.format(Locale.ROOT, "%.4g", f))
                && p.likelihood().note().contains("size-estimate term"), p.likelihood().note());
        assertEquals(f, p.likelihood().sizeEstimateFactor(), 0.0);
        try {
            com.fasterxml.jackson.databind.JsonNode likelihood = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    org.lnpsaxs.optimize.report.FitReport.toJsonString(r)).path("posterior").path("likelihood");
            assertEquals(f, likelihood.path("size_estimate_factor").asDouble(), 0.0, likelihood.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }

        // recorded −2 ln L minus each likelihood's value, over draws spread along the chain
        Chain c = p.chain();
        double[] lp = c.logDensities();
        int draws = 60;
        double[] dTerm = new double[draws];
        double[] dPlain = new double[draws];
        double[] v = new double[1];
        for (int k = 0; k < draws; k++) {
            int s = (int) ((long) k * (c.steps() - 1) / (draws - 1));
            int w = k % c.walkers();
            double[] theta = best.clone();
            for (int j = 0; j < c.names().size(); j++) {
                theta[model.parameters().indexOf(c.names().get(j))] = c.get(s, w, j);
            }
            double[] curve = model.evaluate(theta);
            double recorded = -2 * p.likelihood().inflation() * lp[s * c.walkers() + w];
            withTerm.evaluate(curve, 1, v, null);
            dTerm[k] = v[0] - recorded;
            lik.evaluate(curve, 1, v, null);
            dPlain[k] = v[0] - recorded;
        }
        assertTrue(sd(dTerm) < 1e-6, "the draws are scored by the term's likelihood: sd " + sd(dTerm));
        assertTrue(sd(dPlain) > 0.1, "and not by the likelihood without it: sd " + sd(dPlain));
    }

    @Test
    void theSizeParametersStandardErrorsScaleByTheSquareRootOfTheFactor() {
        LogIntensityLikelihood plain = new LogIntensityLikelihood(q, data, sigma, 1.0, error);
        FitResult r = Fitter.defaults().withStarts(8).withFisher(false).withThreads(2).fit(base.withLoss(plain));
        double[] best = full(r.bestParameters());
        FitSpace space = r.problem().space();
        double[][] jac = FisherInformation.boxScaledJacobian(model, best, space, 1);
        FisherInformation none = FisherInformation.at(model, plain, best, space, 1);
        for (double reference : new double[] {0.24, 0.06}) {
            LogIntensityLikelihood lik = new LogIntensityLikelihood(q, data, sigma, 1.0,
                    error.withSizeEstimates(new SizeEstimateTerm(location, width, reference, 2)));
            LogIntensityLikelihood withTerm = lik.withSizeEstimateTerm(best, model.evaluate(best), jac, space.freeIndices());
            double f = withTerm.sizeEstimateFactor().getAsDouble();
            FisherInformation term = FisherInformation.at(model, withTerm, best, space, 1);
            for (String name : new String[] {"radius_mean", "radius_cv"}) {
                // exact for C = E; the data's variance, 10⁻⁶ of the error's per point, moves it by less than that
                assertEquals(Math.sqrt(f), term.standardError(name) / none.standardError(name), 2e-3 * Math.sqrt(f),
                        name + " at f = " + f);
            }
        }
    }

    private double[] full(Map<String, Double> parameters) {
        double[] theta = new double[model.parameters().size()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = parameters.get(model.parameters().get(j).name());
        }
        return theta;
    }

    private static double sd(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v / x.length;
        }
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
