package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's four-column layout, metadata lines, slit curves, and atomic, link-safe files. */
class CurveWriterTest {

    @TempDir
    Path dir;

    private static final ScatteringCurve CURVE = ScatteringCurve.of(new double[] {0.01, 0.02, 0.03},
            new double[] {3, 2, 1}, new double[] {0.3, 0.2, 0.1}).withSource("lnp.dat");

    @Test
    void fourColumnsWriteZeroDqThatReadsBackAsNone() throws IOException {
        String text = CurveWriter.defaults().withFourColumns(true).toString(CURVE);
        assertTrue(text.contains("# q(1/A) I sigma dq(1/A)\n"), text);
        assertTrue(text.contains("1.0000000000000000e-02 3.0000000000000000e+00 3.0000000000000000e-01"
                + " 0.0000000000000000e+00\n"), text);
        assertTrue(text.contains("# dq = 0 on every row: the source gives no q resolution\n"), text);
        ScatteringCurve back = CurveReader.defaults().read(new StringReader(text), "lnp.dat");
        assertEquals(CURVE, back);
        ScatteringCurve noSigma = ScatteringCurve.of(CURVE.q(), CURVE.intensity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurveWriter.defaults().withFourColumns(true).toString(noSigma));
        assertTrue(e.getMessage().contains("no sigma"), e.getMessage());
    }

    @Test
    void metadataLinesComeBeforeTheColumnRow() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("title", "LNP\nbatch 3");
        meta.put("slit length (CounterSlitLength)", "1.5 nm^-1");
        meta.put("q range", "0.1-2 1/nm");
        String text = CurveWriter.defaults().withMetadata(meta).toString(CURVE);
        assertTrue(text.contains("# title: LNP batch 3\n# slit length (CounterSlitLength): 1.5 nm^-1\n"), text);
        assertTrue(text.endsWith("# q(1/A) I sigma\n1.0000000000000000e-02 3.0000000000000000e+00 3.0000000000000000e-01\n"
                + "2.0000000000000000e-02 2.0000000000000000e+00 2.0000000000000000e-01\n"
                + "3.0000000000000000e-02 1.0000000000000000e+00 1.0000000000000000e-01\n"), text);
        CurveEntry back = CurveReader.defaults().readAll(new StringReader(text), "x").entries().get(0);
        assertEquals(CURVE, back.curve());
        assertEquals(QUnit.ANGSTROM_INVERSE, back.qUnit(), "the column row decides, whatever the metadata say");
        assertEquals("title: LNP batch 3", back.metadata("header line 3"));
    }

    @Test
    void aSlitCurveIsWrittenWithMinusTheSlitLengthAndReadBack() throws IOException {
        ScatteringCurve slit = CURVE.withSlit(new double[] {0.117, 0.117, 0.117}, null);
        String text = CurveWriter.defaults().withFourColumns(true).toString(slit);
        assertTrue(text.contains(" -1.1700000000000000e-01\n"), text);
        ScatteringCurve back = CurveReader.defaults().read(new StringReader(text), "lnp.dat");
        assertEquals(slit, back);
        assertFalse(back.hasDq());
        ScatteringCurve zeroLength = CURVE.withSlit(new double[] {0, 0.1, 0.1}, null);
        assertEquals(zeroLength, CurveReader.defaults().read(new StringReader(CurveWriter.defaults().toString(zeroLength)),
                "z"), "-0.0 counts as negative in the slit convention");
    }

    @Test
    void filesAreReplacedAtomicallyAndNoTemporaryFileIsLeft() throws IOException {
        Path f = dir.resolve("out.dat");
        Files.writeString(f, "old");
        CurveWriter.defaults().write(CURVE, f);
        assertEquals(CURVE, CurveReader.defaults().read(f).withSource("lnp.dat"));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the target remains");
        }
    }

    @Test
    void aSymbolicLinkIsNeverWrittenThrough() throws IOException {
        Path target = dir.resolve("elsewhere.txt");
        Files.writeString(target, "keep me");
        Path link = dir.resolve("out.dat");
        Files.createSymbolicLink(link, target);
        IOException e = assertThrows(IOException.class, () -> CurveWriter.defaults().write(CURVE, link));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("keep me", Files.readString(target));
        IOException d = assertThrows(IOException.class, () -> CurveWriter.defaults().write(CURVE, dir));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
        IOException m = assertThrows(IOException.class,
                () -> CurveWriter.defaults().write(CURVE, dir.resolve("missing").resolve("x.dat")));
        assertTrue(m.getMessage().contains("does not exist"), m.getMessage());
    }

    @Test
    void slitsOnTheCurve() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.03, 0.01, 0.02}, new double[] {1, 3, -2});
        ScatteringCurve s = c.withSlit(new double[] {0.3, 0.1, 0.2}, new double[] {0.03, 0.01, 0.02});
        assertArrayEquals(new double[] {0.3, 0.1, 0.2}, s.slitLength(), "in row order: rows are sorted already");
        assertTrue(s.hasSlit());
        assertTrue(s.toString().contains("slit with width"), s.toString());
        ScatteringCurve u = s.usable();
        assertArrayEquals(new double[] {0.3, 0.2}, u.slitLength(), "the flagged row (I = -2) leaves with its slit");
        assertArrayEquals(new double[] {0.03, 0.02}, u.slitWidth());
        assertFalse(s.equals(c));
        assertEquals(c, s.withSlit(null, null));
        assertNull(s.withSlit(null, null).slitLength());
        assertThrows(IllegalArgumentException.class, () -> c.withSlit(null, new double[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> c.withSlit(new double[] {1, -1, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> c.withSlit(new double[] {1, 1}, null));
    }
}
