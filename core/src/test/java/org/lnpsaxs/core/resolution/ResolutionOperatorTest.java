package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.SasModel;

/** Invariants of both pinhole operators, and {@link SmearedModel}. */
class ResolutionOperatorTest {

    static ResolutionOperator operator(boolean converged, boolean logGrid, double dqOverQ) {
        QGrid q = logGrid ? QGrid.log(0.001, 0.5, 60) : QGrid.linear(0.005, 0.3, 60);
        return converged ? Pinhole.converged(q, Pinhole.widths(q, dqOverQ), 6, 8) : Pinhole.sasmodels(q, dqOverQ);
    }

    @Property(tries = 40, seed = "20261204")
    void rowsAreNonNegativeAndSumToOne(@ForAll boolean converged, @ForAll boolean logGrid,
                                       @ForAll @DoubleRange(min = 0, max = 0.6) double dqOverQ) {
        ResolutionOperator op = operator(converged, logGrid, dqOverQ);
        double[] calc = op.qCalc().values();
        for (int j = 1; j < calc.length; j++) {
            assertTrue(calc[j] > calc[j - 1] && calc[0] >= 0, "q_calc ascending and >= 0");
        }
        for (int i = 0; i < op.outputSize(); i++) {
            double sum = 0;
            for (double w : op.rowWeights(i)) {
                assertTrue(w >= 0, "negative weight in row " + i);
                sum += w;
            }
            assertEquals(1.0, sum, 1e-14, "row " + i);
            int[] cols = op.rowColumns(i);
            for (int k = 1; k < cols.length; k++) {
                assertTrue(cols[k] > cols[k - 1], "columns of row " + i + " ascending and unique");
            }
        }
    }

    /** ⟨W x, y⟩ = ⟨x, Wᵀ y⟩ for random x, y; batched calls equal one-by-one calls. */
    @Property(tries = 40, seed = "20261204")
    void transposeIsTheAdjoint(@ForAll boolean converged, @ForAll boolean logGrid,
                               @ForAll @DoubleRange(min = 0.001, max = 0.6) @Scale(4) double dqOverQ,
                               @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll long seed) {
        ResolutionOperator op = operator(converged, logGrid, dqOverQ);
        Random rnd = new Random(seed);
        int m = op.calcSize();
        int n = op.outputSize();
        double[] x = new double[batch * m];
        double[] y = new double[batch * n];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextGaussian();
        }
        for (int k = 0; k < y.length; k++) {
            y[k] = rnd.nextGaussian();
        }
        double[] wx = new double[batch * n];
        double[] wty = new double[batch * m];
        java.util.Arrays.fill(wty, 123.0); // must be overwritten
        op.apply(x, batch, wx);
        op.applyTranspose(y, batch, wty);
        double lhs = 0;
        double rhs = 0;
        double scale = 0;
        for (int k = 0; k < wx.length; k++) {
            lhs += wx[k] * y[k];
            scale += Math.abs(wx[k] * y[k]);
        }
        for (int k = 0; k < wty.length; k++) {
            rhs += x[k] * wty[k];
        }
        assertEquals(lhs, rhs, 1e-13 * scale);
        for (int b = 0; b < batch; b++) {
            double[] one = op.apply(java.util.Arrays.copyOfRange(x, b * m, (b + 1) * m));
            assertArrayEquals(one, java.util.Arrays.copyOfRange(wx, b * n, (b + 1) * n), 0.0);
        }
    }

    @Test
    void smearedModelIsTheOperatorAppliedToTheInnerModel() {
        QGrid q = QGrid.log(0.002, 0.3, 50);
        ResolutionOperator op = Pinhole.sasmodels(q, 0.05);
        SasModel model = SasModel.coreShellSphere(q).with("radius", 200).with("thickness", 40)
                .with("sld_core", 10).with("sld_shell", 11).with("sld_solvent", 9.47);
        SmearedModel smeared = model.smeared(op);
        assertArrayEquals(q.values(), smeared.q(), 0.0);
        assertEquals(model.parameters(), smeared.parameters());
        double[] expected = op.apply(model.withGrid(op.qCalc()).evaluate());
        assertArrayEquals(expected, smeared.evaluate(model.values()), 0.0);
    }

    /** The smeared Jacobian is W times the inner Jacobian (both from batched one-hot VJPs). */
    @Test
    void smearedGradientIsTheTransposeAppliedToTheUpstreamGradient() {
        QGrid q = QGrid.log(0.002, 0.3, 30);
        ResolutionOperator op = Pinhole.converged(q, Pinhole.widths(q, 0.08), 4, 6);
        SasModel inner = SasModel.coreShellSphere(op.qCalc()).with("radius", 150).with("thickness", 25)
                .with("sld_core", 9).with("sld_shell", 11).with("sld_solvent", 9.47).with("scale", 0.3);
        SmearedModel smeared = new SmearedModel(inner, op);
        double[] theta = inner.values();
        int p = theta.length;
        double[][] js = jacobian(smeared, theta);
        double[][] ji = jacobian(inner, theta);
        for (int i = 0; i < q.size(); i++) {
            int[] cols = op.rowColumns(i);
            double[] w = op.rowWeights(i);
            for (int k = 0; k < p; k++) {
                double sum = 0;
                double abs = 0;
                for (int c = 0; c < cols.length; c++) {
                    sum += w[c] * ji[cols[c]][k];
                    abs += Math.abs(w[c] * ji[cols[c]][k]);
                }
                assertEquals(sum, js[i][k], 1e-12 * abs, "q=" + q.get(i) + " parameter " + k);
            }
        }
    }

    @Test
    void innerModelMustLiveOnTheCalculationGrid() {
        QGrid q = QGrid.log(0.002, 0.3, 30);
        ResolutionOperator op = Pinhole.sasmodels(q, 0.05);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmearedModel(SasModel.sphere(q), op));
        assertTrue(e.getMessage().contains("qCalc"), e.getMessage());
    }

    static double[][] jacobian(org.lnpsaxs.core.model.DifferentiableModel m, double[] theta) {
        int n = m.qSize();
        int p = theta.length;
        double[] thetas = new double[n * p];
        double[] oneHot = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(theta, 0, thetas, i * p, p);
            oneHot[i * n + i] = 1;
        }
        double[] g = new double[n * p];
        m.vectorJacobianProduct(thetas, n, oneHot, g);
        double[][] jac = new double[n][p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g, i * p, jac[i], 0, p);
        }
        return jac;
    }
}
