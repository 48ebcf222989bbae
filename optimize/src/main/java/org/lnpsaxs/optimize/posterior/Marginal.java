package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The marginal posterior of one coordinate of a {@link Chain}, from all draws pooled over walkers:
 * mean, standard deviation, the Monte Carlo standard error of the mean (sd / √ESS of the raw
 * draws, {@link Diagnostics#essMean}), median and the 5, 16, 84 and 95 % quantiles (linear
 * interpolation between order statistics, numpy's default). [p16, p84] is the central 68 %
 * interval, [p05, p95] the central 90 % one. Values are in the chain's units: map a chain to
 * parameter units ({@link Chain#map}) before summarising it, because quantiles of a transformed
 * coordinate are the transformed quantiles only for monotone one-to-one maps.
 *
 * @param name     the coordinate's name
 * @param mean     the posterior mean
 * @param sd       the posterior standard deviation
 * @param mcseMean the Monte Carlo standard error of {@code mean} (0 when every draw is the same)
 * @param median   the posterior median
 * @param p05      the 5 % quantile
 * @param p16      the 16 % quantile
 * @param p84      the 84 % quantile
 * @param p95      the 95 % quantile
 */
public record Marginal(String name, double mean, double sd, double mcseMean, double median, double p05, double p16,
                       double p84, double p95) {

    /** The marginals of every coordinate of {@code chain}. */
    public static List<Marginal> of(Chain chain) {
        List<Marginal> out = new ArrayList<>(chain.dimension());
        for (int j = 0; j < chain.dimension(); j++) {
            double[][] c = chain.walkerChains(j);
            double[] v = Diagnostics.pool(c);
            double mu = Diagnostics.mean(v);
            double ss = 0;
            for (double x : v) {
                ss += (x - mu) * (x - mu);
            }
            double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
            double mcse = 0;
            if (sd > 0 && chain.steps() >= 4) {
                mcse = sd / Math.sqrt(Diagnostics.essMean(c));
            } else if (sd > 0) {
                mcse = Double.NaN;
            }
            Arrays.sort(v);
            out.add(new Marginal(chain.names().get(j), mu, sd, mcse, Diagnostics.quantileSorted(v, 0.5),
                    Diagnostics.quantileSorted(v, 0.05), Diagnostics.quantileSorted(v, 0.16),
                    Diagnostics.quantileSorted(v, 0.84), Diagnostics.quantileSorted(v, 0.95)));
        }
        return out;
    }
}
