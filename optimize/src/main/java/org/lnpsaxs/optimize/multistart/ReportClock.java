package org.lnpsaxs.optimize.multistart;

/**
 * When an optimiser reports progress: every k iterations (its own rhythm), and in any case once
 * {@value #INTERVAL_SECONDS} s have passed since the last report, so that a fit whose iterations
 * are slow (millions of data points, many starts) still shows that it runs. Only the reporting
 * depends on the clock, never the numbers.
 */
final class ReportClock {

    /** The longest silence between two reports, seconds. */
    static final long INTERVAL_SECONDS = 10;

    private final java.util.function.LongSupplier nanoTime;
    private long last;

    ReportClock() {
        this(System::nanoTime);
    }

    /** A clock reading {@code nanoTime} (tests pass a fake one). */
    ReportClock(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
    }

    /**
     * Whether to report now.
     *
     * @param scheduled true when the optimiser's own rhythm (or its end) asks for a report
     */
    boolean due(boolean scheduled) {
        long now = nanoTime.getAsLong();
        if (scheduled || now - last >= INTERVAL_SECONDS * 1_000_000_000L) {
            last = now;
            return true;
        }
        return false;
    }
}
