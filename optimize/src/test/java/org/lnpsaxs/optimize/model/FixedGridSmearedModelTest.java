package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;

/**
 * {@link FixedGridSmearedModel}: a polydisperse sphere known on the paper's 300-point grid,
 * interpolated in ln I onto the calculation points and smeared, against the same sphere evaluated
 * at the calculation points directly; and its gradients against finite differences.
 */
class FixedGridSmearedModelTest {

    static final double[] THETA = {1, 0, 4, 1, 150, 0.1}; // scale, background, sld, sld_solvent, R, CV

    static ResolutionOperator operator() {
        return Pinhole.sasmodels(QGrid.log(0.01, 0.15, 50), 0.05);
    }

    @Test
    void interpolationErrorIsSmallAgainstDirectEvaluation() {
        ResolutionOperator op = operator();
        AnalyticFitModel sphere = AnalyticFitModel.sphere();
        // the same dispersion truncation for both: bind both to the same fitting grid's box
        DifferentiableModel onGrid = sphere.bind(QGrid.PAPER).model();
        DifferentiableModel direct = new SmearedModel(
                org.lnpsaxs.polydispersity.SasPolydisperseModel.of(sphere.formFactor(), op.qCalc().values(),
                        org.lnpsaxs.polydispersity.Dispersion.paper("radius", boxLower(), boxUpper())), op);
        double[] a = new FixedGridSmearedModel(onGrid, op).evaluate(THETA);
        double[] b = direct.evaluate(THETA);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] / b[i] - 1));
        }
        // the requirement: well below the noise of a measurement (>= 0.1 % for SAXS); measured
        // 2.0e-4 for this sphere (cubic Hermite in ln I on the 6.7e-4 1/Å grid, worst at the minima)
        assertEquals(0.0, max, 1e-3, "max relative interpolation error " + max);
    }

    private static double boxLower() {
        return AnalyticFitModel.radiusBox(QGrid.PAPER.min(), QGrid.PAPER.max())[0] / 3;
    }

    private static double boxUpper() {
        return AnalyticFitModel.radiusBox(QGrid.PAPER.min(), QGrid.PAPER.max())[1] * 3;
    }

    @Test
    void gradientsMatchFiniteDifferencesFusedAndPlain() {
        ResolutionOperator op = operator();
        FixedGridSmearedModel m = new FixedGridSmearedModel(AnalyticFitModel.sphere().bind(QGrid.PAPER).model(), op);
        int n = m.qSize();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.cos(0.3 * i) / m.evaluate(THETA)[i];
        }
        double[] plain = new double[THETA.length];
        m.vectorJacobianProduct(THETA, 1, w, plain);
        double[] fused = new double[THETA.length];
        ((FusedDifferentiableModel) m).evaluateAndBackpropagate(THETA, 1, new double[n],
                (in, rows, g) -> System.arraycopy(w, 0, g, 0, n), fused);
        for (int j : new int[] {0, 4, 5}) {
            double h = 1e-5 * Math.abs(THETA[j]);
            double[] up = THETA.clone();
            double[] down = THETA.clone();
            up[j] += h;
            down[j] -= h;
            double[] iu = m.evaluate(up);
            double[] id = m.evaluate(down);
            double fd = 0;
            for (int i = 0; i < n; i++) {
                fd += w[i] * (iu[i] - id[i]) / (2 * h);
            }
            assertEquals(fd, plain[j], 1e-6 * Math.abs(fd) + 1e-9, "parameter " + j);
            assertEquals(plain[j], fused[j], 1e-10 * Math.abs(plain[j]) + 1e-12, "fused, parameter " + j);
        }
    }

    @Test
    void calculationPointsOutsideTheGridAreRefused() {
        ResolutionOperator wide = Pinhole.sasmodels(QGrid.log(0.002, 0.15, 50), 0.05);
        assertThrows(IllegalArgumentException.class,
                () -> new FixedGridSmearedModel(AnalyticFitModel.sphere().bind(QGrid.PAPER).model(), wide));
    }
}
