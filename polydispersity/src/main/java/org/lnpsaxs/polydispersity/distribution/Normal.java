package org.lnpsaxs.polydispersity.distribution;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;

/**
 * The standard normal distribution to full double precision in both tails: density \( \varphi \),
 * lower tail \( \Phi \), upper tail \( Q = 1 - \Phi \) and their inverses. Not a user class.
 *
 * <p>\( \Phi \) and \( Q \) come from Commons Numbers' complementary error function (Boost's
 * rational approximations: a few units in the last place down to 1e-308, about 12 ns a call here
 * against 240 ns for commons-math3's continued fraction; docs/benchmarks.md, "The normal
 * distribution's tails"); the quantile is \( -\sqrt2\,\mathrm{erfc}^{-1}(2p) \) from the same
 * library, polished by one Halley step on \( \Phi(z) - p \), which gives full double precision
 * for \( p \ge \) {@link Double#MIN_NORMAL}.
 */
final class Normal {

    /** \( 1/\sqrt{2\pi} \). */
    public static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double SQRT_2PI = 2.5066282746310002;
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double SQRT2 = 1.4142135623730951;

    private Normal() {
    }

    /** The density \( \varphi(z) = e^{-z^2/2}/\sqrt{2\pi} \). */
    public static double pdf(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /** The lower tail \( \Phi(z) = P(Z \le z) \), accurate relative to its value for z &lt; 0. */
    public static double cdf(double z) {
        return 0.5 * Erfc.value(-z * INV_SQRT2);
    }

    /** The upper tail \( Q(z) = P(Z &gt; z) = \Phi(-z) \), accurate relative to its value for z &gt; 0. */
    public static double upperTail(double z) {
        return 0.5 * Erfc.value(z * INV_SQRT2);
    }

    /**
     * \( \Phi(b) - \Phi(a) \) for \( a \le b \), computed on the side where no cancellation occurs.
     */
    public static double mass(double a, double b) {
        if (a >= 0) {
            return upperTail(a) - upperTail(b);
        }
        if (b <= 0) {
            return cdf(b) - cdf(a);
        }
        return 1.0 - cdf(a) - upperTail(b);
    }

    /**
     * The quantile \( \Phi^{-1}(p) \); p in [0, 1]. For p close to 1 prefer
     * {@link #upperQuantile(double)} with the upper-tail probability, which keeps its precision.
     */
    public static double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability " + p + " is outside [0, 1]");
        }
        if (p <= 0.5) {
            return lowerQuantile(p);
        }
        return -lowerQuantile(1.0 - p);
    }

    /** The z with \( Q(z) = p \), i.e. \( -\Phi^{-1}(p) \); p in [0, 1]. */
    public static double upperQuantile(double p) {
        return -quantile(p);
    }

    /** \( \Phi^{-1}(p) \) for \( 0 \le p \le 1/2 \). */
    private static double lowerQuantile(double p) {
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double z = -SQRT2 * InverseErfc.value(2.0 * p);
        if (p < Double.MIN_NORMAL) {
            return z;
        }
        // one Halley step on Phi(z) - p
        double u = (cdf(z) - p) * SQRT_2PI * Math.exp(0.5 * z * z);
        z -= u / (1.0 + 0.5 * z * u);
        return z;
    }
}
