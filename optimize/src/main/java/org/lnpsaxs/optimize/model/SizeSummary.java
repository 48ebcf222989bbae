package org.lnpsaxs.optimize.model;

/**
 * A particle-size distribution as reported for a fit or a mode: its number-weighted mean and
 * coefficient of variation (of the distribution actually used, i.e. after truncation) and its
 * probability density on a radius grid.
 *
 * @param mean   number-weighted mean radius, Å
 * @param cv     coefficient of variation (standard deviation / mean), dimensionless
 * @param radius radius grid, Å (ascending; 200 points between the 0.01 % and 99.99 % quantiles)
 * @param pdf    probability density on that grid, 1/Å (normalised over the truncation interval)
 */
public record SizeSummary(double mean, double cv, double[] radius, double[] pdf) {
}
