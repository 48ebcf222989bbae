package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ziggurat sampler against the normal law (moments, tails, Kolmogorov–Smirnov). */
class NormalSamplerTest {

    /** Double precision (one word per deviate) or single (two deviates per word, as the fields use). */
    private static double[] draw(boolean single, long key, int n) {
        NormalSampler s = new NormalSampler();
        s.reseed(key);
        double[] x = new double[n];
        for (int i = 0; i < n; i += 2) {
            if (single) {
                long bits = s.nextLong();
                x[i] = s.gaussian32((int) bits);
                if (i + 1 < n) {
                    x[i + 1] = s.gaussian32((int) (bits >>> 32));
                }
            } else {
                x[i] = s.nextGaussian();
                if (i + 1 < n) {
                    x[i + 1] = s.nextGaussian();
                }
            }
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void momentsAndTailsAreNormal(boolean single) {
        int n = 4_000_000;
        double[] draws = draw(single, NormalSampler.key(42, 1), n);
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        long beyond3 = 0;
        long beyond4 = 0;
        for (int i = 0; i < n; i++) {
            double x = draws[i];
            m1 += x;
            m2 += x * x;
            m3 += x * x * x;
            m4 += x * x * x * x;
            if (Math.abs(x) > 3) {
                beyond3++;
            }
            if (Math.abs(x) > 4) {
                beyond4++;
            }
        }
        m1 /= n;
        m2 /= n;
        m3 /= n;
        m4 /= n;
        assertEquals(0, m1, 5 * Math.sqrt(1.0 / n));
        assertEquals(1, m2, 5 * Math.sqrt(2.0 / n));
        assertEquals(0, m3, 5 * Math.sqrt(15.0 / n));
        assertEquals(3, m4, 5 * Math.sqrt(96.0 / n));
        double p3 = 2 * new NormalDistribution().cumulativeProbability(-3);
        double p4 = 2 * new NormalDistribution().cumulativeProbability(-4);
        assertEquals(p3 * n, beyond3, 5 * Math.sqrt(p3 * n));
        assertEquals(p4 * n, beyond4, 5 * Math.sqrt(p4 * n) + 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void kolmogorovSmirnov(boolean single) {
        double[] x = draw(single, NormalSampler.key(7), 200_000);
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new NormalDistribution(), x);
        assertTrue(p > 1e-4, "KS p-value " + p);
    }

    @Test
    void consecutivePairsAreUncorrelated() {
        double[] x = draw(true, NormalSampler.key(3), 1_000_000);
        double c = 0;
        double lag = 0;
        for (int i = 0; i + 2 < x.length; i += 2) {
            c += x[i] * x[i + 1];
            lag += x[i] * x[i + 2];
        }
        assertEquals(0, c / (x.length / 2), 5 / Math.sqrt(x.length / 2.0));
        assertEquals(0, lag / (x.length / 2), 5 / Math.sqrt(x.length / 2.0));
    }

    @Test
    void streamsDependOnTheKeyOnly() {
        NormalSampler a = new NormalSampler();
        NormalSampler b = new NormalSampler();
        a.reseed(99);
        for (int i = 0; i < 17; i++) {
            a.nextGaussian();
        }
        a.reseed(123);
        b.reseed(123);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextGaussian(), b.nextGaussian());
        }
    }
}
