package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScatteringCurveTest {

    private static void refused(Runnable r, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void validationNamesTheIndex() {
        double[] q = {0.01, 0.02, 0.03};
        double[] i = {3, 2, 1};
        refused(() -> ScatteringCurve.of(q, new double[] {1, 2}), "intensity has 2 values but q has 3");
        refused(() -> ScatteringCurve.of(q, i, new double[] {1}), "sigma has 1 values");
        refused(() -> ScatteringCurve.of(q, i, null, new double[4]), "dq has 4 values");
        refused(() -> ScatteringCurve.of(new double[] {0.01, Double.NaN, 0.03}, i), "q[1] = NaN is not finite");
        refused(() -> ScatteringCurve.of(q, new double[] {3, 2, Double.POSITIVE_INFINITY}), "intensity[2] = Infinity");
        refused(() -> ScatteringCurve.of(new double[] {0.01, -0.02, 0.03}, i), "q[1] = -0.02 is negative");
        refused(() -> ScatteringCurve.of(q, i, new double[] {0.1, -0.3, 0.1}), "sigma[1] = -0.3 is negative");
        refused(() -> ScatteringCurve.of(q, i, new double[] {0.1, Double.NaN, 0.1}), "sigma[1] = NaN");
        refused(() -> ScatteringCurve.of(q, i, null, new double[] {0, 0, -1}), "dq[2] = -1.0 is negative");
        refused(() -> ScatteringCurve.of(new double[] {0.03, 0.01, 0.03}, i), "q[2] = 0.03 repeats q[0]");
        refused(() -> ScatteringCurve.of(new double[0], new double[0]), "at least one point");
        refused(() -> ScatteringCurve.of(null, i), "required");
    }

    @Test
    void copiesInAndOut() {
        double[] q = {0.01, 0.02, 0.03};
        double[] i = {3, 2, 1};
        double[] s = {0.3, 0.2, 0.1};
        ScatteringCurve c = ScatteringCurve.of(q, i, s);
        q[0] = 5;
        i[0] = 5;
        s[0] = 5;
        assertEquals(0.01, c.q(0));
        assertEquals(3, c.intensity(0));
        assertEquals(0.3, c.sigma(0));
        c.q()[1] = 7;
        c.intensity()[1] = 7;
        c.sigma()[1] = 7;
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
        assertArrayEquals(new double[] {0.3, 0.2, 0.1}, c.sigma());
    }

    @Test
    void sortsRowsTogether() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.3, 0.1, 0.2}, new double[] {1, 3, 2},
                new double[] {0.01, 0.03, 0.02}, new double[] {3e-3, 1e-3, 2e-3});
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
        assertArrayEquals(new double[] {0.03, 0.02, 0.01}, c.sigma());
        assertArrayEquals(new double[] {1e-3, 2e-3, 3e-3}, c.dq());
        assertEquals(new ScatteringCurve.QRange(0.1, 0.3), c.qRange());
        assertEquals(0.1, c.qMin());
        assertEquals(0.3, c.qMax());
    }

    @Test
    void negativeZeroQBecomesZero() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {-0.0, 0.1}, new double[] {1, 1});
        assertEquals(0L, Double.doubleToRawLongBits(c.q(0)));
        refused(() -> ScatteringCurve.of(new double[] {-0.0, 0.0}, new double[] {1, 1}), "repeats");
    }

    @Test
    void withoutSigmaOrDq() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertFalse(c.hasSigma());
        assertFalse(c.hasDq());
        assertNull(c.sigma());
        assertNull(c.dq());
        assertThrows(IllegalStateException.class, () -> c.sigma(0));
        assertThrows(IllegalStateException.class, () -> c.dq(0));
        ScatteringCurve s = c.withSigma(new double[] {0.1, 0.2, 0.3});
        assertTrue(s.hasSigma());
        assertFalse(s.withSigma(null).hasSigma());
        assertTrue(c.withDq(new double[] {0, 0, 0}).hasDq());
    }

    @Test
    void flagsAndUsable() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {1, 2, 3, 4}, new double[] {1, -1, 0, 2},
                new double[] {0.1, 0.1, 0.1, 0});
        assertEquals(3, c.flaggedCount());
        assertEquals("3 of 4 rows flagged (2 with I <= 0, 1 with sigma = 0)", c.flagSummary());
        ScatteringCurve u = c.usable();
        assertArrayEquals(new double[] {1}, u.q());
        assertArrayEquals(new double[] {0.1}, u.sigma());
        ScatteringCurve clean = ScatteringCurve.of(new double[] {1, 2}, new double[] {1, 2});
        assertSame(clean, clean.usable());
        assertEquals("no rows flagged", clean.flagSummary());
        ScatteringCurve none = ScatteringCurve.of(new double[] {1, 2}, new double[] {0, -2}).withSource("bad.dat");
        refused(none::usable, "bad.dat", "no usable rows");
        assertTrue(c.toString().contains("3 flagged"), c.toString());
    }

    @Test
    void restrict() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.01, 0.02, 0.03, 0.04}, new double[] {4, 3, 2, 1},
                null, new double[] {1e-3, 2e-3, 3e-3, 4e-3}).withSource("r.dat");
        ScatteringCurve r = c.restrict(0.02, 0.03);
        assertArrayEquals(new double[] {0.02, 0.03}, r.q());
        assertArrayEquals(new double[] {3, 2}, r.intensity());
        assertArrayEquals(new double[] {2e-3, 3e-3}, r.dq());
        assertEquals("r.dat", r.source());
        assertSame(c, c.restrict(0, 1));
        refused(() -> c.restrict(0.5, 0.6), "no rows with q in [0.5, 0.6]", "r.dat");
        refused(() -> c.restrict(0.03, 0.02), "not valid");
        refused(() -> c.restrict(Double.NaN, 0.02), "not valid");
    }

    @Test
    void equalityIgnoresTheSourceButNotTheBits() {
        ScatteringCurve a = ScatteringCurve.of(new double[] {1, 2}, new double[] {1, 2}).withSource("a");
        ScatteringCurve b = ScatteringCurve.of(new double[] {1, 2}, new double[] {1, 2}).withSource("b");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, ScatteringCurve.of(new double[] {1, 2}, new double[] {1, Math.nextUp(2.0)}));
        assertNotEquals(a, a.withSigma(new double[] {1, 1}));
        assertNotEquals(ScatteringCurve.of(new double[] {1, 2}, new double[] {0.0, 2}),
                ScatteringCurve.of(new double[] {1, 2}, new double[] {-0.0, 2}));
    }

    @Test
    void qGrid() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.2, 0.1}, new double[] {1, 2});
        assertEquals(QGrid.of(0.1, 0.2), c.qGrid());
    }

    @Test
    void qUnitConversion() {
        assertEquals(0.1, QUnit.NANOMETER_INVERSE.toAngstromInverse(1.0));
        assertEquals(0.05, QUnit.NANOMETER_INVERSE.toAngstromInverse(0.5));
        assertEquals(2.0, QUnit.NANOMETER_INVERSE.fromAngstromInverse(0.2));
        assertEquals(0.123, QUnit.ANGSTROM_INVERSE.toAngstromInverse(0.123));
        assertEquals(QUnit.NANOMETER_INVERSE, QUnit.parse("nm"));
        assertEquals(QUnit.NANOMETER_INVERSE, QUnit.parse("1/NM"));
        assertEquals(QUnit.ANGSTROM_INVERSE, QUnit.parse("A"));
        assertEquals(QUnit.ANGSTROM_INVERSE, QUnit.parse("1/Å"));
        refused(() -> QUnit.parse("cm"), "unknown q unit 'cm'", "A", "nm");
    }
}
