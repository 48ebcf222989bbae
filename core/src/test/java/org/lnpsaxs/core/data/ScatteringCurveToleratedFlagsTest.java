package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.ScatteringCurve.Flag;

/** {@link ScatteringCurve#usable(Set)}: flagged rows stay when every reason they are flagged for is tolerated. */
class ScatteringCurveToleratedFlagsTest {

    static final ScatteringCurve C = ScatteringCurve.of(new double[] {1, 2, 3, 4, 5}, new double[] {5, -1, 3, 0, 1},
            new double[] {0.1, 0.1, 0, 0, 0.1});

    @Test
    void keepsRowsWhoseFlagsAreAllTolerated() {
        // rows: ok, I<=0, sigma=0, both, ok
        assertArrayEquals(new double[] {1, 2, 5}, C.usable(EnumSet.of(Flag.NON_POSITIVE_INTENSITY)).q(), 0.0);
        assertArrayEquals(new double[] {1, 3, 5}, C.usable(EnumSet.of(Flag.ZERO_SIGMA)).q(), 0.0);
        assertArrayEquals(C.usable().q(), C.usable(Set.of()).q(), 0.0);
        assertSame(C, C.usable(EnumSet.allOf(Flag.class)));
    }

    @Test
    void nothingLeftIsAnError() {
        ScatteringCurve bad = ScatteringCurve.of(new double[] {1, 2}, new double[] {-1, 0});
        assertThrows(IllegalArgumentException.class, () -> bad.usable(Set.of()));
    }
}
