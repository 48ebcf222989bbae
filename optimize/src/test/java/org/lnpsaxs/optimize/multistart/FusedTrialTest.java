package org.lnpsaxs.optimize.multistart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * L-BFGS asks for the gradient with the first trial step's value when the objective shares the
 * forward pass ({@link BatchObjective#sharesForwardPass()}): the result must be the one it gives
 * without (the same points, values, steps and flags, bit for bit), the gradient must only be asked
 * at points the objective saw last for that start, and fewer separate gradient passes are made.
 */
class FusedTrialTest {

    /** Rosenbrock in 2-D per start, counting the rows of each call and checking the call contract. */
    static final class Counting implements BatchObjective {
        private final boolean fused;
        long valueRows;
        long gradientRows;
        long fusedRows;
        private final Map<Integer, double[]> lastSeen = new HashMap<>();

        Counting(boolean fused) {
            this.fused = fused;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public boolean sharesForwardPass() {
            return fused;
        }

        @Override
        public void value(int[] ids, double[] u, int batch, double[] values) {
            valueRows += batch;
            for (int b = 0; b < batch; b++) {
                values[b] = RosenbrockObjective.f(u[2 * b], u[2 * b + 1]);
                lastSeen.put(ids[b], new double[] {u[2 * b], u[2 * b + 1]});
            }
        }

        @Override
        public void gradient(int[] ids, double[] u, int batch, double[] g) {
            gradientRows += batch;
            for (int b = 0; b < batch; b++) {
                double x = u[2 * b];
                double y = u[2 * b + 1];
                assertArrayEquals(lastSeen.get(ids[b]), new double[] {x, y}, 0.0,
                        "gradient asked at a point the last value call for start " + ids[b] + " did not see");
                g[2 * b] = -2 * (1 - x) - 400 * x * (y - x * x);
                g[2 * b + 1] = 200 * (y - x * x);
            }
        }

        @Override
        public void valueAndGradient(int[] ids, double[] u, int batch, double[] values, double[] gradient) {
            fusedRows += batch;
            long v = valueRows;
            long g = gradientRows;
            value(ids, u, batch, values);
            gradient(ids, u, batch, gradient);
            valueRows = v;
            gradientRows = g;
        }
    }

    @Test
    void theFusedFirstTrialGivesTheSameResultWithFewerSeparateGradientPasses() {
        int n = 64;
        double[] u0 = new double[2 * n];
        Random rng = new Random(3);
        for (int i = 0; i < u0.length; i++) {
            u0[i] = -2 + 4 * rng.nextDouble();
        }
        Lbfgs lbfgs = Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF);
        Counting apart = new Counting(false);
        Counting together = new Counting(true);
        OptimizationResult a = lbfgs.minimize(apart, u0, n, OptimizationListener.NONE);
        OptimizationResult b = lbfgs.minimize(together, u0, n, OptimizationListener.NONE);
        assertArrayEquals(a.u(), b.u(), 0.0);
        assertArrayEquals(a.values(), b.values(), 0.0);
        assertArrayEquals(a.steps(), b.steps());
        assertTrue(Arrays.equals(a.converged(), b.converged()));
        assertEquals(a.evaluations(), b.evaluations());
        // most starts converge to the minimum at (1, 1)
        int atMinimum = 0;
        for (int s = 0; s < n; s++) {
            atMinimum += Math.abs(b.u()[2 * s] - 1) < 1e-4 && Math.abs(b.u()[2 * s + 1] - 1) < 1e-4 ? 1 : 0;
        }
        assertTrue(atMinimum > n / 2, atMinimum + " of " + n + " at the minimum");
        // without fusing, every trial is a value call; with it, most accepted steps need no separate gradient pass
        assertEquals(n, apart.fusedRows); // the starting points only
        assertTrue(together.fusedRows > n);
        assertTrue(together.gradientRows < apart.gradientRows / 2,
                together.gradientRows + " separate gradient rows against " + apart.gradientRows);
        // the reverse passes counted include the fused trials' (rejected ones as well)
        assertEquals(together.gradientRows + together.fusedRows, b.gradients());
        assertEquals(apart.gradientRows + apart.fusedRows, a.gradients());
    }
}
