package org.lnpsaxs.optimize.identifiability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.lnpsaxs.optimize.model.SizeSummary;

/**
 * One mode of the ensemble: a cluster of equally good fits. Immutable.
 *
 * @param index            1-based; modes are numbered by their best loss (mode 1 holds the best fit)
 * @param size             members in the mode
 * @param share            size / ensemble size
 * @param bestLoss         the lowest loss in the mode
 * @param bestStart        the start index of that fit
 * @param centre           mean of each free parameter over the mode (parameter units)
 * @param spread           standard deviation of each free parameter over the mode
 * @param best             the parameters of the mode's best fit
 * @param sizeDistribution the size distribution at the mode's centre, or {@code null} when the model has none
 */
public record Mode(int index, int size, double share, double bestLoss, int bestStart, Map<String, Double> centre,
                   Map<String, Double> spread, Map<String, Double> best, SizeSummary sizeDistribution) {

    /** Keeps the maps' order, read-only. */
    public Mode {
        centre = Collections.unmodifiableMap(new LinkedHashMap<>(centre));
        spread = Collections.unmodifiableMap(new LinkedHashMap<>(spread));
        best = Collections.unmodifiableMap(new LinkedHashMap<>(best));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Mode[%d: %d members (%.0f%%), best loss %.5g; centre %s]", index, size, 100 * share,
                bestLoss, centre);
    }
}
