package org.lnpsaxs.cli;

/**
 * The work of a fit's phase in start-steps, tallied from its optimiser's progress reports (step,
 * total steps, starts still running), for a time left that knows the steps ahead are cheaper when
 * fewer starts run: AdamW's racing stops most starts after 80 % of the steps, so that the last
 * fifth of the steps costs about half of what the first four fifths cost per step. Each interval
 * between two reports is charged with the starts that were running at the earlier report (a start
 * that stops at a report's step ran every step before it); a step count below the last one starts
 * a new phase (the posterior after the optimiser). Dimensionless counts. Thread-safe.
 */
final class WorkTally {

    private long lastStep = -1;
    private int lastRunning;
    private double done;
    private double left;

    /**
     * Adds a report: {@code step} of {@code total} steps done, {@code running} starts (or chains)
     * running from now on.
     */
    synchronized void report(long step, long total, int running) {
        if (lastStep < 0 || step < lastStep) {
            // a new phase: the steps before this report ran with the starts running now
            done = (double) step * running;
        } else {
            done += (double) (step - lastStep) * lastRunning;
        }
        lastStep = step;
        lastRunning = running;
        left = (double) Math.max(0, total - step) * running;
    }

    /** Start-steps done in the phase so far. */
    synchronized double done() {
        return done;
    }

    /** Start-steps left in the phase, if the starts running now run to the end. */
    synchronized double left() {
        return left;
    }
}
