package org.lnpsaxs.optimize.identifiability;

import java.util.ArrayList;
import java.util.List;

/**
 * The identifiability analysis of an ensemble of near-optimal fits. Immutable.
 *
 * @param spreads             per free parameter: spread across the ensemble relative to its box, and the verdict
 * @param correlations        Pearson and Spearman correlations
 * @param principalDirections principal directions of the box-scaled ensemble, largest variance (sloppiest) first
 * @param modes               the clustering into modes
 * @param fisher              Fisher information at the best fit, or {@code null} if not computed
 * @param profiles            profile likelihoods requested (may be empty)
 * @param canonicalImage      the spreads with every member mapped onto the canonical image of the
 *                            model's exact symmetries, when the ensemble holds members in more than
 *                            one image; {@code null} otherwise (then the spreads above are already
 *                            those of one image)
 */
public record Identifiability(List<ParameterSpread> spreads, Correlations correlations,
                              List<PrincipalDirection> principalDirections, Modes modes, FisherInformation fisher,
                              List<Profile> profiles, FoldedEnsemble canonicalImage) {

    /** Copies the lists. */
    public Identifiability {
        spreads = List.copyOf(spreads);
        principalDirections = List.copyOf(principalDirections);
        profiles = List.copyOf(profiles);
    }

    /** An analysis of an ensemble that lies in one image (no {@link #canonicalImage()}). */
    public Identifiability(List<ParameterSpread> spreads, Correlations correlations,
                           List<PrincipalDirection> principalDirections, Modes modes, FisherInformation fisher,
                           List<Profile> profiles) {
        this(spreads, correlations, principalDirections, modes, fisher, profiles, null);
    }

    /**
     * A copy with the Fisher information; the verdicts take its bound test and standard errors into
     * account ({@link ParameterSpread#withFisher}).
     */
    public Identifiability withFisher(FisherInformation f) {
        List<ParameterSpread> judged = new ArrayList<>();
        for (ParameterSpread s : spreads) {
            judged.add(s.withFisher(f));
        }
        return new Identifiability(judged, correlations, principalDirections, modes, f, profiles,
                canonicalImage == null ? null : canonicalImage.withFisher(f));
    }

    /** A copy with profiles. */
    public Identifiability withProfiles(List<Profile> p) {
        return new Identifiability(spreads, correlations, principalDirections, modes, fisher, p, canonicalImage);
    }

    /**
     * A copy with the spreads of the ensemble folded onto the canonical image
     * ({@link IdentifiabilityAnalysis#folded}); its verdicts take this analysis's Fisher standard
     * errors into account when there are any.
     *
     * @param folded the folded spreads, or {@code null} for none
     */
    public Identifiability withCanonicalImage(FoldedEnsemble folded) {
        return new Identifiability(spreads, correlations, principalDirections, modes, fisher, profiles,
                folded == null || fisher == null ? folded : folded.withFisher(fisher));
    }

    /**
     * The verdict on parameter {@code name} within one image of the model's exact symmetries: the
     * folded ensemble's when there is one ({@link #canonicalImage()}), else the raw one.
     */
    public ParameterSpread.Verdict verdictWithinAnImage(String name) {
        return canonicalImage != null ? canonicalImage.spread(name).verdict() : spread(name).verdict();
    }

    /** The spread of free parameter {@code name}. */
    public ParameterSpread spread(String name) {
        for (ParameterSpread s : spreads) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no free parameter '" + name + "' in the analysis");
    }

    /** The names of the parameters with verdict {@code verdict}, in order. */
    public List<String> parametersWith(ParameterSpread.Verdict verdict) {
        List<String> out = new ArrayList<>();
        for (ParameterSpread s : spreads) {
            if (s.verdict() == verdict) {
                out.add(s.name());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Identifiability[");
        for (ParameterSpread.Verdict v : ParameterSpread.Verdict.values()) {
            List<String> names = parametersWith(v);
            if (!names.isEmpty()) {
                sb.append(sb.length() > 16 ? "; " : "").append(v).append(": ").append(String.join(", ", names));
            }
        }
        if (canonicalImage != null) {
            // the parameters whose verdict changes once the symmetry's images are folded onto one
            List<String> changed = new ArrayList<>();
            for (ParameterSpread s : spreads) {
                ParameterSpread.Verdict within = canonicalImage.spread(s.name()).verdict();
                if (within != s.verdict()) {
                    changed.add(s.name() + " " + within);
                }
            }
            if (!changed.isEmpty()) {
                sb.append("; within the image ").append(canonicalImage.canonicalImage()).append(": ")
                        .append(String.join(", ", changed));
            }
        }
        sb.append("; ").append(modes.count()).append(modes.count() == 1 ? " mode" : " modes");
        if (fisher != null) {
            sb.append("; Fisher condition number ").append(String.format(java.util.Locale.ROOT, "%.3g", fisher.conditionNumber()));
        }
        if (!profiles.isEmpty()) {
            sb.append("; ").append(profiles.size()).append(" profile(s)");
        }
        return sb.append(']').toString();
    }
}
