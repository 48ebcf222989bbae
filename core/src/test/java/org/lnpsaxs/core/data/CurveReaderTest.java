package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the reader must accept, and what it must make of them. */
class CurveReaderTest {

    @TempDir
    Path dir;

    private static ScatteringCurve read(String text) throws IOException {
        return CurveReader.defaults().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.dat");
    }

    private static ScatteringCurve read(String text, QUnit unit) throws IOException {
        return CurveReader.defaults().withQUnit(unit).read(new StringReader(text), "t.dat");
    }

    @Test
    void beamlineHeaderBeforeTheData() throws IOException {
        String text = "Sample description: LNP batch 3\n"
                + "Exposure time: 1 s\n"
                + "Concentration: 2.5 mg/ml\n"
                + "Date: 2024-05-01 12:00:00\n"
                + "q I sigma\n"
                + "0.01 120.5 1.5\n"
                + "0.02 80.25 1.25\n"
                + "0.03 40.0 1.0\n"
                + "0.04 10.5 0.5\n";
        ScatteringCurve c = read(text);
        assertEquals(4, c.size());
        assertArrayEquals(new double[] {0.01, 0.02, 0.03, 0.04}, c.q());
        assertArrayEquals(new double[] {120.5, 80.25, 40.0, 10.5}, c.intensity());
        assertArrayEquals(new double[] {1.5, 1.25, 1.0, 0.5}, c.sigma());
        assertFalse(c.hasDq());
        assertNull(c.dq());
        assertEquals("t.dat", c.source());
        assertEquals(0, c.flaggedCount());
    }

    @Test
    void headerRowWithFourColumns() throws IOException {
        ScatteringCurve c = read("q I sigma dq\n0.01 3 0.1 0.001\n0.02 2 0.1 0.002\n0.03 1 0.1 0.003\n");
        assertTrue(c.hasSigma());
        assertTrue(c.hasDq());
        assertArrayEquals(new double[] {0.001, 0.002, 0.003}, c.dq());
    }

    @Test
    void twoColumnsHaveNoSigma() throws IOException {
        ScatteringCurve c = read("0.01 3\n0.02 2\n0.03 1\n");
        assertFalse(c.hasSigma());
        assertNull(c.sigma());
    }

    @Test
    void sasViewStyleCsv() throws IOException {
        ScatteringCurve c = read("Q(1/A),I(1/cm),dI\n0.005,1.5e+02,2.0\n0.010, 1.2e+02 ,1.5\n0.015,9.0E1,1.0\n");
        assertArrayEquals(new double[] {0.005, 0.010, 0.015}, c.q());
        assertArrayEquals(new double[] {150, 120, 90}, c.intensity());
        assertArrayEquals(new double[] {2.0, 1.5, 1.0}, c.sigma());
    }

    @Test
    void tabsAndMixedWhiteSpace() throws IOException {
        ScatteringCurve c = read("q\tI\tsigma\n0.01\t3\t0.1\n  0.02 \t 2\t\t0.1  \n0.03\t1\t0.1\n");
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
    }

    @Test
    void crlfLineEnds() throws IOException {
        ScatteringCurve c = read("# header\r\nq I\r\n0.01 3\r\n0.02 2\r\n\r\n0.03 1\r\n");
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
    }

