package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.simulator.RadialAverage;

class RadialOperatorTest {

    /** A smooth even test function with structure on the scale of a 150 Å particle. */
    private static final DoubleUnaryOperator F = x -> Math.exp(-(x / 0.06) * (x / 0.06)) * (1.2 + Math.cos(150 * x));

    private static void checkAgainstPixels(double[] q, double voxel, int plane) {
        RadialOperator op = RadialOperator.of(q, voxel, plane, 1);
        double[] f = new double[op.nodes()];
        for (int n = 0; n < f.length; n++) {
            f[n] = F.applyAsDouble(op.firstNode() + n * op.spacing());
        }
        double[] out = new double[q.length];
        op.apply(f, out, new double[Math.max(q.length, op.nodes())]);
        double[] ref = PixelSums.average(q, voxel, plane, F);
        for (int j = 0; j < q.length; j++) {
            assertEquals(ref[j], out[j], 1e-6 * Math.abs(ref[j]) + 1e-14, "q = " + q[j]);
        }
    }

    @Test
    void paperGridMatchesThePixelSums() {
        checkAgainstPixels(QGrid.PAPER.values(), 5.0, 1024);
    }

    @Test
    void coarseAndNonUniformGridsMatchThePixelSums() {
        checkAgainstPixels(QGrid.linear(0.002, 0.2, 40).values(), 5.0, 1024);
        checkAgainstPixels(QGrid.log(0.003, 0.15, 60).values(), 5.0, 1024);
        checkAgainstPixels(QGrid.linear(0.004, 0.08, 50).values(), 10.0, 512);
    }

    @Test
    void transposeIsTheAdjoint() {
        for (double[] q : new double[][] {QGrid.PAPER.values(), QGrid.log(0.003, 0.15, 60).values()}) {
            RadialOperator op = RadialOperator.of(q, 5.0, 1024, 1);
            SplittableRandom r = new SplittableRandom(3);
            double[] f = new double[op.nodes()];
            double[] y = new double[q.length];
            for (int n = 0; n < f.length; n++) {
                f[n] = r.nextGaussian();
            }
            for (int j = 0; j < y.length; j++) {
                y[j] = r.nextGaussian();
            }
            double[] tmp = new double[Math.max(q.length, op.nodes())];
            double[] mf = new double[q.length];
            op.apply(f, mf, tmp);
            double[] mty = new double[op.nodes()];
            op.applyTranspose(y, mty, tmp);
            double a = 0;
            double b = 0;
            for (int j = 0; j < y.length; j++) {
                a += y[j] * mf[j];
            }
            for (int n = 0; n < f.length; n++) {
                b += mty[n] * f[n];
            }
            assertEquals(a, b, 1e-12 * (Math.abs(a) + 1));
        }
    }

    private static final double[][] PINNED_GRIDS = {QGrid.PAPER.values(), QGrid.linear(0.002, 0.2, 40).values(),
        logspaceAsPinned(0.003, 0.15, 60), QGrid.linear(0.004, 0.08, 50).values()};

