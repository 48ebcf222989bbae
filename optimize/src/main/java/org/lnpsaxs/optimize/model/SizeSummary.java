package org.lnpsaxs.optimize.model;

import java.util.Locale;

import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * A particle-size distribution as reported for a fit or a mode: its number-weighted mean and
 * coefficient of variation (of the distribution actually used, i.e. after truncation) and its
 * probability density on a radius grid. {@link #truncatedLogNormal} computes it for the paper's
 * distribution; authors of fit models use it for their {@link BoundModel#sizeDistribution}.
 * Immutable: the arrays are copied in and out.
 *
 * @param mean   number-weighted mean radius, Å
 * @param cv     coefficient of variation (standard deviation / mean), dimensionless
 * @param radius radius grid, Å (ascending)
 * @param pdf    probability density on that grid, 1/Å (normalised over the truncation interval)
 */
public record SizeSummary(double mean, double cv, double[] radius, double[] pdf) {

    /** Points of the density grid of {@link #truncatedLogNormal}. */
    public static final int GRID = 200;
    /** Midpoints in u for the moments, E[x^k] = ∫₀¹ F⁻¹(u)^k du. */
    private static final int MOMENT_POINTS = 4000;

    /** Copies the arrays and checks that they have the same length. */
    public SizeSummary {
        if (radius.length != pdf.length) {
            throw new IllegalArgumentException("size summary: " + radius.length + " radii but " + pdf.length + " densities");
        }
        radius = radius.clone();
        pdf = pdf.clone();
    }

    /**
     * The summary of the paper's truncated log-normal ({@link TruncatedLogNormal}): mean and CV of
     * the truncated distribution (midpoint rule on 4000 points in u, \( E[x^k] = \int_0^1 F^{-1}(u)^k du \))
     * and its density on {@value #GRID} points between its 0.01 % and 99.99 % quantiles.
     *
     * @param mean  the distribution's {@code mean} parameter (of the untruncated log-normal), Å
     * @param cv    its {@code cv} parameter
     * @param lower the truncation's lower end, Å
     * @param upper the truncation's upper end, Å
     */
    public static SizeSummary truncatedLogNormal(double mean, double cv, double lower, double upper) {
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

    /** The radius grid, Å (a copy). */
    @Override
    public double[] radius() {
        return radius.clone();
    }

    /** The density, 1/Å (a copy). */
    @Override
    public double[] pdf() {
        return pdf.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SizeSummary s && Double.compare(mean, s.mean) == 0 && Double.compare(cv, s.cv) == 0
                && java.util.Arrays.equals(radius, s.radius) && java.util.Arrays.equals(pdf, s.pdf);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mean, cv, java.util.Arrays.hashCode(radius), java.util.Arrays.hashCode(pdf));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SizeSummary[mean %.4g Å, CV %.4g, density on %d radii %.4g..%.4g Å]", mean, cv,
                radius.length, radius.length == 0 ? Double.NaN : radius[0],
                radius.length == 0 ? Double.NaN : radius[radius.length - 1]);
    }
}
