package org.lnpsaxs.optimize.identifiability;

import java.util.List;
import java.util.Locale;

/**
 * The free parameters of the ensemble members, as the analysis reads them. Immutable: arrays are
 * copied in and out.
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

    /** Validates shapes and copies. */
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
        names = List.copyOf(names);
        units = List.copyOf(units);
        lower = lower.clone();
        upper = upper.clone();
        values = deepCopy(values);
        losses = losses.clone();
        starts = starts.clone();
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Fit box lower bounds (a copy). */
    @Override
    public double[] lower() {
        return lower.clone();
    }

    /** Fit box upper bounds (a copy). */
    @Override
    public double[] upper() {
        return upper.clone();
    }

    /** {@code values[member][parameter]} (a copy). */
    @Override
    public double[][] values() {
        return deepCopy(values);
    }

    /** Value of free parameter {@code j} in member {@code i}. */
    public double value(int i, int j) {
        return values[i][j];
    }

    /** The members' losses (a copy). */
    @Override
    public double[] losses() {
        return losses.clone();
    }

    /** The members' start indices (a copy). */
    @Override
    public int[] starts() {
        return starts.clone();
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

    @Override
    public boolean equals(Object o) {
        return o instanceof EnsembleSample s && names.equals(s.names) && units.equals(s.units)
                && java.util.Arrays.equals(lower, s.lower) && java.util.Arrays.equals(upper, s.upper)
                && java.util.Arrays.deepEquals(values, s.values) && java.util.Arrays.equals(losses, s.losses)
                && java.util.Arrays.equals(starts, s.starts);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(names, java.util.Arrays.deepHashCode(values), java.util.Arrays.hashCode(losses));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EnsembleSample[%d members of %s, losses %.5g..%.5g]", values.length, names,
                losses[0], losses[losses.length - 1]);
    }
}
