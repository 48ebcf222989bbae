package org.lnpsaxs.optimize.identifiability;

import java.util.Map;

/**
 * A principal direction of the ensemble in box-scaled coordinates
 * \( x_j = (\theta_j - l_j)/(h_j - l_j) \): an eigenvector of the ensemble covariance. A direction
 * along which the equally good fits spread widely is a sloppy combination of parameters; one
 * along which they hardly move is stiff (pinned by the data).
 *
 * <p>kind: spread ≤ 0.02 of the box "stiff", ≥ 0.10 "sloppy", otherwise "intermediate".
 *
 * @param variance  the eigenvalue (box units²)
 * @param spread    its square root: the ensemble's standard deviation along the direction, as a fraction of the box
 * @param explained the share of the total ensemble variance along it
 * @param kind      "stiff", "intermediate" or "sloppy"
 * @param loadings  the unit eigenvector: parameter name → component (sign chosen so the largest component is positive)
 */
public record PrincipalDirection(double variance, double spread, double explained, String kind, Map<String, Double> loadings) {

    /** Spread at or below which a direction is stiff. */
    public static final double STIFF = 0.02;
    /** Spread at or above which a direction is sloppy. */
    public static final double SLOPPY = 0.10;

    /** The kind for a spread. */
    public static String kind(double spread) {
        return spread <= STIFF ? "stiff" : spread >= SLOPPY ? "sloppy" : "intermediate";
    }
}
