package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.apache.commons.math3.distribution.LogNormalDistribution;

class LogNormalTest extends SizeDistributionContract {

    @Override
    Arbitrary<SizeDistribution> distributions() {
        return Combinators.combine(Arbitraries.doubles().between(10, 500), Arbitraries.doubles().between(0.01, 0.6))
                .as(LogNormal::new);
    }

    @Override
    double[] essentialRange(SizeDistribution d) {
        SasDistribution s = (SasDistribution) d;
        return new double[] {s.center() * Math.exp(-9 * s.pd()), s.center() * Math.exp(9 * s.pd())};
    }

    @Override
    double parameterScale(SizeDistribution d, int j) {
        SasDistribution s = (SasDistribution) d;
        return j == 0 ? s.sigma() : s.pd();
    }

    /** sasmodels' lognormal: median c and ln-width pd (commons-math: scale ln c, shape pd). */
    @Example
    void matchesCommonsMath() {
        LogNormal g = new LogNormal(300, 0.15);
        LogNormalDistribution n = new LogNormalDistribution(Math.log(300), 0.15);
        for (double x = 150; x <= 600; x += 13.5) {
            assertEquals(n.density(x), g.pdf(x), 1e-13 * n.density(x));
            assertEquals(n.cumulativeProbability(x), g.cdf(x), 1e-14);
        }
        assertEquals(300, g.inverseCdf(0.5), 1e-12);
    }
}
