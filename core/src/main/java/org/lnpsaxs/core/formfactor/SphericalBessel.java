package org.lnpsaxs.core.formfactor;

/**
 * The normalised sphere amplitude \( j(x) = 3 j_1(x)/x = 3(\sin x - x\cos x)/x^3 \) (dimensionless,
 * \( j(0) = 1 \)) and its derivative \( j'(x) \), evaluated as sasmodels does.
 *
 * <p><b>Value.</b> For \( |x| &lt; 0.1 \) the value is sasmodels' four-term series
 * ({@code lib/sas_3j1x_x.c}) \( 1 + x^2(-3/30 + x^2(3/840 + x^2(-3/45360))) \), whose truncation
 * error is below \( x^8/1330560 \le 7.5\cdot10^{-15} \); above, the closed form
 * \( 3(\sin x/x - \cos x)/x^2 \), whose cancellation error is about \( 10^{-16}\cdot 3/x^2 \)
 * (7·10⁻¹⁴ at the switch, negligible for \( x \gtrsim 1 \)). This reproduces sasmodels to a few
 * units in the last place.
 *
 * <p><b>Derivative.</b> \( j'(x) = 3(\sin x - x\,j(x))/x^2 \) loses about \( 5/x^4 \) ulps to
 * cancellation, so for \( |x| &lt; 1 \) it is the series
 * \( j'(x) = x\sum_{k\ge1} (-1)^k\, 6k(2k+2)\,x^{2k-2}/(2k+3)! \), summed to 10 terms (truncation
 * below \( 10^{-18} \) relative at \( |x| = 1 \)); above it is the closed form, sharing the
 * \( \sin x \) and \( \cos x \) of the value. It is accurate to about \( 10^{-15} \) relative to
 * \( |j'| \) everywhere (outside the zeros of \( j' \)); below \( |x| = 0.1 \) it therefore differs
 * from the derivative of the truncated value series by at most \( x^7/166320 \) (3·10⁻¹⁰ relative
 * at the switch), far below any finite-difference check.
 *
 * <p><b>Radius slope.</b> A sphere's amplitude times its volume, \( V_R\,j(qR) \), has the slope
 * \( \partial_R\big(V_R\,j(qR)\big) = 4\pi R^2\,\mathrm{sinc}(qR) \) with
 * \( \mathrm{sinc}(x) = \sin x/x = j(x) + x j'(x)/3 \) ({@link #sinc}), which needs no cancelling
 * difference.
 *
 * <p>This class is the one home of the sphere amplitude: {@link Sphere}, {@link CoreShellSphere}
 * and the surrogate's mean particle ({@code org.lnpsaxs.surrogate.lnp.MeanParticle}, which makes
 * \( \sin \) and \( \cos \) on a linear grid by recurrence and calls {@link #cubeValue}) use it.
 * Static methods on a final class, so that the JIT inlines them into the kernels' loops.
 */
public final class SphericalBessel {

    /** Below this |x| the value uses sasmodels' series (double precision cut-off of sasmodels). */
    public static final double VALUE_SERIES_CUTOFF = 0.1;

    /** Below this |x| the derivative uses its series. */
    public static final double DERIVATIVE_SERIES_CUTOFF = 1.0;

    /** Series coefficients of j'(x)/x in powers of x², c_k = (-1)^k 6k(2k+2)/(2k+3)!, k = 1..10. */
    private static final double[] DERIVATIVE_SERIES = derivativeSeries(10);

    private SphericalBessel() {
    }

    /** \( j(x) = 3(\sin x - x\cos x)/x^3 \), with sasmodels' series for \( |x| &lt; 0.1 \). */
    public static double value(double x) {
        if (Math.abs(x) < VALUE_SERIES_CUTOFF) {
            return valueSeries(x);
        }
        double[] sc = new double[2];
        SinCos.of(x, sc);
        return valueClosed(x, sc[0], sc[1]);
    }

    /** \( j'(x) \) (series for \( |x| &lt; 1 \), closed form above). */
    public static double derivative(double x) {
        if (Math.abs(x) < DERIVATIVE_SERIES_CUTOFF) {
            return derivativeSeries(x);
        }
        double[] sc = new double[2];
        SinCos.of(x, sc);
        return derivativeClosed(x, sc[0], valueClosed(x, sc[0], sc[1]));
    }

