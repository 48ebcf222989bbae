package org.lnpsaxs.surrogate.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches for vector kernels that the JIT left uncompiled, and then switches this JVM to the plain
 * loops (the same numbers bit for bit, {@link Vectors#fallBack(String)}).
 *
 * <p>Compiled, the {@link VectorKernels} allocate nothing; run by the interpreter or by C1, the
 * vector API allocates for every operation (hundreds of kilobytes to megabytes per surrogate row)
 * and runs tens to hundreds of times slower. That is normal for the first second or two of a run,
 * before C2 has compiled the kernels; but now and then a JVM kept some kernels uncompiled for good
 * (seen on this project's machine in about one run in sixteen: 3 to 40 times the usual time for
 * the whole run, docs/benchmarks.md, "Vector kernels left uncompiled"; the cause found since, C1
 * running out of registers on the networks' block kernel, is fixed and tested by
 * {@code VectorKernelsCompilationTest}, and this watch stays as the safety net for any other). The
 * evaluator reports the bytes each of its calls allocated on the calling thread ({@link #observe};
 * what the caller's upstream gradient allocates during the call is left out); once the first call
 * is {@value #SETTLE_SECONDS} s old, calls above {@value #BYTES_PER_ROW} bytes per row (the compiled
 * path allocates nothing once its per-thread buffers exist) are strikes, a call below
 * ends a run of strikes, and strikes without a break for {@value #STRIKE_SECONDS} s (and at least
 * {@value #STRIKES} calls and {@value #STRIKE_ROWS} rows) switch to the plain loops, with one
 * warning in the log. A brief deoptimisation does not last that long, and the rows make the rule
 * count the JIT's work rather than the clock's: the JIT compiles a kernel once it has run a few
 * thousand times, so a kernel still uncompiled after tens of thousands of rows is stuck, whereas a
 * few hundred one-row calls of a path not yet used (a finite-difference loop, say, at a millisecond
 * each while uncompiled) can fill five seconds while the JIT is still counting.
 *
 * <p>Needs the JVM's per-thread allocation counter ({@code com.sun.management.ThreadMXBean}, as in
 * HotSpot); without it nothing is watched. Thread-safe. Not a user class.
 */
public final class VectorWatch {

    private static final Logger LOG = LoggerFactory.getLogger(VectorWatch.class);

    /** Seconds after the first observed call before calls can be strikes (the JIT's warm-up). */
    public static final double SETTLE_SECONDS = 10;
    /** Bytes per surrogate row above which a call is a strike. */
    public static final long BYTES_PER_ROW = 32 * 1024;
    /** Seconds of strikes without a break that switch to the plain loops. */
    public static final double STRIKE_SECONDS = 5;
    /** Calls, at least, in such a run of strikes. */
    public static final int STRIKES = 5;
    /** Rows, at least, in such a run of strikes (every block of eight rows runs every kernel at least once). */
    public static final long STRIKE_ROWS = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private static final State STATE = new State();

    private VectorWatch() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            ThreadMXBean t = ManagementFactory.getThreadMXBean();
            if (t instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
                    && s.isThreadAllocatedMemoryEnabled()) {
                return s;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no per-thread allocation counter: the vector kernels are not watched", e);
        }
        return null;
    }

    /** Bytes allocated so far by the calling thread, or −1 when nothing is watched. */
    public static long allocated() {
        return THREADS != null && Vectors.active() ? THREADS.getCurrentThreadAllocatedBytes() : -1;
    }

    /**
     * Reports a call of {@code rows} surrogate rows that began when {@link #allocated()} gave
     * {@code before}; switches to the plain loops when the rule of the class comment says so.
     */
    public static void observe(long before, int rows) {
        if (before < 0 || rows <= 0 || !Vectors.active()) {
            return;
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        String reason = STATE.call(System.nanoTime(), bytes, rows);
        if (reason != null) {
            Vectors.fallBack(reason);
            LOG.warn("the surrogate's vector kernels are running uncompiled in this JVM ({}); switched to the plain "
                    + "loops for the rest of the run: the same numbers, about 1.7 times the time of compiled vector "
                    + "kernels instead of 3 to 40 times (LNPSAXS_VECTOR=off starts with the plain loops)", reason);
        }
    }

    /** The rule, apart from the clock and the counter (package-private for its test). */
    static final class State {
        private long first = Long.MIN_VALUE;
        private long strikeStart = Long.MIN_VALUE;
        private int strikes;
        private long strikeRows;
        private boolean fired;

        /**
         * One call at time {@code now} (ns) that allocated {@code bytes} for {@code rows} rows; the
         * reason to fall back, or null.
         */
        synchronized String call(long now, long bytes, int rows) {
            if (fired) {
                return null;
            }
            if (first == Long.MIN_VALUE) {
                first = now;
            }
            double perRow = (double) bytes / rows;
            if (now - first < SETTLE_SECONDS * 1e9 || perRow <= BYTES_PER_ROW) {
                strikes = 0;
                strikeRows = 0;
                strikeStart = Long.MIN_VALUE;
                return null;
            }
            if (strikes == 0) {
                strikeStart = now;
            }
            strikes++;
            strikeRows += rows;
            double lasted = (now - strikeStart) / 1e9;
            if (strikes >= STRIKES && lasted >= STRIKE_SECONDS && strikeRows >= STRIKE_ROWS) {
                fired = true;
                return String.format(Locale.ROOT,
                        "%d calls (%d rows) in %.1f s allocated more than %d kB per row, the last %.0f kB",
                        strikes, strikeRows, lasted, BYTES_PER_ROW / 1024, perRow / 1024);
            }
            return null;
        }
    }
}
