package org.lnpsaxs.core.simulator;

/**
 * Receives progress of a simulation: how many realisations are done out of how many. Calls may
 * come from worker threads, but never two at once, and {@code done} grows with each call.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * Called after each realisation.
     *
     * @param done  realisations finished so far (1..total)
     * @param total realisations in the run
     */
    void progress(int done, int total);
}