    /**
     * Writes \( j(x) \) to {@code out[0]} and, when {@code withDerivative}, \( j'(x) \) to
     * {@code out[1]}, computing \( \sin x \) and \( \cos x \) at most once (the kernels' hot path;
     * {@code out} is a caller-owned scratch array of length 2).
     */
    static void valueAndDerivative(double x, boolean withDerivative, double[] out) {
        if (Math.abs(x) < VALUE_SERIES_CUTOFF) {
            valueAndDerivative(x, withDerivative, 0.0, 1.0, out); // the series need neither sin nor cos
        } else {
            // sin and cos with one argument reduction (SinCos), written to out and then replaced
            SinCos.of(x, out);
            valueAndDerivative(x, withDerivative, out[0], out[1], out);
        }
    }

    /**
     * As {@link #valueAndDerivative(double, boolean, double[])} from precomputed \( \sin x \) and
     * \( \cos x \) (used where the closed forms are; the series below their cut-offs need neither).
     */
    static void valueAndDerivative(double x, boolean withDerivative, double sin, double cos, double[] out) {
        double ax = Math.abs(x);
        if (ax < DERIVATIVE_SERIES_CUTOFF) {
            out[0] = ax < VALUE_SERIES_CUTOFF ? valueSeries(x) : valueClosed(x, sin, cos);
            if (withDerivative) {
                out[1] = derivativeSeries(x);
            }
        } else {
            double j = valueClosed(x, sin, cos);
            out[0] = j;
            if (withDerivative) {
                out[1] = derivativeClosed(x, sin, j);
            }
        }
    }

    /**
     * sasmodels' series for \( |x| &lt; \) {@link #VALUE_SERIES_CUTOFF} (any x is accepted;
     * accurate only for small x).
     */
    public static double valueSeries(double x) {
        double x2 = x * x;
        return 1.0 + x2 * (-3. / 30. + x2 * (3. / 840. + x2 * (-3. / 45360.)));
    }

    /** The closed form from precomputed \( \sin x \), \( \cos x \) (exactly sasmodels' expression). */
    static double valueClosed(double x, double sin, double cos) {
        return 3.0 * (sin / x - cos) / (x * x);
    }

    /**
     * \( x^3 j(x)/3 = \sin x - x\cos x \) from precomputed \( \sin x \), \( \cos x \): the closed
     * form for callers that hold \( 1/x^3 \) (or \( 1/q^3 \)) already. It loses about
     * \( 10^{-16}\cdot 3/x^2 \) relative to cancellation, so below {@link #VALUE_SERIES_CUTOFF} use
     * \( (x^3/3)\,{\tt valueSeries}(x) \) instead.
     */
    public static double cubeValue(double x, double sin, double cos) {
        return sin - x * cos;
    }

    /**
     * \( \mathrm{sinc}(x) = \sin x/x = j(x) + x j'(x)/3 \) (so that
     * \( \partial_R(V_R j(qR)) = 4\pi R^2\,\mathrm{sinc}(qR) \)); below
     * {@link #VALUE_SERIES_CUTOFF} the series \( 1 - x^2/6 + x^4/120 - x^6/5040 + x^8/362880 \)
     * (truncation below \( x^{10}/39916800 \le 3\cdot10^{-18} \)), so that sinc(0) = 1.
     */
    public static double sinc(double x) {
        if (Math.abs(x) < VALUE_SERIES_CUTOFF) {
            double x2 = x * x;
            return 1.0 - x2 * (1.0 / 6 - x2 * (1.0 / 120 - x2 * (1.0 / 5040 - x2 / 362880)));
        }
        return Math.sin(x) / x;
    }

    /** The derivative series (accurate for \( |x| &lt; 1 \)). */
    static double derivativeSeries(double x) {
        double x2 = x * x;
        double sum = 0.0;
        for (int k = DERIVATIVE_SERIES.length - 1; k >= 0; k--) {
            sum = sum * x2 + DERIVATIVE_SERIES[k];
        }
        return x * sum;
    }

    /** The closed-form derivative from \( \sin x \) and the value \( j(x) \). */
    static double derivativeClosed(double x, double sin, double value) {
        return 3.0 * (sin - x * value) / (x * x);
    }

    private static double[] derivativeSeries(int terms) {
        double[] c = new double[terms];
        for (int k = 1; k <= terms; k++) {
            // (2k+3)! computed exactly enough in double for k <= 10 (23! < 2^78, relative error ~1e-16)
            double factorial = 1.0;
            for (int i = 2; i <= 2 * k + 3; i++) {
                factorial *= i;
            }
            double sign = (k % 2 == 0) ? 1.0 : -1.0;
            c[k - 1] = sign * 6.0 * k * (2.0 * k + 2.0) / factorial;
        }
        return c;
    }
}
