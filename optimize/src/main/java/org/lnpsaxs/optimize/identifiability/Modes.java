package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * The ensemble clustered into modes: Gaussian mixtures with full covariances on the box-scaled
 * ensemble for K = 1..K_max components, K chosen by the lowest BIC, then components without a
 * density valley between them merged (see {@link IdentifiabilityAnalysis}).
 *
 * @param count      the chosen number of modes
 * @param criterion  how it was chosen (text)
 * @param bic        BIC for K = 1, 2, ... K_max
 * @param silhouette mean silhouette of the chosen clustering (box-scaled Euclidean distance; 0 when K = 1)
 * @param labels     for every ensemble member (in ensemble order) its mode index (1-based)
 * @param modes      the modes, best first
 */
public record Modes(int count, String criterion, double[] bic, double silhouette, int[] labels, List<Mode> modes) {
}
