package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * The identifiability analysis of an ensemble of near-optimal fits.
 *
 * @param spreads             per free parameter: spread across the ensemble relative to its box
 * @param correlations        Pearson and Spearman correlations
 * @param principalDirections principal directions of the box-scaled ensemble, largest variance (sloppiest) first
 * @param modes               the clustering into modes
 * @param fisher              Fisher information at the best fit, or {@code null} if not computed
 * @param profiles            profile likelihoods requested (may be empty)
 */
public record Identifiability(List<ParameterSpread> spreads, Correlations correlations,
                              List<PrincipalDirection> principalDirections, Modes modes, FisherInformation fisher,
                              List<Profile> profiles) {

    /** A copy with the Fisher information. */
    public Identifiability withFisher(FisherInformation f) {
        return new Identifiability(spreads, correlations, principalDirections, modes, f, profiles);
    }

    /** A copy with profiles. */
    public Identifiability withProfiles(List<Profile> p) {
        return new Identifiability(spreads, correlations, principalDirections, modes, fisher, List.copyOf(p));
    }
}
