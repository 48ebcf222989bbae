package org.lnpsaxs.polydispersity.distribution;

import org.apache.commons.math3.special.Gamma;

/**
 * The regularized incomplete gamma functions \( P(a, y) \), \( Q(a, y) = 1 - P(a, y) \), the
 * derivative \( \partial P/\partial a \) and the inverse of \( P \) in y. Not a user class.
 *
 * <p>\( P \) and \( Q \) come from commons-math (series below \( y = a + 1 \), continued fraction
 * above). \( \partial P/\partial a \) is the term-by-term derivative of the series
 * \( P(a,y) = \sum_{n\ge0} T_n \), \( T_n = e^{-y} y^{a+n}/\Gamma(a+n+1) \), which gives
 * \( \partial P/\partial a = \sum_n T_n\,(\ln y - \psi(a+n+1)) \); it is accurate to a small
 * multiple of 1e-16 in absolute terms.
 */
final class GammaFunctions {

    private static final double EPS = 1e-16;
    private static final int MAX_ITERATIONS = 10_000_000;

    private GammaFunctions() {
    }

    /**
     * The digamma function \( \psi(x) = \Gamma'(x)/\Gamma(x) \) for x &gt; 0, to about 1e-15
     * relative: the recurrence \( \psi(x) = \psi(x+1) - 1/x \) up to x ≥ 10, then the asymptotic
     * series \( \ln x - 1/(2x) - \sum_k B_{2k}/(2k\,x^{2k}) \) to the \( x^{-14} \) term.
     * (commons-math 3.6.1's {@code Gamma.digamma} has the sign of its \( x^{-4} \) term wrong,
     * an error of about \( 1/(60x^4) \).)
     */
    public static double digamma(double x) {
        if (!(x > 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("digamma: x = " + x + " must be finite and > 0");
        }
        double shift = 0;
        while (x < 10) {
            shift -= 1.0 / x;
            x += 1;
        }
        double inv = 1.0 / (x * x);
        double series = inv * (1.0 / 12 - inv * (1.0 / 120 - inv * (1.0 / 252 - inv * (1.0 / 240
                - inv * (1.0 / 132 - inv * (691.0 / 32760 - inv / 12))))));
        return shift + Math.log(x) - 0.5 / x - series;
    }

    /** \( P(a, y) \), the lower regularized incomplete gamma function; a &gt; 0, y ≥ 0. */
    public static double p(double a, double y) {
        if (y <= 0) {
            return 0;
        }
        return Gamma.regularizedGammaP(a, y, EPS, MAX_ITERATIONS);
    }

    /** \( Q(a, y) = 1 - P(a, y) \), the upper regularized incomplete gamma function. */
    public static double q(double a, double y) {
        if (y <= 0) {
            return 1;
        }
        return Gamma.regularizedGammaQ(a, y, EPS, MAX_ITERATIONS);
    }

    /** The gamma density \( y^{a-1} e^{-y}/\Gamma(a) \) (the derivative of P in y). */
    public static double density(double a, double y) {
        if (y <= 0) {
            return a == 1 ? 1 : (a < 1 ? Double.POSITIVE_INFINITY : 0);
        }
        return Math.exp((a - 1) * Math.log(y) - y - Gamma.logGamma(a));
    }

    /** \( \partial P(a, y)/\partial a \) at fixed y (minus \( \partial Q/\partial a \)). */
    public static double dPda(double a, double y) {
        if (y <= 0) {
            return 0;
        }
        double logY = Math.log(y);
        double term = Math.exp(a * logY - y - Gamma.logGamma(a + 1));
        double psi = digamma(a + 1);
        double sum = term * (logY - psi);
        double mass = term;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            term *= y / (a + n);
            psi += 1.0 / (a + n);
            sum += term * (logY - psi);
            mass += term;
            // past the peak of the terms (a + n + 1 > y) the rest is below a geometric series
            double r = y / (a + n + 1);
            if (r < 1) {
                double bound = term * r / (1 - r) * (Math.abs(logY - psi) + 1);
                if (bound <= EPS * Math.abs(sum) || bound <= 1e-20 * mass) {
                    return sum;
                }
            }
        }
        throw new ArithmeticException("dP/da series did not converge for a = " + a + ", y = " + y);
    }

    /**
     * The y with \( P(a, y) = u \) (for u ≤ 1/2) or \( Q(a, y) = 1 - u \) (above), by Newton steps
     * (on the logarithm of the tail probability when it is below 1e-3) safeguarded with bisection,
     * to about 1e-15 relative.
     */
    public static double inverseP(double a, double u) {
        if (!(u >= 0 && u <= 1)) {
            throw new IllegalArgumentException("probability " + u + " is outside [0, 1]");
        }
        if (u == 0) {
            return 0;
        }
        if (u == 1) {
            return Double.POSITIVE_INFINITY;
        }
        boolean upper = u > 0.5;
        double target = upper ? 1.0 - u : u;
        // Wilson–Hilferty start
        double z = Normal.quantile(u);
        double c = 1.0 - 1.0 / (9 * a) + z / (3 * Math.sqrt(a));
        double y = c > 0 ? a * c * c * c : Math.exp((Math.log(u) + Gamma.logGamma(a + 1)) / a);
        if (!(y > 0) || !Double.isFinite(y)) {
            y = a;
        }
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 200; i++) {
            double tail = upper ? q(a, y) : p(a, y);
            double f = upper ? target - tail : tail - target; // increasing in y
            if (f == 0) {
                return y;
            }
            if (f > 0) {
                hi = y;
            } else {
                lo = y;
            }
            double dens = density(a, y);
            double next;
            if (target < 1e-3 && tail > 0 && dens > 0) {
                // far tails: Newton on ln(tail) against ln y, nearly linear there (a plain Newton
                // step from a point where the density is tiny can jump to y ~ 1e30)
                double slope = y * dens / tail;
                double t = Math.log(tail / target);
                next = y * Math.exp(upper ? t / slope : -t / slope);
            } else {
                next = y - f / dens;
            }
            if (!(next > lo && next < hi)) {
                next = Double.isInfinite(hi) ? 2 * Math.max(y, 1) : 0.5 * (lo + hi);
            }
            if (Math.abs(next - y) <= 1e-15 * y) {
                return next;
            }
            y = next;
        }
        throw new ArithmeticException("inverse of P(a, y) did not converge for a = " + a + ", u = " + u);
    }
}
