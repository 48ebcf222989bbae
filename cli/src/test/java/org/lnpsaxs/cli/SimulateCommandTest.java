package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import picocli.CommandLine;

class SimulateCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void printsQAndIntensityLines() {
        Run r = run("simulate", "--realizations", "2", "--threads", "1", "--q-grid", "lin:0.01:0.1:10", "--seed", "3",
                "GRF_shift=0.1", "R=120", "w_q1=0.5", "m_q1=0.08", "m_q2=0.12", "s_q1=0.02", "s_q2=0.05",
                "shell_thickness=50", "relative_rho_shell=1.1");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(10, lines.length);
        for (String l : lines) {
            String[] t = l.trim().split(" ");
            assertEquals(2, t.length, l);
            assertTrue(Double.parseDouble(t[1]) > 0, l);
        }
        assertEquals(0.01, Double.parseDouble(lines[0].split(" ")[0]), 1e-15);
        assertTrue(r.err().isEmpty(), "no defaulted parameters, quick run: " + r.err());
    }

    @Test
    void missingParametersTakeTheExampleWithANote() {
        Run r = run("simulate", "--realizations", "1", "--q-grid", "lin:0.01:0.1:5", "--error", "R=150");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("example values used for GRF_shift=-0.1"), r.err());
        assertTrue(!r.err().contains(" R="), r.err());
        assertEquals(3, r.out().strip().split("\n")[0].trim().split(" ").length);
    }

    @Test
    void outOfRangeParameterExitsTwoNamingItAndItsRange() {
        Run r = run("simulate", "R=600");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("R") && r.err().contains("[100, 500]"), r.err());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void unknownParameterExitsTwoListingTheAllowedOnes() {
        Run r = run("simulate", "radius=100");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("radius") && r.err().contains("shell_thickness"), r.err());
    }

    @Test
    void badOptionsExitTwo() {
        assertEquals(2, run("simulate", "--axes", "4").status());
        assertEquals(2, run("simulate", "--q-grid", "lin:0.1").status());
        assertEquals(2, run("simulate", "R=abc").status());
    }

    /** The parameter table of the help comes from the library: every name, range, description and example value. */
    @Test
    void helpTableIsTheLibrarysParameterSpace() {
        Run r = run("simulate", "--help");
        assertEquals(0, r.status());
        String help = r.out().replaceAll("\\s+", " ");
        ParameterSpace space = LnpParameters.SPACE;
        double[] example = LnpParameters.example();
        int last = -1;
        for (Parameter p : space.asList()) {
            String value = example[space.indexOf(p.name())] == Math.rint(example[space.indexOf(p.name())])
                    ? Long.toString((long) example[space.indexOf(p.name())])
                    : Double.toString(example[space.indexOf(p.name())]);
            String row = " " + p.name() + " " + p.rangeText() + " (" + value + ") " + p.description();
            int at = help.indexOf(row);
            assertTrue(at > last, "row '" + row + "' in order in: " + help);
            last = at;
        }
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80, "help line of " + line.length() + " columns: " + line);
        }
    }

    /**
     * Sizes beyond what the simulator or the machine can do exit 2 before any work, with one line
     * naming the option, the value and the limit (issue 13: --voxel 0.01 and --plane 1000000
     * used to allocate first; a 10⁸-point grid hung).
     */
    @Test
    void limitsExitTwoWithOneLineNamingTheOptionValueAndLimit() {
        String[][] cases = {
            {"--voxel 0.01", "smallest voxel for this particle and plane is 0.48 Å"},
            {"--plane 1000000", "[8, 65536]"},
            {"--plane 16", "at least 99 pixels"},
            {"--q-grid lin:0.002:0.2:100000000", "limit of 100000"},
            {"--q-grid lin:0.01:0.7:10", "largest usable q"},
            {"--realizations 2000000000", "[1, 1000000]"},
            {"--box 100000", "[2, 800]"},
            {"--box 16", "cannot hold the core"},
            {"--threads 2000000000", "[1, 1024]"},
            {"--axes 0", "1, 2 or 3"},
        };
        for (String[] c : cases) {
            String[] option = c[0].split(" ");
            Run r = run("simulate", option[0], option[1]);
            assertEquals(2, r.status(), c[0] + ": " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), c[0] + ": one line, got " + err);
            assertTrue(err.startsWith("lnpsaxs simulate: " + c[0] + ": "), err);
            assertTrue(err.contains(c[1]), "'" + c[1] + "' in " + err);
            assertTrue(r.out().isEmpty(), c[0]);
        }
    }

    /** dataset generate takes the same simulator options and refuses the same limits before writing anything. */
    @Test
    void datasetGenerateSharesTheOptionsAndTheirLimits(@TempDir Path dir) throws IOException {
        String help = run("dataset", "generate", "--help").out();
        for (String option : new String[] {"--q-grid", "--realizations", "--voxel", "--threads", "--axes", "--plane"}) {
            assertTrue(help.contains(option + "="), option + " in " + help);
        }
        Path out = dir.resolve("set");
        Run r = run("dataset", "generate", "--count", "2", "--out", out.toString(), "--voxel", "0.01");
        assertEquals(2, r.status(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("lnpsaxs dataset generate: --voxel 0.01: "), err);
        assertTrue(err.toLowerCase(Locale.ROOT).contains("smallest voxel"), err);
        assertFalse(Files.exists(out), "nothing written: " + out);
        r = run("dataset", "generate", "--count", "2", "--out", out.toString(), "--plane", "1000000");
        assertEquals(2, r.status());
        assertTrue(r.err().strip().startsWith("lnpsaxs dataset generate: --plane 1000000: must be in [8, 65536]"), r.err());
    }
}