    @Test
    void crlfLineNumbersInErrors() {
        CurveFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CurveFormatException.class,
                () -> read("# header\r\n0.01 3\r\n0.02 2\r\n0.03 -1 -2\r\n"));
        assertEquals(4, e.getLine(), e.getMessage());
        CurveFormatException cr = org.junit.jupiter.api.Assertions.assertThrows(CurveFormatException.class,
                () -> read("# header\r0.01 3\r0.02 2\r0.03 x\r"));
        assertEquals(4, cr.getLine(), cr.getMessage());
    }

    @Test
    void byteOrderMark() throws IOException {
        byte[] body = "q I\n0.01 3\n0.02 2\n0.03 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Path file = dir.resolve("bom.dat");
        Files.write(file, bytes);
        ScatteringCurve c = CurveReader.defaults().read(file);
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertEquals(file.toString(), c.source());
        // a BOM right before the first data row (no header) too
        ScatteringCurve d = read("\uFEFF0.01 3\n0.02 2\n0.03 1\n");
        assertEquals(3, d.size());
    }

    @Test
    void utf8HeaderWithAngstromSign() throws IOException {
        ScatteringCurve c = read("# Q (Å⁻¹)  I (cm⁻¹)\n0.5 3\n1.5 2\n2.0 1\n");
        assertArrayEquals(new double[] {0.5, 1.5, 2.0}, c.q());
    }

    @Test
    void commentsEverywhere() throws IOException {
        ScatteringCurve c = read("# start\nSample #3 # trailing comment in the header\n0.01 3 # first\n# inside\n\n"
                + "0.02 2\n0.03 1 #last\n# end\n");
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
    }

    @Test
    void qZeroIsAllowed() throws IOException {
        ScatteringCurve c = read("0 3\n0.02 2\n0.03 1\n");
        assertEquals(0.0, c.qMin());
    }

    @Test
    void nanometreWhenTold() throws IOException {
        ScatteringCurve c = read("q I sigma dq\n0.5 3 0.1 0.25\n1.5 2 0.1 0.5\n2.0 1 0.1 1.0\n", QUnit.NANOMETER_INVERSE);
        assertArrayEquals(new double[] {0.05, 0.15, 0.2}, c.q());
        assertArrayEquals(new double[] {0.025, 0.05, 0.1}, c.dq());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, c.sigma());
    }

    @Test
    void nanometreFromTheColumnNames() throws IOException {
        for (String header : new String[] {"q (nm^-1)  I  sigma", "# q [1/nm], I [a.u.], error", "Q(nm-1),I,dI",
            "q_nm^{-1} I err", "#q (nm⁻¹) I", "q (inverse nanometers) I"}) {
            ScatteringCurve c = read(header + "\n0.5 3 0.1\n1.5 2 0.1\n2.0 1 0.1\n");
            assertArrayEquals(new double[] {0.05, 0.15, 0.2}, c.q(), header);
        }
    }

    @Test
    void nanometreFromAFreeTextHeaderLine() throws IOException {
        ScatteringCurve c = read("Sample description: LNP batch 3\nq unit: 1/nm\nq I\n0.5 3\n1.5 2\n2.0 1\n");
        assertArrayEquals(new double[] {0.05, 0.15, 0.2}, c.q());
    }

    @Test
    void columnRowDecidesOverOtherHeaderLines() throws IOException {
        ScatteringCurve c = read("# converted from 1/nm\nq(1/A) I\n0.5 3\n1.5 2\n2.0 1\n");
        assertArrayEquals(new double[] {0.5, 1.5, 2.0}, c.q());
        ScatteringCurve d = read("# units were 1/A before\nq(nm^-1) I\n0.5 3\n1.5 2\n2.0 1\n");
        assertArrayEquals(new double[] {0.05, 0.15, 0.2}, d.q());
    }

    @Test
    void angstromSpellingsAreNotNanometre() throws IOException {
        for (String header : new String[] {"Q(1/A),I(1/cm),dI", "q (A^-1) I", "q [Å-1] I", "q (1/angstrom) I",
            "# q in inverse Angstroms", "# nm in the sample name: DNA-1 only"}) {
            ScatteringCurve c = read(header + "\n0.5 3\n1.5 2\n2.0 1\n");
            assertArrayEquals(new double[] {0.5, 1.5, 2.0}, c.q(), header);
        }
    }

    @Test
    void toldUnitWinsOverTheHeader() throws IOException {
        ScatteringCurve c = read("q (nm^-1) I\n0.5 3\n1.5 2\n2.0 1\n", QUnit.ANGSTROM_INVERSE);
        assertArrayEquals(new double[] {0.5, 1.5, 2.0}, c.q());
        ScatteringCurve d = read("# 1/nm and 1/A both named\nq I\n0.5 3\n1.5 2\n2.0 1\n", QUnit.NANOMETER_INVERSE);
        assertArrayEquals(new double[] {0.05, 0.15, 0.2}, d.q());
    }

    @Test
    void nonPositiveIntensityAndZeroSigmaAreFlagged() throws IOException {
        ScatteringCurve c = read("q I sigma\n0.01 3 0.1\n0.02 0 0.1\n0.03 -1 0.1\n0.04 2 0\n0.05 -2 0\n0.06 1 0.1\n");
        assertEquals(6, c.size());
        assertEquals(4, c.flaggedCount());
        assertFalse(c.isFlagged(0));
        assertTrue(c.isFlagged(1));
        assertTrue(c.isFlagged(2));
        assertEquals(Set.of(ScatteringCurve.Flag.ZERO_SIGMA), c.flags(3));
        assertEquals(Set.of(ScatteringCurve.Flag.NON_POSITIVE_INTENSITY, ScatteringCurve.Flag.ZERO_SIGMA), c.flags(4));
        assertEquals(3, c.flaggedCount(ScatteringCurve.Flag.NON_POSITIVE_INTENSITY));
        assertEquals(2, c.flaggedCount(ScatteringCurve.Flag.ZERO_SIGMA));
        assertEquals("4 of 6 rows flagged (3 with I <= 0, 2 with sigma = 0)", c.flagSummary());
        ScatteringCurve u = c.usable();
        assertArrayEquals(new double[] {0.01, 0.06}, u.q());
        assertArrayEquals(new double[] {3, 1}, u.intensity());
        assertEquals(0, u.flaggedCount());
    }

    @Test
    void unsortedRowsAreSortedWithAWarning() throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ScatteringCurve c;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            c = read("q I sigma dq\n0.03 1 0.3 0.003\n0.01 3 0.1 0.001\n0.02 2 0.2 0.002\n");
        } finally {
            System.setErr(saved);
        }
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        assertArrayEquals(new double[] {3, 2, 1}, c.intensity());
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, c.sigma());
        assertArrayEquals(new double[] {0.001, 0.002, 0.003}, c.dq());
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("t.dat") && log.contains("not ascending")
                && log.contains("line 3"), log);
    }

    @Test
    void numberSpellings() throws IOException {
        ScatteringCurve c = read("+1 .5\n2. 1E+2\n3e0 -0\n");
        assertArrayEquals(new double[] {1, 2, 3}, c.q());
        assertArrayEquals(new double[] {0.5, 100, -0.0}, c.intensity());
        assertTrue(c.isFlagged(2));
    }

    @Test
    void readsFromAReaderAndFromAStream() throws IOException {
        String text = "0.01 3\n0.02 2\n0.03 1\n";
        ScatteringCurve a = CurveReader.defaults().read(new StringReader(text), "<stdin>");
        ScatteringCurve b = CurveReader.defaults().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        assertEquals(a, b);
        assertEquals("<stdin>", a.source());
    }

    @Test
    void readerConfiguration() {
        assertTrue(CurveReader.defaults().qUnit().isEmpty());
        assertEquals(QUnit.NANOMETER_INVERSE, CurveReader.defaults().withQUnit(QUnit.NANOMETER_INVERSE).qUnit().orElseThrow());
        assertTrue(CurveReader.defaults().withQUnit(QUnit.NANOMETER_INVERSE).withQUnit(null).qUnit().isEmpty());
    }

    @Test
    void detailsSayHowTheFileWasRead() throws IOException {
        String text = "Sample description: LNP batch 3\n# q in 1/nm\nq I sigma\n2.0 1 0.1\n0.5 3 0.1\n1.5 2 0.1\n";
        CurveReader.Result r = CurveReader.defaults().readDetailed(new StringReader(text), "d.dat");
        assertEquals(QUnit.NANOMETER_INVERSE, r.qUnit());
        assertEquals("header line 2", r.qUnitReason());
        assertEquals(3, r.columns());
        assertEquals(4, r.firstDataLine());
        assertTrue(r.sorted());
        assertArrayEquals(new double[] {0.05, 0.15, 0.2}, r.curve().q());
        CurveReader.Result told = CurveReader.defaults().withQUnit(QUnit.ANGSTROM_INVERSE)
                .readDetailed(new StringReader("0.1 1\n0.2 2\n0.3 3\n"), "t.dat");
        assertEquals("told", told.qUnitReason());
        assertFalse(told.sorted());
        assertEquals("default", CurveReader.defaults().readDetailed(new StringReader("0.1 1\n0.2 2\n0.3 3\n"), "t.dat")
                .qUnitReason());
    }
}
