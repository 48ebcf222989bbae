package org.lnpsaxs.optimize.data;

/**
 * Monotone piecewise-cubic Hermite interpolation (Fritsch &amp; Carlson 1980, SIAM J. Numer. Anal.
 * 17, 238): the interpolant is monotone wherever the data are, and never overshoots.
 *
 * <p>Slopes: secants \( \Delta_k = (y_{k+1}-y_k)/(x_{k+1}-x_k) \); end slopes
 * \( m_0 = \Delta_0 \), \( m_{n-1} = \Delta_{n-2} \); interior \( m_k = (\Delta_{k-1}+\Delta_k)/2 \),
 * or 0 where the secants change sign or one is 0. Then on each interval with \( \Delta_k = 0 \)
 * both end slopes are set to 0, and where \( \alpha^2+\beta^2 &gt; 9 \) (\( \alpha = m_k/\Delta_k \),
 * \( \beta = m_{k+1}/\Delta_k \)) both are scaled by \( \tau = 3/\sqrt{\alpha^2+\beta^2} \).
 * Between nodes the cubic Hermite form with these slopes is evaluated. Outside \([x_0, x_{n-1}]\)
 * evaluation is refused. Units are the caller's. Immutable and thread-safe. Not a user class:
 * {@link FitData} uses it.
 */
final class MonotoneCubic {

    private final double[] x;
    private final double[] y;
    private final double[] m;

    private MonotoneCubic(double[] x, double[] y, double[] m) {
        this.x = x;
        this.y = y;
        this.m = m;
    }

    /**
     * The interpolant through the points {@code (x[i], y[i])}.
     *
     * @param x at least 2 finite, strictly ascending abscissae
     * @param y as many finite ordinates
     */
    public static MonotoneCubic of(double[] x, double[] y) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            throw new IllegalArgumentException("monotone cubic needs at least 2 points and as many y as x values, got "
                    + n + " x and " + y.length + " y");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("monotone cubic: point " + i + " (" + x[i] + ", " + y[i] + ") is not finite");
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("monotone cubic: x is not strictly ascending at index " + i);
            }
        }
        double[] d = new double[n - 1];
        for (int k = 0; k < n - 1; k++) {
            d[k] = (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
        }
        double[] m = new double[n];
        m[0] = d[0];
        m[n - 1] = d[n - 2];
        for (int k = 1; k < n - 1; k++) {
            m[k] = d[k - 1] * d[k] <= 0 ? 0 : 0.5 * (d[k - 1] + d[k]);
        }
        for (int k = 0; k < n - 1; k++) {
            if (d[k] == 0) {
                m[k] = 0;
                m[k + 1] = 0;
                continue;
            }
            double a = m[k] / d[k];
            double b = m[k + 1] / d[k];
            double r = a * a + b * b;
            if (r > 9) {
                double t = 3 / Math.sqrt(r);
                m[k] = t * a * d[k];
                m[k + 1] = t * b * d[k];
            }
        }
        return new MonotoneCubic(x.clone(), y.clone(), m);
    }

    /** The smallest abscissa. */
    public double min() {
        return x[0];
    }

    /** The largest abscissa. */
    public double max() {
        return x[x.length - 1];
    }

    /**
     * The interpolated value at {@code t}.
     *
     * @throws IllegalArgumentException if {@code t} is outside \([x_0, x_{n-1}]\)
     */
    public double value(double t) {
        if (!(t >= x[0] && t <= x[x.length - 1])) {
            throw new IllegalArgumentException("monotone cubic: " + t + " is outside the data range [" + x[0] + ", "
                    + x[x.length - 1] + "]; no extrapolation");
        }
        int k = java.util.Arrays.binarySearch(x, t);
        if (k >= 0) {
            return y[k];
        }
        k = -k - 2;
        double h = x[k + 1] - x[k];
        double s = (t - x[k]) / h;
        double s2 = s * s;
        double s3 = s2 * s;
        double h00 = 2 * s3 - 3 * s2 + 1;
        double h10 = s3 - 2 * s2 + s;
        double h01 = -2 * s3 + 3 * s2;
        double h11 = s3 - s2;
        return h00 * y[k] + h10 * h * m[k] + h01 * y[k + 1] + h11 * h * m[k + 1];
    }

    /** Values at every point of {@code t} (each inside the data range). */
    public double[] values(double[] t) {
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = value(t[i]);
        }
        return out;
    }
}
