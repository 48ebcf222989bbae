package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;

import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;

/**
 * Fit cost against the chunk size (starts per model call, {@link Fitter#withChunkSize}): the same
 * problem and starts fitted once per listed chunk size, in the order given (alternate them, e.g.
 * {@code 256 4 256 4}, so that warm-up and load drift fall on both), without Fisher information.
 * Prints per run the process CPU seconds, the wall seconds, the best loss and the ensemble size —
 * which must not change: every row's numbers are those of the row alone.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.ChunkSizeStudy
 * PROBLEM STARTS CHUNK...} with PROBLEM {@code example} or {@code css} as in
 * {@link ConvergenceComparison}; run from the repository root.
 */
public final class ChunkSizeStudy {

    private ChunkSizeStudy() {
    }

    /** Runs the study. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ChunkSizeStudy example|css STARTS CHUNK...");
            System.exit(2);
        }
        FitProblem problem = ConvergenceComparison.problem(args[0]);
        int starts = Integer.parseInt(args[1]);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "problem %s, %d starts; %d processors, load average %.2f%n", args[0], starts,
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
        for (int i = 2; i < args.length; i++) {
            int chunk = Integer.parseInt(args[i]);
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            FitResult r = Fitter.defaults().withStarts(starts).withChunkSize(chunk).withFisher(false).fit(problem);
            System.out.printf(Locale.ROOT, "chunk %4d: %7.1f CPU s %7.1f wall s  best loss %.12e  ensemble %d%n", chunk,
                    (os.getProcessCpuTime() - cpu0) / 1e9, (System.nanoTime() - wall0) / 1e9, r.loss(r.best()),
                    r.ensemble().size());
        }
    }
}
