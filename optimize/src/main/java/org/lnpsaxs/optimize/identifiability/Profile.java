package org.lnpsaxs.optimize.identifiability;

/**
 * A profile likelihood: for a grid of values of one parameter, the lowest loss reachable with
 * the other parameters re-optimised.
 *
 * @param parameter the profiled parameter
 * @param unit      its unit
 * @param values    the grid of values (ascending)
 * @param losses    the profile: minimum loss at each value
 * @param bestLoss  the overall best loss of the fit (the profile's reference)
 * @param lossName  the loss ({@code chi2} or {@code scale-free})
 * @param lower68   for χ²: where the profile crosses χ²_min + 1 below the best value (68 % interval), else NaN-free null
 * @param upper68   the same above the best value
 */
public record Profile(String parameter, String unit, double[] values, double[] losses, double bestLoss, String lossName,
                      Double lower68, Double upper68) {
}