    /**
     * The log grid as {@code QGrid.log} built it when the values were pinned (numpy's logspace:
     * 10^(a + i·step)); QGrid.log now hits its end points exactly, which moves interior points by
     * an ulp or so, and the pinned values are of the operator, not of the grid.
     */
    private static double[] logspaceAsPinned(double min, double max, int n) {
        double a = Math.log10(min);
        double step = (Math.log10(max) - a) / (n - 1);
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = Math.pow(10.0, a + i * step);
        }
        return q;
    }
    private static final double[] PINNED_VOXELS = {5, 5, 5, 10};
    private static final int[] PINNED_PLANES = {1024, 1024, 1024, 512};

    /**
     * The operator on four grids (diagonal and row storage) as it was before it was built on
     * core's {@link RadialAverage}: structure, {@code apply} of F and {@code applyTranspose} of
     * cos(j) equal to 1e-15 of the largest value (they were bit-identical when the change was
     * made). The shipped surrogate model was trained with this operator.
     */
    @Test
    void matchesTheValuesPinnedBeforeTheSharedAverage() {
        Map<String, double[]> pinned = Pinned.read("pinned-operator-4da5d55.txt");
        for (int g = 0; g < PINNED_GRIDS.length; g++) {
            double[] q = PINNED_GRIDS[g];
            RadialOperator op = RadialOperator.of(q, PINNED_VOXELS[g], PINNED_PLANES[g], 1);
            double[] meta = pinned.get("op" + g + ".meta");
            assertEquals(meta[0], op.nodes(), "nodes, grid " + g);
            assertEquals(meta[1], op.spacing(), 0.0, "spacing, grid " + g);
            assertEquals(meta[2], op.firstNode(), 0.0, "first node, grid " + g);
            assertEquals(meta[3], op.entries(), "entries, grid " + g);
            double[] f = new double[op.nodes()];
            for (int n = 0; n < f.length; n++) {
                f[n] = F.applyAsDouble(op.firstNode() + n * op.spacing());
            }
            double[] tmp = new double[Math.max(q.length, f.length)];
            double[] out = new double[q.length];
            op.apply(f, out, tmp);
            assertClose(pinned.get("op" + g + ".apply"), out, "apply, grid " + g);
            double[] y = new double[q.length];
            for (int j = 0; j < y.length; j++) {
                y[j] = Math.cos(j);
            }
            double[] gt = new double[f.length];
            op.applyTranspose(y, gt, tmp);
            assertClose(pinned.get("op" + g + ".transpose"), gt, "transpose, grid " + g);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double tol = 1e-15 * Pinned.maxAbs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + ", index " + i);
        }
    }

    /**
     * Pins the operator to the pixel form of the shared average (what the simulator applies): for
     * a polynomial of degree 5 in Q the quintic interpolation is exact, so M f(Q_n) must equal
     * \( \sum_p w\,e^{-(Q_p\Delta x)^2} f(Q_p)/\sum_p w \) over {@link RadialAverage#forEachPixel}
     * to rounding.
     */
    @Test
    void equalsThePixelFormOfTheSharedAverageWhereTheInterpolationIsExact() {
        DoubleUnaryOperator poly = x -> 2 + x * (-3 + x * (40 + x * (-100 + x * (300 + x * 700))));
        for (int g = 0; g < PINNED_GRIDS.length; g++) {
            double[] q = PINNED_GRIDS[g];
            RadialAverage average = RadialAverage.of(q, PINNED_VOXELS[g], PINNED_PLANES[g]);
            double[] ref = new double[q.length];
            average.forEachPixel((p, qp, smoothing, firstQ, count, w) -> {
                for (int i = 0; i < count; i++) {
                    ref[firstQ + i] += w[i] * smoothing * poly.applyAsDouble(qp);
                }
            });
            for (int j = 0; j < q.length; j++) {
                ref[j] /= average.normalisation(j);
            }
            RadialOperator op = RadialOperator.of(q, PINNED_VOXELS[g], PINNED_PLANES[g], 1);
            double[] f = new double[op.nodes()];
            for (int n = 0; n < f.length; n++) {
                f[n] = poly.applyAsDouble(op.firstNode() + n * op.spacing());
            }
            double[] out = new double[q.length];
            op.apply(f, out, new double[Math.max(q.length, f.length)]);
            for (int j = 0; j < q.length; j++) {
                assertEquals(ref[j], out[j], 1e-13 * Math.abs(ref[j]), "grid " + g + ", q = " + q[j]);
            }
        }
    }

    @Test
    void badGridsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[0], 5, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[] {0.1, 0.05}, 5, 1024, 1));
        // beyond π/Δx less the window
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[] {0.1, 0.7}, 5, 1024, 1));
    }
}
