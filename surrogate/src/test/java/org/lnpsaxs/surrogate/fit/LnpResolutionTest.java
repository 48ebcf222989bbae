package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.model.FixedGridSmearedModel;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * The {@code lnp} model through a resolution: fitted at the measured q (no interpolation of the
 * data), only at the points whose kernel lies inside the surrogate's grid, the others counted.
 */
class LnpResolutionTest {

    static Surrogate surrogate;

    @BeforeAll
    static void load() {
        surrogate = StandInSurrogate.create(11);
    }

    @Test
    void pointsWhoseKernelLeavesTheGridAreLeftOutAndCounted() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        QGrid q = QGrid.log(0.0021, 0.199, 60);
        double[] dq = Pinhole.widths(q, 0.05);
        double[] intensity = new double[q.size()];
        java.util.Arrays.fill(intensity, 1.0);
        ScatteringCurve c = ScatteringCurve.of(q.values(), intensity, null, dq).withSource("lnp-dq.dat");
        FitProblem p = FitProblem.of(fm, c);
        assertEquals("pinhole", p.resolution().applied().geometry());
        assertFalse(p.data().interpolated(), "fitted at the measured q");
        int dropped = p.resolution().dropped();
        assertEquals(q.size(), p.model().qSize() + dropped);
        assertTrue(p.model() instanceof FixedGridSmearedModel);
        // the points kept are exactly those whose kernel [q - 2.5 dq, q + 3 dq] can be served by the
        // grid: every point at q in [0.002/(1-0.125), 0.1995/(1+0.15)] is kept, and at least the
        // ones beyond a data step of those limits are dropped
        QGrid g = fm.fixedGrid().orElseThrow();
        double lo = g.min() / (1 - 2.5 * 0.05);
        double hi = g.max() / (1 + 3 * 0.05);
        double[] kept = p.model().q();
        double step = Math.pow(0.199 / 0.0021, 1.0 / 59);
        for (int i = 0; i < q.size(); i++) {
            double qi = q.get(i);
            boolean isKept = java.util.Arrays.binarySearch(kept, qi) >= 0;
            if (qi >= lo && qi <= hi) {
                assertTrue(isKept, "q = " + qi + " kept");
            } else if (qi < lo / step || qi > hi * step) {
                assertFalse(isKept, "q = " + qi + " left out");
            }
        }
        // the model's intensities: positive, finite
        DifferentiableModel m = p.model();
        double[] lower = fm.defaultSpace(java.util.Map.of()).box().lowerBounds();
        double[] upper = fm.defaultSpace(java.util.Map.of()).box().upperBounds();
        double[] theta = new double[lower.length];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = 0.5 * (lower[j] + upper[j]);
        }
        for (double v : m.evaluate(theta)) {
            assertTrue(v > 0 && Double.isFinite(v));
        }
        ResolutionOperator op = p.resolution().applied().operator();
        assertEquals(kept.length, op.outputSize());
    }
}
