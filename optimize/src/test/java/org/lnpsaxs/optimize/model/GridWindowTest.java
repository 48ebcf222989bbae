package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;

/** A window onto a fixed-grid model gives exactly the columns of the full model, forward and reverse. */
class GridWindowTest {

    static final double[] FULL = QGrid.linear(0.002, 0.2, 60).values();
    static final SasPolydisperseModel MODEL = SasPolydisperseModel.of(FormFactors.byName("sphere"), FULL,
            Dispersion.paper("radius", 50, 600));
    static final double[] THETA = {1, 0, 1, 6, 200, 0.1, 0.5, 0, 1, 6, 150, 0.2};

    @Test
    void forwardAndReverseAreTheFullModelsColumns() {
        int from = 7;
        int n = 30;
        DifferentiableModel w = GridWindow.of(MODEL, QGrid.of(Arrays.copyOfRange(FULL, from, from + n)));
        assertTrue(w instanceof FusedDifferentiableModel, "a fused model stays fused");
        double[] full = new double[2 * FULL.length];
        MODEL.evaluate(THETA, 2, full);
        double[] out = new double[2 * n];
        w.evaluate(THETA, 2, out);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(Arrays.copyOfRange(full, b * FULL.length + from, b * FULL.length + from + n),
                    Arrays.copyOfRange(out, b * n, (b + 1) * n), 0.0);
        }
        double[] g = new double[2 * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sin(0.7 * i);
        }
        double[] padded = new double[2 * FULL.length];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(g, b * n, padded, b * FULL.length + from, n);
        }
        double[] expect = new double[THETA.length];
        MODEL.vectorJacobianProduct(THETA, 2, padded, expect);
        double[] got = new double[THETA.length];
        w.vectorJacobianProduct(THETA, 2, g, got);
        assertArrayEquals(expect, got, 0.0);
        double[] fusedOut = new double[2 * n];
        double[] fusedGrad = new double[THETA.length];
        ((FusedDifferentiableModel) w).evaluateAndBackpropagate(THETA, 2, fusedOut,
                (intensity, rows, dLdI) -> System.arraycopy(g, 0, dLdI, 0, rows * n), fusedGrad);
        assertArrayEquals(out, fusedOut, 0.0);
        assertArrayEquals(expect, fusedGrad, 1e-12 * Arrays.stream(expect).map(Math::abs).max().orElse(1));
    }

    @Test
    void theWholeGridIsTheModelItselfAndOtherGridsAreRefused() {
        assertSame(MODEL, GridWindow.of(MODEL, QGrid.of(FULL)));
        assertThrows(IllegalArgumentException.class, () -> GridWindow.of(MODEL, QGrid.of(0.0021, 0.01)));
        assertThrows(IllegalArgumentException.class, () -> GridWindow.of(MODEL, QGrid.of(FULL[3], FULL[5])));
    }
}
