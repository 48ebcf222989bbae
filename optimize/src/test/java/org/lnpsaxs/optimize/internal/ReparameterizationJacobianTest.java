package org.lnpsaxs.optimize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * {@link Reparameterization#logJacobian} against the log determinant of the Jacobian of
 * {@link Reparameterization#toPhysical} by central finite differences (an independent
 * computation: the full matrix, off-diagonal pair terms included, and its determinant by
 * Gaussian elimination), for plain, log-scale, ordered-pair and fixed parameters.
 */
class ReparameterizationJacobianTest {

    private static double logDetByDifferences(Reparameterization r, double[] u) {
        int f = r.freeSize();
        int p = r.size();
        int[] free = r.space().freeIndices();
        double[][] j = new double[f][f];
        double h = 1e-6;
        for (int c = 0; c < f; c++) {
            double[] up = u.clone();
            double[] dn = u.clone();
            up[c] += h;
            dn[c] -= h;
            double[] tp = new double[p];
            double[] tn = new double[p];
            r.toPhysical(up, null, 1, tp);
            r.toPhysical(dn, null, 1, tn);
            for (int row = 0; row < f; row++) {
                j[row][c] = (tp[free[row]] - tn[free[row]]) / (2 * h);
            }
        }
        double logDet = 0;
        for (int k = 0; k < f; k++) {
            int piv = k;
            for (int i = k + 1; i < f; i++) {
                if (Math.abs(j[i][k]) > Math.abs(j[piv][k])) {
                    piv = i;
                }
            }
            double[] t = j[k];
            j[k] = j[piv];
            j[piv] = t;
            logDet += Math.log(Math.abs(j[k][k]));
            for (int i = k + 1; i < f; i++) {
                double m = j[i][k] / j[k][k];
                for (int c = k; c < f; c++) {
                    j[i][c] -= m * j[k][c];
                }
            }
        }
        return logDet;
    }

    @Test
    void logJacobianIsTheLogDeterminantOfTheMap() {
        ParameterSpace box = ParameterSpace.of(Parameter.of("a", "", -1, 3), Parameter.of("m1", "", 0.05, 0.15),
                Parameter.of("m2", "", 0.05, 0.15), Parameter.of("r", "Å", 10, 1000), Parameter.of("z", "", 0, 1));
        FitSpace space = FitSpace.of(box).withOrderedPair("m1", "m2").withLogScale("r").withFixed("z", 0.3);
        Reparameterization r = new Reparameterization(space);
        double[][] points = {{0.1, -0.4, 0.7, 1.2}, {-2.0, 1.5, -1.0, -0.3}, {3.0, 0.0, 2.5, 4.0}};
        double[] u = new double[points.length * 4];
        for (int b = 0; b < points.length; b++) {
            System.arraycopy(points[b], 0, u, 4 * b, 4);
        }
        double[] got = new double[points.length];
        r.logJacobian(u, null, points.length, got);
        for (int b = 0; b < points.length; b++) {
            assertEquals(logDetByDifferences(r, points[b]), got[b], 1e-6, "point " + b);
        }
    }

    @Test
    void logJacobianStaysFiniteFarOut() {
        Reparameterization r = new Reparameterization(FitSpace.of(ParameterSpace.of(Parameter.of("a", "", 0, 2))));
        double[] out = new double[2];
        r.logJacobian(new double[] {800, -800}, null, 2, out);
        // ln 2 + ln(s(1-s)) with ln(s(1-s)) = -|u| - 2 ln(1 + e^-|u|) -> -800
        assertEquals(Math.log(2) - 800, out[0], 1e-9);
        assertEquals(Math.log(2) - 800, out[1], 1e-9);
    }
}
