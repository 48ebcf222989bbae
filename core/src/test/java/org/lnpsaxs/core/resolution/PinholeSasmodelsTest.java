package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.testing.SasmodelsReference;

/** sasmodels' pinhole algorithm: its calculation grid and its weights. */
class PinholeSasmodelsTest {

    static List<String> pinholeCases() {
        return SasmodelsReference.caseNames().stream()
                .filter(c -> SasmodelsReference.load(c).resolution().equals("pinhole")).toList();
    }

    @Test
    void thereIsAPinholeCase() {
        assertTrue(pinholeCases().contains("css_lnp_pdR_schulz_res5_log"), pinholeCases().toString());
    }

    /** The count and range of sasmodels' q_calc (header: 209 points, 0.000875 .. 0.575 for the log grid). */
    @ParameterizedTest
    @MethodSource("pinholeCases")
    void calculationGridIsSasmodels(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        QGrid q = QGrid.of(ref.q());
        ResolutionOperator op = Pinhole.sasmodels(q, ref.dqOverQ());
        double[] range = ref.qCalcRange();
        assertEquals(ref.qCalcPoints(), Pinhole.sasmodelsQCalc(q, Pinhole.widths(q, ref.dqOverQ())).length);
        assertEquals(ref.qCalcPoints(), op.calcSize());
        assertEquals(range[0], op.qCalc().min(), 0.0);
        assertEquals(range[1], op.qCalc().max(), 0.0);
    }

    @Test
    void theLogGridGetsNinePointsMore() {
        ResolutionOperator op = Pinhole.sasmodels(QGrid.log(0.001, 0.5, 200), 0.05);
        assertEquals(209, op.calcSize());
        assertEquals(0.000875, op.qCalc().min(), 1e-18);
        assertEquals(0.575, op.qCalc().max(), 1e-15);
    }

    @Test
    void denseGeometricGridIsTheGenerators() {
        SasmodelsReference ref = SasmodelsReference.load("css_lnp_pdR_schulz_res5dense_log");
        QGrid q = QGrid.of(ref.q());
        double[] calc = Pinhole.geometricQCalc(q, Pinhole.widths(q, ref.dqOverQ()), 1000);
        assertEquals(ref.qCalcPoints(), calc.length);
        assertEquals(ref.qCalcRange()[0], calc[0], 0.0);
        assertEquals(ref.qCalcRange()[1], calc[calc.length - 1], 0.0);
    }

    /**
     * A case small enough to follow the README's steps by hand: q = (1, 2) Å⁻¹, dq = 0.4 Å⁻¹.
     * q_min = 0, q_max = 3.2; one point below ([0], then dropped as |0| &lt; 0.02), two above
     * (2.6, 3.2); q_calc = (1, 2, 2.6, 3.2), edges (0.5, 1.5, 2.3, 2.9, 3.5).
     */
    @Test
    void weightsFollowTheReadmeStepByStep() {
        QGrid q = QGrid.of(1.0, 2.0);
        double[] dq = {0.4, 0.4};
        double[] calc = Pinhole.sasmodelsQCalc(q, dq);
        assertArrayEquals(new double[] {1, 2, 2.6, 3.2}, calc, 1e-15);
        ResolutionOperator op = Pinhole.sasmodels(q, dq);
        double s = Math.sqrt(2) * 0.4;
        // row q=1: window [0, 2.2] holds 1 and 2
        double a = Erf.erf((1.5 - 1) / s) - Erf.erf((0.5 - 1) / s);
        double b = Erf.erf((2.3 - 1) / s) - Erf.erf((1.5 - 1) / s);
        assertArrayEquals(new int[] {0, 1}, op.rowColumns(0));
        assertArrayEquals(new double[] {a / (a + b), b / (a + b)}, op.rowWeights(0), 1e-15);
        // row q=2: window [1, 3.2] holds all four
        double[] e = {0.5, 1.5, 2.3, 2.9, 3.5};
        double[] w = new double[4];
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            w[j] = Erf.erf((e[j + 1] - 2) / s) - Erf.erf((e[j] - 2) / s);
            sum += w[j];
        }
        for (int j = 0; j < 4; j++) {
            w[j] /= sum;
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, op.rowColumns(1));
        assertArrayEquals(w, op.rowWeights(1), 1e-15);
    }

    /**
     * Broad resolution: q = (1, 2), dq = 0.8. q_calc = (-1, [0 dropped], 1, 2, 2.8, 3.6, 4.4) with
     * edges (-2, 0, 1.5, 2.4, 3.2, 4.0, 4.8); sasmodels keeps q_calc = -1, weights it with the
     * signed edges and evaluates the model at |-1| = 1, so its weight joins that of q_calc = 1.
     */
    @Test
    void negativeCalculationPointsFoldOntoTheirAbsoluteValue() {
        QGrid q = QGrid.of(1.0, 2.0);
        double[] dq = {0.8, 0.8};
        assertArrayEquals(new double[] {-1, 1, 2, 2.8, 3.6, 4.4}, Pinhole.sasmodelsQCalc(q, dq), 1e-15);
        ResolutionOperator op = Pinhole.sasmodels(q, dq);
        assertArrayEquals(new double[] {1, 2, 2.8, 3.6, 4.4}, op.qCalc().values(), 1e-15);
        double s = Math.sqrt(2) * 0.8;
        double[] e = {-2, 0, 1.5, 2.4, 3.2, 4.0, 4.8};
        // row q=1: window [-1, 3.4] holds -1, 1, 2, 2.8
        double[] w = new double[4];
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            w[j] = Erf.erf((e[j + 1] - 1) / s) - Erf.erf((e[j] - 1) / s);
            sum += w[j];
        }
        assertArrayEquals(new int[] {0, 1, 2}, op.rowColumns(0));
        assertArrayEquals(new double[] {(w[0] + w[1]) / sum, w[2] / sum, w[3] / sum}, op.rowWeights(0), 1e-15);
    }

    @Test
    void zeroWidthIsTheIdentity() {
        QGrid q = QGrid.linear(0.01, 0.1, 10);
        ResolutionOperator op = Pinhole.sasmodels(q, 0.0);
        assertEquals(10, op.calcSize());
        double[] x = new double[10];
        for (int i = 0; i < 10; i++) {
            x[i] = 1.0 / (1 + i);
        }
        assertArrayEquals(x, op.apply(x), 1e-15);
    }

    @Test
    void badInputIsRefused() {
        QGrid q = QGrid.linear(0.01, 0.1, 10);
        assertThrows(IllegalArgumentException.class, () -> Pinhole.sasmodels(q, -0.1));
        assertThrows(IllegalArgumentException.class, () -> Pinhole.sasmodels(q, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Pinhole.sasmodels(q, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> Pinhole.sasmodels(QGrid.of(0.1), 0.05));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pinhole.sasmodels(q, Pinhole.widths(q, 0.05), new double[] {0.5, 0.6}));
        assertTrue(e.getMessage().contains("does not cover"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pinhole.converged(q, Pinhole.widths(q, 0.05), 0, 8));
        assertThrows(IllegalArgumentException.class, () -> Pinhole.converged(q, Pinhole.widths(q, 0.05), 4, 0));
    }
}
