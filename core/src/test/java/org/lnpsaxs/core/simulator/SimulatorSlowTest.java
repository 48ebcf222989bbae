package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/**
 * Heavier statistical checks (JUnit tag {@code slow}; {@code mvn -Pslow verify}): the shortcuts
 * of the default configuration against the paper's literal procedure, with enough realisations
 * that a systematic difference would show above the noise.
 */
@Tag("slow")
class SimulatorSlowTest {

    private static double meanAbsLogDifference(double[] q, double[] a, double[] b) {
        double qa = ReferenceCurvesTest.qw(q, a);
        double qb = ReferenceCurvesTest.qw(q, b);
        double s = 0;
        for (int j = 0; j < q.length; j++) {
            s += Math.abs(Math.log10(a[j] / qa) - Math.log10(b[j] / qb));
        }
        return s / q.length;
    }

    /**
     * The particle-sized box with population statistics against the paper's literal procedure on
     * a 256³ box with whole-box sample statistics, for the slowest-decaying spectrum of the
     * training box (the worst case for the box margin). 300 realisations × 3 projections each:
     * two such runs differ by about 0.003 from noise alone.
     */
    @Test
    void particleBoxMatchesLiteralPaperProcedureOnALargeBox() {
        double[] theta = {-0.1, 245, 1.0, 0.05, 0.11, 0.01, 0.10, 60, 0.96};
        LnpSimulator base = LnpSimulator.paperDefaults().withRealizations(300).withProjectionAxes(3);
        double[] fast = base.withSeed(1).simulate(theta);
        double[] literal = base.withSeed(2).withBoxSize(256).withSampleStatistics(true).simulate(theta);
        double d = meanAbsLogDifference(base.q(), fast, literal);
        assertTrue(d <= 0.006, "mean |Δlog10 I| = " + d);
    }

    /** The reference curves with many more realisations on this side: only their noise is left. */
    @Test
    void referenceCurvesWithManyRealizations() throws IOException {
        for (String file : new String[] {"lnp_example_R245.dat", "lnp_R350_dense_shell.dat"}) {
            ReferenceCurvesTest.Reference ref = ReferenceCurvesTest.load(file);
            double[] mine = LnpSimulator.paperDefaults().withQGrid(QGrid.of(ref.q())).withRealizations(200)
                    .withProjectionAxes(3).simulate(ref.theta());
            double d = meanAbsLogDifference(ref.q(), mine, ref.intensity());
            // the reference alone carries ~0.010 (40 realisations, one projection)
            assertTrue(d <= 0.02, file + ": mean |Δlog10 I| = " + d);
        }
    }
}
