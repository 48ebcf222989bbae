package org.lnpsaxs.optimize.ensemble;

import java.util.Locale;

/** The ensemble rules a fit can be asked for by name: {@code paper} and {@code delta-chi2}. */
public enum EnsembleRuleType {

    /** {@link EnsembleRule.Paper}: loss ≤ 1.2 × the mean of the best 10 %, 5–30 % of the starts. */
    PAPER("paper"),
    /** {@link EnsembleRule.DeltaChi2}: χ² ≤ χ²_min + Δ (needs a likelihood loss: χ² or loglik). */
    DELTA_CHI2("delta-chi2");

    private final String label;

    EnsembleRuleType(String label) {
        this.label = label;
    }

    /** The name as written in reports ({@code paper}, {@code delta-chi2}). */
    public String label() {
        return label;
    }

    /**
     * The rule called {@code name} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the unknown rule and the known ones
     */
    public static EnsembleRuleType parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (EnsembleRuleType t : values()) {
            if (t.label.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown ensemble rule '" + name + "'; known: paper, delta-chi2");
    }

    @Override
    public String toString() {
        return label;
    }
}
