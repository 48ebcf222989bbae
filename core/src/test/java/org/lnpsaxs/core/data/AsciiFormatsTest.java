package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The text layouts of the field: headers and footers, separators, unit spellings, repeats, resolutions. */
class AsciiFormatsTest {

    @TempDir
    Path dir;

    private static CurveEntry entry(String text) throws IOException {
        return CurveReader.defaults().readEntry(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.dat");
    }

    private static CurveFormatException refused(String text) {
        return assertThrows(CurveFormatException.class, () -> entry(text));
    }

    private static void contains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }

    // ---------------------------------------------------------------- header and footer

    @Test
    void atsasStyleHeaderAndKeyValueFooter() throws IOException {
        CurveEntry e = entry("Sample description: LNP batch 3\n"
                + "Sample:  c= 1.000 mg/ml  Code: lnp3\n"
                + "q(nm-1)   I(q)   Err\n"
                + "0.1  100  1\n"
                + "0.2  50   0.5\n"
                + "0.3  25   0.25\n"
                + "\n"
                + "Exposure time: 1.0 s\n"
                + "Concentration: 1.5\n"
                + "Temperature = 25 C\n");
        ScatteringCurve c = e.curve();
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q(), 1e-17);
        assertArrayEquals(new double[] {100, 50, 25}, c.intensity());
        assertEquals(QUnit.NANOMETER_INVERSE, e.qUnit());
        assertEquals("header line 3", e.qUnitReason());
        assertEquals("Exposure time: 1.0 s", e.metadata("footer line 8"));
        assertEquals("Concentration: 1.5", e.metadata("footer line 9"));
        assertEquals("Sample description: LNP batch 3", e.metadata("header line 1"));
        assertTrue(e.notes().isEmpty(), e.notes().toString());
    }

    @Test
    void bioxtasRawStyleJsonFooter() throws IOException {
        CurveEntry e = entry("### DATA:\n\n"
                + "         Q               I              Error\n"
                + "  N_POINTS = 4\n"
                + "   1.000000E-02    1.000000E+02    1.000000E+00\n"
                + "   2.000000E-02    8.000000E+01    9.000000E-01\n"
                + "   3.000000E-02    6.000000E+01    8.000000E-01\n"
                + "   4.000000E-02    4.000000E+01    7.000000E-01\n"
                + "\n### HEADER:\n\n{\n"
                + "    \"filename\": \"lnp_0001.dat\",\n"
                + "    \"q_range\": [0.01, 0.04],\n"
                + "    \"exposure\": [\n"
                + "        1.0,\n"
                + "        1.0\n"
                + "    ],\n"
                + "    \"counters\": {\"I0\": 12345}\n"
                + "}\n");
        ScatteringCurve c = e.curve();
        assertEquals(4, c.size());
        assertArrayEquals(new double[] {0.7, 0.8, 0.9, 1.0}, new double[] {c.sigma(3), c.sigma(2), c.sigma(1), c.sigma(0)});
        assertEquals(5, e.firstLine());
        assertEquals("default", e.qUnitReason());
    }

    @Test
    void isisMultiLineHeader() throws IOException {
        CurveEntry e = entry(" LOQ Tue 20-FEB-2001 13:46 SAMPLE: 83404     EMPTY CAN: 83387 used /FLAT\n"
                + " Wav  2.20 >  10.00 Phi  -90.0 >    90.0 Rad  53.0 >  750.0  Scaled* 1.015\n"
                + "  4    0    0    0    1  4    0\n"
                + "         0         0         0         0\n"
                + " 4 (F12.5,3E16.6)\n"
                + "     0.00900    3.843649E+01    8.087308E-01    1.0E-03\n"
                + "     0.01100    2.867185E+01    3.365682E-01    1.1E-03\n"
                + "     0.01300    2.212955E+01    1.986344E-01    1.2E-03\n"
                + "     0.01500    1.847433E+01    1.506148E-01    1.3E-03\n");
        assertEquals(6, e.firstLine());
        assertEquals(4, e.curve().size());
        assertEquals(1.3e-3, e.curve().dq(3));
    }

    @Test
    void aDataLikeLineCutOffFromTheDataIsNamedInANote() throws IOException {
        CurveEntry e = entry("0.01 5 0.1\noops here\n0.02 4 0.1\n0.03 3 0.1\n0.04 2 0.1\n");
        assertEquals(3, e.curve().size());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("line 1 holds 3 numbers") && n.contains("line 2")),
                e.notes().toString());
    }

    @Test
    void aTypoRowBeforeTheDataIsRefused() {
        CurveFormatException e = refused("0.01 5 0.1\n0.02 4 O.1\n0.03 3 0.1\n0.04 2 0.1\n0.05 1 0.1\n");
        assertEquals(2, e.getLine());
        contains(e.getMessage(), "'O.1' is not a number");
    }

    @Test
    void aSecondBlockOfTheSameLayoutIsRefused() {
        CurveFormatException e = refused("# run 1\n0.01 5\n0.02 4\n0.03 3\n# run 2 follows\nrun 2\n0.01 6\n0.02 5\n"
                + "0.03 4\n0.04 3\n");
        contains(e.getMessage(), "line 7", "a second block of data rows with 2 columns", "lines 2-4 and 7-10");
        CurveFormatException after = refused("0.01 5\n0.02 4\n0.03 3\n0.04 2\nrun 2\n0.01 6\n0.02 5\n");
        contains(after.getMessage(), "line 5", "'run' is not a number", "inside the data block (from line 1)");
        CurveFormatException two = refused("0.01 5\n0.02 4\n0.03 3\nrun 2\n0.01 6\n0.02 5\n0.03 4\n0.04 3\n0.05 2\n");
        contains(two.getMessage(), "a second block of data rows with 2 columns", "lines 1-3 and 5-9");
    }

    @Test
    void aNumericLineOfAnotherWidthRightAfterTheDataIsRefused() {
        CurveFormatException e = refused("0.01 5 1\n0.02 4 1\n0.03 3 1\n7 8\n");
        assertEquals(4, e.getLine());
        contains(e.getMessage(), "2 columns, but the data block has 3 (line 1)");
    }

    // ---------------------------------------------------------------- separators

    @Test
    void separators() throws IOException {
        double[] q = {0.01, 0.02, 0.03};
        double[] i = {5.5, 4.25, 3};
        for (String text : new String[] {
            "q,I,sigma\n0.01,5.5,0.1\n0.02,4.25,0.1\n0.03,3,0.1\n",
            "q, I, sigma\r\n0.01, 5.5, 0.1\r\n0.02, 4.25, 0.1\r\n0.03, 3, 0.1\r\n",
            "q\tI\tsigma\n0.01\t5.5\t0.1\n0.02\t4.25\t0.1\n0.03\t3\t0.1\n",
            "q;I;sigma\n0.01;5.5;0.1\n0.02;4.25;0.1\n0.03;3;0.1\n",
            "q;I;sigma\n0,01;5,5;0,1\n0,02;4,25;0,1\n0,03;3;0,1\n",
            "q; I; sigma;\n0,01; 5,5; 0,1;\n0,02; 4,25; 0,1;\n0,03; 3; 0,1;\n",
            "q,I,sigma,\n0.01,5.5,0.1,\n0.02,4.25,0.1,\n0.03,3,0.1,\n",
        }) {
            ScatteringCurve c = entry(text).curve();
            assertArrayEquals(q, c.q(), text);
            assertArrayEquals(i, c.intensity(), text);
            assertArrayEquals(new double[] {0.1, 0.1, 0.1}, c.sigma(), text);
        }
    }

    // ---------------------------------------------------------------- units

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("# q (1/A)  I", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# Q [A^-1] I(Q)", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q / \u00C5\u207B\u00B9, I", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q (\u212B^-1) I", QUnit.ANGSTROM_INVERSE),
                Arguments.of("q(1/Ang) I(1/cm)", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q in inverse angstroms", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# Q(A-1) I err", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q_A I sigma", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q(\u00C5) I", QUnit.ANGSTROM_INVERSE),
                Arguments.of("# q_nm I sigma", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q (nm) I", QUnit.NANOMETER_INVERSE),
                Arguments.of("# Q [1/nm] I", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q(nm^-1) I", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q / nm^{-1}", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q (nm\u207B\u00B9)", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q [1/nanometre]", QUnit.NANOMETER_INVERSE),
                Arguments.of("Units: scattering vector in nm**-1", QUnit.NANOMETER_INVERSE),
                Arguments.of("# q_grid=log : np.logspace(...)\n# units: q [1/Ang], I [1/cm]\n# columns: q I",
                        QUnit.ANGSTROM_INVERSE));
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void unitSpellings(String header, QUnit unit) throws IOException {
        CurveEntry e = entry(header + "\n1 10\n2 5\n3 2\n");
        assertEquals(unit, e.qUnit(), header);
        assertEquals(unit.toAngstromInverse(2), e.curve().q(1), header);
        assertTrue(e.notes().isEmpty(), e.notes().toString());
    }

    @Test
    void lengthsThatAreNotQUnitsAreNotTakenForOne() throws IOException {
        CurveEntry e = entry("# wavelength 0.154 nm, sample-detector 1.2 m, beam 0.5 A\n# q I\n0.1 10\n0.2 5\n0.3 2\n");
        assertEquals("default", e.qUnitReason());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("no q unit in the header")), e.notes().toString());
    }

    @Test
    void aToldUnitWinsAndADisagreementIsNoted() throws IOException {
        CurveEntry e = CurveReader.defaults().withQUnit(QUnit.ANGSTROM_INVERSE)
                .readEntry(new ByteArrayInputStream("# q (1/nm) I\n1 10\n2 5\n3 2\n".getBytes(StandardCharsets.UTF_8)), "t.dat");
        assertArrayEquals(new double[] {1, 2, 3}, e.curve().q());
        assertEquals("told", e.qUnitReason());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("says q is in 1/nm")), e.notes().toString());
    }

    // ---------------------------------------------------------------- repeats and resolutions

    @Test
    void repeatedQIsMergedWithInverseVarianceWeights() throws IOException {
        CurveEntry e = entry("# q I sigma\n0.01 5 1\n0.02 4 1\n0.03 3 1\n0.02 6 2\n");
        ScatteringCurve c = e.curve();
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, c.q());
        // weights 1/1 and 1/4: I = (4*1 + 6*0.25)/1.25, sigma = 1/sqrt(1.25)
        assertEquals(4.4, c.intensity(1), 1e-15);
        assertEquals(0.8944271909999159, c.sigma(1), 1e-16);
        assertEquals(1, e.mergedRows());
        assertTrue(e.sorted());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("q = 0.02 1/A on line 3 and line 5")),
                e.notes().toString());
    }

    @Test
    void repeatedQWithoutUsableWeightsIsAPlainMean() throws IOException {
        ScatteringCurve noSigma = entry("0.01 5\n0.02 4\n0.02 6\n0.03 3\n").curve();
        assertEquals(5.0, noSigma.intensity(1));
        ScatteringCurve zeroSigma = entry("0.01 5 1\n0.02 4 0\n0.02 6 2\n0.03 3 1\n").curve();
        assertEquals(5.0, zeroSigma.intensity(1));
        assertEquals(Math.sqrt(0 + 4) / 2, zeroSigma.sigma(1));
        ScatteringCurve spelling = entry("0.01 5 1 0.001\n2e-2 4 1 0.002\n0.020 6 1 0.004\n0.03 3 1 0.003\n").curve();
        assertEquals(3, spelling.size());
        assertEquals(0.003, spelling.dq(1), 1e-18);
    }

    @Test
    void dqOfZeroEverywhereIsNoResolution() throws IOException {
        CurveEntry e = entry("# q I sigma dq\n0.01 5 1 0\n0.02 4 1 0\n0.03 3 1 0\n");
        assertFalse(e.curve().hasDq());
        assertNull(e.curve().dq());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("dq is 0 on every row")), e.notes().toString());
        assertTrue(entry("0.01 5 1 0\n0.02 4 1 0.001\n0.03 3 1 0.001\n").curve().hasDq(), "some zeros are kept");
    }

    @Test
    void negativeDqOnEveryRowIsASlitLength() throws IOException {
        CurveEntry e = entry("# q(1/A) I sigma dq\n0.01 5 1 -0.117\n0.02 4 1 -0.117\n0.03 3 1 -0.117\n");
        assertFalse(e.curve().hasDq());
        assertArrayEquals(new double[] {0.117, 0.117, 0.117}, e.curve().slitLength());
    }

    @Test
    void implausibleDqIsNoted() throws IOException {
        CurveEntry e = entry("2.6E-03 6.5E+04 7.7E-02 2.2E+03\n2.8E-03 6.4E+04 7.6E-02 2.1E+03\n3.0E-03 6.3E+04 7.5E-02 2.0E+03\n");
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("dq is larger than q on most rows")), e.notes().toString());
    }

    // ---------------------------------------------------------------- NIST and Anton Paar

    @Test
    void nistSixColumnsNeedTheirHeader() throws IOException {
        String rows = "0.01 5 0.1 0.001 0.0101 1\n0.02 4 0.1 0.002 0.0201 1\n0.03 3 0.1 0.003 0.0301 1\n";
        CurveEntry e = entry("The 6 columns are | Q (1/A) | I(Q) (1/cm) | std. dev. I(Q) (1/cm) | sigmaQ | meanQ |"
                + " ShadowFactor|\n" + rows);
        assertEquals(CurveFormat.NIST_ABS, e.format());
        assertArrayEquals(new double[] {0.001, 0.002, 0.003}, e.curve().dq());
        CurveFormatException plain = refused("# q I s dq a b\n" + rows);
        contains(plain.getMessage(), "6 columns", "NIST .ABS layout", "The 6 columns are");
        Path named = dir.resolve("run.ABS");
        Files.writeString(named, rows);
        assertEquals(CurveFormat.NIST_ABS, CurveReader.defaults().readAll(named).format());
        contains(refused("# q I s dq a\n0.01 5 0.1 0.001 1\n0.02 4 0.1 0.001 1\n0.03 3 0.1 0.001 1\n").getMessage(),
                "5 columns", "2 to 4", "or 6 in the NIST .ABS layout");
    }

    @Test
    void pdhThatIsCutShortIsRefused() {
        String pdh = "title\nSAXS BOX\n  5 0 0 0 0 0 0 0\n 0 1 0 1 0.1542\n 25 1.5 0 0 0\n"
                + " 0.1 10 1\n 0.2 5 0.5\n 0.3 2 0.2\n 0.4 1 0.1\n";
        CurveFormatException e = refused(pdh);
        assertEquals(3, e.getLine());
        contains(e.getMessage(), "announces 5 data rows", "has 4", "cut short");
    }

    @Test
    void pdhWithoutFooterIsInInverseNanometres() throws IOException {
        CurveEntry e = entry("title\nSAXS BOX\n  3 0 0 0 0 0 0 0\n 0 1 0 1 0.1542\n 25 1.5 0 0 0\n"
                + " 0.1 10 1\n 0.2 5 0.5\n 0.3 2 0.2\n");
        assertEquals(CurveFormat.ANTON_PAAR_PDH, e.format());
        assertEquals("Anton Paar .pdh convention", e.qUnitReason());
        assertEquals(0.01, e.curve().q(0));
        assertEquals("title", e.metadata("title"));
        assertEquals("0.1542 nm", e.metadata("wavelength"));
    }

    // ---------------------------------------------------------------- what the file looks like

    @Test
    void binaryFilesSayWhatTheyLookLike() {
        byte[][] files = {
            {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 3},
            {'P', 'K', 3, 4, 20, 0, 6, 0},
            {'%', 'P', 'D', 'F', '-', '1', '.', '4', '\n', (byte) 0xE2, (byte) 0xE3},
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16},
        };
        String[] says = {"gzip-compressed", "ZIP archive", "PDF document", "JPEG image"};
        for (int k = 0; k < files.length; k++) {
            byte[] b = files[k];
            CurveFormatException e = assertThrows(CurveFormatException.class,
                    () -> CurveReader.defaults().read(new ByteArrayInputStream(b), "x.dat"));
            contains(e.getMessage(), says[k]);
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void qGridFilesMayHoldASingleColumn() throws IOException {
        Path f = dir.resolve("q.dat");
        Files.writeString(f, "# q (1/nm)\n0.1\n0.2\n0.3\n");
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, CurveReader.defaults().readQGrid(f).values(), 1e-18);
        Files.writeString(f, "q I\n0.1 5\n0.2 4\n0.3 3\n");
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, CurveReader.defaults().readQGrid(f).values());
    }
}
