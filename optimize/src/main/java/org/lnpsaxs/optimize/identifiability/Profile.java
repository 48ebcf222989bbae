package org.lnpsaxs.optimize.identifiability;

import java.util.Locale;

/**
 * A profile likelihood: for a grid of values of one parameter, the lowest loss reachable with
 * the other parameters re-optimised. Immutable.
 *
 * @param parameter the profiled parameter
 * @param unit      its unit
 * @param values    the grid of values (ascending)
 * @param losses    the profile: minimum loss at each value
 * @param bestLoss  the overall best loss of the fit (the profile's reference)
 * @param lossName  the loss ({@code chi2} or {@code scale-free})
 * @param lower68   for χ²: where the profile crosses χ²_min + 1 below the best value (68 % interval), else {@code null}
 * @param upper68   the same above the best value
 */
public record Profile(String parameter, String unit, double[] values, double[] losses, double bestLoss, String lossName,
                      Double lower68, Double upper68) {

    /** Checks the lengths and copies. */
    public Profile {
        if (values.length != losses.length) {
            throw new IllegalArgumentException("profile of " + parameter + ": " + values.length + " values but "
                    + losses.length + " losses");
        }
        values = values.clone();
        losses = losses.clone();
    }

    /** The grid of values (a copy). */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** The profile losses (a copy). */
    @Override
    public double[] losses() {
        return losses.clone();
    }

    /** The number of grid values. */
    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Profile p && parameter.equals(p.parameter) && java.util.Arrays.equals(values, p.values)
                && java.util.Arrays.equals(losses, p.losses) && Double.compare(bestLoss, p.bestLoss) == 0
                && java.util.Objects.equals(lower68, p.lower68) && java.util.Objects.equals(upper68, p.upper68);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(parameter, java.util.Arrays.hashCode(values), java.util.Arrays.hashCode(losses));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Profile[%s: %d values %.5g..%.5g%s, loss %s]", parameter, values.length,
                values[0], values[values.length - 1], lower68 != null && upper68 != null
                        ? String.format(Locale.ROOT, ", 68%% interval %.5g..%.5g", lower68, upper68) : "", lossName);
    }
}
