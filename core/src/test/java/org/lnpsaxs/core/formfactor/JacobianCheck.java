package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;

/**
 * Compares an analytic Jacobian \( J_{ij} = \partial y(q_i)/\partial\theta_j \) with central
 * finite differences taken point by point, each with its own step.
 *
 * <p>The finite difference is Richardson-extrapolated,
 * \( D = [8(y(\theta+h)-y(\theta-h)) - (y(\theta+2h)-y(\theta-2h))]/(12h) \), whose truncation error
 * is \( O(h^4) \). For lengths the step is \( h = c/k \), with \( k = \max(2q, 6/L) \) the
 * natural wavenumber of the curve in that length (\( F^2 \) oscillates like \( \sin(2qL) \) and grows
 * like \( L^6 \) at low q), so that the truncation and rounding errors are both ~1e-10 of the
 * curve's local envelope per unit \( 1/k \).
 *
 * <p>An element is compared when the derivative is not ~0 relative to the scale of the curve:
 * \( |J_{ij}|\,u_j \ge 10^{-3}\,E(q_i) \), where \( E \) is the local envelope of the curve
 * ({@link #localEnvelope}) and
 * \( u_j \) the natural unit of parameter j (\( 1/k \) for lengths, the contrast scale for SLDs, the
 * value for a scale factor). There it must agree to a relative error of 1e-6. The caller asserts
 * that most elements were compared, so the check cannot pass vacuously.
 */
final class JacobianCheck {

    /** The compared quantity at one q for one parameter vector. */
    interface PointFunction {
        double value(double[] theta, double q);
    }

    /** Per-element step and unit. */
    interface PerElement {
        double get(int j, double q);
    }

    /** Outcome of one comparison. */
    record Result(int compared, int total, double maxRelativeError, String worst) {
    }

    static final double TOLERANCE = 1e-6;
    static final double NEGLIGIBLE = 1e-3;

    private JacobianCheck() {
    }

    /** The Richardson-extrapolated central difference of {@code f} in parameter j at q. */
    static double finiteDifference(PointFunction f, double[] theta, int j, double q, double h) {
        double[] t = theta.clone();
        t[j] = theta[j] + h;
        double p1 = f.value(t, q);
        t[j] = theta[j] - h;
        double m1 = f.value(t, q);
        t[j] = theta[j] + 2 * h;
        double p2 = f.value(t, q);
        t[j] = theta[j] - 2 * h;
        double m2 = f.value(t, q);
        return (8.0 * (p1 - m1) - (p2 - m2)) / (12.0 * h);
    }

    /**
     * Compares {@code analytic[i][j]} with finite differences of {@code f} and asserts the
     * tolerance on every element that is not negligible.
     *
     * @param envelope the local envelope E(q_i) of the curve, by q index
     */
    static Result check(String what, double[] q, double[][] analytic, PointFunction f, double[] theta,
                        PerElement step, PerElement unit, IntToDoubleFunction envelope) {
        int compared = 0;
        int total = 0;
        double max = 0.0;
        String worst = "";
        for (int i = 0; i < q.length; i++) {
            double env = envelope.applyAsDouble(i);
            for (int j = 0; j < theta.length; j++) {
                total++;
                double a = analytic[i][j];
                assertTrue(Double.isFinite(a), what + ": non-finite derivative at q=" + q[i] + ", parameter " + j);
                if (Math.abs(a) * unit.get(j, q[i]) < NEGLIGIBLE * env) {
                    continue;
                }
                double fd = finiteDifference(f, theta, j, q[i], step.get(j, q[i]));
                double rel = Math.abs(a - fd) / Math.abs(a);
                compared++;
                if (rel > max) {
                    max = rel;
                    worst = "q=" + q[i] + " parameter " + j + ": analytic " + a + ", finite difference " + fd;
                }
            }
        }
        assertTrue(max <= TOLERANCE, what + ": relative error " + max + " at " + worst);
        return new Result(compared, total, max, worst);
    }

    /**
     * The local scale of the curve at q: \( \max |y| \) over \( [q - \pi/L, q + \pi/L] \), one
     * oscillation period of \( F \) for the largest length L (65 samples), so that a point near a
     * minimum is judged against the neighbouring maxima.
     */
    static double localEnvelope(PointFunction f, double[] theta, double q, double length) {
        double half = Math.PI / length;
        double max = 0.0;
        for (int k = 0; k <= 64; k++) {
            double qk = Math.max(0.0, q - half + k * (2 * half / 64));
            max = Math.max(max, Math.abs(f.value(theta, qk)));
        }
        return max;
    }

    /** The natural wavenumber of \( F^2 \) in a length L at q: \( \max(2q, 6/L) \). */
    static double wavenumber(double q, double length) {
        return Math.max(2.0 * q, 6.0 / length);
    }
}
