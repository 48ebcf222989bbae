package org.lnpsaxs.optimize.identifiability;

import java.util.Locale;

/**
 * How widely one parameter varies across the ensemble, absolutely and relative to its fit box,
 * and what that says about it.
 *
 * <p>{@code relativeSpread} = (p95 − p05)/(upper − lower). Verdict from the spread: ≤ 0.05
 * {@link Verdict#WELL_DETERMINED}, ≥ 0.25 {@link Verdict#SLOPPY}, otherwise
 * {@link Verdict#PARTLY_DETERMINED} — the data pin a well-determined parameter to a twentieth of
 * its box across all equally good fits. A parameter is never called well determined when its best
 * value sits on a bound of the box ({@link Verdict#AT_BOUND}: the box, not the data, may hold it)
 * or when its Fisher standard error exceeds its value ({@link Verdict#UNDETERMINED}; see
 * {@link #withStandardError}). With the Fisher information ({@link #withFisher}) a bound counts only
 * when it holds the best fit: an optimum that lies within 0.1 % of the box width of a bound but
 * where the loss's own Newton step stays inside the box is an interior optimum, judged by its spread.
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
 * @param verdict        what the data say about the parameter
 * @param atBound        the bound the best fit lies on (within 0.1 % of the box width), or {@link Bound#NONE};
 *                       after {@link #withFisher}, only a bound that holds the best fit
 */
public record ParameterSpread(String name, String unit, double lower, double upper, double best, double mean, double std,
                              double min, double max, double p05, double p95, double relativeSpread, Verdict verdict,
                              Bound atBound) {

    /** The share of the box width within which a best value counts as sitting on a bound. */
    public static final double AT_BOUND = 1e-3;
    /** The relative spread at or below which a parameter counts as well determined. */
    public static final double WELL_DETERMINED = 0.05;
    /** The relative spread at or above which a parameter counts as sloppy. */
    public static final double SLOPPY = 0.25;

    /** What the ensemble (and the Fisher information) say about a parameter. */
    public enum Verdict {
        /** Spread ≤ 5 % of the box, not at a bound, standard error (if known) below the value. */
        WELL_DETERMINED("well determined"),
        /** Spread between 5 % and 25 % of the box. */
        PARTLY_DETERMINED("partly determined"),
        /** Spread ≥ 25 % of the box. */
        SLOPPY("sloppy"),
        /** Spread ≤ 5 %, but the best fit sits on a bound of the box, which may be what holds it. */
        AT_BOUND("at a bound"),
        /** Spread ≤ 5 %, but the Fisher standard error exceeds the value: the data do not fix it. */
        UNDETERMINED("not determined");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The words used in reports ({@code well determined}, ...). */
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Which bound of the box a best value sits on. */
    public enum Bound {
        /** Neither. */
        NONE(""),
        /** The lower bound. */
        LOWER("lower"),
        /** The upper bound. */
        UPPER("upper");

        private final String label;

        Bound(String label) {
            this.label = label;
        }

        /** {@code lower}, {@code upper}, or the empty string for {@link #NONE}. */
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return this == NONE ? "none" : label;
        }
    }

    /** The bound a value in the box [lower, upper] sits on (within {@value #AT_BOUND} of the width). */
    public static Bound atBound(double value, double lower, double upper) {
        double tol = AT_BOUND * (upper - lower);
        return value <= lower + tol ? Bound.LOWER : value >= upper - tol ? Bound.UPPER : Bound.NONE;
    }

    /** The verdict for a relative spread and a bound contact. */
    public static Verdict verdict(double relativeSpread, Bound atBound) {
        if (relativeSpread <= WELL_DETERMINED) {
            return atBound == Bound.NONE ? Verdict.WELL_DETERMINED : Verdict.AT_BOUND;
        }
        return relativeSpread >= SLOPPY ? Verdict.SLOPPY : Verdict.PARTLY_DETERMINED;
    }

    /**
     * This spread judged with the Fisher information {@code f} ({@code null}: unchanged). First the
     * bound: a best value within 0.1 % of the box width of a bound is held by it only when the loss's
     * one-parameter Newton step from there ({@link FisherInformation#newtonStep}) points out of the
     * box, across that bound. Where it stays inside, the optimum is interior (the loss is flat there
     * along the parameter, not pressed against the box): the bound contact is dropped and the verdict
     * is the spread's. Where the step is unknown the contact stays. Then the standard error
     * ({@link #withStandardError}).
     */
    public ParameterSpread withFisher(FisherInformation f) {
        if (f == null) {
            return this;
        }
        ParameterSpread s = this;
        Double step = atBound == Bound.NONE ? null : f.newtonStep(name, best);
        if (step != null && (atBound == Bound.UPPER ? best + step < upper : best + step > lower)) {
            s = new ParameterSpread(name, unit, lower, upper, best, mean, std, min, max, p05, p95, relativeSpread,
                    verdict(relativeSpread, Bound.NONE), Bound.NONE);
        }
        return s.withStandardError(f.standardError(name));
    }

    /**
     * This spread judged with the Fisher standard error {@code se} of the parameter (parameter
     * units; {@code null} when unknown): a well-determined parameter whose standard error exceeds
     * its best value becomes {@link Verdict#UNDETERMINED}.
     */
    public ParameterSpread withStandardError(Double se) {
        if (verdict != Verdict.WELL_DETERMINED || se == null || !(se > Math.abs(best))) {
            return this;
        }
        return new ParameterSpread(name, unit, lower, upper, best, mean, std, min, max, p05, p95, relativeSpread,
                Verdict.UNDETERMINED, atBound);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s = %.5g%s: %s (ensemble %.5g..%.5g, %.1f%% of the box [%.5g, %.5g]%s)", name, best,
                unit.isEmpty() ? "" : " " + unit, verdict, p05, p95, 100 * relativeSpread, lower, upper,
                atBound == Bound.NONE ? "" : ", at the " + atBound.label() + " bound");
    }
}
