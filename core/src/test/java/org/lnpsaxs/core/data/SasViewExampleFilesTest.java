package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Public files from SasView's example data (BSD-3, see {@code sasdata/NOTICE.md}). Expected values
 * come from the files' text (read here with plain regular expressions, not with the reader), from
 * h5py 3 (for the HDF5 files: the values are quoted below) or from reading the files by eye.
 */
class SasViewExampleFilesTest {

    static Path resource(String name) {
        try {
            return Path.of(SasViewExampleFilesTest.class.getResource("/sasdata/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of the i-th SASentry of a canSAS XML file, from its text: {Q, I, Idev, Qdev or dQl} (NaN when absent). */
    static List<double[]> xmlRows(String file, int entry) throws IOException {
        String text = Files.readString(resource(file), StandardCharsets.UTF_8);
        String[] entries = text.split("<SASentry");
        List<double[]> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<Idata>(.*?)</Idata>", Pattern.DOTALL).matcher(entries[entry]);
        while (m.find()) {
            String row = m.group(1);
            rows.add(new double[] {value(row, "Q"), value(row, "I"), value(row, "Idev"), value(row, "Qdev"),
                value(row, "dQl")});
        }
        return rows;
    }

    private static double value(String row, String tag) {
        Matcher m = Pattern.compile("<" + tag + "(?: [^>]*)?>([^<]*)</" + tag + ">").matcher(row);
        return m.find() && !m.group(1).isBlank() ? Double.parseDouble(m.group(1).strip()) : Double.NaN;
    }

    /** |a - b| within the rounding of a value printed with 6 significant digits. */
    private static void assertSixDigits(double printed, double full, String what) {
        assertTrue(Math.abs(printed - full) <= 5e-6 * Math.abs(full) + 1e-300, what + ": " + printed + " vs " + full);
    }

    // ---------------------------------------------------------------- one measurement, three files

    @Test
    void isisRun33837AsCanSasXml() throws IOException {
        List<double[]> rows = xmlRows("33837rear_1D_1.75_16.5_CanSAS1D.xml", 1);
        assertEquals(66, rows.size());
        CurveFile f = CurveReader.defaults().readAll(resource("33837rear_1D_1.75_16.5_CanSAS1D.xml"));
        assertEquals(CurveFormat.CANSAS_XML, f.format());
        assertEquals("1.1", f.version());
        CurveEntry e = f.entries().get(0);
        ScatteringCurve c = e.curve();
        assertEquals(66, c.size());
        for (int i = 0; i < 66; i++) {
            assertEquals(rows.get(i)[0], c.q(i), "Q " + i);
            assertEquals(rows.get(i)[1], c.intensity(i), "I " + i);
            assertEquals(rows.get(i)[2], c.sigma(i), "Idev " + i);
            assertEquals(0.0, rows.get(i)[3], "the file's Qdev " + i);
        }
        assertFalse(c.hasDq(), "Qdev = 0 on every row means no resolution");
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("dq is 0 on every row")), e.notes().toString());
        assertEquals("33837rear_1D_1.75_16.5_cloned_temp", e.name());
        assertEquals("MH4_5deg_16T_SLOW", e.metadata("title"));
        assertEquals("33837", e.metadata("run"));
        assertEquals("SANS2D", e.metadata("instrument"));
        assertEquals("MH4_5deg_16T_SLOW", e.metadata("sample"));
        assertEquals("Spallation Neutron Source", e.metadata("radiation"));
        assertEquals("2.84526 m; 4.38528 m", e.metadata("sample-detector distance"));
        assertEquals("1/cm", e.intensityUnit());
        assertEquals(QUnit.ANGSTROM_INVERSE, e.qUnit());
        assertEquals(List.of("Q", "I", "Idev", "Qdev"), e.columns());
        assertEquals(12, e.firstLine());
    }

    /** h5py 3 read /sasentry01/sasdata/{Q,I,Idev}[0], [10] and [65] of the _v3 file as these doubles. */
    private static final double[] H5PY_Q = {0.0041600000000000005, 0.008981127988654792, 0.6189241619415587};
    private static final double[] H5PY_I = {5.416094671273121, 24.193889608153476, 0.33697913143947616};
    private static final double[] H5PY_IDEV = {0.6152247543248875, 0.20721350111248701, 0.19365125082205084};

    @Test
    void isisRun33837AsNxCanSasBothLayoutsAgreeWithTheXml() throws IOException {
        List<double[]> xml = xmlRows("33837rear_1D_1.75_16.5_CanSAS1D.xml", 1);
        CurveEntry v3 = CurveReader.defaults().readEntry(resource("33837rear_1D_1.75_16.5_NXcanSAS_v3.h5"));
        CurveEntry old = CurveReader.defaults().readEntry(resource("33837rear_1D_1.75_16.5_NXcanSAS.h5"));
        for (CurveEntry e : List.of(v3, old)) {
            assertEquals(CurveFormat.NXCANSAS, e.format());
            assertEquals("sasentry01", e.name());
            assertEquals("MH4_5deg_16T_SLOW", e.metadata("title"));
            assertEquals("33837", e.metadata("run"));
            assertEquals("SANS2D", e.metadata("instrument"));
            assertEquals(QUnit.ANGSTROM_INVERSE, e.qUnit());
            assertEquals("Counts", e.intensityUnit(), "what Mantid wrote in the HDF5 files");
            ScatteringCurve c = e.curve();
            assertEquals(66, c.size());
            assertFalse(c.hasDq());
            int[] at = {0, 10, 65};
            for (int k = 0; k < 3; k++) {
                assertEquals(H5PY_Q[k], c.q(at[k]));
                assertEquals(H5PY_I[k], c.intensity(at[k]));
                assertEquals(H5PY_IDEV[k], c.sigma(at[k]));
            }
            for (int i = 0; i < 66; i++) {
                assertSixDigits(xml.get(i)[0], c.q(i), "Q " + i);
                assertSixDigits(xml.get(i)[1], c.intensity(i), "I " + i);
                assertSixDigits(xml.get(i)[2], c.sigma(i), "Idev " + i);
            }
        }
        // h5py: the two files (Mantid 3.6 and 3.7) differ by at most 3.5e-14 relative, q not at all
        assertArrayEquals(v3.curve().q(), old.curve().q());
        assertArrayEquals(v3.curve().intensity(), old.curve().intensity(), 1e-13 * 30);
        assertArrayEquals(v3.curve().sigma(), old.curve().sigma(), 1e-13);
    }

    // ---------------------------------------------------------------- several entries, pinhole and slit

    @Test
    void latexSmearedHasAPinholeAndASlitEntry() throws IOException {
        Path file = resource("latex_smeared.xml");
        CurveFile f = CurveReader.defaults().readAll(file);
        assertEquals("1.0", f.version());
        assertEquals(2, f.size());
        CurveEntry pinhole = f.entries().get(0);
        CurveEntry slit = f.entries().get(1);
        assertEquals("latex particles 0.5micron diameter in D2O Qdev", pinhole.name());
        assertEquals("latex particles 0.5micron diameter in D2O slit", slit.name());
        assertEquals(file + "#1", pinhole.curve().source());
        assertEquals(file + "#2", slit.curve().source());
        assertEquals("5 A", pinhole.metadata("wavelength"));
        assertEquals("2.38 A", slit.metadata("wavelength"));
        assertEquals("1 mm", pinhole.metadata("sample thickness"));

        // the pinhole entry: rows that share a q are merged (inverse-variance weights), from the text
        List<double[]> rows = xmlRows("latex_smeared.xml", 1);
        assertEquals(301, rows.size());
        List<double[]> merged = new ArrayList<>();
        for (int i = 0; i < rows.size(); ) {
            int j = i + 1;
            while (j < rows.size() && rows.get(j)[0] == rows.get(i)[0]) {
                j++;
            }
            double sw = 0;
            double swi = 0;
            double dq = 0;
            for (int k = i; k < j; k++) {
                double w = 1 / (rows.get(k)[2] * rows.get(k)[2]);
                sw += w;
                swi += w * rows.get(k)[1];
                dq += rows.get(k)[3];
            }
            merged.add(new double[] {rows.get(i)[0], j - i == 1 ? rows.get(i)[1] : swi / sw,
                j - i == 1 ? rows.get(i)[2] : 1 / Math.sqrt(sw), dq / (j - i)});
            i = j;
        }
        assertEquals(299, merged.size(), "the file repeats two q values");
        ScatteringCurve p = pinhole.curve();
        assertEquals(299, p.size());
        assertEquals(2, pinhole.mergedRows());
        for (int i = 0; i < merged.size(); i++) {
            assertEquals(merged.get(i)[0], p.q(i), "q " + i);
            assertEquals(merged.get(i)[1], p.intensity(i), 1e-15 * Math.abs(merged.get(i)[1]), "I " + i);
            assertEquals(merged.get(i)[2], p.sigma(i), 1e-15 * merged.get(i)[2], "sigma " + i);
            assertEquals(merged.get(i)[3], p.dq(i), 1e-18, "dq " + i);
        }
        assertFalse(p.hasSlit());
        assertTrue(pinhole.notes().stream().anyMatch(n -> n.contains("q = 0.01898") && n.contains("line 54")
                && n.contains("line 55")), pinhole.notes().toString());

        // the slit entry: dQl = 0.117 1/A on every row, no pinhole dq
        List<double[]> slitRows = xmlRows("latex_smeared.xml", 2);
        ScatteringCurve s = slit.curve();
        assertEquals(82, slitRows.size());
        assertEquals(82, s.size());
        assertTrue(s.hasSlit());
        assertFalse(s.hasDq());
        assertNull(s.slitWidth());
        for (int i = 0; i < 82; i++) {
            assertEquals(slitRows.get(i)[0], s.q(i));
            assertEquals(slitRows.get(i)[1], s.intensity(i));
            assertEquals(0.117, s.slitLength()[i]);
        }
        assertEquals(List.of("Q", "I", "Idev", "dQl"), slit.columns());
    }

    @Test
    void aFileOfSeveralCurvesNeedsAChoice() throws IOException {
        Path file = resource("latex_smeared.xml");
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(file));
        assertTrue(e.getMessage().contains("holds 2 curves") && e.getMessage().contains("1: 'latex particles 0.5micron"
                + " diameter in D2O Qdev'") && e.getMessage().contains("2: 'latex"), e.getMessage());
        assertTrue(CurveReader.defaults().withEntry(EntrySelector.number(2)).read(file).hasSlit());
        assertTrue(CurveReader.defaults().withEntry(EntrySelector.parse("latex particles 0.5micron diameter in D2O slit"))
                .read(file).hasSlit());
        assertTrue(CurveReader.defaults().withEntry(EntrySelector.parse("LATEX PARTICLES 0.5MICRON DIAMETER IN D2O QDEV"))
                .read(file).hasDq());
        CurveFormatException none = assertThrows(CurveFormatException.class,
                () -> CurveReader.defaults().withEntry(EntrySelector.number(3)).read(file));
        assertTrue(none.getMessage().contains("no entry 3") && none.getMessage().contains("2 curves"), none.getMessage());
        CurveFormatException all = assertThrows(CurveFormatException.class,
                () -> CurveReader.defaults().withEntry(EntrySelector.all()).read(file));
        assertTrue(all.getMessage().contains("one is needed"), all.getMessage());
        assertEquals(2, CurveReader.defaults().readAll(file).select(EntrySelector.all()).size());
    }

    /** h5py 3: /Lew_Sa3_0004_mrg/Lew_Sa3_0004_mrg/{Q,I,Idev,Qdev}[0] and [489]. */
    @Test
    void irenaNxCanSasWithQdev() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("Lew_Sa3_DSM_QinA.h5"));
        ScatteringCurve c = e.curve();
        assertEquals(490, c.size());
        assertEquals("Lew_Sa3_0004_mrg", e.name());
        assertEquals("1/cm", e.intensityUnit());
        assertEquals("units attribute", e.qUnitReason());
        assertEquals(0.00011210965191748045, c.q(0));
        assertEquals(8906803.30270401, c.intensity(0));
        assertEquals(290076.19633409544, c.sigma(0));
        assertEquals(9.162148923120397e-05, c.dq(0));
        assertEquals(1.6363743543624878, c.q(489));
        assertEquals(0.018262335828482128, c.intensity(489));
        assertEquals(0.00014812920901385583, c.sigma(489));
        assertEquals(0.05488221347332001, c.dq(489));
        assertEquals(List.of("Q", "I", "Idev", "Qdev"), e.columns());
    }

    // ---------------------------------------------------------------- text formats

    @Test
    void isisTextWithAMultiLineHeader() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("ISIS_83404.TXT"));
        ScatteringCurve c = e.curve();
        assertEquals(CurveFormat.ASCII, e.format());
        assertEquals(121, c.size());
        assertEquals(6, e.firstLine());
        assertArrayEquals(new double[] {0.009, 38.43649, 0.8087308}, new double[] {c.q(0), c.intensity(0), c.sigma(0)});
        assertArrayEquals(new double[] {0.249, 0.3373845, 0.1015602},
                new double[] {c.q(120), c.intensity(120), c.sigma(120)});
        assertEquals("default", e.qUnitReason());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("no q unit")), e.notes().toString());
        assertTrue(e.metadata("header line 1").startsWith("LOQ Tue 20-FEB-2001 13:46 SAMPLE: 83404"));
    }

    @Test
    void isisTextWithDqAndANumericHeaderLineOfTheDataWidth() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("apoferritin.txt"));
        ScatteringCurve c = e.curve();
        assertEquals(395, c.size());
        assertEquals(6, e.firstLine(), "line 4 ('0 0 0 0') is header, cut off from the data by line 5");
        assertEquals(0.0055, c.q(0));
        assertEquals(0.6648618, c.intensity(0));
        assertEquals(0.1143732, c.sigma(0));
        assertEquals(8.935321e-04, c.dq(0));
        assertEquals(0.3995, c.q(394));
        assertEquals(-3.762594e-03, c.intensity(394));
        assertEquals(8.348604e-03, c.dq(394));
        assertEquals(31, c.flaggedCount(), "31 rows have I <= 0 (awk)");
        assertTrue(e.notes().stream().noneMatch(n -> n.contains("separated")), e.notes().toString());
    }

    @Test
    void nistAbsWithASlitHeight() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("1umSlitSmearSphere.ABS"));
        ScatteringCurve c = e.curve();
        assertEquals(CurveFormat.NIST_ABS, e.format());
        assertEquals(150, c.size());
        assertEquals(1.00E-04, c.q(0));
        assertEquals(7.74E+03, c.intensity(0));
        assertEquals(7.74E+01, c.sigma(0));
        assertFalse(c.hasDq());
        assertTrue(c.hasSlit());
        for (double l : c.slitLength()) {
            assertEquals(0.117, l);
        }
        assertEquals(List.of("q", "I", "sigma", "sigmaQ", "meanQ", "shadow factor"), e.columns());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("slit length")), e.notes().toString());
    }

    @Test
    void nistAbsWithoutTheColumnsLine() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("AUSANS_run3_2_no_buffer.ABS"));
        ScatteringCurve c = e.curve();
        assertEquals(CurveFormat.NIST_ABS, e.format());
        assertEquals(115, c.size());
        assertEquals("NIST .ABS convention", e.qUnitReason());
        assertArrayEquals(new double[] {0.01943, 0.3979, 0.02731, 0.003741},
                new double[] {c.q(0), c.intensity(0), c.sigma(0), c.dq(0)});
        assertArrayEquals(new double[] {0.229, 0.07392, 0.0248, 0.01445},
                new double[] {c.q(114), c.intensity(114), c.sigma(114), c.dq(114)});
        assertTrue(e.notes().isEmpty(), e.notes().toString());
    }

    @Test
    void antonPaarPdhInInverseNanometres() throws IOException {
        CurveEntry e = CurveReader.defaults().readEntry(resource("Anton-Paar.pdh"));
        ScatteringCurve c = e.curve();
        assertEquals(CurveFormat.ANTON_PAAR_PDH, e.format());
        assertEquals(673, c.size());
        assertEquals(QUnit.NANOMETER_INVERSE, e.qUnit());
        assertEquals("the file's XML footer", e.qUnitReason());
        assertEquals(6.604000E-02 / 10, c.q(0));
        assertEquals(1.822409E-01, c.intensity(0));
        assertEquals(7.518356E-03, c.sigma(0));
        assertEquals(4.501700E+00 / 10, c.q(672));
        assertEquals(7.080504E-03, c.intensity(672));
        assertEquals("0.1542 nm", e.metadata("wavelength"), "the footer's Wavelength parameter");
        assertEquals("1.55757776118539 nm^-1", e.metadata("slit length (CounterSlitLength)"));
        assertEquals("SAXS BOX", e.metadata("keywords"));
    }

    @Test
    void aStreamGivesWhatTheFileGives() throws IOException {
        for (String name : List.of("latex_smeared.xml", "Lew_Sa3_DSM_QinA.h5", "Anton-Paar.pdh")) {
            CurveFile fromPath = CurveReader.defaults().readAll(resource(name));
            CurveFile fromStream;
            try (InputStream in = Files.newInputStream(resource(name))) {
                fromStream = CurveReader.defaults().readAll(in, fromPath.source());
            }
            assertEquals(fromPath.size(), fromStream.size(), name);
            for (int i = 0; i < fromPath.size(); i++) {
                assertEquals(fromPath.entries().get(i).curve(), fromStream.entries().get(i).curve(), name);
                assertEquals(fromPath.entries().get(i).metadata(), fromStream.entries().get(i).metadata(), name);
            }
        }
    }
}
