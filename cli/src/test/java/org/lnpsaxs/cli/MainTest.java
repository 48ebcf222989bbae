package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** Runs the command with captured streams; returns {exit, out, err}. */
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void versionPrintsTheLibraryVersion() {
        String[] r = run("--version");
        assertEquals("0", r[0]);
        assertTrue(r[1].startsWith("lnpsaxs "), r[1]);
        assertFalse(r[1].contains("unknown"), "version resource not filtered: " + r[1]);
    }

    @Test
    void missingSubcommandIsBadInputWithOneLine() {
        String[] r = run();
        assertEquals("2", r[0]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
    }

    @Test
    void unknownOptionIsBadInput() {
        String[] r = run("--no-such-option");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--no-such-option"), r[2]);
    }

    @Test
    void everyCommandIsListedWithACompleteSentence() {
        // the top-level help shows each command's header, or else the first line of its
        // description; a description line cut mid-sentence reads as a truncated summary
        CommandLine cl = Main.commandLine();
        for (var e : cl.getSubcommands().entrySet()) {
            var spec = e.getValue().getCommandSpec().usageMessage();
            String[] summary = spec.header().length > 0 ? spec.header() : spec.description();
            assertTrue(summary.length > 0, e.getKey() + " has no summary");
            String shown = summary[0].strip();
            assertTrue(shown.endsWith("."),
                    e.getKey() + " is listed with a cut sentence: " + summary[0]);
        }
    }

    @Test
    void jshellPassesItsOwnOptionsToJShell() {
        // before, picocli refused them: "Unknown option: '--help' (try 'lnpsaxs jshell --help')"
        var parsed = Main.commandLine().parseArgs("jshell", "--help", "--feedback", "concise", "script.jsh");
        JshellCommand jshell = (JshellCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(java.util.List.of("--help", "--feedback", "concise", "script.jsh"), jshell.jshellArgs);
    }

    @Test
    void jshellStartupImportsTheLibraryPackages() throws Exception {
        String script = JshellCommand.startupScript();
        assertTrue(script.contains("import org.lnpsaxs.core.model.*;"), script);
        assertTrue(script.contains("import org.lnpsaxs.core.data.*;"), script);
    }
}
