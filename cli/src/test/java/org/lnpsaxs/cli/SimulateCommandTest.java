package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
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
}
