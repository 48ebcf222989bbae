package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/** The simulator's contract: configuration, validation, reproducibility (d), memory checks. */
class LnpSimulatorTest {

    private static final QGrid GRID = QGrid.linear(0.005, 0.15, 30);

    /** A small, quick configuration. */
    private static LnpSimulator small() {
        return LnpSimulator.paperDefaults().withQGrid(GRID).withRealizations(4);
    }

    private static double[] smallParticle() {
        return new double[] {0.2, 110, 0.6, 0.09, 0.13, 0.03, 0.06, 45, 0.9};
    }

    @Test
    void paperDefaults() {
        LnpSimulator s = LnpSimulator.paperDefaults();
        assertEquals(5.0, s.voxelSize());
        assertEquals(1024, s.planeSize());
        assertEquals(20, s.realizations());
        assertEquals(1, s.projectionAxes());
        assertEquals(LnpSimulator.DEFAULT_SEED, s.seed());
        assertEquals(0, s.boxSize());
        assertEquals(QGrid.PAPER, s.qGrid());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.threads());
        assertSame(LnpParameters.SPACE, s.parameters());
        assertEquals(300, s.qSize());
        assertArrayEquals(QGrid.PAPER.values(), s.q());
    }

    @Test
    void outOfRangeOrNaNParametersNameTheParameterAndRange() {
        LnpSimulator s = small();
        double[] theta = smallParticle();
        theta[1] = 600;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.simulate(theta));
        assertTrue(e.getMessage().contains("R") && e.getMessage().contains("[100, 500]"), e.getMessage());
        double[] nan = smallParticle();
        nan[8] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> s.simulate(nan));
        assertTrue(e.getMessage().contains("relative_rho_shell") && e.getMessage().contains("[0.7, 1.3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.simulate(1, 2, 3));
    }

    @Test
    void badSettingsAreRefused() {
        LnpSimulator s = LnpSimulator.paperDefaults();
        assertThrows(IllegalArgumentException.class, () -> s.withRealizations(0));
        assertThrows(IllegalArgumentException.class, () -> s.withProjectionAxes(4));
        assertThrows(IllegalArgumentException.class, () -> s.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> s.withVoxelSize(-1));
        assertThrows(IllegalArgumentException.class, () -> s.withBoxSize(LnpSimulator.MAX_BOX + 2));
        assertThrows(IllegalArgumentException.class, () -> s.withLevelCut(1.0));
        // q beyond the plane's reach
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.withQGrid(QGrid.linear(0.01, 0.7, 10)).withRealizations(1).simulate(smallParticle()));
        assertTrue(e.getMessage().contains("largest usable q"), e.getMessage());
        // a fixed box that cannot hold the core
        e = assertThrows(IllegalArgumentException.class,
                () -> s.withBoxSize(16).withRealizations(1).simulate(smallParticle()));
        assertTrue(e.getMessage().contains("cannot hold the core"), e.getMessage());
    }

    @Test
    void sameSeedSameCurveAnyThreadCount() {
        double[] theta = smallParticle();
        double[] one = small().withThreads(1).simulate(theta);
        double[] two = small().withThreads(2).simulate(theta);
        double[] three = small().withThreads(3).simulate(theta);
        assertArrayEquals(one, two);
        assertArrayEquals(one, three);
        assertArrayEquals(one, small().withThreads(2).simulate(theta));
        double[] other = small().withSeed(LnpSimulator.DEFAULT_SEED + 1).simulate(theta);
        assertFalse(java.util.Arrays.equals(one, other));
    }

    @Test
    void batchEvaluationEqualsSingleCurvesWhateverThePosition() {
        LnpSimulator s = small().withRealizations(2);
        double[] a = smallParticle();
        double[] b = smallParticle();
        b[0] = -0.3;
        b[7] = 60;
        int p = LnpParameters.SPACE.size();
        double[] batch = new double[2 * p];
        System.arraycopy(b, 0, batch, 0, p);
        System.arraycopy(a, 0, batch, p, p);
        double[] out = new double[2 * s.qSize()];
        s.evaluate(batch, 2, out);
        assertArrayEquals(s.simulate(b), java.util.Arrays.copyOfRange(out, 0, s.qSize()));
        assertArrayEquals(s.simulate(a), java.util.Arrays.copyOfRange(out, s.qSize(), 2 * s.qSize()));
        // a bad set anywhere in the batch is refused before anything runs
        batch[p + 1] = 50;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.evaluate(batch, 2, out));
        assertTrue(e.getMessage().contains("set 1"), e.getMessage());
    }

    @Test
    void realizationNoiseDoesNotDependOnTheRealizationCount() {
        // the mean of realisations 0..3 is the mean of the four single-realisation curves
        double[] theta = smallParticle();
        LnpSimulator four = small().withRealizations(4);
        double[] mean4 = four.simulate(theta);
        double[] mean2 = four.withRealizations(2).simulate(theta);
        // realisation r's field is the same in both runs: the densities agree voxel for voxel
        DensityField d4 = four.density(theta, 1);
        DensityField d2 = four.withRealizations(2).density(theta, 1);
        assertArrayEquals(d4.values(), d2.values());
        assertFalse(java.util.Arrays.equals(mean4, mean2));
    }

    @Test
    void averageNotSumAndStandardError() {
        double[] theta = smallParticle();
        SimulationResult r8 = small().withRealizations(8).run(theta, ProgressListener.NONE);
        SimulationResult r2 = small().withRealizations(2).run(theta, ProgressListener.NONE);
        // the level does not grow with the count: I(q_min) agrees within the noise
        double rel = Math.abs(r8.intensity()[0] / r2.intensity()[0] - 1);
        assertTrue(rel < 0.05, "level changed by " + rel);
        for (int j = 0; j < GRID.size(); j++) {
            assertTrue(r8.standardError()[j] > 0 && r8.standardError()[j] < r8.intensity()[j]);
        }
        SimulationResult r1 = small().withRealizations(1).run(theta, ProgressListener.NONE);
        assertTrue(Double.isNaN(r1.standardError()[0]));
        assertTrue(r8.boxSize() >= 2 * 13 + 1, "box holds the core: " + r8.boxSize());
        assertEquals(8, r8.realizations());
    }

    @Test
    void progressIsReportedInOrder() {
        List<Integer> seen = new ArrayList<>();
        small().withRealizations(5).withThreads(2).run(smallParticle(), (done, total) -> {
            assertEquals(5, total);
            seen.add(done);
        });
        assertEquals(List.of(1, 2, 3, 4, 5), seen);
    }

    @Test
    void projectionAxesAverageMoreSlicesOfTheSameFields() {
        double[] theta = smallParticle();
        double[] z = small().withRealizations(2).simulate(theta);
        double[] zxy = small().withRealizations(2).withProjectionAxes(3).simulate(theta);
        assertFalse(java.util.Arrays.equals(z, zxy));
        // same fields, so the forward scattering (same integrated contrast) is the same level
        assertEquals(z[0], zxy[0], 0.02 * z[0]);
    }

    @Test
    void memoryIsEstimatedAndTooLargeABoxIsRefusedBeforeAllocation() {
        double[] theta = LnpParameters.example();
        LnpSimulator s = LnpSimulator.paperDefaults().withThreads(1);
        long est = s.estimateMemoryBytes(theta);
        int n = s.boxSizeFor(theta);
        assertTrue(est >= 8L * n * n * n, "estimate " + est + " covers the complex box of " + n);
        assertTrue(est < 8L * n * n * n + (200L << 20), "estimate " + est);
        LnpSimulator big = LnpSimulator.paperDefaults().withBoxSize(512).withThreads(1).withHeapLimit(1L << 30);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.simulate(theta));
        assertTrue(e.getMessage().contains("512^3") && e.getMessage().contains("1024 MiB"), e.getMessage());
    }

    private static SimulatorSettingException refused(SimulatorSettingException.Setting setting, Runnable action,
                                                     String... phrases) {
        SimulatorSettingException e = assertThrows(SimulatorSettingException.class, action::run);
        assertEquals(setting, e.setting(), e.getMessage());
        assertTrue(e.getMessage().startsWith(setting.label() + " " + e.value() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
        return e;
    }

    /**
     * Every size-like setting is refused up front, in one line naming the setting, the value and
     * the limit: out-of-range values by the withers, sizes beyond the plane, Java's arrays or the
     * heap by the plan, before anything large is allocated (the heap limit of 1 GiB stands in for
     * a small machine; the refused runs would need tens of GiB).
     */
    @Test
    void limitsAreCheckedBeforeAnyWorkNamingSettingValueAndLimit() {
        double[] theta = LnpParameters.example();
        LnpSimulator s = LnpSimulator.paperDefaults().withThreads(1).withHeapLimit(1L << 30);
        refused(SimulatorSettingException.Setting.VOXEL_SIZE, () -> s.withVoxelSize(0.01).simulate(theta),
                "0.01 Å", "does not fit the 1024-pixel plane", "smallest voxel for this particle and plane is 0.48 Å");
        // the smallest voxel named is enough
        assertEquals(1021, s.withVoxelSize(0.48).withInterior(InteriorModel.uniform()).plan(theta).projectionSize());
        refused(SimulatorSettingException.Setting.PLANE_SIZE, () -> s.withPlaneSize(1_000_000), "1000000", "[8, 65536]");
        refused(SimulatorSettingException.Setting.PLANE_SIZE, () -> s.withPlaneSize(64).simulate(theta),
                "at least 99 pixels");
        refused(SimulatorSettingException.Setting.PLANE_SIZE,
                () -> s.withPlaneSize(LnpSimulator.MAX_PLANE).withVoxelSize(10).withQGrid(QGrid.linear(0.01, 0.3, 50))
                        .plan(theta), "floats in one array");
        refused(SimulatorSettingException.Setting.Q_GRID,
                () -> s.withQGrid(QGrid.linear(0.002, 0.2, LnpSimulator.MAX_Q_POINTS)).withHeapLimit(1L << 29)
                        .simulate(theta), "radial average of 100000 q points", "512 MiB");
        refused(SimulatorSettingException.Setting.Q_GRID, () -> s.withQGrid(QGrid.linear(0.01, 0.7, 10)).plan(theta),
                "largest usable q");
        refused(SimulatorSettingException.Setting.Q_GRID, () -> s.withQGrid(QGrid.linear(0.002, 0.2, 100_001)),
                "100001 points", "limit of 100000");
        refused(SimulatorSettingException.Setting.REALIZATIONS, () -> s.withRealizations(2_000_000_000),
                "2000000000", "[1, 1000000]");
        refused(SimulatorSettingException.Setting.REALIZATIONS,
                () -> s.withRealizations(LnpSimulator.MAX_REALIZATIONS).simulate(theta),
                "keeping 1000000 curves of 300 points", "1024 MiB");
        refused(SimulatorSettingException.Setting.BOX_SIZE, () -> s.withBoxSize(100_000), "100000", "[2, 800]");
        refused(SimulatorSettingException.Setting.BOX_SIZE, () -> s.withBoxSize(800).simulate(theta),
                "800^3", "1024 MiB");
        refused(SimulatorSettingException.Setting.VOXEL_SIZE, () -> s.withVoxelSize(0.6).withPlaneSize(2048).plan(theta),
                "box of", "more than the largest (800)");
        refused(SimulatorSettingException.Setting.THREADS, () -> s.withThreads(2_000_000_000), "[1, 1024]");
        refused(SimulatorSettingException.Setting.PROJECTION_AXES, () -> s.withProjectionAxes(4), "1, 2 or 3");
    }

    @Test
    void planSizesTheRunWithoutRunningIt() {
        double[] theta = LnpParameters.example();
        LnpSimulator s = LnpSimulator.paperDefaults().withThreads(2).withRealizations(6);
        SimulationPlan plan = s.plan(theta);
        assertEquals(s.boxSizeFor(theta), plan.boxSize());
        // R = 245 Å at 5 Å: 2 floor(49) + 1 pixels
        assertEquals(99, plan.projectionSize());
        assertEquals(6, plan.realizations());
        assertTrue(plan.workers() >= 1 && plan.workers() <= 2);
        assertEquals(plan.sharedBytes() + plan.workers() * plan.bytesPerWorker(), plan.memoryBytes());
        long n = plan.boxSize();
        assertTrue(plan.bytesPerWorker() > 8 * n * n * n, plan.toString());
        SimulationResult r = s.withRealizations(2).run(theta, ProgressListener.NONE);
        assertEquals(plan.boxSize(), r.boxSize());
        assertEquals(plan.margin(), r.margin());
    }

    @Test
    void longRunsLogProgressEveryTenSeconds() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        RealizationLoop.ProgressLog log = new RealizationLoop.ProgressLog(100, 245, () -> now[0], lines::add);
        long s = 1_000_000_000L;
        for (int done = 1; done <= 100; done++) {
            now[0] = done * 3 * s / 2;    // 1.5 s per realisation
            log.progress(done);
        }
        // 150 s in all: a line at the first realisation past 10, 20, ..., 150 s
        assertEquals(15, lines.size(), String.join("\n", lines));
        assertEquals("simulating R = 245.0 Å: 7 of 100 realisations (7 %), 11 s, about 140 s left", lines.get(0));
        assertTrue(lines.get(14).startsWith("simulating R = 245.0 Å: 100 of 100 realisations (100 %), 150 s"),
                lines.get(14));
        List<String> quiet = new ArrayList<>();
        RealizationLoop.ProgressLog shortRun = new RealizationLoop.ProgressLog(20, 245, () -> now[0], quiet::add);
        for (int done = 1; done <= 20; done++) {
            now[0] += s / 4;
            shortRun.progress(done);
        }
        assertTrue(quiet.isEmpty(), "a 5 s run logs nothing: " + quiet);
    }

    @Test
    void levelCutDensityHasTwoPhasesAndUniformHasNone() {
        double[] theta = smallParticle();
        double phi = 0.35;
        LnpSimulator cut = small().withLevelCut(phi);
        DensityField d = cut.density(theta, 0);
        double shift = theta[0];
        double hi = 2 - phi + shift;
        double lo = 1 - phi + shift;
        double shell = theta[8] * (1 + shift);
        int c = d.size() / 2;
        double core = (theta[1] - theta[7]) / d.voxel();
        long inCore = 0;
        long high = 0;
        for (int x = 0; x < d.size(); x++) {
            for (int y = 0; y < d.size(); y++) {
                for (int z = 0; z < d.size(); z++) {
                    double r2 = (x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c);
                    float v = d.at(x, y, z);
                    if (r2 <= core * core) {
                        inCore++;
                        assertTrue(Math.abs(v - hi) < 1e-6 || Math.abs(v - lo) < 1e-6, "core value " + v);
                        if (Math.abs(v - hi) < 1e-6) {
                            high++;
                        }
                    } else if (r2 <= (theta[1] / d.voxel()) * (theta[1] / d.voxel())) {
                        assertEquals(shell, v, 1e-6);
                    } else {
                        assertEquals(1.0, v, 0.0);
                    }
                }
            }
        }
        double frac = (double) high / inCore;
        assertTrue(frac > 0.15 && frac < 0.55, "high-phase fraction in one small core " + frac);
        SimulationResult u = small().withInterior(InteriorModel.uniform()).run(theta, ProgressListener.NONE);
        assertEquals(0.0, u.standardError()[3]);
        assertEquals(0, u.boxSize());
    }

    @Test
    void sampleStatisticsAgreeWithPopulationStatisticsInTheMean() {
        // a box much larger than the core: the whole-box statistics approach the expected ones
        double[] theta = smallParticle();
        LnpSimulator pop = small().withBoxSize(64).withRealizations(2);
        double[] a = pop.simulate(theta);
        double[] b = pop.withSampleStatistics(true).simulate(theta);
        for (int j = 0; j < a.length; j++) {
            assertEquals(a[j], b[j], 0.05 * a[j], "q = " + GRID.get(j));
        }
    }
}
