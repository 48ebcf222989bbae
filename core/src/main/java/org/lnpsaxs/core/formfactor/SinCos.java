package org.lnpsaxs.core.formfactor;

/**
 * \( \sin x \) and \( \cos x \) together, with one argument reduction: the form factors' hot path
 * needs both for every (q, size) pair, and {@link Math#sin}/{@link Math#cos} each reduce the
 * argument again (measured: twice the cost). Not a user class.
 *
 * <p>For \( |x| \le 10^5 \): \( k = \mathrm{rint}(2x/\pi) \), \( r = x - k\pi/2 \) with \( \pi/2 \)
 * split into three 33-bit parts (fdlibm's Cody–Waite constants; every product \( k\cdot p_i \) is
 * exact for \( |k| &lt; 2^{20} \); the difference is kept as a double-double r + e), then the Taylor polynomials of
 * \( \sin r \) (to \( r^{17} \)) and \( \cos r \) (to \( r^{16} \)) on \( |r| \le \pi/4 \), whose
 * truncation errors are below 1e-19, and the quadrant \( k \bmod 4 \). The result is within about
 * one ulp of the exact value. Larger or non-finite arguments use {@link Math#sin} and
 * {@link Math#cos}.
 */
final class SinCos {

    private static final double TWO_OVER_PI = 0.6366197723675814;
    private static final double PIO2_1 = 1.57079632673412561417e+00;
    private static final double PIO2_2 = 6.07710050630396597660e-11;
    private static final double PIO2_3 = 2.02226624871116645580e-21;
    private static final double PIO2_3T = 8.47842766036889956997e-32;
    private static final double LIMIT = 1e5;

    private static final double S1 = -1.0 / 6;
    private static final double S2 = 1.0 / 120;
    private static final double S3 = -1.0 / 5040;
    private static final double S4 = 1.0 / 362880;
    private static final double S5 = -1.0 / 39916800;
    private static final double S6 = 1.0 / 6227020800.0;
    private static final double S7 = -1.0 / 1307674368000.0;
    private static final double S8 = 1.0 / 355687428096000.0;
    private static final double C2 = 1.0 / 24;
    private static final double C3 = -1.0 / 720;
    private static final double C4 = 1.0 / 40320;
    private static final double C5 = -1.0 / 3628800;
    private static final double C6 = 1.0 / 479001600;
    private static final double C7 = -1.0 / 87178291200.0;
    private static final double C8 = 1.0 / 20922789888000.0;

    private SinCos() {
    }

    /**
     * Writes \( \sin x \) to {@code out[0]} and \( \cos x \) to {@code out[1]}. (Kept under the
     * JIT's inlining limit for hot methods, 325 bytecodes: the polynomials are separate methods.)
     */
    static void of(double x, double[] out) {
        if (!(Math.abs(x) <= LIMIT)) {
            fallback(x, out);
            return;
        }
        double k = Math.rint(x * TWO_OVER_PI);
        // y = x - k p1 is exact; r + e = y - k p2 exactly (two-sum), less the tiny k (p3 + p3t)
        double y = x - k * PIO2_1;
        double b = -k * PIO2_2;
        double r = y + b;
        double bb = r - y;
        double e = ((y - (r - bb)) + (b - bb)) - (k * PIO2_3 + k * PIO2_3T);
        double r2 = r * r;
        // sin(r + e) = sin r + e cos r, cos(r + e) = cos r - e sin r, to first order in e
        double s = r + (e + r * r2 * sinPolynomial(r2));
        // cos r = 1 - r²/2 + r⁴(...): w = 1 - r²/2 rounded, and its rounding error added back (fdlibm)
        double hz = 0.5 * r2;
        double w = 1.0 - hz;
        double c = w + (((1.0 - w) - hz) - r * e + r2 * r2 * cosPolynomial(r2));
        // quadrant k mod 4 without branches (conditional moves: the quadrant is unpredictable)
        int m = (int) ((long) k & 3);
        double sinPart = (m & 1) == 0 ? s : c;
        double cosPart = (m & 1) == 0 ? c : s;
        out[0] = (m & 2) == 0 ? sinPart : -sinPart;
        out[1] = ((m + 1) & 2) == 0 ? cosPart : -cosPart;
    }

    /** \( (\sin r - r)/r^3 \) as a polynomial in \( r^2 \). */
    private static double sinPolynomial(double r2) {
        return S1 + r2 * (S2 + r2 * (S3 + r2 * (S4 + r2 * (S5 + r2 * (S6 + r2 * (S7 + r2 * S8))))));
    }

    /** \( (\cos r - 1 + r^2/2)/r^4 \) as a polynomial in \( r^2 \). */
    private static double cosPolynomial(double r2) {
        return C2 + r2 * (C3 + r2 * (C4 + r2 * (C5 + r2 * (C6 + r2 * (C7 + r2 * C8)))));
    }

    private static void fallback(double x, double[] out) {
        out[0] = Math.sin(x);
        out[1] = Math.cos(x);
    }
}
