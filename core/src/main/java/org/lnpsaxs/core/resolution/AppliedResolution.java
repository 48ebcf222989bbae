package org.lnpsaxs.core.resolution;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ResolutionSpec} became for one measured curve: the geometry that was applied
 * ({@code none}, {@code pinhole} or {@code slit}), the algorithm (sasmodels' or the converged
 * quadrature), where the widths came from and what they are, and the operator (absent for
 * {@code none}). This is what a fit report states. Widths in Å⁻¹. Immutable.
 *
 * @param requested the specification as written (e.g. {@code data})
 * @param geometry  {@code none}, {@code pinhole} or {@code slit}
 * @param converged whether the operator is the converged quadrature (false for sasmodels' algorithm and for none)
 * @param widths    the widths in words, e.g. "dq from the data, 0.0012 to 0.0045 1/Å" (empty for none)
 * @param operator  the operator, or {@code null} for none
 */
public record AppliedResolution(ResolutionSpec requested, String geometry, boolean converged, String widths,
                                ResolutionOperator operator) {

    /** The geometry of no smearing. */
    public static final String NONE = "none";
    /** The geometry of pinhole smearing. */
    public static final String PINHOLE = "pinhole";
    /** The geometry of slit smearing. */
    public static final String SLIT = "slit";

    /** Validates the components. */
    public AppliedResolution {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(widths, "widths");
        if (NONE.equals(geometry) != (operator == null)) {
            throw new IllegalArgumentException("geometry " + geometry + " and operator " + operator + " disagree");
        }
    }

    /** No smearing, as requested by {@code requested}. */
    public static AppliedResolution none(ResolutionSpec requested) {
        return new AppliedResolution(requested, NONE, false, "", null);
    }

    /** Whether nothing is smeared. */
    public boolean isNone() {
        return operator == null;
    }

    /** The operator, empty for none. */
    public Optional<ResolutionOperator> operatorIfAny() {
        return Optional.ofNullable(operator);
    }

    /** {@code sasmodels}, {@code converged}, or {@code none}. */
    public String algorithm() {
        return isNone() ? NONE : converged ? "converged" : "sasmodels";
    }

    /** The number of points the unsmeared model is evaluated at (0 for none). */
    public int calculationPoints() {
        return isNone() ? 0 : operator.calcSize();
    }

    /** One line for a person, e.g. "pinhole (sasmodels' algorithm; dq from the data ...; 312 calculation points)". */
    @Override
    public String toString() {
        if (isNone()) {
            return "none (requested: " + requested + ")";
        }
        return String.format(Locale.ROOT, "%s (%s; %s; %d calculation points; requested: %s)", geometry,
                converged ? "converged quadrature" : "sasmodels' algorithm", widths, calculationPoints(), requested);
    }
}
