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
    /** 1.5·2⁵²: adding and subtracting it rounds a double of magnitude below 2⁵¹ to the nearest integer. */
    private static final double ROUNDER = 6755399441055744.0;

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

    /**
     * \( \sin x_i \) and \( \cos x_i \) for {@code i < n}: the same numbers as
     * {@link #of(double, double[])} (bit for bit but for the sign of a zero result), in loops of
     * multiplies and adds only, so that C2 runs them on the vector unit (about 4 × faster than the
     * scalar path on AVX-512, measured). What differs from the scalar path is exact: \( \mathrm{rint} \) is
     * the add-and-subtract of \( 1.5\cdot2^{52} \) (rounding to nearest for \( |2x/\pi| &lt; 2^{51} \)); the
     * quadrant's bits come from \( h = \mathrm{rint}(k/2 - 1/4) = \lfloor k/2 \rfloor \) (never a tie), and
     * select and negate as multipliers \( a, b \in \{0, \pm1\} \):
     * \( \sin x = a \sin r + b \cos r \), \( \cos x = a\cos r - b\sin r \), where one product is a zero.
     * The work is split over five loops because C2 unrolls, and so vectorises, only short loop
     * bodies. Arguments beyond \( 10^5 \) in magnitude, NaN and ±∞ are then redone by the scalar
     * path (a comparison per argument).
     *
     * @param x the arguments (radians), from index 0
     * @param n how many
     * @param sin receives \( \sin x_i \) (not the same array as {@code x} or {@code cos})
     * @param cos receives \( \cos x_i \)
     * @param work scratch arrays, grown to n as needed
     */
    static void of(double[] x, int n, double[] sin, double[] cos, Work work) {
        work.ensure(n);
        double[] kk = work.k;
        double[] rr = work.r;
        double[] ee = work.e;
        double[] aa = work.a;
        double[] bb = work.b;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double k = (xi * TWO_OVER_PI + ROUNDER) - ROUNDER;
            double y = xi - k * PIO2_1;
            double b = -k * PIO2_2;
            double r = y + b;
            double bb2 = r - y;
            ee[i] = ((y - (r - bb2)) + (b - bb2)) - (k * PIO2_3 + k * PIO2_3T);
            rr[i] = r;
            kk[i] = k;
        }
        for (int i = 0; i < n; i++) {
            double r = rr[i];
            double r2 = r * r;
            sin[i] = r + (ee[i] + r * r2 * sinPolynomial(r2));
        }
        for (int i = 0; i < n; i++) {
            double r = rr[i];
            double r2 = r * r;
            double hz = 0.5 * r2;
            double w = 1.0 - hz;
            cos[i] = w + (((1.0 - w) - hz) - r * ee[i] + r2 * r2 * cosPolynomial(r2));
        }
        for (int i = 0; i < n; i++) {
            double k = kk[i];
            double half = ((k * 0.5 - 0.25) + ROUNDER) - ROUNDER;
            double odd = k - 2.0 * half;
            double sign = 1.0 - 2.0 * (half - 2.0 * (((half * 0.5 - 0.25) + ROUNDER) - ROUNDER));
            aa[i] = (1.0 - odd) * sign;
            bb[i] = odd * sign;
        }
        for (int i = 0; i < n; i++) {
            double a = aa[i];
            double b = bb[i];
            double s = sin[i];
            double c = cos[i];
            sin[i] = a * s + b * c;
            cos[i] = a * c - b * s;
        }
        double[] out = null;
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(x[i]) <= LIMIT)) {
                if (out == null) {
                    out = new double[2];
                }
                fallback(x[i], out);
                sin[i] = out[0];
                cos[i] = out[1];
            }
        }
    }

    /** Scratch arrays of {@link #of(double[], int, double[], double[], Work)}, one per thread. */
    static final class Work {
        private double[] k = new double[0];
        private double[] r = k;
        private double[] e = k;
        private double[] a = k;
        private double[] b = k;

        void ensure(int n) {
            if (k.length < n) {
                k = new double[n];
                r = new double[n];
                e = new double[n];
                a = new double[n];
                b = new double[n];
            }
        }
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
