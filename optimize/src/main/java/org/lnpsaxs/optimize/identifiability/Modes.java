package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * The ensemble clustered into modes: Gaussian mixtures with full covariances on the box-scaled
 * ensemble for K = 1..K_max components, K chosen by the lowest BIC, then components without a
 * density valley between them merged (see {@link IdentifiabilityAnalysis}). Immutable.
 *
 * @param count      the chosen number of modes
 * @param criterion  how it was chosen (text)
 * @param bic        BIC for K = 1, 2, ... K_max
 * @param silhouette mean silhouette of the chosen clustering (box-scaled Euclidean distance; 0 when K = 1)
 * @param labels     for every ensemble member (in ensemble order) its mode index (1-based)
 * @param modes      the modes, best first
 * @param symmetry   the exact symmetry whose images split the members before clustering (members of
 *                   different images never share a mode), or {@code null} when none did
 * @param assumed    whether some group of members (the ensemble, or one image) was too small to fit two
 *                   mixture components, so that one mode there is assumed rather than found
 * @param atLimit    whether the BIC chose, in some group, the most components its members allow
 *                   (K_max below {@link IdentifiabilityAnalysis#MAX_MODES}): there may be more modes than
 *                   the members can show, and more starts would let the analysis separate them
 */
public record Modes(int count, String criterion, double[] bic, double silhouette, int[] labels, List<Mode> modes,
                    String symmetry, boolean assumed, boolean atLimit) {

    /** Copies. */
    public Modes {
        bic = bic.clone();
        labels = labels.clone();
        modes = List.copyOf(modes);
    }

    /**
     * Modes found without a symmetry split; one mode is assumed (not found) when only K = 1 could be
     * fitted ({@code bic.length == 1}).
     */
    public Modes(int count, String criterion, double[] bic, double silhouette, int[] labels, List<Mode> modes) {
        this(count, criterion, bic, silhouette, labels, modes, null, bic.length == 1,
                bic.length > 1 && bic.length < IdentifiabilityAnalysis.MAX_MODES && lowestAtTheEnd(bic));
    }

    private static boolean lowestAtTheEnd(double[] bic) {
        for (int k = 0; k < bic.length - 1; k++) {
            if (bic[k] <= bic[bic.length - 1]) {
                return false;
            }
        }
        return true;
    }

    /** BIC for K = 1, 2, ... (a copy). */
    @Override
    public double[] bic() {
        return bic.clone();
    }

    /** Each member's mode index, 1-based (a copy). */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** The mode index (1-based) of ensemble member {@code k}. */
    public int label(int k) {
        return labels[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Modes m && count == m.count && criterion.equals(m.criterion) && java.util.Arrays.equals(bic, m.bic)
                && Double.compare(silhouette, m.silhouette) == 0 && java.util.Arrays.equals(labels, m.labels)
                && modes.equals(m.modes) && java.util.Objects.equals(symmetry, m.symmetry) && assumed == m.assumed
                && atLimit == m.atLimit;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(count, java.util.Arrays.hashCode(labels), modes);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Modes[%d of %d members, silhouette %.3f: %s]", count, labels.length,
                silhouette, modes);
    }
}
