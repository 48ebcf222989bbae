package org.lnpsaxs.polydispersity.quadrature;

/**
 * Thrown when a size distribution's average, resolved up to its q<sub>max</sub>, would need more
 * quadrature nodes than the rule allows ({@link AdaptiveGaussLegendre#MAX_NODES}): a distribution
 * that reaches large sizes, over a q range that reaches far, has more form-factor oscillations to
 * resolve than the rule will spend memory and time on. Either a narrower q range or a size
 * distribution truncated at smaller sizes avoids it; the fields say where the limit was met.
 */
public final class TooManyNodesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final double qMax;
    private final double lower;
    private final double upper;
    private final int needed;
    private final int limit;

    /**
     * @param message what was asked and the limit, in words
     * @param qMax    the q (1/Å) up to which the oscillations were to be resolved
     * @param lower   the lower end (Å, the distributed parameter's unit) of the range the nodes had to cover
     * @param upper   its upper end
     * @param needed  the nodes that would have been needed
     * @param limit   the most the rule allows
     */
    public TooManyNodesException(String message, double qMax, double lower, double upper, int needed, int limit) {
        super(message);
        this.qMax = qMax;
        this.lower = lower;
        this.upper = upper;
        this.needed = needed;
        this.limit = limit;
    }

    /**
     * The {@code TooManyNodesException} that {@code t} is or was caused by (layers wrap it with their
     * own context), if any.
     */
    public static java.util.Optional<TooManyNodesException> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TooManyNodesException x) {
                return java.util.Optional.of(x);
            }
        }
        return java.util.Optional.empty();
    }

    /** The q (1/Å) up to which the oscillations were to be resolved. */
    public double qMax() {
        return qMax;
    }

    /** The lower end of the range the nodes had to cover (the distributed parameter's unit, Å for a radius). */
    public double lower() {
        return lower;
    }

    /** The upper end of that range. */
    public double upper() {
        return upper;
    }

    /** The nodes that would have been needed. */
    public int needed() {
        return needed;
    }

    /** The most nodes the rule allows. */
    public int limit() {
        return limit;
    }
}
