package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private Path file(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Expects exit 2 and exactly one line on standard error naming the file, the line and the problem. */
    private static void assertBroken(CliRun r, Path f, String... fragments) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        String err = r.err().strip();
        assertFalse(err.isEmpty());
        assertFalse(err.contains("\n"), () -> "more than one line: " + r.err());
        assertTrue(err.startsWith("lnpsaxs inspect: " + f), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        for (String s : fragments) {
            assertTrue(err.contains(s), () -> "'" + s + "' not in: " + err);
        }
    }

    @Test
    void goodFile() throws IOException {
        Path f = file("lnp.dat", "Sample description: LNP batch 3\r\nExposure time: 1 s\r\nq I sigma\r\n"
                + "0.01 120 1.5\r\n0.02 80 1.2\r\n0.03 -1 1.0\r\n0.04 10 0.5\r\n");
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("file:     " + f + "\n"), r.out());
        assertTrue(r.out().contains("points:   4\n"), r.out());
        assertTrue(r.out().contains("q range:  0.0100000 .. 0.0400000 1/A (file in 1/A, default)\n"), r.out());
        assertTrue(r.out().contains("sigma:    yes\n"), r.out());
        assertTrue(r.out().contains("dq:       no\n"), r.out());
        assertTrue(r.out().contains("flagged:  1 of 4 rows flagged (1 with I <= 0); fits leave them out\n"), r.out());
    }

    @Test
    void nanometreFileAndDq() throws IOException {
        Path f = file("nm.dat", "# q I sigma dq\n0.5 3 0.1 0.01\n1.5 2 0.0 0.01\n2.0 1 0.1 0.01\n");
        CliRun r = run("inspect", f.toString(), "--q-unit", "nm");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("q range:  0.0500000 .. 0.200000 1/A (converted from 1/nm, told)\n"), r.out());
        assertTrue(r.out().contains("dq:       yes\n"), r.out());
        assertTrue(r.out().contains("flagged:  1 of 3 rows flagged (1 with sigma = 0)"), r.out());
        Path g = file("nm-header.dat", "q (1/nm) I\n0.5 3\n1.5 2\n2.0 1\n");
        CliRun h = run("inspect", g.toString());
        assertTrue(h.out().contains("0.0500000 .. 0.200000 1/A (converted from 1/nm, header line 1)"), h.out());
        assertTrue(h.out().contains("sigma:    no\n") && h.out().contains("flagged:  none\n"), h.out());
    }

    @Test
    void standardInput() {
        InputStream saved = System.in;
        CliRun r;
        try {
            System.setIn(new ByteArrayInputStream("0.1 3\n0.2 2\n0.3 1\n".getBytes(StandardCharsets.UTF_8)));
            r = run("inspect", "-");
        } finally {
            System.setIn(saved);
        }
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("file:     <stdin>\n") && r.out().contains("points:   3\n"), r.out());
    }

    @Test
    void emptyFile() throws IOException {
        Path f = file("empty.dat", new byte[0]);
        assertBroken(run("inspect", f.toString()), f, "line 1", "empty");
    }

    @Test
    void noDataRows() throws IOException {
        Path f = file("header.dat", "Sample description: LNP\nq I\n");
        assertBroken(run("inspect", f.toString()), f, "line 2", "no data rows");
    }

    @Test
    void tooFewPoints() throws IOException {
        Path f = file("two.dat", "0.1 1\n0.2 2\n");
        assertBroken(run("inspect", f.toString()), f, "line 2", "only 2 data rows");
    }

    @Test
    void nanAndNegativeQ() throws IOException {
        Path f = file("nan.dat", "0.1 1\n0.2 nan\n0.3 3\n");
        assertBroken(run("inspect", f.toString()), f, "line 2", "I = nan is not a finite number");
        Path g = file("neg.dat", "0.1 1\n-0.2 2\n0.3 3\n");
        assertBroken(run("inspect", g.toString()), g, "line 2", "q = -0.2 is negative");
    }

    @Test
    void repeatedQIsMergedAndSaidSo() throws IOException {
        Path f = file("rep.dat", "0.1 1\n0.2 2\n0.1 3\n0.3 4\n");
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("points:   3 (sorted by q: the file was out of order) (1 rows with a repeated q merged)\n"),
                r.out());
        assertTrue(r.out().contains("note:     1 row repeated the q of another row (first: q = 0.1 1/A on line 1 and"
                + " line 3)"), r.out());
    }

    @Test
    void dqOfZeroIsNoResolution() throws IOException {
        Path f = file("aot.dat", "# q(1/A) I sigma dq\n0.1 1 0.1 0\n0.2 2 0.1 0\n0.3 3 0.1 0\n");
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("dq:       no\n"), r.out());
        assertTrue(r.out().contains("note:     dq is 0 on every row"), r.out());
    }

    @Test
    void severalCurvesAreListedAndPicked() throws IOException {
        Path f = file("two.xml", "<?xml version=\"1.0\"?>\n<SASroot version=\"1.1\">\n"
                + entry("first", "1/A") + entry("second", "1/nm") + "</SASroot>\n");
        CliRun all = run("inspect", f.toString());
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("format:   canSAS 1D XML v1.1\nentries:  2 (pick one with --entry N or --entry NAME)\n"),
                all.out());
        assertTrue(all.out().contains("entry 1:  first\n  points:   3\n  q range:  0.100000 .. 0.300000 1/A (file in 1/A,"
                + " unit attribute)\n  I unit:   1/cm"), all.out());
        assertTrue(all.out().contains("entry 2:  second\n  points:   3\n  q range:  0.0100000 .. 0.0300000 1/A (converted"
                + " from 1/nm, unit attribute)\n"), all.out());
        assertTrue(all.out().contains("  metadata:\n    title: second\n"), all.out());
        CliRun second = run("inspect", f.toString(), "--entry", "second");
        assertFalse(second.out().contains("entry 1:"), second.out());
        assertTrue(second.out().contains("entry 2:  second"), second.out());
        CliRun bad = run("inspect", f.toString(), "--entry", "3");
        assertBroken(bad, f, "has no entry 3", "1: 'first', 2: 'second'");
        CliRun zero = run("inspect", f.toString(), "--entry", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("entry number 0 must be >= 1"), zero.err());
    }

    private static String entry(String title, String unit) {
        StringBuilder sb = new StringBuilder("<SASentry><Title>" + title + "</Title><SASdata>\n");
        for (int i = 1; i <= 3; i++) {
            sb.append("<Idata><Q unit=\"").append(unit).append("\">0.").append(i).append("</Q><I unit=\"1/cm\">")
                    .append(4 - i).append("</I><Idev unit=\"1/cm\">0.1</Idev></Idata>\n");
        }
        return sb.append("</SASdata></SASentry>\n").toString();
    }

    @Test
    void negativeSigma() throws IOException {
        Path f = file("sigma.dat", "q I sigma\n0.1 1 0.1\n0.2 2 -0.3\n0.3 3 0.1\n");
        assertBroken(run("inspect", f.toString()), f, "line 3", "sigma = -0.3 is negative");
    }

    @Test
    void nonNumericLineInData() throws IOException {
        Path f = file("text.dat", "0.1 1\n0.2 2\nEnd of data\n0.3 3\n");
        assertBroken(run("inspect", f.toString()), f, "line 3", "'End' is not a number");
    }

    @Test
    void inconsistentAndTooManyColumns() throws IOException {
        Path f = file("cols.dat", "0.1 1 0.1\n0.2 2\n0.3 3 0.1\n");
        assertBroken(run("inspect", f.toString()), f, "line 2", "2 columns");
        Path g = file("five.dat", "0.1 1 0.1 0.01 9\n0.2 2 0.1 0.01 9\n0.3 3 0.1 0.01 9\n");
        assertBroken(run("inspect", g.toString()), g, "line 1", "5 columns");
    }

    @Test
    void binaryAndLatin1() throws IOException {
        Path f = file("img.dat", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
        assertBroken(run("inspect", f.toString()), f, "line 1", "not UTF-8");
        Path g = file("latin1.dat", "# q (1/\u00C5) I\n0.1 1\n0.2 2\n0.3 3\n".getBytes(StandardCharsets.ISO_8859_1));
        assertBroken(run("inspect", g.toString()), g, "line 1", "byte 0xC5");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nothing.dat");
        assertBroken(run("inspect", f.toString()), f, "no such file");
    }

    @Test
    void badOptionsAreBadInput() throws IOException {
        Path f = file("ok.dat", "0.1 1\n0.2 2\n0.3 3\n");
        CliRun unit = run("inspect", f.toString(), "--q-unit", "cm");
        assertEquals(2, unit.exit());
        assertTrue(unit.err().contains("unknown q unit 'cm'"), unit.err());
        CliRun none = run("inspect");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("FILE"), none.err());
    }
}
