package org.lnpsaxs.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import org.nd4j.linalg.factory.Nd4j;

/** ND4J settings of the surrogate subcommands. */
final class Nd4jSupport {

    private Nd4jSupport() {
    }

    /**
     * Sets ND4J's native thread counts (OpenMP and BLAS). The launcher sets OMP_NUM_THREADS=1
     * before the JVM starts, which is fastest on small machines; this changes it afterwards.
     */
    static void threads(Integer n) {
        if (n == null) {
            return;
        }
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + n);
        }
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /**
     * Runs {@code body} with standard output sent to standard error: SameDiff prints an "Added
     * differentiated op" line to standard output for every op of a gradient graph it builds, which
     * would mix with a command's results.
     */
    static <T> T quietStdout(Callable<T> body) throws Exception {
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            return body.call();
        } finally {
            System.setOut(out);
        }
    }
}
