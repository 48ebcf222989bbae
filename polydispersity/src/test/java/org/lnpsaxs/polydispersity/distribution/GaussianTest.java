package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.apache.commons.math3.distribution.NormalDistribution;

class GaussianTest extends SizeDistributionContract {

    @Override
    Arbitrary<SizeDistribution> distributions() {
        return Combinators.combine(Arbitraries.doubles().between(10, 500), Arbitraries.doubles().between(0.01, 0.5))
                .as(Gaussian::new);
    }

    @Override
    double[] essentialRange(SizeDistribution d) {
        SasDistribution s = (SasDistribution) d;
        return new double[] {s.center() - 9 * s.sigma(), s.center() + 9 * s.sigma()};
    }

    @Override
    double parameterScale(SizeDistribution d, int j) {
        SasDistribution s = (SasDistribution) d;
        return j == 0 ? s.sigma() : s.pd();
    }

    @Example
    void matchesCommonsMath() {
        Gaussian g = new Gaussian(250, 0.1);
        NormalDistribution n = new NormalDistribution(250, 25);
        for (double x = 150; x <= 350; x += 9.5) {
            assertEquals(n.density(x), g.pdf(x), 1e-14 * n.density(x));
            assertEquals(n.cumulativeProbability(x), g.cdf(x), 1e-14);
        }
        assertEquals(250 + 25 * 1.959963984540054, g.inverseCdf(0.975), 1e-12);
    }

    @Example
    void pointMassLimit() {
        Gaussian g = new Gaussian(250, 0);
        assertEquals(250, g.inverseCdf(0.3));
        double[] grad = new double[2];
        g.inverseCdfGradient(0.975, grad);
        assertEquals(1, grad[0]);
        assertEquals(250 * 1.959963984540054, grad[1], 1e-10);
    }
}
