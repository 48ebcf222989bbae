package org.lnpsaxs.core.simulator;

import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The spectral density of the particle interior's Gaussian random field: a mixture of two
 * log-normal curves in \( k = |\mathbf{k}| \) (Å⁻¹),
 * \[ G(k) = w_1\,\mathrm{LN}(k; m_1, s_1) + (1 - w_1)\,\mathrm{LN}(k; m_2, s_2), \qquad G(0) = 0, \]
 * where each component is given by its mean \( m \) and standard deviation \( s \) in \( k \):
 * \( \mu = \ln\!\big(m^2/\sqrt{m^2 + s^2}\big) \), \( \sigma^2 = \ln(1 + s^2/m^2) \),
 * \( \mathrm{LN}(k) = \exp\!\big(-(\ln k - \mu)^2/2\sigma^2\big)/(k\sigma\sqrt{2\pi}) \).
 *
 * <p>\( G \) is the power per point of the three-dimensional Fourier lattice, a function of
 * \( |\mathbf{k}| \) only, as in the paper's simulator. Its overall scale is irrelevant: the field
 * is standardised afterwards. The field's normalised correlation function is
 * \( g(r) = \int_0^\infty G(k)\,k^2\,\mathrm{sinc}(kr)\,dk \big/ \int_0^\infty G(k)\,k^2\,dk \).
 *
 * @param w1 weight of the first component, in [0, 1]
 * @param m1 mean \( k \) of the first component, Å⁻¹ (&gt; 0)
 * @param s1 standard deviation in \( k \) of the first component, Å⁻¹ (&gt; 0)
 * @param m2 mean \( k \) of the second component, Å⁻¹ (&gt; 0)
 * @param s2 standard deviation in \( k \) of the second component, Å⁻¹ (&gt; 0)
 */
public record SpectralDensity(double w1, double m1, double s1, double m2, double s2) {

    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** Validates the values. */
    public SpectralDensity {
        if (!(w1 >= 0 && w1 <= 1)) {
            throw new IllegalArgumentException("spectral weight w1 = " + w1 + " is outside [0, 1]");
        }
        check("m1", m1);
        check("s1", s1);
        check("m2", m2);
        check("s2", s2);
    }

    private static void check(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("spectral " + name + " = " + v + " 1/Å must be finite and > 0");
        }
    }

    /**
     * The spectral density of an LNP parameter vector (in {@link LnpParameters#SPACE}'s order:
     * {@code w_q1, m_q1, m_q2, s_q1, s_q2}); the bounds are not checked here.
     */
    public static SpectralDensity of(double[] theta) {
        ParameterSpace p = LnpParameters.SPACE;
        return new SpectralDensity(
                theta[p.indexOf(LnpParameters.W_Q1)],
                theta[p.indexOf(LnpParameters.M_Q1)], theta[p.indexOf(LnpParameters.S_Q1)],
                theta[p.indexOf(LnpParameters.M_Q2)], theta[p.indexOf(LnpParameters.S_Q2)]);
    }

    /** \( G(k) \) for \( k \) in Å⁻¹ (0 for \( k \le 0 \)). */
    public double value(double k) {
        if (!(k > 0)) {
            return 0.0;
        }
        double lnk = Math.log(k);
        double g = 0.0;
        if (w1 > 0) {
            g += w1 * logNormal(lnk, k, m1, s1);
        }
        if (w1 < 1) {
            g += (1.0 - w1) * logNormal(lnk, k, m2, s2);
        }
        return g;
    }

    private static double logNormal(double lnk, double k, double m, double s) {
        double sigma2 = Math.log1p((s * s) / (m * m));
        double mu = Math.log(m * m / Math.sqrt(m * m + s * s));
        double d = lnk - mu;
        return Math.exp(-0.5 * d * d / sigma2) * INV_SQRT_2PI / (k * Math.sqrt(sigma2));
    }

    /**
     * The distance (Å) beyond which the field's normalised correlation stays below
     * {@code tolerance} in magnitude: the smallest \( \ell \) with \( |g(r)| \le \) tolerance for
     * all \( \ell \le r \le r_{max} \). The spectrum is cut at {@code kMax} (the lattice's reach).
     * A periodic box whose side exceeds the particle core's diameter by \( \ell \) holds a field
     * whose correlations inside the core differ from those of an unbounded field by at most about
     * the tolerance. Computed by quadrature on a grid fine enough for \( r_{max} \).
     *
     * @param tolerance the correlation level, in (0, 1)
     * @param kMax      the largest wavenumber of the lattice, Å⁻¹
     * @param rMax      the largest distance searched, Å; returned when \( |g| \) exceeds the
     *                  tolerance up to there
     * @param step      the distance step of the search, Å
     */
    public double decayLength(double tolerance, double kMax, double rMax, double step) {
        if (!(tolerance > 0 && tolerance < 1) || !(kMax > 0) || !(rMax > step) || !(step > 0)) {
            throw new IllegalArgumentException("decayLength: need 0 < tolerance < 1, kMax > 0, rMax > step > 0");
        }
        // the k range that holds all but ~1e-12 of the variance, from a coarse scan of G k^2
        int coarse = 4096;
        double dkc = kMax / coarse;
        double[] cum = new double[coarse + 1];
        for (int j = 0; j < coarse; j++) {
            double k = (j + 0.5) * dkc;
            cum[j + 1] = cum[j] + value(k) * k * k;
        }
        double total = cum[coarse];
        if (!(total > 0)) {
            return 0.0;
        }
        int lo = 0;
        while (lo < coarse && cum[lo + 1] < 1e-12 * total) {
            lo++;
        }
        int hi = coarse;
        while (hi > lo + 1 && total - cum[hi - 1] < 1e-12 * total) {
            hi--;
        }
        double kLo = lo * dkc;
        double kHi = hi * dkc;
        // midpoint rule: its error is the correlation "aliased" from 2π/dk ≥ 8 rMax away, and
        // dk resolves the narrowest component
        double narrowest = Math.min(s1, s2);
        double dk = Math.min(narrowest / 8.0, 2.0 * Math.PI / (8.0 * rMax));
        int nk = (int) Math.ceil((kHi - kLo) / dk);
        dk = (kHi - kLo) / nk;
        double[] weight = new double[nk];
        double[] kk = new double[nk];
        double norm = 0.0;
        for (int j = 0; j < nk; j++) {
            double k = kLo + (j + 0.5) * dk;
            kk[j] = k;
            weight[j] = value(k) * k;   // G k^2 sinc(kr) = G k sin(kr)/r
            norm += value(k) * k * k;
        }
        int nr = (int) Math.floor(rMax / step);
        for (int i = nr; i >= 1; i--) {
            double r = i * step;
            // sin(k_j r) by a rotation recurrence from k_0
            double c = Math.cos(dk * r);
            double s = Math.sin(dk * r);
            double sn = Math.sin(kk[0] * r);
            double cs = Math.cos(kk[0] * r);
            double acc = 0.0;
            for (int j = 0; j < nk; j++) {
                acc += weight[j] * sn;
                double t = sn * c + cs * s;
                cs = cs * c - sn * s;
                sn = t;
            }
            double g = acc / (r * norm);
            if (Math.abs(g) > tolerance) {
                return Math.min(rMax, r + step);
            }
        }
        return 0.0;
    }
}
