package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NXcanSAS files written here with jHDF's writer: several entries, units, slit resolutions, 2D data, errors. */
class NxCanSasTest {

    @TempDir
    Path dir;

    private static WritableGroup entry(WritableHdfFile f, String name, String title) {
        WritableGroup e = f.putGroup(name);
        e.putAttribute("NX_class", "NXentry");
        e.putAttribute("canSAS_class", "SASentry");
        e.putAttribute("version", "1.1");
        e.putDataset("definition", new String[] {"NXcanSAS"});
        e.putDataset("title", new String[] {title});
        return e;
    }

    private static WritableGroup data(WritableGroup entry, String name) {
        WritableGroup d = entry.putGroup(name);
        d.putAttribute("NX_class", "NXdata");
        d.putAttribute("canSAS_class", "SASdata");
        d.putAttribute("signal", "I");
        d.putAttribute("I_axes", "Q");
        return d;
    }

    private Path twoEntries() {
        Path p = dir.resolve("two.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            WritableGroup a = data(entry(f, "sasentry01", "pinhole in 1/nm"), "sasdata");
            WritableDataset q = a.putDataset("Q", new double[] {3, 1, 2});
            q.putAttribute("units", "1/nm");
            q.putAttribute("resolutions", "Qdev");
            WritableDataset i = a.putDataset("I", new float[] {1.5f, 3.5f, 2.5f});
            i.putAttribute("units", "1/cm");
            i.putAttribute("uncertainties", "Idev");
            a.putDataset("Idev", new double[] {0.15, 0.35, 0.25}).putAttribute("units", "1/cm");
            a.putDataset("Qdev", new double[] {0.3, 0.1, 0.2}).putAttribute("units", "1/nm");

            WritableGroup e2 = entry(f, "sasentry02", "slit");
            WritableGroup b = data(e2, "sasdata");
            WritableDataset q2 = b.putDataset("Q", new double[] {0.001, 0.002, 0.003, 0.004});
            q2.putAttribute("units", "1/angstrom");
            q2.putAttribute("resolutions", new String[] {"dQw", "dQl"});
            b.putDataset("I", new double[] {4, 3, 2, 1});
            b.putDataset("dQl", new double[] {0.117, 0.117, 0.117, 0.117}).putAttribute("units", "1/angstrom");
            b.putDataset("dQw", new double[] {0, 0, 0, 0}).putAttribute("units", "1/angstrom");
            WritableGroup twoD = data(e2, "sasdata2d");
            twoD.putAttribute("I_axes", new String[] {"Q", "Q"});
            twoD.putDataset("I", new double[][] {{1, 2}, {3, 4}});
            twoD.putDataset("Q", new double[][] {{1, 2}, {3, 4}});
            WritableGroup t = e2.putGroup("sastransmission_spectrum");
            t.putAttribute("NX_class", "NXdata");
            t.putAttribute("canSAS_class", "SAStransmission_spectrum");
            t.putAttribute("signal", "T");
            t.putDataset("T", new double[] {0.5, 0.6});
            WritableGroup inst = e2.putGroup("sasinstrument");
            inst.putAttribute("canSAS_class", "SASinstrument");
            inst.putDataset("name", new String[] {"USANS"});
        }
        return p;
    }

