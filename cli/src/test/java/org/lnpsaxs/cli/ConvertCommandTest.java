package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lnpsaxs convert}: the same measurement in canSAS XML and NXcanSAS gives the same columns. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Copies a SasView example file (core's test resources, BSD-3: see sasdata/NOTICE.md) into the temporary folder. */
    private Path example(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = ConvertCommandTest.class.getResourceAsStream("/sasdata/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** The numeric rows of a converted file. */
    private static List<double[]> rows(Path f) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] c = line.split(" ");
            double[] v = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                v[i] = Double.parseDouble(c[i]);
            }
            rows.add(v);
        }
        return rows;
    }

    @Test
    void theXmlAndTheNxCanSasOfOneMeasurementConvertToTheSameNumbers() throws IOException {
        Path xml = example("33837rear_1D_1.75_16.5_CanSAS1D.xml");
        Path h5 = example("33837rear_1D_1.75_16.5_NXcanSAS_v3.h5");
        Path a = dir.resolve("from-xml.dat");
        Path b = dir.resolve("from-h5.dat");
        CliRun ra = run("convert", xml.toString(), a.toString());
        CliRun rb = run("convert", h5.toString(), b.toString());
        assertEquals(0, ra.exit(), ra.err());
        assertEquals(0, rb.exit(), rb.err());
        assertTrue(ra.out().startsWith("wrote " + a + ": 66 rows, q I sigma dq (q in 1/A) from " + xml), ra.out());
        List<double[]> x = rows(a);
        List<double[]> h = rows(b);
        assertEquals(66, x.size());
        assertEquals(66, h.size());
        for (int i = 0; i < 66; i++) {
            assertEquals(4, x.get(i).length);
            for (int c = 0; c < 3; c++) {
                // the XML holds 6 significant digits of the HDF5 doubles
                double full = h.get(i)[c];
                assertTrue(Math.abs(x.get(i)[c] - full) <= 5e-6 * Math.abs(full), "row " + i + " column " + c);
            }
            assertEquals(0.0, x.get(i)[3], "no resolution in either file");
            assertEquals(0.0, h.get(i)[3]);
        }
        String text = Files.readString(a);
        assertTrue(text.contains("# converted from: " + xml + " (canSAS 1D XML v1.1)\n"), text);
        assertTrue(text.contains("# title: MH4_5deg_16T_SLOW\n") && text.contains("# instrument: SANS2D\n"), text);
        assertTrue(text.contains("# I unit: 1/cm\n"), text);
        assertTrue(text.contains("# note 1: dq is 0 on every row"), text);
        assertTrue(Files.readString(b).contains("# I unit: Counts\n"));
        CliRun back = run("inspect", a.toString());
        assertTrue(back.out().contains("points:   66\n") && back.out().contains("dq:       no\n"), back.out());
    }

    @Test
    void entriesOfAFileWithSeveral() throws IOException {
        Path latex = example("latex_smeared.xml");
        Path out = dir.resolve("latex.dat");
        CliRun none = run("convert", latex.toString(), out.toString());
        assertEquals(2, none.exit());
        assertEquals(1, none.err().strip().lines().count(), none.err());
        assertTrue(none.err().contains("holds 2 curves"), none.err());
        assertFalse(Files.exists(out));

        CliRun slit = run("convert", latex.toString(), out.toString(), "--entry", "2");
        assertEquals(0, slit.exit(), slit.err());
        List<double[]> r = rows(out);
        assertEquals(82, r.size());
        for (double[] row : r) {
            assertEquals(-0.117, row[3], "minus the slit length, the NIST convention");
        }
        assertTrue(Files.readString(out).contains("# entry: 2 of 2: latex particles 0.5micron diameter in D2O slit\n"));
        CliRun back = run("inspect", out.toString());
        assertTrue(back.out().contains("slit:     dQl 0.117 1/A"), back.out());

        CliRun all = run("convert", latex.toString(), out.toString(), "--entry", "all");
        assertEquals(0, all.exit(), all.err());
        assertEquals(299, rows(dir.resolve("latex_1.dat")).size());
        assertEquals(82, rows(dir.resolve("latex_2.dat")).size());
        CliRun stdout = run("convert", latex.toString(), "-", "--entry", "1");
        assertTrue(stdout.out().startsWith("# lnpsaxs ") && stdout.out().contains("# q(1/A) I sigma dq(1/A)\n"), stdout.out());
    }

    @Test
    void outputsThatMustNotBeWritten() throws IOException {
        Path in = example("ISIS_83404.TXT");
        Path target = dir.resolve("precious.txt");
        Files.writeString(target, "keep");
        Path link = dir.resolve("link.dat");
        Files.createSymbolicLink(link, target);
        CliRun r = run("convert", in.toString(), link.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("symbolic link"), r.err());
        assertEquals("keep", Files.readString(target));
        CliRun same = run("convert", in.toString(), in.toString());
        assertEquals(2, same.exit());
        assertTrue(same.err().contains("is the input file"), same.err());
        CliRun directory = run("convert", in.toString(), dir.toString());
        assertEquals(2, directory.exit());
        assertTrue(directory.err().contains("is a directory"), directory.err());
        CliRun missing = run("convert", dir.resolve("nothing.xml").toString(), dir.resolve("x.dat").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void asciiInAsciiOut() throws IOException {
        Path in = dir.resolve("nm.dat");
        Files.writeString(in, "Sample: LNP\nq_nm I\n1 10\n2 5\n3 2\nExposure: 1 s\n");
        Path out = dir.resolve("a.dat");
        CliRun r = run("convert", in.toString(), out.toString());
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(out);
        assertTrue(text.contains("# header line 1: Sample: LNP\n") && text.contains("# footer line 6: Exposure: 1 s\n"),
                text);
        assertTrue(text.contains("# q(1/A) I\n1.0000000000000000e-01 1.0000000000000000e+01\n"), text);
    }
}
