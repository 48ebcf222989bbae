package org.lnpsaxs.optimize.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link EnsembleSampler#withWithinModeMoves}: stretch and differential-evolution moves that use
 * only walkers of the moving walker's mode, with jumps between modes, still sample the target
 * (two unit normals 10 apart, weights 0.3/0.7, started 50/50: the weights, the mixture mean and
 * the within-mode variance are known), and are refused without mode labels.
 */
class WithinModeMovesTest {

    @Test
    void withinModeMovesSampleTheMixture() {
        int d = 4;
        BatchLogDensity target = TestTargets.twoModes(d, 10, 0.3);
        double[] a = new double[d];
        double[] b = new double[d];
        a[0] = -5;
        b[0] = 5;
        double[] sd = new double[d];
        Arrays.fill(sd, 0.5);
        Initialization init = Initialization.modes(List.of(new Initialization.Mode(a, sd, 1), new Initialization.Mode(b, sd, 1)));
        Chain c = EnsembleSampler.create().withSeed(9).withWalkers(2 * 2 * (d + 1)).withModeJumps(init.nearestMode(), 2)
                .withWithinModeMoves(true).sample(target, init, 2000, 8000);
        ModeWeights w = ModeWeights.of(c, x -> x[0] < 0 ? 0 : 1, 2);
        assertTrue(w.switches() > 1000, "walkers must move between the modes: " + w.switches());
        assertEquals(0.3, w.weights()[0], 0.03);
        Marginal x0 = Marginal.of(c).get(0);
        assertEquals(2.0, x0.mean(), 0.15);
        // within a mode every other coordinate is N(0, 1)
        for (int j = 1; j < d; j++) {
            Marginal m = Marginal.of(c).get(j);
            assertEquals(0.0, m.mean(), 0.1, m.toString());
            assertEquals(1.0, m.sd(), 0.07, m.toString());
        }
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        assertTrue(v.converged(), () -> "not converged: " + v.failures());
        assertTrue(EnsembleSampler.create().withModeJumps(init.nearestMode(), 2).withWithinModeMoves(true).describe()
                .contains("within a walker's mode"));
    }

    @Test
    void withinModeMovesNeedLabels() {
        assertThrows(IllegalStateException.class, () -> EnsembleSampler.create().withWithinModeMoves(true));
    }
}
