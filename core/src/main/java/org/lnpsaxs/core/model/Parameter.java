package org.lnpsaxs.core.model;

import java.util.Objects;

/**
 * One named model parameter: its unit and the closed interval of values the model accepts.
 *
 * <p>Bounds may be infinite (for example an SLD). The unit is a human-readable string such as
 * {@code "Å"}, {@code "1/Å"}, {@code "1e-6/Å^2"} or {@code ""} for a dimensionless value.
 *
 * @param name        the name, as written on the command line and in reports (e.g. {@code radius})
 * @param unit        the unit of the value (empty for dimensionless)
 * @param lower       the smallest allowed value (may be {@code -Infinity})
 * @param upper       the largest allowed value (may be {@code +Infinity}); {@code lower <= upper}
 * @param description one line saying what the parameter means
 */
public record Parameter(String name, String unit, double lower, double upper, String description) {

    /** Validates the record. */
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("parameter name is blank");
        }
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException(
                    "parameter " + name + ": bounds [" + lower + ", " + upper + "] are not an interval");
        }
    }

    /** A parameter without a description. */
    public static Parameter of(String name, String unit, double lower, double upper) {
        return new Parameter(name, unit, lower, upper, "");
    }

    /** Whether {@code value} lies in {@code [lower, upper]} (NaN never does). */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** A copy with other bounds. */
    public Parameter withBounds(double newLower, double newUpper) {
        return new Parameter(name, unit, newLower, newUpper, description);
    }

    /**
     * Checks one value and throws an {@link IllegalArgumentException} naming this parameter,
     * the value and the allowed range when it is outside (or NaN).
     */
    public void check(double value) {
        if (!contains(value)) {
            throw new IllegalArgumentException(
                    "parameter " + name + " = " + value + " is outside its range " + rangeText());
        }
    }

    /** The range as text, e.g. {@code [100, 500] Å}. */
    public String rangeText() {
        return "[" + fmt(lower) + ", " + fmt(upper) + "]" + (unit.isEmpty() ? "" : " " + unit);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
