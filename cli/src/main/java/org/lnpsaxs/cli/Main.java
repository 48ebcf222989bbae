package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

import org.lnpsaxs.core.Lnpsaxs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code lnpsaxs} command. Exit status: 0 on success, 2 on bad input (a one-line message on
 * standard error, no stack trace), 1 on an internal error.
 */
@Command(name = "lnpsaxs",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "SAXS analysis of lipid nanoparticles: analytic models, the GRF core-shell simulator, "
                + "the neural surrogate, multi-start fitting and identifiability analysis.",
        subcommandsRepeatable = false)
public final class Main implements Runnable {

    /** Exit status for bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    /**
     * The subcommands, in the order {@code --help} lists them. One line per subcommand: add yours
     * here.
     */
    static List<Supplier<Object>> subcommands() {
        return List.of(
                InspectCommand::new,
                ConvertCommand::new,
                AnalyticCommand::create,
                SimulateCommand::create,
                PredictCommand::new,
                DatasetCommand::new,
                TrainCommand::new,
                EvaluateCommand::new,
                FitCommand::new,
                JshellCommand::new
        );
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Builds the command line with all subcommands and the exit-code policy. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Supplier<Object> s : subcommands()) {
            cl.addSubcommand(s.get());
        }
        // JShell's own options (--help, --feedback, ...) go to JShell, as its description says
        cl.getSubcommands().get("jshell").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        return cl;
    }

    /** Runs the command and returns its exit status (does not call {@link System#exit}). */
    public static int run(String... args) {
        try {
            return commandLine().execute(args);
        } finally {
            Shutdown.releaseThreadPools();
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        PrintWriter err = ex.getCommandLine().getErr();
        String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
        err.println(cmd + ": " + oneLine(ex.getMessage()) + " (try '" + cmd + " --help')");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult pr) {
        PrintWriter err = cl.getErr();
        if (isBadInput(ex)) {
            err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** Bad input: a wrong argument or value, or a file that cannot be read or parsed. */
    static boolean isBadInput(Throwable ex) {
        return ex instanceof IllegalArgumentException
                || ex instanceof IOException
                || ex instanceof UncheckedIOException
                || ex instanceof CommandLine.ParameterException;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }

    /** Reads the library version. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lnpsaxs " + Lnpsaxs.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
