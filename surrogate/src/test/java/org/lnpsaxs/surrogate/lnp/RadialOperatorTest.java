package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

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

    @Test
    void badGridsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[0], 5, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[] {0.1, 0.05}, 5, 1024, 1));
        // beyond π/Δx less the window
        assertThrows(IllegalArgumentException.class, () -> RadialOperator.of(new double[] {0.1, 0.7}, 5, 1024, 1));
    }
}
