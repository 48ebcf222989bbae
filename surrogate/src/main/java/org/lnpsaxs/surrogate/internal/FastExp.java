package org.lnpsaxs.surrogate.internal;

/**
 * The exponential of a whole array in a loop that the JIT vectorises: the surrogate's per-row
 * kernels need several hundred exponentials per row (the composition's \(10^{E_k}\) and
 * \(10^{\log_{10}N_c + D_k}\), the SiLU activations), and {@link Math#exp} is a scalar call.
 *
 * <p><b>Method.</b> \( e^t = (e^{t/256})^{256} \): the Taylor polynomial of degree
 * {@value #DEGREE} of \( e^u \), \( u = t/256 \), then eight squarings, nothing but multiplies and
 * adds (no table, no bit manipulation), so that the loop runs on the vector unit. Where
 * \( |t| &gt; \) {@value #LIMIT} (or t is not finite) the value is recomputed with
 * {@link Math#exp} in a second, scalar pass.
 *
 * <p><b>Error bound.</b> For \( |t| \le \) {@value #LIMIT}: \( |u| \le 0.157 \), the truncation
 * error of the polynomial is below \( 0.157^{12}/12! &lt; 10^{-18} \) relative, the rounding of
 * Horner's scheme below about \( 2\cdot 2^{-53} \), and each squaring doubles the relative error
 * and adds at most \( 2^{-53} \), so the result is within \( 256\cdot 3\cdot 2^{-53} + 2^{-53}\cdot 256
 * \approx 1.2\cdot10^{-13} \) relative of \( e^t \) (stated bound: {@value #RELATIVE_ERROR};
 * {@code FastExpTest} checks it against {@link Math#exp}). In decades that is below
 * \( 10^{-13} \). Derivatives taken as \( d e^t/dt = e^t \) from this value are those of the
 * exponential to the same relative accuracy.
 *
 * <p>With the JDK's vector module ({@link Vectors#ENABLED}) the array form runs
 * {@link VectorKernels#exp}, which gives the same numbers bit for bit.
 *
 * <p>Stateless and thread-safe. Not a user class.
 */
public final class FastExp {

    /** Largest |t| served by the polynomial. */
    public static final double LIMIT = 40;
    /** Degree of the Taylor polynomial. */
    public static final int DEGREE = 11;
    /** The stated bound on the relative error, for |t| ≤ {@link #LIMIT}. */
    public static final double RELATIVE_ERROR = 2e-13;

    static final double SCALE = 1.0 / 256;
    static final double C2 = 1.0 / 2;
    static final double C3 = 1.0 / 6;
    static final double C4 = 1.0 / 24;
    static final double C5 = 1.0 / 120;
    static final double C6 = 1.0 / 720;
    static final double C7 = 1.0 / 5040;
    static final double C8 = 1.0 / 40320;
    static final double C9 = 1.0 / 362880;
    static final double C10 = 1.0 / 3628800;
    static final double C11 = 1.0 / 39916800;

    private FastExp() {
    }

    /** \( e^t \) by the vector method, for |t| ≤ {@link #LIMIT} only (no check). */
    private static double core(double t) {
        double u = t * SCALE;
        double p = 1 + u * (1 + u * (C2 + u * (C3 + u * (C4 + u * (C5 + u * (C6 + u * (C7 + u * (C8 + u * (C9
                + u * (C10 + u * C11))))))))));
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p;
    }

    /** \( e^t \) for one value (the same result as an element of {@link #exp(double[], double, double, double[], int)}). */
    public static double exp(double t) {
        return Math.abs(t) <= LIMIT ? core(t) : Math.exp(t);
    }

    /**
     * {@code out[k] = exp(a * (x[k] + c))} for k = 0 .. n − 1, within {@link #RELATIVE_ERROR}
     * relative of the exponential (see the class comment). {@code out} must not be {@code x}.
     * (Both arrays start at index 0: the JIT does not vectorise a loop whose load and store use
     * different offsets into arrays that might be the same.)
     */
    public static void exp(double[] x, double a, double c, double[] out, int n) {
        if (Vectors.active()) {
            VectorKernels.exp(x, a, c, out, n);
            return;
        }
        plainExp(x, a, c, out, n);
    }

    /** {@link #exp(double[], double, double, double[], int)} in plain loops (the vector kernel's reference). */
    static void plainExp(double[] x, double a, double c, double[] out, int n) {
        for (int k = 0; k < n; k++) {
            out[k] = core(a * (x[k] + c));
        }
        // The range check: a plain comparison per element, leaving at the first miss. (A running
        // Math.max over the elements cost as much as the polynomial loop: Math.max's NaN and
        // signed-zero rules make it a long scalar sequence.)
        int first = n;
        for (int k = 0; k < n; k++) {
            if (!(Math.abs(a * (x[k] + c)) <= LIMIT)) {
                first = k;
                break;
            }
        }
        for (int k = first; k < n; k++) {
            double t = a * (x[k] + c);
            if (!(Math.abs(t) <= LIMIT)) {
                out[k] = Math.exp(t);
            }
        }
    }
}
