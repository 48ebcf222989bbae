package org.lnpsaxs.optimize.ensemble;

import java.util.Locale;

/**
 * The near-optimal fits selected from a multi-start run. Immutable.
 *
 * @param members    start indices of the members, best loss first (ties by index)
 * @param threshold  the loss threshold of the rule (members have loss ≤ threshold unless the size was clamped up)
 * @param candidates how many starts met the threshold before clamping
 * @param clamped    whether the size had to be clamped to the rule's limits
 * @param rule       a one-line description of the rule
 */
public record Ensemble(int[] members, double threshold, int candidates, Clamp clamped, String rule) {

    /** How the ensemble's size was clamped. */
    public enum Clamp {
        /** Not at all: the members are exactly the starts that met the threshold. */
        NONE("none"),
        /** Too few met the threshold: the best {@code min} were taken. */
        UP("up"),
        /** Too many met it: only the best {@code max} were kept. */
        DOWN("down");

        private final String label;

        Clamp(String label) {
            this.label = label;
        }

        /** The word used in reports. */
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Copies the members. */
    public Ensemble {
        members = members.clone();
    }

    /** The start indices of the members, best first (a copy). */
    @Override
    public int[] members() {
        return members.clone();
    }

    /** The start index of member {@code k} (0 = the best fit). */
    public int member(int k) {
        return members[k];
    }

    /** The number of members. */
    public int size() {
        return members.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ensemble e && java.util.Arrays.equals(members, e.members)
                && Double.compare(threshold, e.threshold) == 0 && candidates == e.candidates && clamped == e.clamped
                && rule.equals(e.rule);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(members), threshold, candidates, clamped, rule);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Ensemble[%d members (best: start %d); %s]", members.length,
                members.length > 0 ? members[0] : -1, rule);
    }
}
