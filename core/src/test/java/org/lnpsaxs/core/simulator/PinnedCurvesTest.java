package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/**
 * Same seed, same curve across refactorings: curves computed by the simulator at commit 4da5d55,
 * before it was split into plan, loop and worker (resource {@code lnp-simulator/pinned-4da5d55.txt}),
 * must come out again. They were bit-identical when the split was made; the bar, 1e-12 relative,
 * leaves room only for a platform whose {@code Math.exp} rounds differently, never for a changed
 * seed, order or formula (those move the curves by 1e-3 or more).
 */
class PinnedCurvesTest {

    private static final double[] SMALL = {0.2, 110, 0.6, 0.09, 0.13, 0.03, 0.06, 45, 0.9};
    private static final double TOLERANCE = 1e-12;
    private static Map<String, double[]> pinned;

    @BeforeAll
    static void read() throws IOException {
        pinned = new LinkedHashMap<>();
        try (InputStream in = PinnedCurvesTest.class.getResourceAsStream("/lnp-simulator/pinned-4da5d55.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] t = line.trim().split(" ");
                double[] v = new double[t.length - 1];
                for (int i = 1; i < t.length; i++) {
                    v[i - 1] = Double.parseDouble(t[i]);
                }
                pinned.put(t[0], v);
            }
        }
    }

    private static void check(String key, double[] actual) {
        double[] expected = pinned.get(key);
        assertEquals(expected.length, actual.length, key);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], TOLERANCE * Math.abs(expected[j]), key + "[" + j + "]");
        }
    }

    private static LnpSimulator base() {
        return LnpSimulator.paperDefaults().withQGrid(QGrid.linear(0.005, 0.15, 30)).withThreads(2);
    }

    @Test
    void defaultSettings() {
        SimulationResult r = base().withRealizations(4).run(SMALL, ProgressListener.NONE);
        check("sim.default.I", r.intensity());
        check("sim.default.se", r.standardError());
    }

    @Test
    void threeAxesOddRealizationCountOtherSeed() {
        SimulationResult r = base().withRealizations(3).withProjectionAxes(3).withSeed(7).run(SMALL, ProgressListener.NONE);
        check("sim.axes3.I", r.intensity());
        check("sim.axes3.se", r.standardError());
    }

    @Test
    void sampleStatistics() {
        SimulationResult r = base().withRealizations(2).withSampleStatistics(true).run(SMALL, ProgressListener.NONE);
        check("sim.sample.I", r.intensity());
        check("sim.sample.se", r.standardError());
    }

    @Test
    void levelCutOnALogGrid() {
        SimulationResult r = base().withRealizations(2).withLevelCut(0.35).withQGrid(QGrid.log(0.004, 0.12, 25))
                .run(SMALL, ProgressListener.NONE);
        check("sim.levelcut.I", r.intensity());
        check("sim.levelcut.se", r.standardError());
    }

    @Test
    void fixedBoxOtherVoxelAndPlane() {
        SimulationResult r = base().withRealizations(2).withBoxSize(64).withMargin(20).withVoxelSize(6)
                .withPlaneSize(512).run(SMALL, ProgressListener.NONE);
        check("sim.box64.I", r.intensity());
    }

    @Test
    void uniformInteriorOnThePaperGrid() {
        SimulationResult r = base().withRealizations(1).withInterior(InteriorModel.uniform()).withQGrid(QGrid.PAPER)
                .run(LnpParameters.example(), ProgressListener.NONE);
        check("sim.uniform.I", r.intensity());
    }
}
