package org.lnpsaxs.optimize.ensemble;

/**
 * The near-optimal fits selected from a multi-start run.
 *
 * @param members    start indices of the members, best loss first (ties by index)
 * @param threshold  the loss threshold of the rule (members have loss ≤ threshold unless the size was clamped up)
 * @param candidates how many starts met the threshold before clamping
 * @param clamped    {@code "none"}, {@code "up"} (too few met the threshold: the best {@code min} were taken) or
 *                   {@code "down"} (too many: only the best {@code max} were kept)
 * @param rule       a one-line description of the rule
 */
public record Ensemble(int[] members, double threshold, int candidates, String clamped, String rule) {

    /** The number of members. */
    public int size() {
        return members.length;
    }
}
