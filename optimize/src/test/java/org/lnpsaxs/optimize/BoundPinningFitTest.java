package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.multistart.Lbfgs;

/**
 * Bound pinning in a whole fit: a polydisperse sphere whose size distribution (CV 0.10) is
 * narrower than the box allows (CV ≥ 0.15), so the best fit lies on the box's edge. The fitter's
 * default L-BFGS pins the CV there exactly, ends at least as low as without pinning, and needs
 * fewer iterations for it.
 */
class BoundPinningFitTest {

    @Test
    void aBestFitOnTheBoxEdgeIsReachedExactlyAndSooner() {
        QGrid grid = QGrid.log(0.01, 0.25, 60);
        AnalyticFitModel fm = AnalyticFitModel.sphere();
        // scale, background, sld, sld_solvent, radius_mean, radius_cv
        double[] intensity = fm.bind(grid).model().evaluate(0.01, 1e-3, 1.0, 6.0, 150, 0.10);
        double[] sigma = new double[intensity.length];
        for (int k = 0; k < sigma.length; k++) {
            sigma[k] = 0.01 * intensity[k];
        }
        FitProblem problem = FitProblem.of(fm, ScatteringCurve.of(grid.values(), intensity, sigma).withSource("sphere, CV 0.10"))
                .withBounds("radius_cv", 0.15, 0.6);
        Fitter fitter = Fitter.defaults().withStarts(16).withFisher(false);
        FitResult pinned = fitter.fit(problem);
        FitResult unpinned = fitter.withOptimizer(Lbfgs.defaults().withBoundPinning(0)).fit(problem);
        assertEquals(Lbfgs.DEFAULT_PIN_AT, ((Lbfgs) pinned.optimizer()).pinAt());
        assertEquals(0.15, pinned.bestParameters().get("radius_cv"), 1e-12, "the CV on the box's lower edge");
        assertTrue(pinned.bestLoss() <= unpinned.bestLoss() * (1 + 1e-9),
                "best loss " + pinned.bestLoss() + " with pinning, " + unpinned.bestLoss() + " without");
        long withPins = Arrays.stream(pinned.steps()).sum();
        long without = Arrays.stream(unpinned.steps()).sum();
        assertTrue(withPins < without, "iterations " + withPins + " with pinning, " + without + " without");
    }
}
