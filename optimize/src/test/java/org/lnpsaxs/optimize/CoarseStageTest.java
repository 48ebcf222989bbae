package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.testing.WaveModel;

/**
 * The coarse first stage of a multi-start fit ({@link FitSettings#withCoarseStage}, off by default): the answer is
 * the model's own, not the approximation's; the starts left unpolished carry the model's loss at
 * their point; AdamW and a switched-off stage never use it.
 *
 * <p>The test model \( I(q) = e^{-aq}(2 + \cos wq) \) has many local minima in w; its coarse
 * approximation has the frequency off by 2 % (\( w \to 1.02\,w \)), so the approximation's best fit is
 * at \( w_0/1.02 \), not at the truth \( w_0 \) of noise-free data.
 */
class CoarseStageTest {

    private static final double[] Q = QGrid.linear(0.0, 1.0, 120).values();
    private static final double A = 1.0;
    private static final double W = 12.0;
    /** The coarse approximation's frequency factor. */
    private static final double OFF = 1.02;

    /** The test model; {@code factor} multiplies w (1: the model, {@link #OFF}: its approximation). */
    private static DifferentiableModel wave(double factor) {
        return WaveModel.of(Q, 30.0, factor);
    }

    /** A fit model of {@code model}, with {@code coarse} as its coarse approximation (or none). */
    private static FitModel fitModel(DifferentiableModel model, DifferentiableModel coarse) {
        return WaveModel.fitModel(model, coarse);
    }

    /** Noise-free data of the model at (A, W), 0.1 % sigma: the model's exact minimum is the truth, loss 0. */
    private static FitProblem problem(FitModel fm) {
        return WaveModel.problem(fm, wave(1), A, W);
    }

    private static Fitter fitter() {
        return Fitter.defaults().withStarts(48).withFisher(false).withThreads(2).withCoarseStage(true);
    }

    @Test
    void theAnswerIsTheModelsOwnMinimumNotTheApproximations() {
        FitResult approximation = fitter().withCoarseStage(false).fit(problem(fitModel(wave(OFF), null)));
        // the approximation alone fits w0/1.02 (so a fit that stopped after the first stage would be off)
        assertEquals(W / OFF, approximation.bestParameters().get("w"), 1e-4);

        FitResult staged = fitter().fit(problem(fitModel(wave(1), wave(OFF))));
        assertEquals(W, staged.bestParameters().get("w"), 1e-6);
        assertEquals(A, staged.bestParameters().get("a"), 1e-6);
        FitResult plain = fitter().withCoarseStage(false).fit(problem(fitModel(wave(1), wave(OFF))));
        assertEquals(plain.bestParameters().get("w"), staged.bestParameters().get("w"), 1e-6);
        assertTrue(staged.bestLoss() < 1e-6 && plain.bestLoss() < 1e-6, staged.bestLoss() + " / " + plain.bestLoss());
    }

    @Test
    void startsLeftUnpolishedCarryTheModelsLossAtTheirPoint() {
        FitProblem problem = problem(fitModel(wave(1), wave(OFF)));
        FitResult r = fitter().fit(problem);
        DifferentiableModel model = problem.model();
        int unpolished = 0;
        for (int s = 0; s < r.starts(); s++) {
            double[] curve = new double[model.qSize()];
            model.evaluate(r.parameters(s), 1, curve);
            double expected = problem.loss().value(curve);
            assertEquals(expected, r.loss(s), 1e-9 * Math.max(1, expected), "start " + s);
            if (r.steps()[s] == 0) {
                unpolished++;
                assertFalse(r.converged()[s], "an unpolished start is not converged on the model");
            }
        }
        // the landscape in w has many basins: some first-stage ends are far above the best
        assertTrue(unpolished > 0 && unpolished < r.starts(), unpolished + " of " + r.starts() + " unpolished");
        assertEquals(W, r.bestParameters().get("w"), 1e-6);
    }

    /**
     * A share of the starts (a portfolio): the first starts are exactly a plain fit of that many
     * starts (the same Sobol points, the same racing among them, checked against that fit); the last
     * ones went through the stage and carry the model's loss at their points.
     */
    @Test
    void aShareRunsTheFirstStartsOnTheModelAndTheLastOnesThroughTheStage() {
        FitProblem problem = problem(fitModel(wave(1), wave(OFF)));
        FitResult mixed = fitter().withStarts(32).withCoarseStage(0.25).fit(problem);
        assertEquals(32, mixed.starts());
        assertEquals(8, mixed.coarseStageStarts());
        assertEquals(8, org.lnpsaxs.optimize.report.FitReport.toJson(mixed).get("convergence").get("coarse_stage_starts")
                .asInt());
        FitResult plain = fitter().withStarts(24).withCoarseStage(false).fit(problem);
        for (int s = 0; s < 24; s++) {
            assertEquals(plain.loss(s), mixed.loss(s), 0.0, "start " + s + " on the model");
            assertEquals(plain.steps()[s], mixed.steps()[s], "start " + s + " on the model");
            assertEquals(plain.converged()[s], mixed.converged()[s], "start " + s + " on the model");
        }
        // the staged part: every start carries the model's loss at its point, and some were polished
        FitResult staged = fitter().withStarts(32).withCoarseStage(1.0).fit(problem);
        int unpolished = 0;
        for (int s = 24; s < 32; s++) {
            double[] curve = new double[problem.model().qSize()];
            problem.model().evaluate(mixed.parameters(s), 1, curve);
            assertEquals(problem.loss().value(curve), mixed.loss(s), 1e-9 * Math.max(1, mixed.loss(s)), "start " + s);
            unpolished += mixed.steps()[s] == 0 ? 1 : 0;
        }
        assertTrue(unpolished < 8, unpolished + " of 8 staged starts unpolished");
        assertEquals(W, mixed.bestParameters().get("w"), 1e-6);
        assertEquals(0, plain.coarseStageStarts());
        assertEquals(32, staged.coarseStageStarts());
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FitSettings.defaults().withCoarseStage(1.5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FitSettings.defaults().withCoarseStage(-0.1));
        assertEquals(0.5, FitSettings.defaults().withCoarseStage(0.5).coarseShare(), 0.0);
        assertTrue(FitSettings.defaults().withCoarseStage(0.5).coarseStage());
    }

    @Test
    void theStageIsOffByDefault() {
        assertFalse(FitSettings.defaults().coarseStage());
    }

    @Test
    void adamwAndASwitchedOffStageRunOnTheModelAlone() {
        // a "coarse" approximation that is useless (frequency 1.5 x): a fit that used it would end elsewhere
        FitProblem problem = problem(fitModel(wave(1), wave(1.5)));
        FitResult plain = fitter().withCoarseStage(false).fit(problem);
        FitResult reference = fitter().fit(problem(fitModel(wave(1), null)));
        assertEquals(reference.bestLoss(), plain.bestLoss(), 0.0);
        for (int s = 0; s < plain.starts(); s++) {
            assertEquals(reference.loss(s), plain.loss(s), 0.0, "start " + s);
        }
        FitResult adam = fitter().withStarts(8).withOptimizer(AdamW.paper().withSteps(50)).fit(problem);
        FitResult adamReference = fitter().withStarts(8).withOptimizer(AdamW.paper().withSteps(50))
                .fit(problem(fitModel(wave(1), null)));
        for (int s = 0; s < adam.starts(); s++) {
            assertEquals(adamReference.loss(s), adam.loss(s), 0.0, "AdamW start " + s);
        }
    }
}
