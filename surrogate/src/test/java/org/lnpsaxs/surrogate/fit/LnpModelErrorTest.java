package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.LossType;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.Surrogate;

/** The lnp model hands the surrogate's error model to the {@code loglik} likelihood. */
class LnpModelErrorTest {

    static ScatteringCurve data(LnpFitModel fm, int from, double relSigma) {
        DifferentiableModel m = fm.model();
        double[] curve = m.evaluate(LnpFitModelTest.truth(m.parameters()));
        double[] grid = fm.fixedGrid().orElseThrow().values();
        double[] q = Arrays.copyOfRange(grid, from, grid.length);
        double[] i = Arrays.copyOfRange(curve, from, curve.length);
        double[] s = Arrays.stream(i).map(v -> relSigma * v).toArray();
        return ScatteringCurve.of(q, i, s).withSource("lnp.dat");
    }

    @Test
    void theFitModelGivesTheSurrogatesErrorOnTheFittingGrid() {
        ErrorModel e = new ErrorModel("stand-in", 0.001, 0.02, 0.5, 0.003, Map.of("date", "2026-12-04"));
        ModelFile.Contents c = StandInSurrogate.contents(16, 11);
        Surrogate s = Surrogate.of(new ModelFile.Contents(c.metadata(), c.weights(), e));
        LnpFitModel fm = LnpFitModel.of(s);
        QGrid window = QGrid.of(Arrays.copyOfRange(fm.fixedGrid().orElseThrow().values(), 40, 300));
        ModelError me = fm.bind(window).modelError().orElseThrow();
        assertArrayEquals(window.values(), me.q(), 0);
        assertEquals(e.sigma(window.values()[10]), me.sigma()[10], 0);
        assertEquals(0.003, me.correlationLength(), 0);

        FitProblem p = FitProblem.of(fm, data(fm, 40, 0.01));
        assertEquals("chi2", p.loss().name(), "the default loss is unchanged");
        FitProblem l = p.withLoss("loglik");
        LogIntensityLikelihood lik = (LogIntensityLikelihood) l.loss();
        assertEquals(me, lik.modelError());
        assertTrue(lik.isLikelihood());
        // exact data: zero at the truth (the scale is profiled), positive elsewhere
        double[] truth = LnpFitModelTest.truth(l.model().parameters());
        assertEquals(0, lik.value(l.model().evaluate(truth)), 1e-18);
        truth[l.model().parameters().indexOf("radius_mean")] += 5;
        assertTrue(lik.value(l.model().evaluate(truth)) > 1);
        // without sigma the model's error alone makes the covariance
        FitProblem noSigma = FitProblem.of(fm, ScatteringCurve.of(data(fm, 40, 0.01).q(), data(fm, 40, 0.01).intensity()));
        assertEquals("scale-free", noSigma.loss().name(), "the default loss is unchanged");
        assertEquals(me, ((LogIntensityLikelihood) noSigma.withLoss("loglik").loss()).modelError());
    }

    @Test
    void aContrastDependentErrorIsHeldAtTheFitsOwnContrast() {
        ErrorModel e = new ErrorModel("stand-in", 0.001, 0.02, 0.5, 0.003, 0.7, 0.01, Map.of("date", "2026-12-04"));
        ModelFile.Contents c = StandInSurrogate.contents(16, 11);
        LnpFitModel fm = LnpFitModel.of(Surrogate.of(new ModelFile.Contents(c.metadata(), c.weights(), e)));
        FitProblem p = FitProblem.of(fm, data(fm, 40, 0.01)).withLoss("loglik");
        LogIntensityLikelihood live = (LogIntensityLikelihood) p.loss();
        assertTrue(live.dependsOnParameters());
        FitResult r = Fitter.defaults().withStarts(16).withFisher(false).fit(p);
        // the result's likelihood holds the error's size fixed, at the contrast of the fit (the data are exact,
        // so the pilot's best and the polished best share their contrast to the fit's precision)
        LogIntensityLikelihood held = (LogIntensityLikelihood) r.problem().loss();
        assertTrue(!held.dependsOnParameters());
        Map<String, Double> best = r.bestParameters();
        double expected = e.amplitude(best.get("GRF_shift"), best.get("relative_rho_shell"));
        assertEquals(expected, held.amplitudeReference(), 1e-3 * expected);
        double[] truth = LnpFitModelTest.truth(p.model().parameters());
        double atTruth = e.amplitude(truth[p.model().parameters().indexOf("GRF_shift")],
                truth[p.model().parameters().indexOf("relative_rho_shell")]);
        assertEquals(atTruth, held.amplitudeReference(), 1e-2 * atTruth, "best " + best + ", loss " + r.bestLoss());
        // the reported best loss is the held likelihood's r'C^-1 r (about 0 for exact data), not shifted by log-determinants
        assertTrue(r.bestLoss() >= 0 && r.bestLoss() < 1, "best loss " + r.bestLoss());
    }

