package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;

/**
 * {@link ResolutionSpec}: each accepted form parses to its kind and gives the operator that
 * {@link Pinhole} builds for it (compared on a curve); bad text is refused with the accepted
 * forms; a measured Δq of zeros means no resolution; the text form round-trips.
 */
class ResolutionSpecTest {

    static final QGrid Q = QGrid.log(0.002, 0.3, 60);

    /** A smooth curve on a grid (a Guinier-like decay), to compare operators by what they do. */
    static double[] curve(QGrid g) {
        double[] v = new double[g.size()];
        for (int i = 0; i < v.length; i++) {
            double q = g.get(i);
            v[i] = Math.exp(-q * q * 2500 / 3) + 1e-3 / (q * q + 1e-4);
        }
        return v;
    }

    static void assertSameOperator(ResolutionOperator expected, ResolutionOperator actual) {
        assertEquals(expected.qCalc(), actual.qCalc());
        double[] a = expected.apply(curve(expected.qCalc()));
        double[] b = actual.apply(curve(actual.qCalc()));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0.0, "point " + i);
        }
    }

    @Test
    void pinholeFormsGiveTheLibraryOperators() {
        ResolutionSpec s = ResolutionSpec.parse("pinhole:0.05");
        assertEquals(ResolutionSpec.Kind.PINHOLE, s.kind());
        assertEquals(0.05, s.dqOverQ(), 0.0);
        assertSameOperator(Pinhole.sasmodels(Q, 0.05), s.operator(Q).orElseThrow());
        ResolutionSpec e = ResolutionSpec.parse(" Pinhole-Exact : 0.1 ");
        assertEquals(ResolutionSpec.Kind.PINHOLE_EXACT, e.kind());
        assertSameOperator(Pinhole.converged(Q, 0.1), e.operator(Q).orElseThrow());
        assertEquals("pinhole-exact:0.1", e.toString());
        assertEquals(e, ResolutionSpec.parse(e.toString()));
    }

    @Test
    void noneAndMeasuredDq() {
        assertFalse(ResolutionSpec.parse("none").operator(Q).isPresent());
        double[] dq = Pinhole.widths(Q, 0.07);
        assertSameOperator(Pinhole.sasmodels(Q, dq), ResolutionSpec.parse("data").operator(Q, dq).orElseThrow());
        assertSameOperator(Pinhole.converged(Q, dq), ResolutionSpec.parse("data-exact").operator(Q, dq).orElseThrow());
        assertFalse(ResolutionSpec.parse("data").operator(Q, new double[Q.size()]).isPresent(), "all dq = 0");
        IllegalArgumentException noDq = assertThrows(IllegalArgumentException.class,
                () -> ResolutionSpec.parse("data").operator(Q));
        assertTrue(noDq.getMessage().contains("measured"), noDq.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResolutionSpec.parse("data").operator(Q, new double[3]));
    }

    @Test
    void badTextIsRefusedWithTheAcceptedForms() {
        for (String bad : new String[] {"slot:0.05", "slit", "slit:0", "pinhole", "pinhole:-1", "pinhole:abc", "pinhole:NaN", "none:3", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResolutionSpec.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertFalse(e.getMessage().contains("--"), "a library message names no command-line option: " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResolutionSpec.parse("slot:0.05")).getMessage()
                .contains("pinhole-exact:DQ_OVER_Q"));
    }
}
