package org.lnpsaxs.cli;

/** Releases worker pools that would otherwise keep the JVM alive after a command returns. */
final class Shutdown {

    private Shutdown() {
    }

    /**
     * JTransforms' pool ({@code pl.edu.icm.jlargearrays.ConcurrencyUtils}) holds non-daemon
     * threads for 60 s after the last FFT; shut it down so the command exits at once.
     */
    static void releaseThreadPools() {
        try {
            pl.edu.icm.jlargearrays.ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
        } catch (RuntimeException | LinkageError e) {
            // the pool was never started or the library is absent: nothing to release
        }
    }
}
