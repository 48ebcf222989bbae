package org.lnpsaxs.optimize.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The ensemble sampler on targets with known answers. */
class EnsembleSamplerTest {

    private static final NormalDistribution N01 = new NormalDistribution(null, 0, 1);

    @Test
    void correlatedGaussianMomentsAndQuantilesAgreeWithTheTruth() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(10, 0.9, 11);
        // tau is ~55 steps here; R-hat - 1 of a mixed ensemble is ~tau/steps, so R-hat < 1.01 needs ~100 tau
        Chain c = EnsembleSampler.create().withSeed(1)
                .sample(g, Initialization.gaussianBall(new double[10], 0.1), 1000, 9000);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures());
        assertEquals(40, c.walkers());
        List<Marginal> marg = Marginal.of(c);
        for (int k = 0; k < 10; k++) {
            Marginal m = marg.get(k);
            double mu = g.mean[k];
            double sd = g.sd(k);
            double ess = v.ess(k);
            assertTrue(ess >= 400 && ess <= c.size(), "ESS " + ess);
            // within 4 Monte Carlo standard errors of the truth
            assertEquals(mu, m.mean(), 4 * m.mcseMean(), "mean of x" + k);
            assertEquals(sd, m.sd(), 4 * sd / Math.sqrt(2 * ess), "sd of x" + k);
            assertQuantile(mu, sd, 0.05, m.p05(), ess, k);
            assertQuantile(mu, sd, 0.16, m.p16(), ess, k);
            assertQuantile(mu, sd, 0.50, m.median(), ess, k);
            assertQuantile(mu, sd, 0.84, m.p84(), ess, k);
            assertQuantile(mu, sd, 0.95, m.p95(), ess, k);
        }
        // the correlation of neighbours is 0.9; its standard error is (1 - rho^2)/sqrt(ESS)
        double[][] x = c.draws();
        for (int k = 0; k + 1 < 10; k++) {
            double r = correlation(x, k, k + 1);
            assertEquals(0.9, r, 4 * (1 - 0.81) / Math.sqrt(Math.min(v.ess(k), v.ess(k + 1))), "corr " + k);
        }
    }

    /** A sample quantile has standard error sqrt(p(1-p)/ESS)/f(q_p). */
    static void assertQuantile(double mu, double sd, double p, double actual, double ess, int k) {
        double z = N01.inverseCumulativeProbability(p);
        double se = sd * Math.sqrt(p * (1 - p) / ess) / N01.density(z);
        assertEquals(mu + z * sd, actual, 4 * se, "quantile " + p + " of x" + k);
    }

    static double correlation(double[][] x, int a, int b) {
        double ma = 0;
        double mb = 0;
        for (double[] r : x) {
            ma += r[a];
            mb += r[b];
        }
        ma /= x.length;
        mb /= x.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (double[] r : x) {
            sab += (r[a] - ma) * (r[b] - mb);
            saa += (r[a] - ma) * (r[a] - ma);
            sbb += (r[b] - mb) * (r[b] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void credibleIntervalsCoverTheTruthAtTheirNominalRate() {
        // Conjugate model: theta ~ N(0, I2), y | theta ~ N(theta, S). Drawing theta from the prior
        // and y from the model, the posterior's central 68 % and 90 % intervals must contain theta
        // in 68 % and 90 % of the repetitions (Cook, Gelman & Rubin 2006).
        double[][] s = {{0.5, 0.3}, {0.3, 1.0}};
        double det = s[0][0] * s[1][1] - s[0][1] * s[0][1];
        double[][] p = {{s[1][1] / det, -s[0][1] / det}, {-s[0][1] / det, s[0][0] / det}};
        int reps = 200;
        SplittableRandom r = new SplittableRandom(2024);
        int[] in68 = new int[2];
        int[] in90 = new int[2];
        EnsembleSampler sampler = EnsembleSampler.create().withWalkers(12);
        for (int rep = 0; rep < reps; rep++) {
            double[] theta = {DiagnosticsTest.gaussian(r), DiagnosticsTest.gaussian(r)};
            double e0 = DiagnosticsTest.gaussian(r);
            double e1 = DiagnosticsTest.gaussian(r);
            // Cholesky of S
            double l00 = Math.sqrt(s[0][0]);
            double l10 = s[0][1] / l00;
            double l11 = Math.sqrt(s[1][1] - l10 * l10);
            double[] y = {theta[0] + l00 * e0, theta[1] + l10 * e0 + l11 * e1};
            BatchLogDensity post = new BatchLogDensity() {
                @Override
                public int dimension() {
                    return 2;
                }

                @Override
                public void logDensity(double[] x, int batch, double[] out) {
                    for (int b = 0; b < batch; b++) {
                        double t0 = x[2 * b];
                        double t1 = x[2 * b + 1];
                        double d0 = y[0] - t0;
                        double d1 = y[1] - t1;
                        out[b] = -0.5 * (t0 * t0 + t1 * t1)
                                - 0.5 * (p[0][0] * d0 * d0 + 2 * p[0][1] * d0 * d1 + p[1][1] * d1 * d1);
                    }
                }
            };
            Chain c = sampler.withSeed(rep).sample(post, Initialization.gaussianBall(new double[2], 1.0), 200, 500);
            List<Marginal> m = Marginal.of(c);
            for (int k = 0; k < 2; k++) {
                if (m.get(k).p16() <= theta[k] && theta[k] <= m.get(k).p84()) {
                    in68[k]++;
                }
                if (m.get(k).p05() <= theta[k] && theta[k] <= m.get(k).p95()) {
                    in90[k]++;
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            // within 3 binomial standard errors of the nominal rate
            assertEquals(0.68, in68[k] / (double) reps, 3 * Math.sqrt(0.68 * 0.32 / reps), "68 % coverage of x" + k);
            assertEquals(0.90, in90[k] / (double) reps, 3 * Math.sqrt(0.90 * 0.10 / reps), "90 % coverage of x" + k);
        }
        double pooled68 = (in68[0] + in68[1]) / (2.0 * reps);
        double pooled90 = (in90[0] + in90[1]) / (2.0 * reps);
        assertEquals(0.68, pooled68, 3 * Math.sqrt(0.68 * 0.32 / (2 * reps)));
        assertEquals(0.90, pooled90, 3 * Math.sqrt(0.90 * 0.10 / (2 * reps)));
    }

    /** Two unit normals 10 sd apart along x0 with weights 0.3 and 0.7, started half and half. */
    private static Initialization twoModeStart(int d) {
        double[] a = new double[d];
        double[] b = new double[d];
        a[0] = -5;
        b[0] = 5;
        double[] sd = new double[d];
        Arrays.fill(sd, 0.5);
        return Initialization.modes(List.of(new Initialization.Mode(a, sd, 0.5), new Initialization.Mode(b, sd, 0.5)));
    }

    @Test
    void modeJumpsRecoverTheWeightsOfSeparatedModes() {
        int d = 4;
        BatchLogDensity target = TestTargets.twoModes(d, 10, 0.3);
        Initialization init = twoModeStart(d);
        Chain c = EnsembleSampler.create().withSeed(4).withModeJumps(init.nearestMode(), 2)
                .sample(target, init, 2000, 8000);
        ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
        assertTrue(w.switches() > 1000, "walkers must move between the modes: " + w.switches());
        assertEquals(0.3, w.weights()[0], 4 * w.standardErrors()[0]);
        assertEquals(0.3, w.weights()[0], 0.03);
        assertEquals(1.0, w.weights()[0] + w.weights()[1], 1e-12);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures());
        // the marginal of x0 is the mixture: mean 0.3*(-5) + 0.7*5 = 2
        Marginal x0 = Marginal.of(c).get(0);
        assertEquals(2.0, x0.mean(), 4 * x0.mcseMean());
    }

    @Test
    void walkersStuckInSeparateModesAreNeverCalledConverged() {
        int d = 4;
        BatchLogDensity target = TestTargets.twoModes(d, 16, 0.3);
        Initialization init = twoModeStart(d);
        // the plain stretch move cannot cross 16 sd: the walkers keep their starting modes
        Chain c = EnsembleSampler.create().withSeed(4).withDifferentialEvolution(0, 0)
                .sample(target, init, 1000, 4000);
        ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
        assertEquals(0, w.switches());
        assertEquals(0.5, w.weights()[0], 1e-12);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertFalse(v.converged());
        assertTrue(v.rHat()[0] > 1.5, "R-hat of x0: " + v.rHat()[0]);
        assertTrue(v.failures().stream().anyMatch(f -> f.startsWith("x0: R-hat")), v.failures().toString());
        // the standard error of the weight reflects that only the starting split is known
        assertTrue(w.standardErrors()[0] > 0.05, "se " + w.standardErrors()[0]);
    }

    @Test
    void samplingUntilConvergedStopsOnceTheCriteriaHold() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(3, 0.7, 5);
        Initialization init = Initialization.gaussianBall(new double[3], 0.1);
        Posterior post = EnsembleSampler.create().withSeed(2).sampleUntilConverged(g, init, ConvergenceCriteria.DEFAULT,
                200, 20000);
        assertTrue(post.converged(), () -> post.convergence().failures().toString());
        assertEquals(post.totalSteps() / 2, post.burnIn());
        assertEquals(post.totalSteps() - post.burnIn(), post.chain().steps());
        assertTrue(post.totalSteps() > 200 && post.totalSteps() < 20000, "steps " + post.totalSteps());
        // the check before the last one failed: the same run stopped one check earlier is not converged
        int before = post.totalSteps() * 2 / 3;
        EnsembleRun run = EnsembleSampler.create().withSeed(2).start(g, init);
        run.advance(before);
        assertFalse(Convergence.of(run.chain(before / 2), ConvergenceCriteria.DEFAULT).converged());
        // an impossible budget is reported as not converged
        Posterior short_ = EnsembleSampler.create().withSeed(2).sampleUntilConverged(g, init,
                ConvergenceCriteria.DEFAULT, 40, 40);
        assertFalse(short_.converged());
        assertFalse(short_.convergence().failures().isEmpty());
        assertTrue(post.method().startsWith("affine-invariant ensemble sampler"), post.method());
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(5, 0.5, 3);
        Initialization init = Initialization.gaussianBall(new double[5], 0.5);
        ToIntFunction<double[]> label = x -> x[0] < 0 ? 0 : 1;
        EnsembleSampler s = EnsembleSampler.create().withSeed(77).withModeJumps(label, 2).withThin(3);
        Chain a = s.sample(g, init, 50, 300);
        Chain b = s.sample(g, init, 50, 300);
        assertArrayEquals(a.values(), b.values());
        assertArrayEquals(a.logDensities(), b.logDensities());
        assertArrayEquals(a.walkerAcceptance(), b.walkerAcceptance());
        assertEquals(a.moves(), b.moves());
        Chain other = s.withSeed(78).sample(g, init, 50, 300);
        assertFalse(Arrays.equals(a.values(), other.values()));
        // running in pieces gives the same chain as running at once
        EnsembleRun run = s.start(g, init);
        run.advance(100);
        run.advance(250);
        assertArrayEquals(a.values(), run.chain(50).values());
        assertEquals(100, a.steps()); // 300 kept steps thinned by 3
        assertEquals(51, a.firstStep());
    }

    @Test
    void everyProposalOfAHalfIsScoredInOneBatchCall() {
        int[] calls = new int[1];
        int[] largest = new int[1];
        BatchLogDensity counting = new BatchLogDensity() {
            @Override
            public int dimension() {
                return 3;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                calls[0]++;
                largest[0] = Math.max(largest[0], batch);
                for (int b = 0; b < batch; b++) {
                    out[b] = -0.5 * (x[3 * b] * x[3 * b] + x[3 * b + 1] * x[3 * b + 1] + x[3 * b + 2] * x[3 * b + 2]);
                }
            }
        };
        EnsembleSampler.create().withWalkers(20).sample(counting, Initialization.gaussianBall(new double[3], 1), 0, 10);
        // one call for the starts, then one per half-step
        assertEquals(1 + 2 * 10, calls[0]);
        assertEquals(20, largest[0]);
    }

    @Test
    void startsOutsideTheSupportAreRedrawnAndNoDrawLeavesIt() {
        // a half-normal: -Infinity for x0 < 0
        BatchLogDensity half = new BatchLogDensity() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                for (int b = 0; b < batch; b++) {
                    out[b] = x[2 * b] < 0 ? Double.NEGATIVE_INFINITY
                            : -0.5 * (x[2 * b] * x[2 * b] + x[2 * b + 1] * x[2 * b + 1]);
                }
            }
        };
        Chain c = EnsembleSampler.create().sample(half, Initialization.gaussianBall(new double[2], 1), 200, 3000);
        double[] v = c.values();
        for (int i = 0; i < v.length; i += 2) {
            assertTrue(v[i] >= 0);
        }
        // the mean of a half-normal is sqrt(2/pi)
        Marginal m = Marginal.of(c).get(0);
        assertEquals(Math.sqrt(2 / Math.PI), m.mean(), 4 * m.mcseMean());
        double[][] points = new double[32][2];
        for (int i = 0; i < 32; i++) {
            points[i][0] = 1 + i;
        }
        points[5][0] = -1;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EnsembleSampler.create().sample(half, Initialization.points(points), 0, 10));
        assertTrue(e.getMessage().contains("walker 5"), e.getMessage());
    }

    @Test
    void badValuesAndBadSettingsAreRefused() {
        BatchLogDensity nan = new BatchLogDensity() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                for (int b = 0; b < batch; b++) {
                    out[b] = x[2 * b] > 2 ? Double.NaN : -0.5 * x[2 * b] * x[2 * b];
                }
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EnsembleSampler.create().sample(nan, Initialization.gaussianBall(new double[2], 1), 0, 500));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> EnsembleSampler.create().withWalkers(10).sample(TestTargets.banana(5, 0.1),
                        Initialization.gaussianBall(new double[5], 1), 0, 5));
        assertTrue(a.getMessage().contains("2d + 2"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnsembleSampler.create().withWalkers(7));
        assertThrows(IllegalArgumentException.class, () -> EnsembleSampler.create().withStretchScale(1));
        assertThrows(IllegalArgumentException.class, () -> EnsembleSampler.create().withDifferentialEvolution(1.2, 0));
        a = assertThrows(IllegalArgumentException.class, () -> EnsembleSampler.create()
                .withDifferentialEvolution(0.9, 0).withModeJumps(x -> 0, 1, 0.2)
                .start(TestTargets.banana(2, 0.1), Initialization.gaussianBall(new double[2], 1)));
        assertTrue(a.getMessage().contains("exceed 1"), a.getMessage());
        e = assertThrows(IllegalStateException.class, () -> EnsembleSampler.create().withModeJumps(x -> 3, 2)
                .sample(TestTargets.banana(2, 0.1), Initialization.gaussianBall(new double[2], 1), 0, 5));
        assertTrue(e.getMessage().contains("outside [0, 2)"), e.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> EnsembleSampler.create()
                .sample(TestTargets.banana(3, 0.1), Initialization.gaussianBall(new double[2], 1), 0, 5));
        assertTrue(a.getMessage().contains("3 coordinates"), a.getMessage());
    }
}
