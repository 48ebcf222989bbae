package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * Correlations between the free parameters across the ensemble (a constant parameter correlates 0
 * with every other).
 *
 * @param names    the parameters, in the order of the matrix rows and columns
 * @param pearson  Pearson (linear) correlations
 * @param spearman Spearman rank correlations
 */
public record Correlations(List<String> names, double[][] pearson, double[][] spearman) {
}
