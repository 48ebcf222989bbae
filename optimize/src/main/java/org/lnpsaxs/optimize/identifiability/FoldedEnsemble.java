package org.lnpsaxs.optimize.identifiability;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ensemble's spreads and principal directions once every member is mapped onto the canonical
 * image of the model's exact symmetries. Immutable.
 *
 * <p>When an ensemble holds members in both images of an exact symmetry (for {@code lnp}: the
 * contrast sign, GRF_shift ↦ −GRF_shift with relative_rho_shell moved to match), its raw range for
 * the symmetry's parameters spans both images, and the raw verdict ("partly determined", "sloppy")
 * says more about the symmetry than about the data: the two images give the same curve. Here each
 * member is first replaced by its mirror image where it lies in the other image, so that a
 * parameter's spread is the spread <em>within</em> one image — what the data determine once the
 * undeterminable sign is set aside. The raw analysis ({@link Identifiability#spreads()}) is kept
 * as it is; this is read beside it.
 *
 * <p>Same definitions and units as the raw analysis, values in parameter units, but a relative spread
 * is a fraction of the range the parameter takes in the canonical image of the fit box: the box's
 * width, or less where folding narrows it (the contrast sign's GRF_shift ≥ 0: half a symmetric box;
 * {@code Symmetry.canonicalWidths}). A mirrored value can lie outside the box when the map does not
 * send the box onto itself; it is used as it is.
 *
 * @param symmetries          the symmetries whose images were folded, e.g. {@code contrast sign}
 * @param canonicalImage      the image every member is mapped onto, e.g. {@code GRF_shift >= 0}
 * @param folded              how many members were mapped (the others lay in the canonical image)
 * @param spreads             per free parameter, the spread and verdict of the folded ensemble
 * @param principalDirections the folded box-scaled ensemble's principal directions, sloppiest first
 */
public record FoldedEnsemble(String symmetries, String canonicalImage, int folded, List<ParameterSpread> spreads,
                             List<PrincipalDirection> principalDirections) {

    /** Validates and copies the lists. */
    public FoldedEnsemble {
        Objects.requireNonNull(symmetries, "symmetries");
        Objects.requireNonNull(canonicalImage, "canonicalImage");
        if (folded < 0) {
            throw new IllegalArgumentException("folded members must be >= 0, got " + folded);
        }
        spreads = List.copyOf(spreads);
        principalDirections = List.copyOf(principalDirections);
    }

    /**
     * The folded spread of free parameter {@code name}.
     *
     * @throws IllegalArgumentException if there is no such free parameter
     */
    public ParameterSpread spread(String name) {
        for (ParameterSpread s : spreads) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no free parameter '" + name + "' in the folded ensemble");
    }

    /** A copy whose verdicts take the Fisher information into account ({@link ParameterSpread#withFisher}). */
    FoldedEnsemble withFisher(FisherInformation f) {
        List<ParameterSpread> judged = new ArrayList<>();
        for (ParameterSpread s : spreads) {
            judged.add(s.withFisher(f));
        }
        return new FoldedEnsemble(symmetries, canonicalImage, folded, judged, principalDirections);
    }
}
