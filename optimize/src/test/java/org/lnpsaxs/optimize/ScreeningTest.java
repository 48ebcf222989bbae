package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.testing.WaveModel;

/**
 * Screened starts ({@link FitSettings#withScreening}): the optimiser starts from the lowest-loss
 * points of {@code factor × starts} Sobol candidates. The test model \( I(q) = e^{-aq}(2 + \cos wq) \)
 * has a local minimum in w every unit or so.
 */
class ScreeningTest {

    private static final double[] Q = QGrid.linear(0.0, 5.0, 400).values();
    private static final double A = 1.0;
    private static final double W = 12.0;

    private static final DifferentiableModel WAVE = WaveModel.of(Q, 60.0, 1.0);

    /** Noise-free data at (A, W), 0.1 % σ: the exact minimum is the truth, loss 0. */
    private static FitProblem problem() {
        return WaveModel.problem(WaveModel.fitModel(WAVE, null), WAVE, A, W);
    }

    private static Fitter fitter(int starts) {
        return Fitter.defaults().withStarts(starts).withFisher(false).withThreads(2);
    }

    /** The losses of the first {@code n} Sobol starting points, scored here by the model and the loss directly. */
    private static double[] candidateLosses(FitProblem problem, int n) {
        double[] theta = Starts.physical(problem.space(), n, FitSettings.DEFAULT_SEED, Starts.DEFAULT_SHRINK);
        double[] losses = new double[n];
        double[] curve = new double[Q.length];
        for (int s = 0; s < n; s++) {
            WAVE.evaluate(Arrays.copyOfRange(theta, 2 * s, 2 * s + 2), 1, curve);
            losses[s] = problem.loss().value(curve);
        }
        return losses;
    }

    /**
     * After one L-BFGS iteration (which never raises a start's loss) every screened start lies at or
     * below the 16th lowest loss of the 128 candidates, so the starts were the 16 lowest; unscreened,
     * the first 16 Sobol points do not.
     */
    @Test
    void theStartsAreTheLowestLossCandidates() {
        FitProblem problem = problem();
        double[] sorted = candidateLosses(problem, 128);
        Arrays.sort(sorted);
        double sixteenth = sorted[15];
        Fitter oneStep = fitter(16).withOptimizer(Lbfgs.defaults().withMaxIterations(1));
        FitResult screened = oneStep.withScreening(8).fit(problem);
        for (int s = 0; s < 16; s++) {
            assertTrue(screened.loss(s) <= sixteenth * (1 + 1e-12), "start " + s + ": " + screened.loss(s) + " > "
                    + sixteenth);
        }
        assertEquals(8, screened.screening());
        assertEquals(8, org.lnpsaxs.optimize.report.FitReport.toJson(screened).get("convergence").get("screening").asInt());
        FitResult plain = oneStep.fit(problem);
        assertEquals(1, plain.screening());
        // the 128 screening passes are counted with the optimiser's forward evaluations (one iteration
        // of 16 starts takes far fewer than 128 on its own)
        assertTrue(plain.evaluations() < 128, "one iteration: " + plain.evaluations());
        assertTrue(screened.evaluations() >= 128 + 16, "screened: " + screened.evaluations());
        assertTrue(Arrays.stream(plain.losses()).max().getAsDouble() > sixteenth,
                "unscreened, some first Sobol point lies above the screened threshold");
    }

    /** A factor of 1 screens nothing: the fit is the unscreened one, bit for bit. */
    @Test
    void factorOneIsNoScreening() {
        FitProblem problem = problem();
        FitResult plain = fitter(12).fit(problem);
        FitResult one = fitter(12).withScreening(1).fit(problem);
        assertArrayEquals(plain.losses(), one.losses(), 0.0);
        assertArrayEquals(plain.theta(), one.theta(), 0.0);
    }

    /** The same seed gives the same screened fit; another seed screens other candidates. */
    @Test
    void theSameSeedGivesTheSameScreenedFit() {
        FitProblem problem = problem();
        FitResult one = fitter(4).withScreening(16).fit(problem);
        assertArrayEquals(one.theta(), fitter(4).withScreening(16).fit(problem).theta(), 0.0);
        assertEquals(W, one.bestParameters().get("w"), 1e-6);
        FitResult other = fitter(4).withScreening(16).withSeed(7).fit(problem);
        assertTrue(!Arrays.equals(one.theta(), other.theta()), "another seed, other starts");
    }

    @Test
    void aFactorBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FitSettings.defaults().withScreening(0));
        assertEquals(4, FitSettings.defaults().withScreening(4).screening());
        assertEquals(1, FitSettings.defaults().screening());
    }
}
