package org.lnpsaxs.optimize.multistart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.optimize.loss.ScaleFreeLoss;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.testing.TwoGuinierModel;

class OptimizerTest {

    @Test
    void adamwScheduleFollowsThePaper() {
        AdamW a = AdamW.paper();
        assertEquals(1e-2 / 200, a.learningRate(0), 1e-18);
        assertEquals(1e-2 * 100 / 200, a.learningRate(99), 1e-18);
        assertEquals(1e-2, a.learningRate(199), 1e-18);
        assertEquals(1e-2, a.learningRate(200), 1e-18);
        assertEquals(0.6e-2, a.learningRate(999), 1e-15);
        // half-way through the decay (t = 599.5) the rate is the mean of the two ends
        assertTrue(a.learningRate(599) > 0.8e-2 && a.learningRate(600) < 0.8e-2);
        for (int t = 200; t < 999; t++) {
            assertTrue(a.learningRate(t + 1) <= a.learningRate(t));
        }
        assertEquals(1000, a.steps());
        assertEquals(5.0, a.clipNorm());
    }

    @Test
    void lbfgsSolvesRosenbrockFromManyStartsAndRetiresThem() {
        int n = 20;
        double[] u0 = new double[2 * n];
        for (int s = 0; s < n; s++) {
            u0[2 * s] = -2 + 4.0 * s / n;
            u0[2 * s + 1] = 2 - 3.0 * ((s * 7) % n) / n;
        }
        OptimizationResult r = Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF).minimize(new RosenbrockObjective(), u0, n,
                OptimizationListener.NONE);
        for (int s = 0; s < n; s++) {
            assertEquals(1.0, r.u()[2 * s], 1e-5, "start " + s);
            assertEquals(1.0, r.u()[2 * s + 1], 1e-5, "start " + s);
            assertTrue(r.converged()[s]);
            assertTrue(r.steps()[s] < 200, "steps " + r.steps()[s]);
        }
    }

    @Test
    void adamwDescendsRosenbrock() {
        double[] u0 = {-1.5, 2, 0, 0, 2, 3};
        double[] f0 = new double[3];
        new RosenbrockObjective().value(new int[] {0, 1, 2}, u0, 3, f0);
        OptimizationResult r = AdamW.paper().withRacing(AdamW.Racing.OFF).minimize(new RosenbrockObjective(), u0, 3,
                OptimizationListener.NONE);
        for (int s = 0; s < 3; s++) {
            assertTrue(r.values()[s] < 0.1 * f0[s] && r.values()[s] < 0.5, "start " + s + ": " + f0[s] + " -> " + r.values()[s]);
            assertEquals(RosenbrockObjective.f(r.u()[2 * s], r.u()[2 * s + 1]), r.values()[s], 0.0);
        }
        assertEquals(3L * 1000, r.gradients());
    }

    /**
     * AdamW's racing against what the run without it implies: from the unraced run's best losses
     * at each check, the starts above margin × the mean of the best tenth (computed here) are the
     * ones that stop, at that step and with that loss; every other start ends bit for bit as without
     * racing; the work counted is each start's own steps.
     */
    @Test
    void adamwRacingStopsExactlyTheStartsFarAboveTheBestAndLeavesTheOthersAlone() {
        int n = 24;
        int steps = 150;
        double[] u0 = starts(n, 3);
        java.util.List<double[]> trajectory = new java.util.ArrayList<>();
        OptimizationListener record = new OptimizationListener() {
            @Override
            public void onProgress(Progress progress) {
            }

            @Override
            public void onLosses(int step, double[] losses) {
                trajectory.add(losses);
            }
        };
        AdamW plain = AdamW.paper().withSteps(steps).withRacing(AdamW.Racing.OFF);
        OptimizationResult off = plain.minimize(guinierObjective(1, 5), u0, n, record);
        AdamW.Racing racing = new AdamW.Racing(new double[] {0.2, 0.6}, new double[] {3, 1.5}, 0.1);
        OptimizationResult on = plain.withRacing(racing).minimize(guinierObjective(2, 3), u0, n, OptimizationListener.NONE);

        boolean[] out = new boolean[n];
        int[] stopped = new int[n];
        int[] checks = {30, 90};
        double[] margins = {3, 1.5};
        for (int c = 0; c < checks.length; c++) {
            double[] f = trajectory.get(checks[c] - 1);
            double[] sorted = f.clone();
            Arrays.sort(sorted);
            double mean = (sorted[0] + sorted[1] + sorted[2]) / 3; // the best ceil(0.1 * 24) = 3
            for (int s = 0; s < n; s++) {
                if (!out[s] && f[s] > margins[c] * mean) {
                    out[s] = true;
                    stopped[s] = checks[c];
                }
            }
        }
        int retired = 0;
        long work = 0;
        for (int s = 0; s < n; s++) {
            assertEquals(out[s], on.retired()[s], "start " + s);
            if (out[s]) {
                retired++;
                assertEquals(stopped[s], on.steps()[s], "start " + s);
                assertEquals(trajectory.get(stopped[s] - 1)[s], on.values()[s], 0.0, "start " + s);
                work += stopped[s];
            } else {
                assertEquals(steps, on.steps()[s]);
                assertArrayEquals(off.point(s), on.point(s), 0.0, "start " + s);
                assertEquals(off.values()[s], on.values()[s], 0.0, "start " + s);
                work += steps;
            }
        }
        assertTrue(retired > 0 && retired < n, retired + " of " + n + " stopped: the check would test nothing");
        assertEquals(work, on.gradients());
        assertEquals(n * steps, off.gradients());
        assertEquals(retired, on.retiredCount());
    }

    @Test
    void adamwRacingRejectsBadSchedules() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AdamW.Racing(new double[] {0.5, 0.4}, new double[] {10, 10}, 0.1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AdamW.Racing(new double[] {0.5}, new double[] {0.5}, 0.1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AdamW.Racing(new double[] {1.0}, new double[] {10}, 0.1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AdamW.Racing(new double[] {0.5}, new double[] {10, 3}, 0.1));
        assertTrue(AdamW.paper().racing().on());
        assertTrue(!AdamW.paper().withRacing(AdamW.Racing.OFF).racing().on());
        assertEquals(AdamW.Racing.PAPER, AdamW.paper().withSteps(200).withLearningRate(0.02).racing());
    }

    static FitObjective guinierObjective(int lanes, int chunk) {
        double[] q = new double[80];
        for (int i = 0; i < q.length; i++) {
            q[i] = 0.002 + 0.002 * i;
        }
        TwoGuinierModel model = new TwoGuinierModel(q);
        double[] data = model.evaluate(30, 90, 0.3);
        FitSpace space = FitSpace.of(model.parameters().withBounds("r", 5, 150).withBounds("s", 5, 150)
                .withBounds("w", 0.01, 0.99)).withOrderedPair("r", "s");
        return new FitObjective(model, new Reparameterization(space), new ScaleFreeLoss(q, data), null, lanes, chunk);
    }

    static double[] starts(int n, int d) {
        double[] u = new double[n * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = 2.5 * Math.sin(1.7 * i + 0.3);
        }
        return u;
    }

    @Test
    void fitObjectiveGradientEqualsFiniteDifferences() {
        FitObjective obj = guinierObjective(1, 4);
        int n = 6;
        double[] u = starts(n, 3);
        int[] ids = {0, 1, 2, 3, 4, 5};
        double[] f = new double[n];
        double[] g = new double[3 * n];
        obj.value(ids, u, n, f);
        obj.gradient(ids, u, n, g);
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < 3; k++) {
                double h = 1e-4;
                double fd = (8 * (at(obj, u, s, k, h) - at(obj, u, s, k, -h))
                        - (at(obj, u, s, k, 2 * h) - at(obj, u, s, k, -2 * h))) / (12 * h);
                assertEquals(fd, g[3 * s + k], 1e-6 * Math.abs(fd) + 1e-10, "start " + s + " coordinate " + k);
            }
        }
    }

    private static double at(FitObjective obj, double[] u, int s, int k, double h) {
        double[] v = Arrays.copyOfRange(u, 3 * s, 3 * s + 3);
        v[k] += h;
        double[] f = new double[1];
        obj.value(new int[] {s}, v, 1, f);
        return f[0];
    }

    @Test
    void resultsDoNotDependOnLanesChunksOrBatchCompanions() {
        int n = 12;
        double[] u0 = starts(n, 3);
        // racing makes a start's fate depend on the others: off here, where starts must be independent
        for (BatchOptimizer opt : new BatchOptimizer[] {Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF),
            AdamW.paper().withSteps(150).withRacing(AdamW.Racing.OFF)}) {
            OptimizationResult a = opt.minimize(guinierObjective(1, 5), u0, n, OptimizationListener.NONE);
            OptimizationResult b = opt.minimize(guinierObjective(2, 3), u0, n, OptimizationListener.NONE);
            assertArrayEquals(a.u(), b.u(), 0.0, opt.name());
            assertArrayEquals(a.values(), b.values(), 0.0, opt.name());
            // start 7 alone gives the same numbers as start 7 among the others
            OptimizationResult alone = opt.minimize(guinierObjective(1, 5), Arrays.copyOfRange(u0, 21, 24), 1,
                    OptimizationListener.NONE);
            assertArrayEquals(a.point(7), alone.point(0), 0.0, opt.name());
            assertEquals(a.values()[7], alone.values()[0], 0.0, opt.name());
        }
    }

    @Test
    void lbfgsFitsTheTwoGuinierCurveAndMostStartsFindTheTruth() {
        int n = 16;
        FitObjective obj = guinierObjective(1, 8);
        OptimizationResult r = Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF).minimize(obj, starts(n, 3), n,
                OptimizationListener.NONE);
        int found = 0;
        for (int s = 0; s < n; s++) {
            double[] theta = obj.physical(new int[] {s}, r.point(s), 1);
            if (Math.abs(theta[0] - 30) < 0.01 && Math.abs(theta[1] - 90) < 0.01 && Math.abs(theta[2] - 0.3) < 1e-4) {
                found++;
            }
            // the ordering holds in every result
            assertTrue(theta[0] <= theta[1]);
        }
        assertTrue(found >= n / 2, "found the truth from " + found + " of " + n + " starts");
    }
}
