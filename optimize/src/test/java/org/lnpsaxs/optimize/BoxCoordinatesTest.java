package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.posterior.BatchLogDensity;

/** The box coordinates Hamiltonian Monte Carlo samples in: walls, the map to u and the density's gradient. */
class BoxCoordinatesTest {

    private static FitSpace lnpLike() {
        return FitSpace.of(ParameterSpace.of(
                        Parameter.of("R", "Å", 150, 320),
                        Parameter.of("m1", "1/Å", 0.05, 0.15),
                        Parameter.of("w", "", 0.01, 0.99),
                        Parameter.of("m2", "1/Å", 0.06, 0.20),
                        Parameter.of("t", "Å", 40, 70)))
                .withOrderedPair("m1", "m2")
                .withFixed("t", 55);
    }

    private static boolean inside(BoxCoordinates b, double[] v) {
        double[][] a = b.constraintRows();
        for (int k = 0; k < a.length; k++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a[k][j] * v[j];
            }
            if (s > b.constraintBounds()[k] + 1e-12) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theWallsAreTheBoxAndTheOrdering() {
        FitSpace space = lnpLike();
        BoxCoordinates b = new BoxCoordinates(space, new Reparameterization(space));
        // free: R, m1, w, m2 -> 8 box walls and one ordering
        assertEquals(9, b.constraintRows().length);
        Random r = new Random(3);
        int checked = 0;
        for (int i = 0; i < 2000; i++) {
            double[] v = {r.nextDouble() * 1.2 - 0.1, r.nextDouble(), r.nextDouble(), r.nextDouble()};
            double[] theta = b.theta(v, 1);
            double m1 = 0.05 + 0.10 * v[1];
            double m2 = 0.06 + 0.14 * v[3];
            boolean expected = v[0] >= 0 && v[0] <= 1 && m1 <= m2;
            assertEquals(expected, inside(b, v), "v = " + java.util.Arrays.toString(v));
            // theta clamps into the box and keeps the fixed value
            assertTrue(theta[0] >= 150 && theta[0] <= 320);
            assertEquals(55, theta[4]);
            checked += expected ? 1 : 0;
        }
        assertTrue(checked > 500, "enough inside points: " + checked);
    }

    @Test
    void theMapToTheOptimisersCoordinatesRoundTrips() {
        FitSpace space = lnpLike();
        Reparameterization reparam = new Reparameterization(space);
        BoxCoordinates b = new BoxCoordinates(space, reparam);
        Random r = new Random(5);
        int n = 200;
        double[] u = new double[n * 4];
        for (int i = 0; i < u.length; i++) {
            u[i] = 4 * r.nextGaussian();
        }
        double[] v = b.fromFree(u, n);
        for (int i = 0; i < n; i++) {
            assertTrue(inside(b, java.util.Arrays.copyOfRange(v, i * 4, i * 4 + 4)), "draw " + i);
        }
        double[] back = b.fromFree(b.toFree(v, n), n);
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], back[i], 1e-9, "coordinate " + i);
        }
    }

    @Test
    void theDensitysGradientIsTheFiniteDifferenceOfItsValue() {
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem problem = FitterTest.problem(AnalyticFitModel.sphere(), "sphere", syn[0], syn[1]);
        Reparameterization reparam = new Reparameterization(problem.space());
        FitObjective objective = new FitObjective(problem.model(), reparam, problem.loss(), null, 1, 4);
        BoxCoordinates b = new BoxCoordinates(problem.space(), reparam);
        long[] count = new long[1];
        BatchLogDensity density = b.density(objective, 1.7, count);
        int d = density.dimension();
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = 0.2 + 0.6 * r.nextDouble();
            }
            double[] value = new double[1];
            double[] grad = new double[d];
            density.logDensityAndGradient(v, 1, value, grad);
            for (int j = 0; j < d; j++) {
                double h = 1e-6;
                double[] two = new double[2 * d];
                System.arraycopy(v, 0, two, 0, d);
                System.arraycopy(v, 0, two, d, d);
                two[j] += h;
                two[d + j] -= h;
                double[] f = new double[2];
                density.logDensity(two, 2, f);
                double fd = (f[0] - f[1]) / (2 * h);
                assertEquals(fd, grad[j], 1e-5 * Math.max(1, Math.abs(fd)), "d/dv" + j + " at trial " + trial);
            }
        }
        assertTrue(count[0] > 0);
        // outside a wall the density is -Infinity
        double[] out = new double[d];
        out[0] = -0.01;
        for (int j = 1; j < d; j++) {
            out[j] = 0.5;
        }
        double[] value = new double[1];
        density.logDensity(out, 1, value);
        assertEquals(Double.NEGATIVE_INFINITY, value[0]);
    }
}
