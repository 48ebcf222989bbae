package org.lnpsaxs.optimize.identifiability;

import java.util.List;
import java.util.Map;

/**
 * Fisher information at the best fit: \( F = \tfrac12 J^T H J \) with \( J = \partial M/\partial\phi \)
 * the model's exact Jacobian (one batched vector-Jacobian product per q point) in the box-scaled
 * parameters \( \phi_j = (\theta_j - l_j)/(h_j - l_j) \), and \( H \) the Gauss–Newton Hessian of
 * the loss with respect to the model curve. For χ², \( \tfrac12 H \) is exactly the Fisher
 * information of the Gaussian likelihood (scale and background profiled out); for the scale-free
 * loss F is the loss's curvature, which ranks directions the same way but has no probabilistic scale.
 * Large eigenvalues: stiff directions; small: sloppy.
 *
 * @param parameterisation a description of the coordinates (box-scaled)
 * @param names            the free parameters
 * @param eigenvalues      descending
 * @param eigenvectors     one map per eigenvalue: parameter → component (largest component positive)
 * @param standardErrors   for χ² only: \( \sqrt{(F^{-1})_{jj}} \) in parameter units (null entries where F is singular); else null
 * @param conditionNumber  largest / smallest eigenvalue (Infinity is reported as a very large number)
 */
public record FisherInformation(String parameterisation, List<String> names, double[] eigenvalues,
                                List<Map<String, Double>> eigenvectors, Map<String, Double> standardErrors,
                                double conditionNumber) {
}
