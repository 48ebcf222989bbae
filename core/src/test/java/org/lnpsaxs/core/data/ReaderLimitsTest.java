package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size and row limits are checked before and while reading; large curves stream in bounded memory. */
class ReaderLimitsTest {

    @TempDir
    Path dir;

    /** Writes {@code n} rows {@code q I sigma dq} with q = (i + 1) * 1e-6 1/A. */
    static Path curve(Path file, int n) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# q(1/A) I sigma dq\n");
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < n; i++) { // q = (i + 1) 1e-6, I = 1/(1 + q^2 1e4) to 1e-6, dq = q/20 (no String.format: fast)
                long k = i + 1L;
                double q = k * 1e-6;
                sb.setLength(0);
                sb.append(k).append("e-6 ").append(Math.round(1e6 / (1 + q * q * 1e4))).append("e-6 0.01 ")
                        .append(5 * k).append("e-8\n");
                w.append(sb);
            }
        }
        return file;
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeReading() throws IOException {
        Path f = curve(dir.resolve("c.dat"), 100);
        long size = Files.size(f);
        CurveReader small = CurveReader.defaults().withLimits(ReadLimits.defaults().withMaxBytes(size - 1));
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> small.read(f));
        assertEquals("file size", e.getLocation());
        assertTrue(e.getMessage().contains("larger than the reader's limit") && e.getMessage().contains("ReadLimits.maxBytes"),
                e.getMessage());
        assertEquals(100, CurveReader.defaults().withLimits(ReadLimits.defaults().withMaxBytes(size)).read(f).size());
        byte[] bytes = Files.readAllBytes(f);
        CurveFormatException s = assertThrows(CurveFormatException.class,
                () -> small.read(new ByteArrayInputStream(bytes), "<stdin>"));
        assertTrue(s.getMessage().startsWith("<stdin>, file size: more than"), s.getMessage());
    }

    @Test
    void moreRowsThanTheLimitAreRefusedWhileReading() throws IOException {
        Path f = curve(dir.resolve("c.dat"), 20_000);
        CurveFormatException e = assertThrows(CurveFormatException.class,
                () -> CurveReader.defaults().withLimits(ReadLimits.defaults().withMaxRows(10_000)).read(f));
        assertTrue(e.getMessage().contains("more than 10000 data rows") && e.getMessage().contains("ReadLimits.maxRows"),
                e.getMessage());
        assertEquals(20_000, CurveReader.defaults().withLimits(ReadLimits.defaults().withMaxRows(20_000)).read(f).size());
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ReadLimits(0, 5));
        assertThrows(IllegalArgumentException.class, () -> ReadLimits.defaults().withMaxRows(0));
        assertEquals(1L << 30, ReadLimits.defaults().maxBytes());
        assertEquals("1.0 GiB", ReadLimits.bytes(1L << 30));
    }

    /**
     * Three million rows (a 110 MB file) are read by a JVM with a 160 MB heap: the text is streamed
     * and the rows held as primitive arrays (about 100 MB for the curve, 130 MB while reading);
     * holding the text as well (110 MB even as Latin-1 strings) would not fit.
     */
    @Test
    @Tag("slow")
    void threeMillionRowsInA160MegabyteHeap() throws IOException, InterruptedException {
        Path f = curve(dir.resolve("big.dat"), 3_000_000);
        assertTrue(Files.size(f) > 100_000_000L, "size " + Files.size(f));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-cp", System.getProperty("java.class.path"), BigCurveMain.class.getName(), f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("rows=3000000 q0=1.000000e-06 qN=3.000000e+00 dqN=1.500e-01"), out);
    }
}
