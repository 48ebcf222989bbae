package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/** Resolutions far wider than the grid are refused before the operator is allocated. */
class PinholeLimitsTest {

    @Test
    void anAbsurdWidthIsRefusedBeforeTheCalculationGridIsBuilt() {
        // dq/q = 1e6 on three points once took 21 s and 1.6 GB
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pinhole.sasmodels(QGrid.linear(0.01, 0.1, 3), 1e6));
        assertTrue(e.getMessage().contains("calculation points") && e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void tooManyWeightsAreRefused() {
        // 2000 linear points with dq/q = 1: each row spans thousands of calculation points
        QGrid dense = QGrid.linear(0.001, 0.5, 20_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pinhole.sasmodels(dense, 1.0));
        assertTrue(e.getMessage().contains("weights") && e.getMessage().contains("20000 q points"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> Pinhole.converged(QGrid.linear(0.001, 0.5, 100_000), 0.05));
        assertTrue(c.getMessage().contains("27200000 weights"), c.getMessage());
    }

    @Test
    void ordinaryResolutionsStayWellInside() {
        QGrid q = QGrid.log(0.001, 0.5, 200);
        assertEquals(200, Pinhole.sasmodels(q, 1.0).q().size());
        assertEquals(200, Pinhole.converged(q, 1.0).q().size());
    }
}
