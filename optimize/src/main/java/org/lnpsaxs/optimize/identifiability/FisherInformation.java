package org.lnpsaxs.optimize.identifiability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.internal.Lanes;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * Fisher information at the best fit: \( F = \tfrac12 J^T H J \) with \( J = \partial M/\partial\phi \)
 * the model's exact Jacobian (one batched vector-Jacobian product per q point) in the box-scaled
 * parameters \( \phi_j = (\theta_j - l_j)/(h_j - l_j) \), and \( H \) the Gauss–Newton Hessian of
 * the loss with respect to the model curve. For χ² and loglik (losses that are −2 ln L),
 * \( \tfrac12 H \) is exactly the Fisher information of the Gaussian likelihood (scale and, for χ²,
 * background profiled out); for the scale-free
 * loss F is the loss's curvature, which ranks directions the same way but has no probabilistic scale.
 * Large eigenvalues: stiff directions; small: sloppy. {@link #at} computes it. Immutable.
 *
 * @param parameterisation a description of the coordinates (box-scaled)
 * @param names            the free parameters
 * @param eigenvalues      descending
 * @param eigenvectors     one map per eigenvalue: parameter → component (largest component positive)
 * @param standardErrors   for likelihood losses only (χ², loglik): \( \sqrt{(F^{-1})_{jj}} \) in parameter units (null entries where F is singular); else null
 * @param conditionNumber  largest / smallest eigenvalue (Infinity is reported as a very large number)
 * @param point            the free parameters' values it was computed at (parameter units), or null when not known
 * @param newtonSteps      per free parameter, the loss's one-parameter Newton step from {@code point},
 *                         \( -g_j / H_{jj} \) in parameter units (g the loss's gradient, H its Gauss–Newton
 *                         Hessian, the other parameters held): where the loss's own slope and curvature would
 *                         move the parameter if the box did not stop it (null entries where \( H_{jj} \le 0 \));
 *                         null when not known. It tells a bound that holds a best fit (the step points out of
 *                         the box) from an optimum that merely lies near one ({@link ParameterSpread#withFisher}).
 */
public record FisherInformation(String parameterisation, List<String> names, double[] eigenvalues,
                                List<Map<String, Double>> eigenvectors, Map<String, Double> standardErrors,
                                double conditionNumber, Map<String, Double> point, Map<String, Double> newtonSteps) {

    /** The Jacobian's rows per batched model call. */
    private static final int CHUNK = 64;

    /** Copies; the maps keep their order and are read-only (standard errors may hold null values). */
    public FisherInformation {
        names = List.copyOf(names);
        eigenvalues = eigenvalues.clone();
        List<Map<String, Double>> vecs = new ArrayList<>();
        for (Map<String, Double> v : eigenvectors) {
            vecs.add(Collections.unmodifiableMap(new LinkedHashMap<>(v)));
        }
        eigenvectors = List.copyOf(vecs);
        standardErrors = standardErrors == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(standardErrors));
        point = point == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(point));
        newtonSteps = newtonSteps == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(newtonSteps));
    }

    /** Fisher information without the point and the Newton steps (no bound test: {@link ParameterSpread#withFisher}). */
    public FisherInformation(String parameterisation, List<String> names, double[] eigenvalues,
                             List<Map<String, Double>> eigenvectors, Map<String, Double> standardErrors,
                             double conditionNumber) {
        this(parameterisation, names, eigenvalues, eigenvectors, standardErrors, conditionNumber, null, null);
    }

    /** The eigenvalues, descending (a copy). */
    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * The Fisher information of {@code loss} at the parameter set {@code theta} of {@code model}
     * with respect to the free parameters of {@code space}.
     *
     * @param model the model on the loss's grid (its N outputs are the loss's N points)
     * @param loss  the loss
     * @param theta the full parameter vector (P values, model order)
     * @param space the fit space: which parameters are free, and their boxes
     * @param lanes threads for the Jacobian's model calls (the numbers do not depend on it)
     */
    public static FisherInformation at(DifferentiableModel model, Loss loss, double[] theta, FitSpace space, int lanes) {
        int[] free = space.freeIndices();
        int d = free.length;
        List<String> names = space.freeNames();
        double[] lower = new double[d];
        double[] upper = new double[d];
        for (int k = 0; k < d; k++) {
            Parameter par = space.box().get(free[k]);
            lower[k] = par.lower();
            upper[k] = par.upper();
        }
        double[][] jac = boxScaledJacobian(model, theta, free, lower, upper, lanes);
        double[] curve = model.evaluate(theta);
        double[][] h = loss.gaussNewton(curve, jac);
        double[] dLdM = loss.gradient(curve);
        Map<String, Double> point = new LinkedHashMap<>();
        Map<String, Double> steps = new LinkedHashMap<>();
        for (int k = 0; k < d; k++) {
            double g = 0;
            for (int i = 0; i < jac.length; i++) {
                g += dLdM[i] * jac[i][k];
            }
            double hkk = h[k][k];
            point.put(names.get(k), theta[free[k]]);
            steps.put(names.get(k), hkk > 0 ? -g / hkk * (upper[k] - lower[k]) : null);
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                h[a][b] *= 0.5;
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                double s = 0.5 * (h[a][b] + h[b][a]);
                h[a][b] = s;
                h[b][a] = s;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(h);
        List<Map<String, Double>> vecs = new ArrayList<>();
        for (int k = 0; k < d; k++) {
            vecs.add(e.loadings(names, k));
        }
        double maxEig = e.values()[0];
        double minEig = e.values()[d - 1];
        double cond = minEig > 0 ? maxEig / minEig : Double.MAX_VALUE;
        Map<String, Double> se = loss.isLikelihood() ? standardErrors(e, names, lower, upper) : null;
        return new FisherInformation("box-scaled: phi_j = (theta_j - lower_j)/(upper_j - lower_j)", names, e.values(), vecs,
                se, cond, point, steps);
    }

    /**
     * The model's exact Jacobian at {@code theta} in the box-scaled coordinates of the free parameters,
     * \( \partial M_i/\partial\phi_k = (\text{upper}_k - \text{lower}_k)\,\partial M_i/\partial\theta_k \)
     * (the model's intensity unit; N rows, one column per free parameter in {@code space}'s order), as
     * the Fisher information takes it.
     *
     * @param lanes threads for the model calls (the numbers do not depend on it)
     */
    public static double[][] boxScaledJacobian(DifferentiableModel model, double[] theta, FitSpace space, int lanes) {
        int[] free = space.freeIndices();
        double[] lower = new double[free.length];
        double[] upper = new double[free.length];
        for (int k = 0; k < free.length; k++) {
            Parameter par = space.box().get(free[k]);
            lower[k] = par.lower();
            upper[k] = par.upper();
        }
        return boxScaledJacobian(model, theta, free, lower, upper, lanes);
    }

    /**
     * The exact Jacobian \( \partial M_i/\partial\phi_k \): row i is the vector-Jacobian product
     * with the unit vector \( e_i \), scaled by the box width; rows in batched model calls of
     * {@value #CHUNK}, the calls spread over {@code lanes} threads.
     */
    private static double[][] boxScaledJacobian(DifferentiableModel model, double[] theta, int[] free, double[] lower,
                                                double[] upper, int lanes) {
        int n = model.qSize();
        int p = theta.length;
        int d = free.length;
        double[][] jac = new double[n][d];
        int chunks = (n + CHUNK - 1) / CHUNK;
        int use = Math.max(1, Math.min(lanes, chunks));
        Lanes.run(use, lane -> {
            for (int c = lane; c < chunks; c += use) {
                int r0 = c * CHUNK;
                int rows = Math.min(CHUNK, n - r0);
                double[] th = new double[rows * p];
                double[] dI = new double[rows * n];
                double[] dT = new double[rows * p];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(theta, 0, th, r * p, p);
                    dI[r * n + r0 + r] = 1.0;
                }
                model.vectorJacobianProduct(th, rows, dI, dT);
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < d; k++) {
                        jac[r0 + r][k] = dT[r * p + free[k]] * (upper[k] - lower[k]);
                    }
                }
            }
        });
        return jac;
    }

    /** \( \sqrt{(F^{-1})_{jj}} \) in parameter units, null where F is singular along a direction that involves j. */
    private static Map<String, Double> standardErrors(SymmetricEigen e, List<String> names, double[] lower, double[] upper) {
        int d = names.size();
        double maxEig = e.values()[0];
        Map<String, Double> se = new LinkedHashMap<>();
        for (int j = 0; j < d; j++) {
            double var = 0;
            boolean singular = false;
            for (int k = 0; k < d; k++) {
                if (!(e.values()[k] > 1e-12 * maxEig)) {
                    if (Math.abs(e.vectors()[k][j]) > 1e-8) {
                        singular = true;
                    }
                    continue;
                }
                var += e.vectors()[k][j] * e.vectors()[k][j] / e.values()[k];
            }
            se.put(names.get(j), singular ? null : Math.sqrt(var) * (upper[j] - lower[j]));
        }
        return se;
    }

    /** The standard error of free parameter {@code name}, or {@code null} when unknown (scale-free loss, singular F). */
    public Double standardError(String name) {
        return standardErrors == null ? null : standardErrors.get(name);
    }

    /**
     * The loss's one-parameter Newton step of free parameter {@code name} (parameter units) from
     * {@code value}, or {@code null} when unknown: no steps, a zero curvature, or {@code value} is not
     * the value the information was computed at (for example a member's mirror image).
     */
    public Double newtonStep(String name, double value) {
        if (newtonSteps == null || point == null || !Double.valueOf(value).equals(point.get(name))) {
            return null;
        }
        return newtonSteps.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FisherInformation f && names.equals(f.names) && java.util.Arrays.equals(eigenvalues, f.eigenvalues)
                && eigenvectors.equals(f.eigenvectors) && java.util.Objects.equals(standardErrors, f.standardErrors)
                && Double.compare(conditionNumber, f.conditionNumber) == 0 && java.util.Objects.equals(point, f.point)
                && java.util.Objects.equals(newtonSteps, f.newtonSteps);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(names, java.util.Arrays.hashCode(eigenvalues), standardErrors);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FisherInformation[%s, eigenvalues %.4g..%.4g, condition number %.4g%s]", names,
                eigenvalues[0], eigenvalues[eigenvalues.length - 1], conditionNumber,
                standardErrors == null ? "" : ", standard errors " + standardErrors);
    }
}
