package org.lnpsaxs.optimize.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * R-hat, ESS and autocorrelation times on synthetic chains whose properties are known in closed
 * form (or by one-dimensional quadrature written here, independent of the code under test).
 */
class DiagnosticsTest {

    private static final NormalDistribution N01 = new NormalDistribution(null, 0, 1);

    /** M chains of N draws, x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t, started from the stationary N(mu_m, sd_m^2). */
    static double[][] ar1(long seed, int m, int n, double rho, double[] mu, double[] sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] c = new double[m][n];
        double s = Math.sqrt(1 - rho * rho);
        for (int k = 0; k < m; k++) {
            double x = gaussian(r);
            for (int t = 0; t < n; t++) {
                c[k][t] = mu[k] + sd[k] * x;
                x = rho * x + s * gaussian(r);
            }
        }
        return c;
    }

    /** A standard normal deviate (Box-Muller). */
    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static double[] fill(int m, double v) {
        double[] a = new double[m];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void iidNormalChainsHaveRHatOneAndEssNearTheDrawCount() {
        int m = 8;
        int n = 4000;
        double[][] c = ar1(1, m, n, 0.0, fill(m, 0), fill(m, 1));
        double s = m * n;
        // R-hat - 1 of iid chains is O(1/n) with n = 2000 per split chain (sampling spread ~1e-4)
        assertEquals(1.0, Diagnostics.rHat(c), 2e-3);
        assertEquals(1.0, Diagnostics.rHatClassic(c), 2e-3);
        // the ESS estimate of iid draws is S within its sampling error (1-2 % here)
        assertEquals(1.0, Diagnostics.essBulk(c) / s, 0.05);
        assertEquals(1.0, Diagnostics.essTail(c) / s, 0.05);
        assertEquals(1.0, Diagnostics.essMean(c) / s, 0.05);
        assertEquals(1.0, Diagnostics.autocorrelationTime(c), 0.05);
    }

    @Test
    void ar1EssMatchesClosedForm() {
        // x_t = rho x_{t-1} + e: rho_t = rho^t, tau = (1 + rho)/(1 - rho), ESS = S (1 - rho)/(1 + rho)
        int m = 16;
        int n = 20000;
        for (double rho : new double[] {0.5, 0.9}) {
            double[][] c = ar1(7 + (long) (rho * 10), m, n, rho, fill(m, 0), fill(m, 1));
            double s = m * n;
            double tau = (1 + rho) / (1 - rho);
            // relative sampling error of a windowed tau estimate ~ sqrt(2(2K+1)/S), K the window: ~4 % here
            assertEquals(1.0, Diagnostics.essBulk(c) / (s / tau), 0.12, "bulk ESS, rho = " + rho);
            assertEquals(1.0, Diagnostics.essMean(c) / (s / tau), 0.12, "raw ESS, rho = " + rho);
            assertEquals(1.0, Diagnostics.autocorrelationTime(c) / tau, 0.12, "tau, rho = " + rho);
            assertEquals(1.0, Diagnostics.rHat(c), 0.01, "R-hat, rho = " + rho);
        }
    }

    @Test
    void ar1TailEssMatchesTheIndicatorAutocorrelation() {
        // For a Gaussian AR(1), I(x <= c) has autocovariance Phi2(c, c; rho^t) - p^2
        //   = (1/2pi) int_0^{rho^t} exp(-c^2/(1+s)) / sqrt(1 - s^2) ds   (Sheppard's formula)
        int m = 16;
        int n = 20000;
        double rho = 0.8;
        double[][] c = ar1(11, m, n, rho, fill(m, 0), fill(m, 1));
        double p = 0.05;
        double q = N01.inverseCumulativeProbability(p);
        double tau = 1;
        for (int t = 1; t < 2000; t++) {
            double r = Math.pow(rho, t);
            double upper = Math.asin(r);
            // s = sin(u) removes the endpoint singularity
            double cov = simpson(u -> Math.exp(-q * q / (1 + Math.sin(u))), 0, upper, 2000) / (2 * Math.PI);
            tau += 2 * cov / (p * (1 - p));
        }
        double expected = m * n / tau;
        // both tails give the same value for a symmetric law; the estimate is the smaller of two
        // noisy ones (each ~3 % sampling error here), so it sits slightly low
        double ess = Diagnostics.essTail(c);
        assertTrue(ess > 0.88 * expected && ess < 1.08 * expected, "tail ESS " + ess + " vs " + expected);
        // Sheppard: the indicator's autocorrelation is below rho^t, so its ESS exceeds that of x
        assertTrue(expected > m * n / ((1 + rho) / (1 - rho)), "reference: indicators decorrelate faster than x");
    }

    @Test
    void chainsWithDifferentMeansGiveTheQuadratureRHat() {
        // 4 chains, one shifted by delta: as n -> infinity the rank-normalised split R-hat tends to
        // sqrt(1 + B/W) computed from z(x) = Phi^-1(F(x)), F the pooled CDF
        int m = 4;
        int n = 40000;
        for (double delta : new double[] {1.0, 3.0}) {
            double[] mu = {0, 0, 0, delta};
            double[] sd = fill(m, 1);
            double[][] c = ar1(3, m, n, 0.0, mu, sd);
            DoubleUnaryOperator pooled = x -> {
                double f = 0;
                for (int k = 0; k < m; k++) {
                    f += N01.cumulativeProbability((x - mu[k]) / sd[k]);
                }
                return f / m;
            };
            double expected = limitRHat(mu, sd, x -> x, pooled);
            // sampling spread of the estimate ~1.3e-3 at n = 40000
            assertEquals(expected, Diagnostics.rHatBulk(c), 4e-3, "bulk R-hat, delta = " + delta);
            assertTrue(Diagnostics.rHat(c) > 1.05, "R-hat must flag shifted chains");
            // the classic split R-hat of the raw draws: sqrt(1 + var(chain means)/1)
            double meanOfMeans = delta / m;
            double b = 0;
            for (double v : mu) {
                b += 2 * (v - meanOfMeans) * (v - meanOfMeans);
            }
            b /= 2 * m - 1;
            assertEquals(Math.sqrt(1 + b), Diagnostics.rHatClassic(c), 3e-3);
        }
    }

    @Test
    void chainsWithDifferentScalesAreCaughtByTheFoldedRHat() {
        int m = 4;
        int n = 40000;
        double[] mu = fill(m, 0);
        double[] sd = {1, 1, 1, 3};
        double[][] c = ar1(5, m, n, 0.0, mu, sd);
        // bulk: every chain's z has mean 0 by symmetry, so R-hat -> 1
        assertEquals(1.0, Diagnostics.rHatBulk(c), 3e-3);
        // folded about the median (0): z = Phi^-1(G(|x|)), G(y) = mean_k (2 Phi(y/sd_k) - 1)
        DoubleUnaryOperator pooled = y -> {
            double g = 0;
            for (int k = 0; k < m; k++) {
                g += 2 * N01.cumulativeProbability(y / sd[k]) - 1;
            }
            return g / m;
        };
        double expected = limitRHat(mu, sd, Math::abs, pooled);
        assertEquals(expected, Diagnostics.rHatFolded(c), 4e-3);
        assertTrue(expected > 1.1);
        assertEquals(Diagnostics.rHatFolded(c), Diagnostics.rHat(c), 0.0);
    }

    /**
     * The n -> infinity limit of the rank-normalised split R-hat of chains N(mu_k, sd_k^2), each
     * split into two halves: draws enter as z = Phi^-1(F(g(x))) with F the pooled CDF of g(x).
     */
    static double limitRHat(double[] mu, double[] sd, DoubleUnaryOperator g, DoubleUnaryOperator pooledCdf) {
        int m = mu.length;
        double[] mean = new double[m];
        double w = 0;
        for (int k = 0; k < m; k++) {
            double muk = mu[k];
            double sdk = sd[k];
            DoubleUnaryOperator z = x -> {
                double p = pooledCdf.applyAsDouble(g.applyAsDouble(x));
                p = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
                return N01.inverseCumulativeProbability(p);
            };
            double lo = muk - 12 * sdk;
            double hi = muk + 12 * sdk;
            double e1 = integrate(x -> z.applyAsDouble(x) * N01.density((x - muk) / sdk) / sdk, muk, lo, hi);
            double e2 = integrate(x -> {
                double v = z.applyAsDouble(x);
                return v * v * N01.density((x - muk) / sdk) / sdk;
            }, muk, lo, hi);
            mean[k] = e1;
            w += e2 - e1 * e1;
        }
        w /= m;
        double grand = 0;
        for (double v : mean) {
            grand += v;
        }
        grand /= m;
        double b = 0;
        for (double v : mean) {
            b += 2 * (v - grand) * (v - grand); // each chain gives two split halves with the same limit
        }
        b /= 2 * m - 1;
        return Math.sqrt(1 + b / w);
    }

    /**
     * \( \int_{lo}^{hi} f \) with \( x = x_0 \pm s^2 \) on either side of x0, so that a kink or a
     * logarithmic singularity at x0 (the folded scores at the median) does not spoil Simpson's rule.
     */
    static double integrate(DoubleUnaryOperator f, double x0, double lo, double hi) {
        double right = simpson(t -> f.applyAsDouble(x0 + t * t) * 2 * t, 0, Math.sqrt(hi - x0), 4000);
        double left = simpson(t -> f.applyAsDouble(x0 - t * t) * 2 * t, 0, Math.sqrt(x0 - lo), 4000);
        return left + right;
    }

    static double simpson(DoubleUnaryOperator f, double a, double b, int intervals) {
        int n = intervals % 2 == 0 ? intervals : intervals + 1;
        double h = (b - a) / n;
        double s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        }
        return s * h / 3;
    }

    @Test
    void autocovarianceByFftEqualsTheDirectSum() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : new int[] {4, 5, 17, 64, 100}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextDouble() * 10 + (i % 3);
            }
            double mu = 0;
            for (double v : x) {
                mu += v;
            }
            mu /= n;
            double[] acov = Diagnostics.autocovariance(x);
            for (int t = 0; t < n; t++) {
                double direct = 0;
                for (int i = 0; i + t < n; i++) {
                    direct += (x[i] - mu) * (x[i + t] - mu);
                }
                assertEquals(direct / n, acov[t], 1e-10, "n = " + n + ", lag " + t);
            }
        }
    }

    @Test
    void rankNormalisationAveragesTiedRanks() {
        double[][] c = {{3, 1, 2, 2}, {5, 2, 4, 0}};
        double[][] z = Diagnostics.rankNormalise(c);
        double s = 8;
        for (int m = 0; m < 2; m++) {
            for (int i = 0; i < 4; i++) {
                double v = c[m][i];
                double below = 0;
                double equal = 0;
                for (double[] row : c) {
                    for (double u : row) {
                        below += u < v ? 1 : 0;
                        equal += u == v ? 1 : 0;
                    }
                }
                double rank = below + (equal + 1) / 2;
                assertEquals(N01.inverseCumulativeProbability((rank - 0.375) / (s + 0.25)), z[m][i], 1e-12);
            }
        }
    }

    @Test
    void degenerateChainsAreUndefinedOrInfiniteNeverQuietlyFine() {
        double[][] same = {{2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}};
        assertTrue(Double.isNaN(Diagnostics.rHat(same)));
        assertTrue(Double.isNaN(Diagnostics.essBulk(same)));
        assertTrue(Double.isNaN(Diagnostics.autocorrelationTime(same)));
        double[][] stuck = {{1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2}};
        assertEquals(Double.POSITIVE_INFINITY, Diagnostics.rHat(stuck));
    }

    /**
     * A chain that never moves, parked above every other draw: a quarter of the draws tie at the
     * maximum, the 95 % quantile is that value, and the upper tail's indicator is 1 everywhere — the
     * tail ESS is undefined, and the verdict says why instead of printing NaN.
     */
    @Test
    void aParkedChainAtTheTopLeavesTheTailEssUndefinedAndTheVerdictSaysWhy() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 200, w = 4;
        double[][] c = new double[w][n];
        double[] flat = new double[n * w];
        for (int k = 0; k < w; k++) {
            for (int i = 0; i < n; i++) {
                c[k][i] = k == 3 ? 10 : r.nextGaussian();
                flat[i * w + k] = c[k][i];
            }
        }
        assertTrue(Double.isNaN(Diagnostics.essTail(c)));
        Chain chain = new Chain(Chain.defaultNames(1), w, n, 1, flat, new double[n * w], 1, 1, new double[w],
                new MoveCounts(0, 0, 0, 0, 0, 0, 0, 0));
        Convergence v = Convergence.of(chain, ConvergenceCriteria.DEFAULT);
        assertTrue(!v.converged());
        assertTrue(v.failures().stream().anyMatch(f -> f.contains("tail ESS undefined") && f.contains("does not move")),
                v.failures()::toString);
        assertTrue(v.failures().stream().noneMatch(f -> f.contains("NaN")), v.failures()::toString);
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.rHat(new double[][] {{1, 2, 3, 4}, {1, 2, 3}}));
        assertTrue(e.getMessage().contains("chain 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diagnostics.essBulk(new double[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("at least 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.essTail(new double[][] {{1, 2, Double.NaN, 4}}));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }
}
