package org.lnpsaxs.optimize.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Which quadrature rule a fit model averaged its size distribution with, as reported for a fit:
 * the named choice ({@code paper} or {@code accurate}, {@link org.lnpsaxs.polydispersity.quadrature.Quadrature}),
 * the rule it stands for in that model and the number of nodes — monodisperse evaluations per
 * curve — at the parameters reported (the accurate rule of the analytic models adapts its count
 * to the distribution's width and the largest q). Immutable.
 *
 * @param choice the named choice, e.g. {@code accurate}
 * @param rule   the rule, e.g. {@code gauss-legendre-density(56)}
 * @param nodes  the nodes per curve at the reported parameters
 */
public record QuadratureSummary(String choice, String rule, int nodes) {

    /** Checks the fields. */
    public QuadratureSummary {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(rule, "rule");
        if (nodes < 1) {
            throw new IllegalArgumentException("a quadrature has at least one node, got " + nodes);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s, %d nodes", choice, rule, nodes);
    }
}
