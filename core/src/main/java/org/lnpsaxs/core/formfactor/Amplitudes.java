package org.lnpsaxs.core.formfactor;

/**
 * The normalised sphere amplitude \( j(x) \) and its derivative \( j'(x) \) ({@link SphericalBessel})
 * over a q grid at once, for one radius: \( x_i = q_i R \) (dimensionless, q in Å⁻¹ and R in Å), the
 * sines and cosines by {@link SinCos}'s vector loops (or given by the caller), the closed forms in
 * loops of their own so that C2 vectorises them, and the arguments below the series cut-off
 * (\( |x| &lt; 1 \)) redone point by point. Because \( |x_i| = |q_i|\,|R| \) grows with \( |q_i| \)
 * (rounding is monotone), those arguments are found by walking the grid in order of \( |q| \)
 * (found once per kernel call, by a sort only where the grid is not ascending), up to the first
 * one at or above the cut-off. The numbers are those of
 * {@link SphericalBessel#valueAndDerivative(double, boolean, double, double, double[])} at every
 * point. Scratch for one kernel call; not thread-safe. Not a user class.
 */
final class Amplitudes {
    /** The arguments x = qR. */
    final double[] x;
    /** \( \sin x \). */
    final double[] sin;
    /** \( \cos x \). */
    final double[] cos;
    /** \( j(x) \). */
    final double[] j;
    /** \( j'(x) \) (filled only when asked for). */
    final double[] dj;
    private final SinCos.Work work = new SinCos.Work();
    private final double[] jj = new double[2];
    /** The q grid (Å⁻¹). */
    private final double[] q;
    /** The grid's indices in order of |q| (NaN last). */
    private final int[] byMagnitude;

    /** Arrays for the q grid (Å⁻¹) of one kernel call. */
    Amplitudes(double[] q) {
        this(q, order(q));
    }

    /** Arrays of their own for the same grid as {@code other} (its order by |q| shared). */
    Amplitudes(Amplitudes other) {
        this(other.q, other.byMagnitude);
    }

    private Amplitudes(double[] q, int[] byMagnitude) {
        this.q = q;
        this.byMagnitude = byMagnitude;
        int n = q.length;
        x = new double[n];
        sin = new double[n];
        cos = new double[n];
        j = new double[n];
        dj = new double[n];
    }

    /** The grid's indices in order of |q|: the identity for an ascending grid, else sorted. */
    private static int[] order(double[] q) {
        int n = q.length;
        boolean ascending = true;
        for (int i = 1; i < n && ascending; i++) {
            ascending = Math.abs(q[i - 1]) <= Math.abs(q[i]);
        }
        if (ascending) {
            // the usual grid (no NaN: a comparison with NaN is false): no sort
            int[] identity = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i] = i;
            }
            return identity;
        }
        return java.util.stream.IntStream.range(0, n).boxed()
                .sorted((a, b) -> Double.compare(Math.abs(q[a]), Math.abs(q[b])))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Fills x = qR, sin x, cos x, j(x) and, when {@code derivative}, j'(x), for the radius R (Å). */
    void at(double radius, boolean derivative) {
        int n = q.length;
        for (int i = 0; i < n; i++) {
            x[i] = q[i] * radius;
        }
        SinCos.of(x, n, sin, cos, work);
        fromSinCos(derivative);
    }

    /**
     * Fills j(x) and, when {@code derivative}, j'(x) from {@link #x}, {@link #sin} and {@link #cos}
     * as the caller set them; x must be the grid times one number (\( x_i = q_i c \)).
     */
    void fromSinCos(boolean derivative) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            j[i] = SphericalBessel.valueClosed(xi, sin[i], cos[i]);
        }
        if (derivative) {
            for (int i = 0; i < n; i++) {
                double xi = x[i];
                dj[i] = SphericalBessel.derivativeClosed(xi, sin[i], j[i]);
            }
        }
        for (int k = 0; k < n; k++) {
            int i = byMagnitude[k];
            if (!(Math.abs(x[i]) < SphericalBessel.DERIVATIVE_SERIES_CUTOFF)) {
                break;
            }
            SphericalBessel.valueAndDerivative(x[i], derivative, sin[i], cos[i], jj);
            j[i] = jj[0];
            if (derivative) {
                dj[i] = jj[1];
            }
        }
    }
}
