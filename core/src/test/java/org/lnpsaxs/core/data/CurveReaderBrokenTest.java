package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per kind of broken file: each asserts that the reader throws a
 * {@link CurveFormatException} whose file, line and message name the problem.
 */
class CurveReaderBrokenTest {

    @TempDir
    Path dir;

    /** Writes {@code bytes} to {@code name} in the temporary folder and expects the reader to refuse it. */
    private CurveFormatException brokenFile(String name, byte[] bytes, int line, String... fragments) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults().read(file));
        check(e, file.toString(), line, fragments);
        return e;
    }

    private CurveFormatException broken(String text, int line, String... fragments) {
        CurveFormatException e = assertThrows(CurveFormatException.class, () -> CurveReader.defaults()
                .read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "data.dat"));
        check(e, "data.dat", line, fragments);
        return e;
    }

    private static void check(CurveFormatException e, String file, int line, String... fragments) {
        assertEquals(file, e.getFile());
        assertEquals(line, e.getLine(), () -> "line of: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ", line " + line + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
        assertEquals(e.getMessage(), file + ", line " + line + ": " + e.getProblem());
        assertTrue(e instanceof IOException);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyFile() throws IOException {
        brokenFile("empty.dat", new byte[0], 1, "empty");
    }

    @Test
    void fileOfOnlyWhiteSpace() throws IOException {
        brokenFile("blank.dat", utf8("  \n\t\n\n"), 1, "empty");
    }

    @Test
    void noDataRows() throws IOException {
        brokenFile("header-only.dat", utf8("Sample description: LNP batch 3\n# q I sigma\nq I sigma\n"), 3,
                "no data rows");
    }

    @Test
    void singleColumnIsNoDataRows() {
        broken("# one column\n0.01\n0.02\n0.03\n0.04\n", 5, "no data rows", "single number");
    }

    @Test
    void fewerThanThreePoints() throws IOException {
        brokenFile("two.dat", utf8("# q I\n0.01 5.0\n\n0.02 4.0\n# end\n"), 4, "only 2 data rows", "at least 3");
    }

    @Test
    void nanIntensity() {
        broken("0.01 5.0\n0.02 NaN\n0.03 3.0\n", 2, "I = NaN", "not a finite number");
    }

    @Test
    void nanQ() {
        broken("0.01 5.0\n0.02 4.0\nnan 3.0\n", 3, "q = nan", "not a finite number");
    }

    @Test
    void nanSigma() {
        broken("0.01 5.0 0.1\n0.02 4.0 0.1\n0.03 3.0 -NaN\n0.04 2.0 0.1\n", 3, "sigma = -NaN", "not a finite");
    }

    @Test
    void infinity() {
        broken("q I sigma dq\n0.01 5.0 0.1 0.001\n0.02 4.0 0.1 Infinity\n0.03 3.0 0.1 0.001\n", 3,
                "dq = Infinity", "not a finite");
        broken("0.01 5.0\n0.02 -inf\n0.03 3.0\n", 2, "I = -inf", "not a finite");
    }

    @Test
    void overflowingNumber() {
        broken("0.01 5.0\n0.02 4.0\n0.03 1e999\n", 3, "I = 1e999", "out of the range");
    }

    @Test
    void negativeQ() {
        broken("# q I\n-0.01 5.0\n0.02 4.0\n0.03 3.0\n", 2, "q = -0.01 is negative");
    }

    @Test
    void rowsThatRepeatOneQLeaveTooFewPoints() {
        broken("0.01 5.0\n0.01 4.0\n0.02 3.0\n", 3, "only 2 distinct q values", "at least 3");
    }

    @Test
    void nonNumericLineInsideData() throws IOException {
        brokenFile("data.dat", utf8("Sample description: LNP batch 3\nq I sigma\n0.01 5.0 0.1\n0.02 4.0 0.1\n"
                + "oops here\n0.03 3.0 0.1\n"), 5, "'oops' is not a number", "from line 3");
    }

    @Test
    void nonNumericFieldInsideDataRow() {
        broken("0.01 5.0 0.1\n0.02 4.0 0.1\n0.03 3.O 0.1\n", 3, "'3.O' is not a number");
    }

    @Test
    void emptyCsvField() {
        broken("0.01,5.0,0.1\n0.02,,0.1\n0.03,3.0,0.1\n", 2, "an empty field");
    }

    @Test
    void inconsistentColumnCounts() {
        broken("0.01 5.0 0.1\n0.02 4.0 0.1\n0.03 3.0\n0.04 2.0 0.1\n", 3, "2 columns", "has 3 (line 1)");
    }

    @Test
    void moreThanFourColumns() {
        broken("# q I sigma dq extra\n0.01 5.0 0.1 0.001 7\n0.02 4.0 0.1 0.001 7\n0.03 3.0 0.1 0.001 7\n", 2,
                "5 columns", "2 to 4");
    }

    @Test
    void binaryContent() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        brokenFile("image.dat", png, 1, "byte 0x89", "not UTF-8");
    }

    @Test
    void nulBytes() throws IOException {
        byte[] bytes = utf8("0.01 5.0\n0.02 4.0\n0.03 \u0000\u0000\u00003.0\n");
        brokenFile("nul.dat", bytes, 3, "control character U+0000", "binary");
    }

    @Test
    void utf16File() throws IOException {
        byte[] text = "0.01 5.0\n0.02 4.0\n0.03 3.0\n".getBytes(StandardCharsets.UTF_16LE);
        brokenFile("utf16.dat", text, 1, "control character U+0000");
    }

    @Test
    void nonUtf8Text() throws IOException {
        byte[] latin1 = "# Q (1/\u00C5) I\n0.01 5.0\n0.02 4.0\n0.03 3.0\n".getBytes(StandardCharsets.ISO_8859_1);
        brokenFile("latin1.dat", latin1, 1, "byte 0xC5", "not UTF-8", "Latin-1");
    }

    @Test
    void nonUtf8ByteOnALaterLine() throws IOException {
        byte[] head = utf8("0.01 5.0\r\n0.02 4.0\r\n0.03 3.0 ");
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = '\n';
        brokenFile("late.dat", bytes, 3, "byte 0xFF at column 10");
    }

    @Test
    void negativeSigma() throws IOException {
        StringBuilder sb = new StringBuilder("Sample description: LNP batch 3\nExposure time: 1 s\nq I sigma\n");
        for (int i = 1; i <= 20; i++) {
            sb.append(0.01 * i).append(' ').append(10.0 / i).append(' ').append(i == 14 ? "-0.3" : "0.1").append('\n');
        }
        brokenFile("data.dat", utf8(sb.toString()), 17, "sigma = -0.3 is negative");
    }

    @Test
    void negativeDq() {
        broken("0.01 5.0 0.1 0.001\n0.02 4.0 0.1 -0.001\n0.03 3.0 0.1 0.001\n", 2, "dq = -0.001 is negative");
    }

    @Test
    void headerNamesBothUnits() {
        CurveFormatException e = broken("# converted from 1/nm\n# units: A^-1\nq I\n0.01 5.0\n0.02 4.0\n0.03 3.0\n", 2,
                "1/nm (line 1)", "1/A (line 2)", "tell the reader the unit of q");
        assertTrue(!e.getMessage().contains("--"), "a library message names no command-line option: " + e.getMessage());
    }

    @Test
    void missingFileIsAPlainIOExceptionNamingIt() {
        Path missing = dir.resolve("missing.dat");
        IOException e = assertThrows(IOException.class, () -> CurveReader.defaults().read(missing));
        assertTrue(e instanceof NoSuchFileException, e.toString());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void directoryIsRefused() {
        IOException e = assertThrows(IOException.class, () -> CurveReader.defaults().read(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }
}
