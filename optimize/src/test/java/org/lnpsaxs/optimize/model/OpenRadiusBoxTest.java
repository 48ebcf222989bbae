package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.loss.LossType;

/**
 * The analytic models' radius box follows q_min by default, and a fit problem opens it to any
 * size above 0 Å: the size distribution's truncation widens to [lower/3, 3·upper] of the opened
 * box (never narrows).
 */
class OpenRadiusBoxTest {

    /** q 0.005..0.02 1/Å: default box [π/0.02, π/0.005] Å, truncation a third below and 3 x above. */
    private static ScatteringCurve curve() {
        double[] q = QGrid.log(0.005, 0.02, 30).values();
        double[] i = new double[q.length];
        double[] s = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            i[k] = k == 15 ? -1e-3 : 1e-6 / Math.pow(q[k], 4);
            s[k] = 1e-3 + 0.01 * Math.abs(i[k]);
        }
        return ScatteringCurve.of(q, i, s);
    }

    private static Parameter domain(FitProblem p) {
        return p.model().parameters().get("radius_mean");
    }

    @Test
    void theBoundOpensTheBoxAndTheTruncationFollows() {
        FitProblem p = FitProblem.of(AnalyticFitModel.sphere(), curve());
        double lo = Math.PI / 0.02;
        double hi = Math.PI / 0.005;
        assertEquals(lo, p.space().box().get("radius_mean").lower(), 1e-9);
        assertEquals(hi, p.space().box().get("radius_mean").upper(), 1e-9);
        assertEquals(lo / 3, domain(p).lower(), 1e-9);
        assertEquals(3 * hi, domain(p).upper(), 1e-9);

        // narrowing keeps the model as it is
        FitProblem narrow = p.withBounds("radius_mean", 200, 400);
        assertSame(p.boundModel(), narrow.boundModel());

        // 2500 Å: beyond the old truncation (1885 Å); the truncation becomes [lo/3, 3 x 3000]
        FitProblem open = p.withBounds("radius_mean", 2000, 3000);
        assertEquals(2000, open.space().box().get("radius_mean").lower(), 0.0);
        assertEquals(3000, open.space().box().get("radius_mean").upper(), 0.0);
        assertEquals(lo / 3, domain(open).lower(), 1e-9);
        assertEquals(9000, domain(open).upper(), 1e-9);
        double[] theta = new double[open.space().size()];
        for (int j = 0; j < theta.length; j++) {
            Parameter b = open.space().box().get(j);
            theta[j] = open.space().isFixed(j) ? open.space().fixedValue(j) : 0.5 * (b.lower() + b.upper());
        }
        theta[open.model().parameters().indexOf("radius_mean")] = 2500;
        for (double v : open.model().evaluate(theta)) {
            assertTrue(Double.isFinite(v) && v > 0, "I = " + v);
        }

        // the scale-free loss drops the row with I <= 0: a new grid, bound again, still open
        FitProblem scaleFree = open.withLoss(LossType.SCALE_FREE);
        assertEquals(29, scaleFree.data().size());
        assertEquals(9000, domain(scaleFree).upper(), 1e-9);

        // a fixed mean outside the default box widens the truncation the same way
        assertEquals(12000, domain(p.withFixed("radius_mean", 4000)).upper(), 1e-9);
    }

    @Test
    void whatStaysRefusedSaysWhatTheRangeIs() {
        FitProblem p = FitProblem.of(AnalyticFitModel.sphere(), curve());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> p.withBounds("radius_mean", 0, 100));
        assertTrue(zero.getMessage().contains("radius_mean") && zero.getMessage().contains("(0, infinity)"),
                zero.getMessage());
        IllegalArgumentException cv = assertThrows(IllegalArgumentException.class,
                () -> p.withBounds("radius_cv", 0.01, 3));
        assertTrue(cv.getMessage().contains("radius_cv [0.01, 3]") && cv.getMessage().contains("[0.001, 2]")
                && cv.getMessage().contains("the range where the sphere model is defined"), cv.getMessage());
        assertFalse(cv.getMessage().contains("model's range"), cv.getMessage());
    }
}
