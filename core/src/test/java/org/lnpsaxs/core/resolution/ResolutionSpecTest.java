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

    @Test
    void slitFormsParseAndGiveTheSlitOperators() {
        ResolutionSpec s = ResolutionSpec.parse("slit:0.117");
        assertEquals(ResolutionSpec.Kind.SLIT, s.kind());
        assertEquals(0.117, s.slitLength(), 0.0);
        assertTrue(Double.isNaN(s.dqOverQ()));
        assertEquals(s, ResolutionSpec.parse(s.toString()));
        assertSameOperator(Slit.sasmodels(Q, 0.117), s.operator(Q).orElseThrow());
        ResolutionSpec e = ResolutionSpec.parse("Slit-Exact:0.05");
        assertEquals(ResolutionSpec.Kind.SLIT_EXACT, e.kind());
        assertSameOperator(Slit.converged(Q, 0.05), e.operator(Q).orElseThrow());
    }

    /** {@code data} on a measured curve: slit when it has slit lengths, else pinhole from dq > 0, else none. */
    @Test
    void dataMeansSlitThenPinholeThenNone() throws Exception {
        java.util.List<org.lnpsaxs.core.data.CurveEntry> entries = org.lnpsaxs.core.data.CurveReader.defaults()
                .readAll(java.nio.file.Path.of("src/test/resources/sasdata/latex_smeared.xml")).entries();
        org.lnpsaxs.core.data.ScatteringCurve sans = entries.get(0).curve();
        org.lnpsaxs.core.data.ScatteringCurve usans = entries.get(1).curve();
        assertTrue(usans.hasSlit() && !sans.hasSlit() && sans.hasDq());
        AppliedResolution slit = ResolutionSpec.DATA.resolve(usans);
        assertEquals(AppliedResolution.SLIT, slit.geometry());
        assertSameOperator(Slit.sasmodels(usans.qGrid(), usans.slitLength(), usans.slitWidth()), slit.operator());
        assertTrue(slit.widths().contains("from the data"), slit.widths());
        AppliedResolution pinhole = ResolutionSpec.DATA.resolve(sans);
        assertEquals(AppliedResolution.PINHOLE, pinhole.geometry());
        assertEquals("sasmodels", pinhole.algorithm());
        assertSameOperator(Pinhole.sasmodels(sans.qGrid(), sans.dq()), pinhole.operator());
        assertEquals("converged", ResolutionSpec.parse("data-exact").resolve(sans).algorithm());
        // a slit on a curve with dq: the slit wins
        org.lnpsaxs.core.data.ScatteringCurve both = sans.withSlit(Slit.lengths(sans.qGrid(), 0.05), null);
        assertEquals(AppliedResolution.SLIT, ResolutionSpec.DATA.resolve(both).geometry());
        // dq = 0 everywhere: none
        org.lnpsaxs.core.data.ScatteringCurve flat = sans.withDq(new double[sans.size()]);
        assertTrue(ResolutionSpec.DATA.resolve(flat).isNone());
        assertEquals(0, ResolutionSpec.DATA.resolve(flat).calculationPoints());
        // given kinds ignore the curve's columns
        assertEquals(AppliedResolution.PINHOLE, ResolutionSpec.parse("pinhole:0.1").resolve(usans).geometry());
        assertTrue(ResolutionSpec.NONE.resolve(usans).isNone());
    }

    /** Rows of an operator kept as computed for the whole grid, the calculation grid reduced to what they use. */
    @Test
    void rowsKeepTheirWeights() {
        ResolutionOperator op = Pinhole.sasmodels(Q, 0.1);
        ResolutionOperator sub = op.rows(3, 10);
        assertEquals(7, sub.outputSize());
        double[] calc = op.qCalc().values();
        double[] f = new double[calc.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = Math.sin(40 * calc[j]) + 2;
        }
        double[] subCalc = sub.qCalc().values();
        double[] g = new double[subCalc.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = Math.sin(40 * subCalc[j]) + 2;
        }
        double[] all = op.apply(f);
        double[] part = sub.apply(g);
        for (int i = 0; i < 7; i++) {
            assertEquals(all[i + 3], part[i], 1e-15);
            assertEquals(Q.get(i + 3), sub.q().get(i), 0.0);
        }
        assertTrue(sub.calcSize() < op.calcSize());
        double[] support = sub.rowSupport(0);
        assertTrue(support[0] >= Q.get(3) * (1 - 0.25) && support[1] <= Q.get(3) * (1 + 0.3) + 1e-15);
    }
}
