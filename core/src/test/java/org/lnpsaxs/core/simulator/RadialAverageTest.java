package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/** The shared radial average and the simulator's pixel matrix, against a sum over the whole plane. */
class RadialAverageTest {

    /** A smooth radially symmetric "power" with structure on the scale of a 150 Å particle. */
    private static final DoubleUnaryOperator P = x -> Math.exp(-(x / 0.06) * (x / 0.06)) * (1.2 + Math.cos(150 * x));

    /**
     * The paper's average written straight from its definition (docs/theory.md): every pixel of
     * the full Nf × Nf plane (both half planes), Q = Δq·hypot(kx, ky), weight exp(−½d²)/Q within
     * |d| ≤ 5, smoothing exp(−(QΔx)²), normalised.
     */
    private static double[] wholePlane(double[] q, double voxel, int plane, DoubleUnaryOperator f) {
        double dq = 2 * Math.PI / (plane * voxel);
        double s = dq / 2;
        int k = (int) Math.ceil((q[q.length - 1] + 5 * s) / dq);
        double[] num = new double[q.length];
        double[] den = new double[q.length];
        for (int kx = -k; kx <= k; kx++) {
            for (int ky = -k; ky <= k; ky++) {
                if (kx == 0 && ky == 0) {
                    continue;
                }
                double qp = dq * Math.hypot(kx, ky);
                for (int j = 0; j < q.length; j++) {
                    double d = (qp - q[j]) / s;
                    if (Math.abs(d) <= 5) {
                        double w = Math.exp(-0.5 * d * d) / qp;
                        num[j] += w * Math.exp(-(qp * voxel) * (qp * voxel)) * f.applyAsDouble(qp);
                        den[j] += w;
                    }
                }
            }
        }
        for (int j = 0; j < q.length; j++) {
            num[j] /= den[j];
        }
        return num;
    }

    private static void checkPixelMatrix(QGrid grid, double voxel, int plane) {
        double[] q = grid.values();
        RadialAverage average = RadialAverage.of(q, voxel, plane);
        RadialWeights weights = new RadialWeights(average);
        double dq = average.pixelSpacing();
        double[] power = new double[weights.pixels];
        for (int kx = 0; kx <= weights.kMax; kx++) {
            int h = weights.half[kx];
            for (int ky = -h; ky <= h; ky++) {
                power[weights.start[kx] + ky + h] = P.applyAsDouble(dq * Math.sqrt((double) kx * kx + (double) ky * ky));
            }
        }
        double[] curve = new double[q.length];
        weights.apply(power, curve);
        double[] ref = wholePlane(q, voxel, plane, P);
        for (int j = 0; j < q.length; j++) {
            assertEquals(ref[j], curve[j], 1e-12 * Math.abs(ref[j]) + 1e-300, "q = " + q[j]);
        }
    }

    @Test
    void pixelMatrixEqualsTheWholePlaneSum() {
        checkPixelMatrix(QGrid.PAPER, 5.0, 1024);
        checkPixelMatrix(QGrid.log(0.003, 0.15, 60), 5.0, 1024);
        checkPixelMatrix(QGrid.linear(0.004, 0.08, 50), 10.0, 512);
    }

    @Test
    void normalisationIsTheSumOfTheVisitedWeights() {
        double[] q = QGrid.linear(0.01, 0.1, 20).values();
        RadialAverage average = RadialAverage.of(q, 5.0, 256);
        double[] sums = new double[q.length];
        int[] last = {-1};
        average.forEachPixel((p, qp, smoothing, firstQ, count, w) -> {
            assertTrue(p > last[0], "pixels in increasing order");
            last[0] = p;
            assertEquals(Math.exp(-(qp * 5.0) * (qp * 5.0)), smoothing, 0.0);
            for (int i = 0; i < count; i++) {
                assertTrue(Math.abs(qp - q[firstQ + i]) <= RadialAverage.WINDOW * average.width() * (1 + 1e-12));
                sums[firstQ + i] += w[i];
            }
        });
        for (int j = 0; j < q.length; j++) {
            assertEquals(sums[j], average.normalisation(j), 1e-12 * sums[j]);
        }
    }

    @Test
    void badGridsAndSettingsAreRefusedNamingTheLimit() {
        double usable = RadialAverage.largestUsableQ(5.0, 1024);
        assertEquals(Math.PI / 5 * 1022 / 1024 - 2.5 * 2 * Math.PI / (1024 * 5), usable, 1e-15);
        RadialAverage.of(new double[] {0.01, usable * (1 - 1e-9)}, 5.0, 1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RadialAverage.of(new double[] {0.01, usable * (1 + 1e-9)}, 5.0, 1024));
        assertTrue(e.getMessage().contains("largest usable q is " + usable), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RadialAverage.of(new double[0], 5.0, 1024));
        assertThrows(IllegalArgumentException.class, () -> RadialAverage.of(new double[] {0.1, 0.05}, 5.0, 1024));
        assertThrows(IllegalArgumentException.class, () -> RadialAverage.of(new double[] {0.1, Double.NaN}, 5.0, 1024));
        assertThrows(IllegalArgumentException.class, () -> RadialAverage.of(new double[] {0.01}, 0.0, 1024));
        assertThrows(IllegalArgumentException.class, () -> RadialAverage.of(new double[] {0.01}, 5.0, 4));
    }
}
