package org.lnpsaxs.surrogate.train;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Learning rate by iteration: linear warm-up from {@code peak/warmup} to {@code peak} over
 * {@code warmup} iterations, then \( \eta_{min} + \tfrac12(\eta_{peak} - \eta_{min})(1 + \cos(\pi t/T)) \)
 * over the remaining {@code total − warmup} iterations, then {@code min}. Not a user class (public
 * because ND4J instantiates schedules reflectively).
 */
public final class WarmupCosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double peak;
    private final double min;
    private final int warmup;
    private final int total;

    /**
     * A schedule.
     *
     * @param peak   the peak learning rate
     * @param min    the final learning rate
     * @param warmup warm-up iterations
     * @param total  total iterations
     */
    public WarmupCosineSchedule(double peak, double min, int warmup, int total) {
        this.peak = peak;
        this.min = min;
        this.warmup = Math.max(0, warmup);
        this.total = Math.max(total, this.warmup + 1);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmup) {
            return peak * (iteration + 1) / warmup;
        }
        if (iteration >= total) {
            return min;
        }
        double t = (iteration - warmup) / (double) (total - warmup);
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(peak, min, warmup, total);
    }
}
