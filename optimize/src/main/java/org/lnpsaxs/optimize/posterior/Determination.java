package org.lnpsaxs.optimize.posterior;

import org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound;

/**
 * How well the data determine one free parameter, read from its posterior: the width of the
 * central 90 % interval as a share of the parameter's fit box (dimensionless), and a verdict. The
 * prior is uniform on the box, so before the data the 90 % interval spans 0.9 of it; the share says
 * how far the data narrowed it. Unlike the ensemble's verdicts ({@code ParameterSpread}), which
 * measure how far near-optimal fits spread and carry no probability, this one is read off an
 * uncertainty — as far as the posterior is calibrated (docs/calibration.md).
 *
 * <ul>
 *   <li>{@link Verdict#WELL_DETERMINED}: share at most {@link #WELL} (a twentieth of the box);</li>
 *   <li>{@link Verdict#PARTLY_DETERMINED}: up to {@link #POORLY};</li>
 *   <li>{@link Verdict#POORLY_DETERMINED}: up to {@link #NOT};</li>
 *   <li>{@link Verdict#NOT_DETERMINED}: above {@link #NOT}, the data narrowed the prior's 0.9 by less
 *       than a sixth.</li>
 * </ul>
 * A posterior piled against one edge of the box can have a small share although the box, not the
 * data, holds that side of it (a sphere whose radius box ends below the particle's radius: the
 * posterior presses against the upper bound). So {@code atBound} names the edge when the 90 %
 * interval reaches within {@link #EDGE} of its own width of exactly one bound, and such a
 * parameter is never called well or partly determined: its verdict is {@link Verdict#AT_BOUND}
 * (a wider one keeps its verdict, with the edge named). Widen the box (or check why the data push
 * there) before reading its interval as an uncertainty.
 *
 * @param name     the parameter
 * @param width90  p95 − p05, in the parameter's unit
 * @param boxShare width90 / (upper − lower) of its fit box (of its canonical image's range for a parameter
 *                 folded onto one: {@link #of(Marginal, double, double, double)})
 * @param verdict  the verdict from {@code boxShare} and {@code atBound}
 * @param atBound  the bound the 90 % interval is pressed against, or {@link Bound#NONE}
 */
public record Determination(String name, double width90, double boxShare, Verdict verdict, Bound atBound) {

    /**
     * How close (a share of the 90 % interval's own width) an end of the interval must come to a
     * bound of the box for the posterior to count as pressed against it. For a Gaussian posterior
     * whose p95 is this close to the upper bound, the mean lies 1.81 standard deviations inside it.
     */
    public static final double EDGE = 0.05;

    /** A determination away from the box's bounds. */
    public Determination(String name, double width90, double boxShare, Verdict verdict) {
        this(name, width90, boxShare, verdict, Bound.NONE);
    }

    /** The largest box share of the 90 % interval called well determined. */
    public static final double WELL = 0.05;
    /** The largest box share called partly determined. */
    public static final double POORLY = 0.25;
    /** The largest box share called poorly (not un-) determined. */
    public static final double NOT = 0.75;

    /** The verdicts, from best to worst. */
    public enum Verdict {
        /** 90 % interval within a twentieth of the box. */
        WELL_DETERMINED("well determined"),
        /** Within a quarter. */
        PARTLY_DETERMINED("partly determined"),
        /** Within three quarters. */
        POORLY_DETERMINED("poorly determined"),
        /** Wider: close to the prior. */
        NOT_DETERMINED("not determined"),
        /** Within a quarter, but pressed against a bound of the box, which holds that side. */
        AT_BOUND("held by a bound of the box");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The verdict in words. */
        public String label() {
            return label;
        }
    }

    /**
     * The determination of {@code m} in the box [lower, upper] (the marginal's unit).
     *
     * @throws IllegalArgumentException if the box is empty or not finite
     */
    public static Determination of(Marginal m, double lower, double upper) {
        return of(m, lower, upper, upper - lower);
    }

    /**
     * The determination of {@code m} in the box [lower, upper], its share taken of {@code priorWidth}:
     * the width of the range the parameter's draws can take before the data. That is the box's, except
     * for a parameter folded onto the canonical image of an exact symmetry, whose draws only take that
     * image's range (the contrast sign's GRF_shift ≥ 0: half a symmetric box). The bounds the interval
     * can press against stay the box's.
     *
     * @throws IllegalArgumentException if the box is empty or not finite, or the width is not in (0, upper − lower]
     */
    public static Determination of(Marginal m, double lower, double upper, double priorWidth) {
        if (!(upper > lower) || !Double.isFinite(upper - lower)) {
            throw new IllegalArgumentException("determination of " + m.name() + ": the box [" + lower + ", " + upper
                    + "] must be finite and not empty");
        }
        if (!(priorWidth > 0 && priorWidth <= upper - lower)) {
            throw new IllegalArgumentException("determination of " + m.name() + ": the prior's width " + priorWidth
                    + " must be in (0, " + (upper - lower) + "]");
        }
        double w = m.p95() - m.p05();
        double share = w / priorWidth;
        boolean lowerEdge = m.p05() - lower <= EDGE * w;
        boolean upperEdge = upper - m.p95() <= EDGE * w;
        Bound bound = lowerEdge == upperEdge ? Bound.NONE : lowerEdge ? Bound.LOWER : Bound.UPPER;
        Verdict v = share <= POORLY && bound != Bound.NONE ? Verdict.AT_BOUND
                : share <= WELL ? Verdict.WELL_DETERMINED
                : share <= POORLY ? Verdict.PARTLY_DETERMINED
                : share <= NOT ? Verdict.POORLY_DETERMINED : Verdict.NOT_DETERMINED;
        return new Determination(m.name(), w, share, v, bound);
    }
}
