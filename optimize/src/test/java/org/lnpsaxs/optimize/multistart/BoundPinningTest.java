package org.lnpsaxs.optimize.multistart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Lbfgs}'s bound pinning, on quadratics in box coordinates θ = s(u) ∈ [0, 1] (the fitter's
 * logistic map), whose constrained minima are known in closed form.
 */
class BoundPinningTest {

    static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    /**
     * \( f(\theta) = \tfrac12 (\theta - t)^T A (\theta - t) \) with \( \theta_k = s(u_k) \): the
     * gradient is \( A(\theta - t) \) times \( s(1-s) \) per coordinate.
     */
    static final class BoxQuadratic implements BatchObjective {
        final double[][] a;
        final double[] t;
        final boolean saturates;

        BoxQuadratic(double[][] a, double[] t, boolean saturates) {
            this.a = a;
            this.t = t;
            this.saturates = saturates;
        }

        @Override
        public int dimension() {
            return t.length;
        }

        @Override
        public boolean coordinatesSaturate() {
            return saturates;
        }

        double[] theta(double[] u, int o) {
            double[] th = new double[t.length];
            for (int k = 0; k < t.length; k++) {
                th[k] = sigmoid(u[o + k]);
            }
            return th;
        }

        @Override
        public void value(int[] ids, double[] u, int batch, double[] values) {
            int d = t.length;
            for (int b = 0; b < batch; b++) {
                double[] th = theta(u, b * d);
                double f = 0;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        f += 0.5 * (th[i] - t[i]) * a[i][j] * (th[j] - t[j]);
                    }
                }
                values[b] = f;
            }
        }

        @Override
        public void gradient(int[] ids, double[] u, int batch, double[] gradient) {
            int d = t.length;
            for (int b = 0; b < batch; b++) {
                double[] th = theta(u, b * d);
                for (int i = 0; i < d; i++) {
                    double gi = 0;
                    for (int j = 0; j < d; j++) {
                        gi += a[i][j] * (th[j] - t[j]);
                    }
                    gradient[b * d + i] = gi * th[i] * (1 - th[i]);
                }
            }
        }
    }

    /** Starts spread over the box, including some already deep in a tail. */
    static double[] starts(int n, int d) {
        double[] u0 = new double[n * d];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < d; k++) {
                u0[s * d + k] = -6 + 12 * ((s * 0.618034 + k * 0.414214) % 1.0);
            }
        }
        u0[0] = 12; // beyond the pinning threshold from the start
        return u0;
    }

    /**
     * Two coordinates whose targets lie outside the box (minimum on the edges θ₀ = 1, θ₂ = 0) and
     * one inside; diagonal A, so the constrained minimum is the clamped target. With pinning the
     * edges are reached to 2·10⁻¹⁵ and the interior coordinate to the target, in fewer iterations
     * than the tail crawl without it.
     */
    @Test
    void pinnedCoordinatesReachTheirEdgesAndTheRestItsMinimum() {
        double[][] a = {{3, 0, 0}, {0, 2, 0}, {0, 0, 5}};
        double[] t = {1.4, 0.3, -0.5};
        BoxQuadratic f = new BoxQuadratic(a, t, true);
        int n = 16;
        double[] u0 = starts(n, 3);
        OptimizationResult plain = Lbfgs.defaults().withBoundPinning(0).minimize(f, u0, n, OptimizationListener.NONE);
        OptimizationResult pinned = Lbfgs.defaults().withBoundPinning(10).minimize(f, u0, n, OptimizationListener.NONE);
        double[] up = pinned.u();
        for (int s = 0; s < n; s++) {
            double[] th = f.theta(up, s * 3);
            assertTrue(pinned.converged()[s], "start " + s);
            assertEquals(1.0, th[0], 2e-15, "start " + s + " θ0");
            assertEquals(0.3, th[1], 1e-7, "start " + s + " θ1");
            assertEquals(0.0, th[2], 2e-15, "start " + s + " θ2");
            // the constrained minimum: ½·3·0.4² + ½·5·0.5²
            assertEquals(0.5 * 3 * 0.16 + 0.5 * 5 * 0.25, pinned.values()[s], 1e-12, "start " + s + " value");
        }
        long stepsPlain = 0;
        long stepsPinned = 0;
        for (int s = 0; s < n; s++) {
            stepsPlain += plain.steps()[s];
            stepsPinned += pinned.steps()[s];
        }
        assertTrue(stepsPinned * 2 < stepsPlain, "iterations with pinning " + stepsPinned + ", without " + stepsPlain);
    }

    /**
     * A coupled quadratic whose first coordinate is pulled towards its upper edge while the second
     * is far from its optimum, but whose minimum is inside the box: \( f = 50(\theta_0 + \theta_1 -
     * 1.2)^2 + \tfrac12(\theta_1 - 0.5)^2 \), minimum at (0.7, 0.5). A start with θ₀ already in the
     * tail (u₀ = 12) and θ₁ = 0.01 presses θ₀ outward at first; the pin must be released, and
     * every start must end at the interior minimum.
     */
    @Test
    void aPinIsReleasedWhenTheMinimumMovesInside() {
        double[][] a = {{100, 100}, {100, 101}};
        // ½(θ−t)ᵀA(θ−t) with A t = (120, 120.5): t = (0.7, 0.5)
        double[] t = {0.7, 0.5};
        BoxQuadratic f = new BoxQuadratic(a, t, true);
        int n = 12;
        double[] u0 = starts(n, 2);
        u0[1] = Math.log(0.01 / 0.99);
        OptimizationResult r = Lbfgs.defaults().withBoundPinning(10).minimize(f, u0, n, OptimizationListener.NONE);
        for (int s = 0; s < n; s++) {
            double[] th = f.theta(r.u(), s * 2);
            assertTrue(r.converged()[s], "start " + s);
            assertArrayEquals(new double[]{0.7, 0.5}, th, 1e-6, "start " + s);
        }
    }

    /** An objective whose coordinates do not saturate is never pinned: the same path bit for bit. */
    @Test
    void anObjectiveWithoutSaturationIsUnchanged() {
        double[][] a = {{3, 1, 0}, {1, 2, 0}, {0, 0, 5}};
        double[] t = {1.4, 0.3, -0.5};
        BoxQuadratic f = new BoxQuadratic(a, t, false);
        double[] u0 = starts(8, 3);
        OptimizationResult plain = Lbfgs.defaults().withBoundPinning(0).minimize(f, u0, 8, OptimizationListener.NONE);
        OptimizationResult pinned = Lbfgs.defaults().withBoundPinning(10).minimize(f, u0, 8, OptimizationListener.NONE);
        assertArrayEquals(plain.u(), pinned.u());
        assertArrayEquals(plain.values(), pinned.values());
        assertArrayEquals(plain.steps(), pinned.steps());
    }

    @Test
    void pinningBelowTheThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.defaults().withBoundPinning(3));
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.defaults().withBoundPinning(Lbfgs.PINNED));
        assertEquals(0.0, Lbfgs.defaults().withBoundPinning(0).pinAt());
        assertEquals(Lbfgs.DEFAULT_PIN_AT, Lbfgs.defaults().pinAt());
    }
}
