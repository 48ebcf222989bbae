package org.lnpsaxs.optimize.model;

import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/** Summaries of the paper's truncated log-normal for reports. Not a user class. */
final class SizeDistributions {

    /** Points of the reported density grid. */
    static final int GRID = 200;
    /** Midpoints in u for the moments, E[x^k] = ∫₀¹ F⁻¹(u)^k du. */
    private static final int MOMENT_POINTS = 4000;

    private SizeDistributions() {
    }

    /**
     * Mean and CV of the truncated distribution and its density on 200 points between its
     * 0.01 % and 99.99 % quantiles (inside the truncation [A, B]).
     */
    static SizeSummary summary(double mean, double cv, double lower, double upper) {
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, lower, upper);
        double m1 = 0;
        double m2 = 0;
        for (int i = 0; i < MOMENT_POINTS; i++) {
            double x = d.inverseCdf((i + 0.5) / MOMENT_POINTS);
            m1 += x;
            m2 += x * x;
        }
        m1 /= MOMENT_POINTS;
        m2 /= MOMENT_POINTS;
        double sd = Math.sqrt(Math.max(0, m2 - m1 * m1));
        double[] r = new double[GRID];
        double[] p = new double[GRID];
        double a = d.inverseCdf(1e-4);
        double b = d.inverseCdf(1 - 1e-4);
        for (int i = 0; i < GRID; i++) {
            r[i] = a + (b - a) * i / (GRID - 1);
            p[i] = d.pdf(r[i]);
        }
        return new SizeSummary(m1, sd / m1, r, p);
    }
}
