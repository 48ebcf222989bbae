package org.lnpsaxs.optimize.identifiability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A principal direction of the box-scaled ensemble (an eigenvector of its covariance): a direction
 * along which equally good fits spread widely is a sloppy combination of parameters; one along
 * which they hardly move is stiff (pinned by the data).
 *
 * @param variance  the eigenvalue (box units²)
 * @param spread    its square root: the ensemble's standard deviation along the direction, as a fraction of the box
 * @param explained the share of the total ensemble variance along it
 * @param kind      stiff, intermediate or sloppy ({@link Kind#of})
 * @param loadings  the unit eigenvector: parameter name → component (sign chosen so the largest component is positive)
 */
public record PrincipalDirection(double variance, double spread, double explained, Kind kind, Map<String, Double> loadings) {

    /** Spread at or below which a direction is stiff. */
    public static final double STIFF = 0.02;
    /** Spread at or above which a direction is sloppy. */
    public static final double SLOPPY = 0.10;

    /** How far the ensemble spreads along a direction. */
    public enum Kind {
        /** Spread ≤ 0.02 of the box. */
        STIFF("stiff"),
        /** Spread between 0.02 and 0.10 of the box. */
        INTERMEDIATE("intermediate"),
        /** Spread ≥ 0.10 of the box. */
        SLOPPY("sloppy");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The word used in reports. */
        public String label() {
            return label;
        }

        /** The kind for a spread (fraction of the box). */
        public static Kind of(double spread) {
            return spread <= PrincipalDirection.STIFF ? STIFF : spread >= PrincipalDirection.SLOPPY ? SLOPPY : INTERMEDIATE;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Keeps the loadings' order, read-only. */
    public PrincipalDirection {
        loadings = Collections.unmodifiableMap(new LinkedHashMap<>(loadings));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PrincipalDirection[%s, spread %.3g of the box, %.1f%% of the variance, %s]", kind,
                spread, 100 * explained, loadings);
    }
}