    @Test
    void withoutAnErrorModelTheDataSigmaAloneEntersAndNoSigmaIsRefused() {
        LnpFitModel fm = LnpFitModel.of(StandInSurrogate.create(11));
        assertTrue(fm.bind(fm.fixedGrid().orElseThrow()).modelError().isEmpty());
        LogIntensityLikelihood lik = (LogIntensityLikelihood) FitProblem.of(fm, data(fm, 40, 0.01)).withLoss("loglik").loss();
        assertEquals(null, lik.modelError());
        ScatteringCurve bare = ScatteringCurve.of(data(fm, 40, 0.01).q(), data(fm, 40, 0.01).intensity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitProblem.of(fm, bare).withLoss("loglik"));
        assertTrue(e.getMessage().contains("error model"), e.getMessage());
    }

    @Test
    void aPosteriorOfAModelWithItsOwnErrorShouldSampleLoglik() {
        ErrorModel e = new ErrorModel("stand-in", 0.001, 0.02, 0.5, 0.003, Map.of("date", "2026-12-05"));
        ModelFile.Contents c = StandInSurrogate.contents(16, 11);
        LnpFitModel fm = LnpFitModel.of(Surrogate.of(new ModelFile.Contents(c.metadata(), c.weights(), e)));
        ScatteringCurve withSigma = data(fm, 40, 0.01);
        ScatteringCurve bare = ScatteringCurve.of(withSigma.q(), withSigma.intensity());
        for (ScatteringCurve curve : new ScatteringCurve[] {withSigma, bare}) {
            FitProblem p = FitProblem.of(fm, curve);
            assertEquals(java.util.Optional.of(LossType.LOGLIK), p.posteriorLikelihood());
            assertTrue(p.withLoss(LossType.LOGLIK).posteriorRefusal().isEmpty());
            String why = p.withLoss(LossType.SCALE_FREE).posteriorRefusal().orElseThrow();
            assertTrue(why.contains("scale-free") && why.contains("choose the loglik loss"), why);
        }
        // chi2 is a likelihood (not refused), though not the one to choose for this model
        assertTrue(FitProblem.of(fm, withSigma).posteriorRefusal().isEmpty());
        // without an error model the surrogate is taken as exact: chi2 where the data have sigma, nothing without
        LnpFitModel exact = LnpFitModel.of(StandInSurrogate.create(11));
        assertEquals(java.util.Optional.of(LossType.CHI2), FitProblem.of(exact, data(exact, 40, 0.01)).posteriorLikelihood());
        assertTrue(FitProblem.of(exact, bare).posteriorLikelihood().isEmpty());
    }

    @Test
    void aWrappedSurrogateTakesTheErrorModelItIsGiven() {
        ErrorModel e = new ErrorModel("stand-in", 0.001, 0.02, 0.5, 0.003, Map.of("date", "2026-12-05"));
        ModelFile.Contents c = StandInSurrogate.contents(16, 11);
        Surrogate s = Surrogate.of(new ModelFile.Contents(c.metadata(), c.weights(), e));
        DifferentiableModel wrapped = new DifferentiableModel() { // e.g. a surrogate corrected by the simulator
            @Override
            public org.lnpsaxs.core.model.ParameterSpace parameters() {
                return s.parameters();
            }

            @Override
            public double[] q() {
                return s.q();
            }

            @Override
            public int qSize() {
                return s.qSize();
            }

            @Override
            public void evaluate(double[] theta, int batch, double[] out) {
                s.evaluate(theta, batch, out);
            }

            @Override
            public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
                s.vectorJacobianProduct(theta, batch, dLdI, dLdTheta);
            }
        };
        QGrid window = QGrid.of(Arrays.copyOfRange(LnpFitModel.of(s).fixedGrid().orElseThrow().values(), 40, 300));
        ModelError own = LnpFitModel.of(s).bind(window).modelError().orElseThrow();
        LnpFitModel bare = LnpFitModel.of(wrapped);
        assertTrue(bare.bind(window).modelError().isEmpty(), "a model that is not a surrogate has no error of its own");
        LnpFitModel given = bare.withErrorModel(e);
        assertEquals(own, given.bind(window).modelError().orElseThrow());
        // kept by the copies
        assertEquals(own, given.withQuadrature(org.lnpsaxs.polydispersity.quadrature.Quadrature.PAPER).bind(window).modelError().orElseThrow());
        assertEquals(own.sigma()[5], given.withTruncation(101, 499).bind(window).modelError().orElseThrow().sigma()[5], 0);
        // so data without sigma can be fitted with loglik, which refused them before
        ScatteringCurve noSigma = ScatteringCurve.of(data(given, 40, 0.01).q(), data(given, 40, 0.01).intensity());
        assertThrows(IllegalArgumentException.class, () -> FitProblem.of(bare, noSigma).withLoss("loglik"));
        assertEquals(own, ((LogIntensityLikelihood) FitProblem.of(given, noSigma).withLoss("loglik").loss()).modelError());
    }

    @Test
    void theDefaultLnpModelShipsItsError() {
        LnpFitModel fm = LnpFitModel.of(Surrogate.loadDefault());
        ModelError me = fm.bind(fm.fixedGrid().orElseThrow()).modelError().orElseThrow();
        assertEquals(300, me.q().length);
        assertTrue(me.correlationLength() > 0);
    }
}
