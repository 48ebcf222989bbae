package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * The free parameters of the ensemble members, as the analysis reads them.
 *
 * @param names  free parameter names
 * @param units  their units
 * @param lower  fit box lower bounds
 * @param upper  fit box upper bounds
 * @param values {@code values[member][parameter]}, members best first
 * @param losses the members' losses (ascending)
 * @param starts the members' start indices
 */
public record EnsembleSample(List<String> names, List<String> units, double[] lower, double[] upper, double[][] values,
                             double[] losses, int[] starts) {

    /** Validates shapes. */
    public EnsembleSample {
        int d = names.size();
        if (units.size() != d || lower.length != d || upper.length != d) {
            throw new IllegalArgumentException("ensemble sample: names, units and bounds differ in length");
        }
        if (values.length == 0 || values.length != losses.length || values.length != starts.length) {
            throw new IllegalArgumentException("ensemble sample needs at least one member and one loss and start per member");
        }
        for (double[] row : values) {
            if (row.length != d) {
                throw new IllegalArgumentException("ensemble sample: a member has " + row.length + " values, expected " + d);
            }
        }
    }

    /** The number of members. */
    public int size() {
        return values.length;
    }

    /** The number of free parameters. */
    public int dimension() {
        return names.size();
    }

    /** The values scaled to the box, \( (\theta - l)/(h - l) \). */
    public double[][] boxScaled() {
        double[][] x = new double[values.length][names.size()];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < names.size(); j++) {
                x[i][j] = (values[i][j] - lower[j]) / (upper[j] - lower[j]);
            }
        }
        return x;
    }
}