    @Test
    void severalEntriesUnitsAndResolutions() throws IOException {
        Path p = twoEntries();
        CurveFile f = CurveReader.defaults().readAll(p);
        assertEquals(CurveFormat.NXCANSAS, f.format());
        assertEquals(2, f.size());
        CurveEntry a = f.entries().get(0);
        assertEquals("sasentry01", a.name());
        assertEquals("pinhole in 1/nm", a.metadata("title"));
        assertEquals(QUnit.NANOMETER_INVERSE, a.qUnit());
        assertEquals("1/cm", a.intensityUnit());
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, a.curve().q(), 1e-17);
        assertArrayEquals(new double[] {3.5, 2.5, 1.5}, a.curve().intensity());
        assertArrayEquals(new double[] {0.35, 0.25, 0.15}, a.curve().sigma());
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, a.curve().dq(), 1e-18);
        assertTrue(a.sorted());
        assertEquals(Arrays.asList("Q", "I", "Idev", "Qdev"), a.columns());
        assertEquals(p + "#1", a.curve().source());

        CurveEntry b = f.entries().get(1);
        assertEquals("sasentry02", b.name());
        assertEquals("USANS", b.metadata("instrument"));
        assertFalse(b.curve().hasDq());
        assertArrayEquals(new double[] {0.117, 0.117, 0.117, 0.117}, b.curve().slitLength());
        assertNull(b.curve().slitWidth(), "a slit width of 0 everywhere is no width");
        assertNull(b.curve().sigma());
        assertTrue(f.notes().stream().anyMatch(n -> n.contains("sasdata2d") && n.contains("2D data")), f.notes().toString());

        assertEquals(b.curve(), CurveReader.defaults().withEntry(EntrySelector.name("sasentry02")).read(p));
        assertEquals(a.curve(), CurveReader.defaults().withEntry(EntrySelector.number(1)).read(p));
        CurveFormatException only = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(p));
        assertTrue(only.getMessage().contains("1: 'sasentry01', 2: 'sasentry02'"), only.getMessage());
    }

    @Test
    void hdf5WithoutNxCanSas() throws IOException {
        Path p = dir.resolve("other.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putGroup("detector").putDataset("counts", new int[] {1, 2, 3});
            f.putDataset("notes", new String[] {"x"});
        }
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(p));
        assertTrue(e.getMessage().contains("without NXcanSAS entries") && e.getMessage().contains("detector, notes"),
                e.getMessage());
    }

    @Test
    void brokenContentNamesTheObject() throws IOException {
        Path p = dir.resolve("bad.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            WritableGroup d = data(entry(f, "e", "t"), "sasdata");
            d.putAttribute("I_axes", "Qx");
            d.putDataset("I", new double[] {1, 2, 3});
            d.putDataset("Q", new double[] {1, 2, 3});
        }
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(p));
        assertTrue(e.getMessage().contains("/e/sasdata") && e.getMessage().contains("no dataset 'Qx'"), e.getMessage());

        Path nan = dir.resolve("nan.h5");
        try (WritableHdfFile f = HdfFile.write(nan)) {
            WritableGroup d = data(entry(f, "e", "t"), "sasdata");
            d.putDataset("I", new double[] {1, Double.NaN, 3});
            d.putDataset("Q", new double[] {1, 2, 3}).putAttribute("units", "1/A");
        }
        CurveFormatException n = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(nan));
        assertTrue(n.getMessage().contains("/e/sasdata/I[1]") && n.getMessage().contains("not a finite number"),
                n.getMessage());

        Path length = dir.resolve("length.h5");
        try (WritableHdfFile f = HdfFile.write(length)) {
            WritableGroup d = data(entry(f, "e", "t"), "sasdata");
            d.putDataset("I", new double[] {1, 2, 3});
            d.putDataset("Q", new double[] {1, 2}).putAttribute("units", "1/A");
        }
        CurveFormatException l = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(length));
        assertTrue(l.getMessage().contains("/e/sasdata/Q") && l.getMessage().contains("but I has 3 values"), l.getMessage());

        Path unit = dir.resolve("unit.h5");
        try (WritableHdfFile f = HdfFile.write(unit)) {
            WritableGroup d = data(entry(f, "e", "t"), "sasdata");
            d.putDataset("I", new double[] {1, 2, 3});
            d.putDataset("Q", new double[] {1, 2, 3}).putAttribute("units", "1/m");
        }
        CurveFormatException u = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(unit));
        assertTrue(u.getMessage().contains("units '1/m'"), u.getMessage());
    }

    @Test
    void aCutShortFileIsRefusedInOneLine() throws IOException {
        byte[] whole = Files.readAllBytes(twoEntries());
        for (int cut : new int[] {8, 64, 600, whole.length / 2}) {
            Path p = dir.resolve("cut" + cut + ".h5");
            Files.write(p, Arrays.copyOf(whole, cut));
            CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().readAll(p),
                    "cut at " + cut);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theRowLimitCountsEveryEntry() {
        Path p = twoEntries();
        CurveFormatException e = assertThrows(CurveFormatException.class,
                () -> CurveReader.defaults().withLimits(ReadLimits.defaults().withMaxRows(5)).readAll(p));
        assertTrue(e.getMessage().contains("more than the reader's limit of 5 rows"), e.getMessage());
    }
}
