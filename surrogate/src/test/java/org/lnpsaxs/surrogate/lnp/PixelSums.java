package org.lnpsaxs.surrogate.lnp;

import java.util.function.DoubleUnaryOperator;

/**
 * The simulator's radial average of a radially symmetric function, summed pixel by pixel over the
 * whole Nf × Nf plane straight from the formula (docs/theory.md, {@code LnpSimulator#run}): an
 * independent reference for {@link RadialOperator} and {@link MeanParticle}.
 */
final class PixelSums {

    private PixelSums() {
    }

    static double[] average(double[] q, double voxel, int plane, DoubleUnaryOperator f) {
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
                double fv = f.applyAsDouble(qp) * Math.exp(-(qp * voxel) * (qp * voxel));
                for (int j = 0; j < q.length; j++) {
                    double d = (qp - q[j]) / s;
                    if (Math.abs(d) <= 5) {
                        double w = Math.exp(-0.5 * d * d) / qp;
                        num[j] += w * fv;
                        den[j] += w;
                    }
                }
            }
        }
        double[] out = new double[q.length];
        for (int j = 0; j < q.length; j++) {
            out[j] = num[j] / den[j];
        }
        return out;
    }
}
