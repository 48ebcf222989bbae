package org.lnpsaxs.optimize.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Hamiltonian Monte Carlo on targets with known moments and mode weights. */
class HamiltonianRunTest {

    private static double[] identity(int d, double s) {
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            c[i * d + i] = s * s;
        }
        return c;
    }

    @Test
    void correlatedGaussianMomentsAndQuantilesAgreeWithTheTruth() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(10, 0.9, 11);
        int chains = 20;
        double[] start = new double[chains * 10];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < start.length; i++) {
            start[i] = g.mean[i % 10] + 0.1 * r.nextGaussian();
        }
        // a metric far from the truth (the sds span 0.1..10): warm-up has to find it
        HamiltonianRun h = new HamiltonianRun(g, start, chains, identity(10, 1), 3, null, null);
        h.warmUp(50, 50, 100, 50);
        // R-hat < 1.01 needs ~100-140 autocorrelation times; the slowest direction has tau ~3 here
        h.sample(1000);
        Chain c = h.chain(0);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures() + ", step size " + h.stepSize() + ", tau "
                + v.maxAutocorrelationTime() + ", acceptance " + c.moves().hamiltonianAcceptance());
        assertTrue(c.moves().hamiltonianAcceptance() > 0.6, "acceptance " + c.moves().hamiltonianAcceptance());
        assertTrue(v.minEss() > 0.2 * c.size(), "ESS " + v.minEss() + " of " + c.size());
        List<Marginal> marg = Marginal.of(c);
        for (int k = 0; k < 10; k++) {
            Marginal m = marg.get(k);
            double sd = g.sd(k);
            double ess = v.ess(k);
            assertEquals(g.mean[k], m.mean(), 4 * m.mcseMean(), "mean of x" + k);
            // the sd's standard error depends on the ESS of the squared deviations, which is below the
            // ESS of x for HMC's antithetic chains
            double[][] sq = c.walkerChains(k);
            for (double[] row : sq) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (row[i] - g.mean[k]) * (row[i] - g.mean[k]);
                }
            }
            double essSq = Diagnostics.essBulk(sq);
            assertEquals(sd, m.sd(), 4 * sd / Math.sqrt(2 * essSq), "sd of x" + k);
            EnsembleSamplerTest.assertQuantile(g.mean[k], sd, 0.05, m.p05(), ess, k);
            EnsembleSamplerTest.assertQuantile(g.mean[k], sd, 0.95, m.p95(), ess, k);
        }
        double[][] x = c.draws();
        for (int k = 0; k + 1 < 10; k++) {
            double rho = EnsembleSamplerTest.correlation(x, k, k + 1);
            assertEquals(0.9, rho, 4 * (1 - 0.81) / Math.sqrt(Math.min(v.ess(k), v.ess(k + 1))), "corr " + k);
        }
    }

    @Test
    void modeJumpsRecoverTheWeightsOfSeparatedModes() {
        int d = 4;
        BatchLogDensity twoModes = TestTargets.twoModes(d, 12, 0.3);
        BatchLogDensity target = TestTargets.withNumericalGradient(twoModes);
        int chains = 16;
        double[] start = new double[chains * d];
        for (int k = 0; k < chains; k++) {
            start[k * d] = k % 2 == 0 ? -6 : 6; // half the chains in each mode
        }
        double[][] centres = {{-6, 0, 0, 0}, {6, 0, 0, 0}};
        HamiltonianRun h = new HamiltonianRun(target, start, chains, identity(d, 1), 8, centres, p -> p[0] < 0 ? 0 : 1);
        h.warmUp(50, 50);
        h.sample(1500);
        Chain c = h.chain(0);
        ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
        assertTrue(w.switches() > 200, "chains must move between the modes: " + w.switches());
        assertEquals(0.3, w.weights()[0], Math.max(0.03, 4 * w.standardErrors()[0]));
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures());
    }

    /**
     * Two images of one density under an involution that is not volume-preserving,
     * M(x, y) = (−x, e^{kx} y) with |det J| = e^{kx}: L(x, y) = exp(−(|x| − μ)²/(2σ²) − (y e^{kx/2})²/2)
     * is M-invariant, and with a flat prior the image x &lt; 0 holds e^{kμ} times the mass of x &gt; 0
     * (the y-integral is √(2π) e^{∓kx/2}; Gaussian moments in x, truncation at 0 negligible at μ/σ = 6.7).
     * Jumps by the map with its Jacobian recover that share; without the Jacobian they would give
     * the images equal mass.
     */
    @Test
    void mirrorJumpsWithTheJacobianRecoverTheMassOfEachImage() {
        double mu = 1, sigma = 0.15, k = 0.8;
        BatchLogDensity images = TestTargets.pointwise(2, (x, o, g, go) -> {
            double a = x[o], y = x[o + 1];
            double e = Math.exp(k * a);
            double r = Math.abs(a) - mu;
            g[go] = -r * Math.signum(a) / (sigma * sigma) - 0.5 * k * y * y * e;
            g[go + 1] = -y * e;
            return -r * r / (2 * sigma * sigma) - 0.5 * y * y * e;
        });
        int chains = 16;
        double[] start = new double[chains * 2];
        for (int c = 0; c < chains; c++) {
            start[2 * c] = c % 2 == 0 ? -mu : mu;
        }
        double[][] centres = {{-mu, 0}, {mu, 0}};
        HamiltonianRun h = new HamiltonianRun(images, start, chains, identity(2, 0.5), 12, centres, p -> p[0] < 0 ? 0 : 1);
        h.setMirror(p -> new double[] {-p[0], Math.exp(k * p[0]) * p[1]}, p -> k * p[0], new int[] {1, 0});
        h.warmUp(50, 50);
        h.sample(2000);
        Chain c = h.chain(0);
        ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
        double expected = Math.exp(k * mu) / (1 + Math.exp(k * mu)); // 0.690
        assertTrue(w.switches() > 500, "chains must move between the images: " + w.switches());
        assertEquals(expected, w.weights()[0], Math.max(0.02, 4 * w.standardErrors()[0]),
                "share of x < 0 (equal mass would be 0.5)");
        assertTrue(h.describe().contains("between the 1 mirror pair(s) by the symmetry's map"), h.describe());
        // partners must be mutual modes
        assertThrows(IllegalArgumentException.class, () -> h.setMirror(p -> p, p -> 0, new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> h.setMirror(p -> p, p -> 0, new int[] {1}));
    }

    /**
     * Two Gaussian modes of different shapes, w₀ N((−6, 0), I) + w₁ N((6, 0), Σ₁) with
     * Σ₁ = 0.25² [[1, 0.9], [0.9, 1]] (√det Σ₁ = 0.027 of mode 0's) and w₀ = 0.3. A translation
     * from a typical point of the wide mode lands several of the narrow mode's standard deviations
     * out and is rejected; the affine map of the modes' warm-up shapes lands on a typical point, and
     * its Jacobian (the ratio of the modes' volumes) is what keeps the weights right: without it the
     * jumps into the narrow mode would be accepted 37 times too often.
     */
    @Test
    void affineJumpsBetweenModesOfDifferentShapesRecoverTheWeights() {
        double w0 = 0.3;
        double s1 = 0.25, rho = 0.9;
        double det1 = s1 * s1 * s1 * s1 * (1 - rho * rho);
        BatchLogDensity mixture = TestTargets.pointwise(2, (x, o, g, go) -> {
            double a0 = x[o] + 6, b0 = x[o + 1];
            double l0 = Math.log(w0) - 0.5 * (a0 * a0 + b0 * b0);
            double a1 = x[o] - 6, b1 = x[o + 1];
            // Σ₁⁻¹ = [[1, −ρ], [−ρ, 1]] / (s1² (1 − ρ²))
            double f = 1 / (s1 * s1 * (1 - rho * rho));
            double g1a = f * (a1 - rho * b1), g1b = f * (b1 - rho * a1);
            double l1 = Math.log(1 - w0) - 0.5 * Math.log(det1) - 0.5 * (a1 * g1a + b1 * g1b);
            double m = Math.max(l0, l1);
            double e0 = Math.exp(l0 - m), e1 = Math.exp(l1 - m);
            double p0 = e0 / (e0 + e1), p1 = 1 - p0;
            g[go] = -p0 * a0 - p1 * g1a;
            g[go + 1] = -p0 * b0 - p1 * g1b;
            return m + Math.log(e0 + e1);
        });
        int chains = 16;
        double[] start = new double[chains * 2];
        for (int c = 0; c < chains; c++) {
            start[2 * c] = c % 2 == 0 ? -6 : 6;
        }
        double[][] centres = {{-6, 0}, {6, 0}};
        long[] switches = new long[2];
        double[] weight = new double[2];
        for (int affine = 0; affine < 2; affine++) {
            HamiltonianRun h = new HamiltonianRun(mixture, start, chains, identity(2, 0.5), 21, centres,
                    p -> p[0] < 0 ? 0 : 1);
            h.setAffineJumps(affine == 1);
            h.warmUp(50, 50, 50);
            h.sample(1500);
            Chain c = h.chain(0);
            ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
            switches[affine] = w.switches();
            weight[affine] = w.weights()[0];
            if (affine == 1) {
                assertEquals(2, h.affineModes());
                assertTrue(h.describe().contains("2 mode(s) with their own shape"), h.describe());
                assertEquals(w0, w.weights()[0], Math.max(0.02, 4 * w.standardErrors()[0]), "share of mode 0");
            } else {
                assertEquals(0, h.affineModes());
            }
        }
        // all chains start in the wide mode, so no chain can give the narrow one a shape before it is
        // reached; shapes seeded from earlier draws of both modes (here exact ones, 400 per mode from
        // 8 walkers, as an ensemble pilot gives them) make the jumps affine from the first iteration
        double[] allWide = new double[chains * 2];
        for (int c = 0; c < chains; c++) {
            allWide[2 * c] = -6;
        }
        Rng r = new Rng(5);
        int rows = 100, perRow = 8;
        double[] seeds = new double[rows * perRow * 2];
        for (int i = 0; i < rows * perRow; i++) {
            double z1 = r.gaussian(), z2 = r.gaussian();
            if (i % perRow < perRow / 2) {
                seeds[2 * i] = -6 + z1;
                seeds[2 * i + 1] = z2;
            } else { // Σ₁'s Cholesky factor: s1 [[1, 0], [ρ, √(1 − ρ²)]]
                seeds[2 * i] = 6 + s1 * z1;
                seeds[2 * i + 1] = s1 * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
            }
        }
        HamiltonianRun seeded = new HamiltonianRun(mixture, allWide, chains, identity(2, 0.5), 22, centres,
                p -> p[0] < 0 ? 0 : 1);
        assertEquals(0, seeded.affineModes());
        seeded.seedModeShapes(seeds, rows, perRow);
        assertEquals(2, seeded.affineModes());
        seeded.warmUp(20, 20);
        seeded.sample(1500);
        ModeWeights sw = ModeWeights.of(seeded.chain(0), x -> x[0] < 0 ? 0 : 1, 2);
        assertTrue(sw.switches() > 1000, "seeded: " + sw.switches() + " switches");
        assertEquals(w0, sw.weights()[0], Math.max(0.02, 4 * sw.standardErrors()[0]), "share of mode 0, seeded");
        assertThrows(IllegalArgumentException.class, () -> new HamiltonianRun(mixture, allWide, chains, identity(2, 0.5), 1,
                centres, p -> p[0] < 0 ? 0 : 1).seedModeShapes(new double[10], 2, 3));
        assertTrue(switches[1] > 1000, "affine jumps must move chains between the modes: " + switches[1]);
        assertTrue(switches[1] > 5 * switches[0], () -> "affine " + switches[1] + " switches, translation " + switches[0] + " weights " + weight[1] + " " + weight[0]);
    }

    @Test
    void reflectingWallsGiveTheTruncatedAndOrderedGaussians() {
        // x0 ~ N(0.05, 0.1^2) cut to [0, 1]; (x1, x2) iid N(0, 1) with the ordering x1 <= x2
        double[] mean = {0.05, 0, 0};
        double[][] cov = {{0.01, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        TestTargets.Gaussian g = new TestTargets.Gaussian(mean, cov);
        BatchLogDensity cut = new BatchLogDensity() {
            @Override
            public int dimension() {
                return 3;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                g.logDensity(x, batch, out);
                for (int b = 0; b < batch; b++) {
                    if (x[b * 3] < 0 || x[b * 3] > 1 || x[b * 3 + 1] > x[b * 3 + 2]) {
                        out[b] = Double.NEGATIVE_INFINITY;
                    }
                }
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public void logDensityAndGradient(double[] x, int batch, double[] out, double[] gradient) {
                g.logDensityAndGradient(x, batch, out, gradient);
                logDensity(x, batch, out);
            }
        };
        int chains = 8;
        double[] start = new double[chains * 3];
        for (int k = 0; k < chains; k++) {
            start[k * 3] = 0.1;
            start[k * 3 + 1] = -0.5;
            start[k * 3 + 2] = 0.5;
        }
        HamiltonianRun h = new HamiltonianRun(cut, start, chains, identity(3, 0.5), 6, null, null);
        double[][] a = {{-1, 0, 0}, {1, 0, 0}, {0, 1, -1}};
        h.setConstraints(a, new double[] {0, 1, 0});
        h.warmUp(50, 50, 100, 50);
        h.sample(1500);
        Chain c = h.chain(0);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures());
        assertTrue(h.divergences() < 0.01 * chains * 1750, "divergences " + h.divergences());
        List<Marginal> m = Marginal.of(c);
        // truncated normal: mean mu + s phi(alpha) / (1 - Phi(alpha)), alpha = -0.5 (Phi(-0.5) = 0.3085375387)
        double alpha = -0.5;
        double pdf = Math.exp(-0.5 * alpha * alpha) / Math.sqrt(2 * Math.PI);
        double lambda = pdf / (1 - 0.3085375387259869);
        double tMean = 0.05 + 0.1 * lambda;
        double tSd = 0.1 * Math.sqrt(1 + alpha * lambda - lambda * lambda);
        assertEquals(tMean, m.get(0).mean(), 4 * m.get(0).mcseMean());
        assertEquals(tSd, m.get(0).sd(), 0.05 * tSd);
        assertTrue(m.get(0).p05() >= 0, "no draw below the wall");
        // the smaller and larger of two iid standard normals: means -+1/sqrt(pi)
        assertEquals(-1 / Math.sqrt(Math.PI), m.get(1).mean(), 4 * m.get(1).mcseMean());
        assertEquals(1 / Math.sqrt(Math.PI), m.get(2).mean(), 4 * m.get(2).mcseMean());
        for (double[] x : c.draws()) {
            assertTrue(x[0] >= 0 && x[0] <= 1 && x[1] <= x[2] + 1e-12, java.util.Arrays.toString(x));
        }
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(3, 0.5, 2);
        double[] start = new double[8 * 3];
        HamiltonianRun a = new HamiltonianRun(g, start, 8, identity(3, 1), 4, null, null);
        HamiltonianRun b = new HamiltonianRun(g, start, 8, identity(3, 1), 4, null, null);
        a.warmUp(20, 20);
        b.warmUp(20, 20);
        a.sample(30);
        b.sample(30);
        assertEquals(java.util.Arrays.toString(a.chain(0).values()), java.util.Arrays.toString(b.chain(0).values()));
    }

    @Test
    void aDensityWithoutGradientOrABadStartIsRefused() {
        BatchLogDensity noGradient = TestTargets.twoModes(2, 4, 0.5);
        assertThrows(IllegalArgumentException.class,
                () -> new HamiltonianRun(noGradient, new double[8], 4, identity(2, 1), 1, null, null));
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(2, 0.5, 2);
        assertThrows(IllegalArgumentException.class,
                () -> new HamiltonianRun(g, new double[7], 4, identity(2, 1), 1, null, null));
        double[] notPd = {1, 2, 2, 1};
        assertThrows(IllegalArgumentException.class, () -> new HamiltonianRun(g, new double[8], 4, notPd, 1, null, null));
    }
}
