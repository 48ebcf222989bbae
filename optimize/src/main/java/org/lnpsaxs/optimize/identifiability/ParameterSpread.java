package org.lnpsaxs.optimize.identifiability;

/**
 * How widely one parameter varies across the ensemble, absolutely and relative to its fit box.
 *
 * <p>{@code relativeSpread} = (p95 − p05)/(upper − lower). Verdict: ≤ 0.05 "well determined",
 * ≥ 0.25 "sloppy", otherwise "partly determined" — the data pin a well-determined parameter to
 * a twentieth of its box across all equally good fits.
 *
 * @param name           parameter name
 * @param unit           its unit
 * @param lower          fit box lower bound
 * @param upper          fit box upper bound
 * @param best           value in the best fit
 * @param mean           ensemble mean
 * @param std            ensemble standard deviation
 * @param min            ensemble minimum
 * @param max            ensemble maximum
 * @param p05            5th percentile
 * @param p95            95th percentile
 * @param relativeSpread (p95 − p05) / box width
 * @param verdict        "well determined", "partly determined" or "sloppy"
 * @param atBound        "lower" or "upper" when the best fit lies within 0.1 % of the box width of
 *                       that bound (the box, not the data, may be what holds the parameter), else ""
 */
public record ParameterSpread(String name, String unit, double lower, double upper, double best, double mean, double std,
                              double min, double max, double p05, double p95, double relativeSpread, String verdict,
                              String atBound) {

    /** The share of the box width within which a best value counts as sitting on a bound. */
    public static final double AT_BOUND = 1e-3;

    /** "lower", "upper" or "" for a value in the box [lower, upper]. */
    public static String atBound(double value, double lower, double upper) {
        double tol = AT_BOUND * (upper - lower);
        return value <= lower + tol ? "lower" : value >= upper - tol ? "upper" : "";
    }

    /** The relative spread at or below which a parameter counts as well determined. */
    public static final double WELL_DETERMINED = 0.05;
    /** The relative spread at or above which a parameter counts as sloppy. */
    public static final double SLOPPY = 0.25;

    /** The verdict for a relative spread. */
    public static String verdict(double relativeSpread) {
        return relativeSpread <= WELL_DETERMINED ? "well determined" : relativeSpread >= SLOPPY ? "sloppy" : "partly determined";
    }
}
