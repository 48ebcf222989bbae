package org.lnpsaxs.optimize.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

/** Chains, marginal summaries, mode weights and starting allocations on hand-made inputs. */
class SummaryTest {

    /** A chain of given draws x[step][walker][coordinate]. */
    static Chain chain(double[][][] x) {
        int n = x.length;
        int w = x[0].length;
        int d = x[0][0].length;
        double[] flat = new double[n * w * d];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < w; k++) {
                System.arraycopy(x[s][k], 0, flat, (s * w + k) * d, d);
            }
        }
        return new Chain(Chain.defaultNames(d), w, n, d, flat, new double[n * w], 1, 1, new double[w],
                new MoveCounts(0, 0, 0, 0, 0, 0, 0, 0));
    }

    static Chain randomChain(long seed, int n, int w) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][][] x = new double[n][w][2];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < w; k++) {
                x[s][k][0] = DiagnosticsTest.gaussian(r);
                x[s][k][1] = Math.exp(DiagnosticsTest.gaussian(r));
            }
        }
        return chain(x);
    }

    @Test
    void marginalsAreThePooledMomentsAndNumpyQuantiles() {
        Chain c = randomChain(3, 101, 6);
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        List<Marginal> m = Marginal.of(c);
        double[][] draws = c.draws();
        for (int j = 0; j < 2; j++) {
            double[] col = new double[draws.length];
            double mean = 0;
            for (int i = 0; i < col.length; i++) {
                col[i] = draws[i][j];
                mean += col[i];
            }
            mean /= col.length;
            double ss = 0;
            for (double v : col) {
                ss += (v - mean) * (v - mean);
            }
            Marginal mj = m.get(j);
            assertEquals("x" + j, mj.name());
            assertEquals(mean, mj.mean(), 1e-12);
            assertEquals(Math.sqrt(ss / (col.length - 1)), mj.sd(), 1e-12);
            assertEquals(p.evaluate(col, 5), mj.p05(), 1e-12);
            assertEquals(p.evaluate(col, 16), mj.p16(), 1e-12);
            assertEquals(p.evaluate(col, 50), mj.median(), 1e-12);
            assertEquals(p.evaluate(col, 84), mj.p84(), 1e-12);
            assertEquals(p.evaluate(col, 95), mj.p95(), 1e-12);
            // iid draws: the standard error of the mean is about sd/sqrt(S)
            assertEquals(mj.sd() / Math.sqrt(col.length), mj.mcseMean(), 0.1 * mj.sd() / Math.sqrt(col.length));
        }
    }

    @Test
    void mappingChangesUnitsBeforeSummarising() {
        Chain c = randomChain(5, 50, 4);
        Chain mapped = c.map(List.of("a", "b", "sum"), (in, batch, out) -> {
            for (int b = 0; b < batch; b++) {
                out[3 * b] = Math.exp(in[2 * b]);
                out[3 * b + 1] = Math.log(in[2 * b + 1]);
                out[3 * b + 2] = in[2 * b] + in[2 * b + 1];
            }
        });
        assertEquals(List.of("a", "b", "sum"), mapped.names());
        assertEquals(3, mapped.dimension());
        for (int s = 0; s < 50; s++) {
            for (int w = 0; w < 4; w++) {
                assertEquals(Math.exp(c.get(s, w, 0)), mapped.get(s, w, 0), 0.0);
                assertEquals(Math.log(c.get(s, w, 1)), mapped.get(s, w, 1), 0.0);
                assertEquals(c.get(s, w, 0) + c.get(s, w, 1), mapped.get(s, w, 2), 0.0);
            }
        }
        assertArrayEquals(c.logDensities(), mapped.logDensities());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c.map(List.of("bad"), (in, batch, out) -> java.util.Arrays.fill(out, 0, batch, Double.NaN)));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
        Chain later = c.dropFirst(10);
        assertEquals(40, later.steps());
        assertEquals(c.get(10, 2, 1), later.get(0, 2, 1), 0.0);
        assertEquals(11, later.firstStep());
    }

    /**
     * The extrapolated length against closed forms: iid draws have ESS = draws, so 4 walkers × 50
     * steps (200 draws) need about twice the length for an ESS of 400; AR(1) draws with coefficient φ
     * have τ = (1 + φ)/(1 − φ) = 19 at φ = 0.9, so 40 walkers × 400 steps (ESS about 840) need about
     * 50 × 19 / 400 = 2.4 times the length for the τ criterion; a converged chain needs 1.
     */
    @Test
    void theExtrapolatedLengthFollowsTheEssAndTheAutocorrelationTime() {
        // each criterion alone (the others set so that they pass)
        ConvergenceCriteria essOnly = new ConvergenceCriteria(1.5, 1600, 0);
        SplittableRandom r = new SplittableRandom(5);
        double[][][] g = new double[100][8][1];
        for (double[][] step : g) {
            for (double[] walker : step) {
                walker[0] = DiagnosticsTest.gaussian(r);
            }
        }
        assertEquals(2.0, Convergence.of(chain(g), essOnly).lengthFactor(), 0.45, "iid, 800 draws, ESS 1600 asked");
        ConvergenceCriteria crit = new ConvergenceCriteria(1.5, 400, 50);
        int n = 400;
        int w = 40;
        double phi = 0.9;
        double[][][] x = new double[n][w][1];
        for (int k = 0; k < w; k++) {
            double v = DiagnosticsTest.gaussian(r);
            for (int s = 0; s < n; s++) {
                v = phi * v + Math.sqrt(1 - phi * phi) * DiagnosticsTest.gaussian(r);
                x[s][k][0] = v;
            }
        }
        Convergence ar = Convergence.of(chain(x), crit);
        assertTrue(ar.ess(0) >= 400, "ESS " + ar.ess(0));
        assertEquals(50 * 19.0 / n, ar.lengthFactor(), 0.6, "AR(1), tau 19");
        Convergence done = Convergence.of(randomChain(12, 400, 8), ConvergenceCriteria.DEFAULT);
        assertTrue(done.converged(), done.failures().toString());
        assertEquals(1.0, done.lengthFactor());
    }

    /** A posterior summary around a hand-made chain (HMC-like: 100 warm-up iterations, the kept chain after). */
    private static FitPosterior posteriorOf(Chain c) {
        Convergence conv = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        List<Marginal> m = Marginal.of(c);
        return new FitPosterior("test", c.walkers(), c.steps(), 100, 100 + c.steps(), 0, 0, 0, conv, m,
                java.util.Map.of("x0", "", "x1", ""), c, List.of(), 0, null,
                new FitPosterior.Likelihood("test", null, 1, ""), List.of(), 100,
                List.of(Determination.of(m.get(0), -10, 10), Determination.of(m.get(1), 0, 100)));
    }

    @Test
    void aBudgetIsSuggestedForChainsThatAgreeAndNotForChainsThatDoNot() {
        // agreeing iid walkers, too short for an ESS of 400: a budget, and the reason names it
        FitPosterior shortRun = posteriorOf(randomChain(21, 30, 4));
        assertTrue(!shortRun.converged() && shortRun.suggestedBudget().isPresent(), shortRun.reason());
        int n = shortRun.suggestedBudget().getAsInt();
        assertTrue(n > shortRun.totalSteps() && n % 100 == 0, "suggested " + n);
        assertTrue(shortRun.reason().contains("--posterior-steps " + n), shortRun.reason());
        // half the walkers two standard deviations away: R-hat far above 1.1, no budget, the reason says why
        SplittableRandom r = new SplittableRandom(22);
        double[][][] x = new double[400][8][2];
        for (int s = 0; s < 400; s++) {
            for (int k = 0; k < 8; k++) {
                x[s][k][0] = DiagnosticsTest.gaussian(r) + (k < 4 ? 0 : 2);
                x[s][k][1] = 50 + DiagnosticsTest.gaussian(r);
            }
        }
        FitPosterior stuck = posteriorOf(chain(x));
        assertTrue(stuck.convergence().maxRHat() > FitPosterior.STUCK_R_HAT, stuck.reason());
        assertTrue(stuck.suggestedBudget().isEmpty());
        assertTrue(stuck.reason().contains("the chains sample different regions"), stuck.reason());
        assertEquals(Determination.Verdict.WELL_DETERMINED, stuck.determination("x1").verdict()); // 3.3 of 100
    }

    @Test
    void walkerChainsAreTheColumnsOfTheFlatLayout() {
        Chain c = randomChain(7, 9, 3);
        double[][] w = c.walkerChains(1);
        assertEquals(3, w.length);
        assertEquals(9, w[0].length);
        double[] v = c.values();
        assertEquals(v[(4 * 3 + 2) * 2 + 1], w[2][4], 0.0);
    }

    @Test
    void modeWeightsCountDrawsAndSwitches() {
        // 2 walkers, 8 steps, 1-D; label = sign
        double[][][] x = new double[8][2][1];
        double[] w0 = {-1, -1, 1, 1, -1, -1, -1, -1};
        double[] w1 = {1, 1, 1, 1, 1, -1, 1, 1};
        for (int s = 0; s < 8; s++) {
            x[s][0][0] = w0[s];
            x[s][1][0] = w1[s];
        }
        ModeWeights mw = ModeWeights.of(chain(x), p -> p[0] < 0 ? 0 : 1, 2);
        assertEquals(7.0 / 16, mw.weights()[0], 1e-15);
        assertEquals(9.0 / 16, mw.weights()[1], 1e-15);
        assertEquals(4, mw.switches());
        assertTrue(mw.standardErrors()[0] > 0);
        ModeWeights one = ModeWeights.of(chain(x), p -> 0, 3);
        assertArrayEquals(new double[] {1, 0, 0}, one.weights(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, one.standardErrors(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ModeWeights.of(chain(x), p -> 2, 2));
    }

    @Test
    void convergenceNamesTheFailingCoordinates() {
        // walker 1 sits apart from walker 0 in coordinate x1 only
        SplittableRandom r = new SplittableRandom(1);
        double[][][] x = new double[400][4][2];
        for (int s = 0; s < 400; s++) {
            for (int k = 0; k < 4; k++) {
                x[s][k][0] = DiagnosticsTest.gaussian(r);
                x[s][k][1] = DiagnosticsTest.gaussian(r) + (k == 1 ? 3 : 0);
            }
        }
        Convergence v = Convergence.of(chain(x), new ConvergenceCriteria(1.01, 100, 0));
        assertTrue(v.rHat()[0] < 1.01, "x0 " + v.rHat()[0]);
        assertTrue(v.rHat()[1] > 1.2, "x1 " + v.rHat()[1]);
        assertTrue(v.failures().get(0).startsWith("x1: R-hat"), v.failures().get(0));
        // an offset walker also looks like a long-memory chain: the ESS of x1 fails too, x0 passes
        assertTrue(v.failures().stream().allMatch(f -> f.startsWith("x1: ")), v.failures().toString());
        assertTrue(v.essBulk()[0] > 1000, "x0 ESS " + v.essBulk()[0]);
        assertTrue(!v.converged());
        assertEquals(v.rHat()[1], v.maxRHat(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceCriteria(1.0, 400, 50));
    }

    @Test
    void walkersAreSharedAmongModesByWeightAndMirroredInBothHalves() {
        double[] c0 = {0, 0};
        double[] c1 = {5, 5};
        double[] c2 = {-5, 5};
        double[] s = {1, 1};
        Initialization init = Initialization.modes(List.of(new Initialization.Mode(c0, s, 0.3),
                new Initialization.Mode(c1, s, 0.7), new Initialization.Mode(c2, s, 1e-6)));
        int[] a = init.allocate(40);
        int[] count = new int[3];
        for (int i = 0; i < 20; i++) {
            assertEquals(a[i], a[i + 20], "walker " + i + " and its mirror");
            count[a[i]]++;
        }
        // one walker each, the other 17 by weight: 0.3*17 = 5.1 -> 1 + 5, 0.7*17 = 11.9 -> 1 + 12
        assertArrayEquals(new int[] {6, 13, 1}, count);
        assertEquals(1, init.nearestMode().applyAsInt(new double[] {4, 4.5}));
        assertEquals(0, init.nearestMode().applyAsInt(new double[] {0.5, -1}));
        assertThrows(IllegalArgumentException.class, () -> init.allocate(4));
        assertThrows(IllegalArgumentException.class, () -> new Initialization.Mode(c0, new double[] {1, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Initialization.Mode(c0, s, 0));
    }
}
