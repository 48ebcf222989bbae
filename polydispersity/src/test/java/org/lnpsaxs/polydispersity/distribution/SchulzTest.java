package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.apache.commons.math3.distribution.GammaDistribution;

class SchulzTest extends SizeDistributionContract {

    @Override
    Arbitrary<SizeDistribution> distributions() {
        return Combinators.combine(Arbitraries.doubles().between(10, 500), Arbitraries.doubles().between(0.02, 0.6))
                .as(Schulz::new);
    }

    @Override
    double[] essentialRange(SizeDistribution d) {
        SasDistribution s = (SasDistribution) d;
        double pd = s.pd();
        return new double[] {0, s.center() * (1 + 12 * pd + 30 * pd * pd)};
    }

    @Override
    double parameterScale(SizeDistribution d, int j) {
        SasDistribution s = (SasDistribution) d;
        return j == 0 ? s.sigma() : s.pd();
    }

    /** P(a, y) loses ~ a ln a · 1e-16 to the exponent of its prefactor (see {@link Schulz}). */
    @Override
    double cdfRelativeAccuracy(SizeDistribution d) {
        double a = ((Schulz) d).shape();
        return Math.max(1e-13, 4e-16 * a * Math.log(a));
    }

    /** A gamma distribution with mean c and standard deviation pd·c (shape 1/pd², scale c·pd²). */
    @Example
    void isTheGammaDistributionWithMeanAndRelativeWidth() {
        Schulz s = new Schulz(250, 0.1);
        GammaDistribution g = new GammaDistribution(100, 2.5);
        for (double x = 170; x <= 340; x += 8.5) {
            assertEquals(g.density(x), s.pdf(x), 1e-12 * g.density(x));
            assertEquals(g.cumulativeProbability(x), s.cdf(x), 1e-13);
        }
        assertEquals(250, g.getNumericalMean(), 1e-12);
        assertEquals(25, Math.sqrt(g.getNumericalVariance()), 1e-12);
    }

    /** sasmodels' weight formula exp(z ln z + (z-1) ln R - R z - ln c - lnΓ(z)), z = 1/pd², R = x/c. */
    @Example
    void matchesSasmodelsWeightFormula() {
        double c = 200;
        double pd = 0.25;
        Schulz s = new Schulz(c, pd);
        double z = 1 / (pd * pd);
        for (double x = 60; x <= 400; x += 17) {
            double r = x / c;
            double px = Math.exp(z * Math.log(z) + (z - 1) * Math.log(r) - r * z - Math.log(c)
                    - org.apache.commons.math3.special.Gamma.logGamma(z));
            assertEquals(px, s.pdf(x), 1e-13 * px);
        }
    }
}
