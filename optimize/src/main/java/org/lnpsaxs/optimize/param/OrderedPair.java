package org.lnpsaxs.optimize.param;

import java.util.Objects;

/**
 * An ordering constraint \( \theta_{\mathrm{first}} \le \theta_{\mathrm{second}} \) between two
 * parameters of the same unit, built into the reparameterisation (for the LNP model:
 * {@code m_q1 <= m_q2}, which removes the label symmetry of the two spectral components).
 *
 * @param first  the name of the parameter that is never larger
 * @param second the name of the parameter that is never smaller
 */
public record OrderedPair(String first, String second) {

    /** Validates the names. */
    public OrderedPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.equals(second)) {
            throw new IllegalArgumentException("an ordered pair needs two different parameters, got " + first + " twice");
        }
    }

    @Override
    public String toString() {
        return first + " <= " + second;
    }
}
