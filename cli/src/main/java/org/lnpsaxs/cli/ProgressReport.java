package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on standard error: a progress bar ({@code me.tongfei:progressbar}) when
 * the command runs on a terminal, plain lines every {@value #LINE_INTERVAL_SECONDS} s otherwise
 * (a log file or a pipe gets no control characters). The system property
 * {@code lnpsaxs.progress} ({@code bar}, {@code lines} or {@code none}) overrides the choice.
 * Updates may come from any thread; they are cheap when nothing is shown.
 */
final class ProgressReport implements AutoCloseable {

    /** Seconds between plain progress lines. */
    static final long LINE_INTERVAL_SECONDS = 10;

    /** How progress is shown. */
    enum Mode {
        /** A bar redrawn in place. */
        BAR,
        /** A plain line now and then. */
        LINES,
        /** Nothing. */
        NONE
    }

    private final Mode mode;
    private final String task;
    private final String unit;
    private final PrintWriter err;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Consumer<String> barOutput;
    /** When the current phase began (ns of {@link #clock}): rates and times are the phase's. */
    private long start;
    private ProgressBar bar;
    private long total;
    private long done;
    private long resumedFrom = -1;
    private long lastLine;
    private long lastUpdate;
    private boolean printed;
    /** Whether the total is a budget the work runs to, so that a time left can be extrapolated. */
    private boolean estimate = true;
    /** The caller's measure of work done and left (NaN: none; then the units are taken to cost alike). */
    private double workDone = Double.NaN;
    private double workLeft = Double.NaN;
    /**
     * The work done when the phase's clock started: 0 in the first phase (its clock starts before
     * any work), else the work at the phase's first update (NaN: not yet known).
     */
    private double workResumedFrom = 0;

    private ProgressReport(Mode mode, String task, String unit, long total, PrintWriter err, Duration interval,
                           Consumer<String> barOutput, LongSupplier clock) {
        this.mode = mode;
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.err = err;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.barOutput = barOutput;
        this.start = clock.getAsLong();
        this.lastLine = start;
        this.bar = mode == Mode.BAR ? newBar(total) : null;
    }

    private ProgressBar newBar(long max) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setUnit(" " + unit, 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setMaxRenderedLength(100);
        if (barOutput != null) {
            b.setConsumer(new DelegatingProgressBarConsumer(barOutput, 100));
        }
        return b.build();
    }

    /**
     * Starts reporting {@code total} units of work of a command.
     *
     * @param err  the command's standard error (for plain lines)
     * @param task what is done, e.g. "fit"
     * @param unit the unit of work, e.g. "iterations"
     */
    static ProgressReport start(PrintWriter err, String task, String unit, long total) {
        return new ProgressReport(mode(), task, unit, total, err, Duration.ofSeconds(LINE_INTERVAL_SECONDS), null,
                System::nanoTime);
    }

    /** Plain lines to {@code err} at this interval (tests). */
    static ProgressReport lines(PrintWriter err, String task, String unit, long total, Duration interval) {
        return lines(err, task, unit, total, interval, System::nanoTime);
    }

    /** Plain lines to {@code err} at this interval, timed by {@code clock} (ns; tests). */
    static ProgressReport lines(PrintWriter err, String task, String unit, long total, Duration interval,
                                LongSupplier clock) {
        return new ProgressReport(Mode.LINES, task, unit, total, err, interval, null, clock);
    }

    /** A bar whose rendered lines go to {@code output} (tests). */
    static ProgressReport bar(Consumer<String> output, String task, String unit, long total) {
        return new ProgressReport(Mode.BAR, task, unit, total, null, Duration.ZERO, output, System::nanoTime);
    }

    /** The mode for this process: the property, else a bar on a terminal and lines otherwise. */
    static Mode mode() {
        String forced = System.getProperty("lnpsaxs.progress", "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "bar":
                return Mode.BAR;
            case "lines":
                return Mode.LINES;
            case "none":
            case "off":
                return Mode.NONE;
            default:
                return System.console() != null ? Mode.BAR : Mode.LINES;
        }
    }

    /** Whether a bar is drawn (then log lines about the same progress only disturb it). */
    boolean isBar() {
        return mode == Mode.BAR;
    }

    /**
     * Reports {@code done} of {@code total} units (the total may change, e.g. when a fit stops
     * early), with an extra note such as the best loss ({@code null}: none). A count below the last
     * one, or a larger total, starts a new phase of the task (a fit's posterior after its multi-start
     * optimiser): the phase before is ended as {@link #close()} ends the report, and times and the
     * time left are the new phase's from then on.
     */
    synchronized void update(long done, long total, String extra) {
        update(done, total, extra, true);
    }

    /**
     * As {@link #update(long, long, String)}; with {@code estimate} false the total is only a cap
     * that the work usually stops well short of, with ever cheaper units on the way (L-BFGS starts
     * converging), so no percentage or time left is shown: lines say "N iterations of at most
     * TOTAL" and the bar runs without an end.
     */
    synchronized void update(long done, long total, String extra, boolean estimate) {
        update(done, total, extra, estimate, Double.NaN, Double.NaN);
    }

    /**
     * As {@link #update(long, long, String, boolean)}, for work whose units do not all cost the
     * same: {@code workDone} and {@code workLeft} (one unit of the caller's choosing, e.g. the
     * start-steps of a multi-start optimiser whose racing stops most starts late in the run) make
     * the time left the phase's time so far × work left / work done in the phase, instead of units
     * left / units per second. NaN (or no work done yet in the phase): the units are taken to cost
     * alike. Lines only; a bar keeps its own estimate.
     */
    synchronized void update(long done, long total, String extra, boolean estimate, double workDone, double workLeft) {
        this.estimate = estimate;
        long now = clock.getAsLong();
        if (resumedFrom >= 0 && (done < this.done || total > this.total)) {
            // the phase before ended at its last update
            endPhase(lastUpdate);
            start = now;
            lastLine = start;
            resumedFrom = -1;
            workResumedFrom = Double.NaN;
            printed = false;
            if (mode == Mode.BAR) {
                bar = newBar(total);
            }
        }
        if (resumedFrom < 0) {
            resumedFrom = done;
        }
        if (Double.isNaN(workResumedFrom)) {
            workResumedFrom = workDone;
        }
        this.workDone = workDone;
        this.workLeft = workLeft;
        lastUpdate = now;
        this.done = done;
        this.total = total;
        if (mode == Mode.BAR) {
            bar.maxHint(estimate ? total : -1);
            bar.stepTo(done);
            if (extra != null) {
                bar.setExtraMessage(extra);
            }
        } else if (mode == Mode.LINES) {
            if (now - lastLine >= intervalNanos && done < total) {
                lastLine = now;
                line(extra, now);
            }
        }
    }

    private void line(String extra, long now) {
        double seconds = (now - start) * 1e-9;
        String note = extra == null ? "" : ", " + extra;
        if (estimate) {
            double rate = (done - Math.max(0, resumedFrom)) / Math.max(seconds, 1e-9);
            double workInPhase = workDone - workResumedFrom;
            double secondsLeft = workInPhase > 0 && workLeft >= 0 ? seconds * workLeft / workInPhase
                    : (total - done) / rate;
            String left = rate > 0 && done < total ? ", about " + duration(secondsLeft) + " left" : "";
            err.println(String.format(Locale.ROOT, "%s: %d/%d %s (%.0f%%), %s%s%s", task, done, total, unit,
                    total > 0 ? 100.0 * done / total : 100.0, duration(seconds), left, note));
        } else {
            err.println(String.format(Locale.ROOT, "%s: %d %s of at most %d, %s%s", task, done, unit, total,
                    duration(seconds), note));
        }
        err.flush();
        printed = true;
    }

    /**
     * Ends the report. Work often ends before its announced total (a fit whose starts converged, a
     * posterior that met its criteria early), so the end is shown as an end, not as a stalled
     * estimate: the bar is set to what was done (100 %) and closed; if lines were printed, a last
     * line says where the work ended and how long it took, without a time left.
     */
    @Override
    public synchronized void close() {
        endPhase(clock.getAsLong());
    }

    /** Ends the current phase, which ended at {@code end} (ns of the clock). */
    private void endPhase(long end) {
        if (mode == Mode.BAR) {
            if (done > 0 && done < total) {
                bar.maxHint(done);
                bar.stepTo(done);
            }
            bar.close();
        } else if (mode == Mode.LINES && printed) {
            double seconds = (end - start) * 1e-9;
            err.println(String.format(Locale.ROOT, "%s: ended at %d of %s%d %s, %s", task, done,
                    done < total ? "at most " : "", total, unit, duration(seconds)));
            err.flush();
        }
    }

    /** A duration in s as {@code 1h02m}, {@code 3m05s} or {@code 12.3s}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
