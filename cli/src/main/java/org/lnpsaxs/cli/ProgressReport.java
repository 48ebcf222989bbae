package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

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
    private final long start = System.nanoTime();
    private final ProgressBar bar;
    private long total;
    private long done;
    private long resumedFrom = -1;
    private long lastLine;
    private boolean printed;

    private ProgressReport(Mode mode, String task, String unit, long total, PrintWriter err, Duration interval,
                           Consumer<String> barOutput) {
        this.mode = mode;
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.err = err;
        this.intervalNanos = interval.toNanos();
        this.lastLine = start;
        if (mode == Mode.BAR) {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setUnit(" " + unit, 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(100);
            if (barOutput != null) {
                b.setConsumer(new DelegatingProgressBarConsumer(barOutput, 100));
            }
            bar = b.build();
        } else {
            bar = null;
        }
    }

    /**
     * Starts reporting {@code total} units of work of a command.
     *
     * @param err  the command's standard error (for plain lines)
     * @param task what is done, e.g. "fit"
     * @param unit the unit of work, e.g. "iterations"
     */
    static ProgressReport start(PrintWriter err, String task, String unit, long total) {
        return new ProgressReport(mode(), task, unit, total, err, Duration.ofSeconds(LINE_INTERVAL_SECONDS), null);
    }

    /** Plain lines to {@code err} at this interval (tests). */
    static ProgressReport lines(PrintWriter err, String task, String unit, long total, Duration interval) {
        return new ProgressReport(Mode.LINES, task, unit, total, err, interval, null);
    }

    /** A bar whose rendered lines go to {@code output} (tests). */
    static ProgressReport bar(Consumer<String> output, String task, String unit, long total) {
        return new ProgressReport(Mode.BAR, task, unit, total, null, Duration.ZERO, output);
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
     * early), with an extra note such as the best loss ({@code null}: none).
     */
    synchronized void update(long done, long total, String extra) {
        if (resumedFrom < 0) {
            resumedFrom = done;
        }
        this.done = done;
        this.total = total;
        if (mode == Mode.BAR) {
            bar.maxHint(total);
            bar.stepTo(done);
            if (extra != null) {
                bar.setExtraMessage(extra);
            }
        } else if (mode == Mode.LINES) {
            long now = System.nanoTime();
            if (now - lastLine >= intervalNanos && done < total) {
                lastLine = now;
                line(extra, now);
            }
        }
    }

    private void line(String extra, long now) {
        double seconds = (now - start) * 1e-9;
        long thisRun = done - Math.max(0, resumedFrom);
        double rate = thisRun / Math.max(seconds, 1e-9);
        String left = rate > 0 && done < total ? ", about " + duration((total - done) / rate) + " left" : "";
        err.println(String.format(Locale.ROOT, "%s: %d/%d %s (%.0f%%), %s%s%s", task, done, total, unit,
                total > 0 ? 100.0 * done / total : 100.0, duration(seconds), left, extra == null ? "" : ", " + extra));
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
        if (mode == Mode.BAR) {
            if (done > 0 && done < total) {
                bar.maxHint(done);
                bar.stepTo(done);
            }
            bar.close();
        } else if (mode == Mode.LINES && printed) {
            double seconds = (System.nanoTime() - start) * 1e-9;
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
