package org.lnpsaxs.polydispersity.quadrature;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The named choices of quadrature rule for a size distribution in a fit, so that a program or a
 * command line can pick one by name ({@link #parse}):
 * <ul>
 * <li>{@link #PAPER} ({@code paper}) — the paper's 32 Gauss–Legendre nodes in CDF space
 * ({@link GaussLegendreCdf#paper()}): cheap and what the paper's results used, but it stops at
 * z ≈ 3, so it misses the \( R^6 \)-weighted tail at low q (low by 38 % at CV 0.6) and cannot
 * resolve the oscillations at high q.</li>
 * <li>{@link #ACCURATE} ({@code accurate}) — {@link AdaptiveGaussLegendre}: within 10⁻³ (measured
 * below 10⁻⁴) of the converged integral over the analytic fit models' whole box, its node count
 * adapted to the distribution's width and the model's largest q.</li>
 * </ul>
 * docs/polydispersity.md tabulates both rules' errors and node counts. Use with
 * {@link org.lnpsaxs.polydispersity.Dispersion#withQuadrature}.
 *
 * <p>The fit models take the choice by name ({@code lnpsaxs fit --quadrature paper|accurate}) and
 * default to {@code accurate}. A fit model with a fixed, narrow size range may stand for
 * {@code accurate} with a cheaper rule that it has measured to meet the same 10⁻³ bar over its
 * whole fit box: the {@code lnp} model uses 52 density-weighted Gauss–Legendre nodes
 * ({@link GaussLegendreDensity}) on its truncation [101, 499] Å.
 */
public enum Quadrature {

    /** The paper's 32 Gauss–Legendre nodes in CDF space. */
    PAPER("paper"),
    /** The adaptive, tail-aware composite Gauss–Legendre rule. */
    ACCURATE("accurate");

    private final String label;

    Quadrature(String label) {
        this.label = label;
    }

    /** The name used by {@link #parse} ({@code paper}, {@code accurate}). */
    public String label() {
        return label;
    }

    /** The rule (not yet adapted to a model; the layers adapt it). */
    public QuadratureRule rule() {
        return this == PAPER ? GaussLegendreCdf.paper() : AdaptiveGaussLegendre.of();
    }

    /**
     * The choice called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and listing the allowed names
     */
    public static Quadrature parse(String name) {
        String n = Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT);
        for (Quadrature q : values()) {
            if (q.label.equals(n)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quadrature '" + name + "'; allowed: "
                + Arrays.stream(values()).map(Quadrature::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
