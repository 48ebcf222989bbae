package org.lnpsaxs.core.formfactor;

/**
 * Scratch of the sphere kernels' last step over q: the amplitude F(q) (10⁻⁶ Å⁻² · Å³), the
 * upstream factor and up to four per-q terms of the gradient, each in an array of its own from
 * index 0 so that C2 vectorises the loops that fill them (a loop that loads from one array and
 * stores to another at a different offset is not vectorised, the two might be the same array).
 * Not thread-safe; one per kernel call. Not a user class.
 */
final class Terms {
    /** The amplitude F per q. */
    final double[] f;
    /** The upstream factor \( 2\cdot10^{-4}\,F\,\partial L/\partial f2 \) per q. */
    final double[] g;
    /** Gradient terms per q. */
    final double[] t1;
    /** Gradient terms per q. */
    final double[] t2;
    /** Gradient terms per q. */
    final double[] t3;
    /** Gradient terms per q. */
    final double[] t4;
    private final double[] out;

    Terms(int n) {
        f = new double[n];
        g = new double[n];
        t1 = new double[n];
        t2 = new double[n];
        t3 = new double[n];
        t4 = new double[n];
        out = new double[n];
    }

    /** {@code f2[off + i] = 1e-4 f[i] f[i]} for i &lt; n (in cm⁻¹·Å³, as the kernels return it). */
    void square(double[] amplitude, int n, double[] f2, int off) {
        for (int i = 0; i < n; i++) {
            out[i] = 1.0e-4 * amplitude[i] * amplitude[i];
        }
        System.arraycopy(out, 0, f2, off, n);
    }

    /** {@code g[i] = dLdF2[off + i] · 2e-4 · f[i]} for i &lt; n; returns {@link #g}. */
    double[] upstream(double[] dLdF2, int off, double[] amplitude, int n) {
        System.arraycopy(dLdF2, off, g, 0, n);
        for (int i = 0; i < n; i++) {
            g[i] = g[i] * 2.0e-4 * amplitude[i];
        }
        return g;
    }
}
