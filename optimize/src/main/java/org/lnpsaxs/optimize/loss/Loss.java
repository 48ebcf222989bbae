package org.lnpsaxs.optimize.loss;

/**
 * A loss that compares model curves with one data curve on the same N q points, batched:
 * for each model curve \( M^{(b)} \) a value \( L(M^{(b)}) \) and its exact gradient
 * \( \partial L/\partial M^{(b)}_i \).
 *
 * <p>Arrays are batch-major ({@code model[b*N + i]}). The model intensities are in the model's
 * own unit; both losses here are invariant to the model's overall scale, so that unit does not
 * matter. A curve the loss cannot score (a non-positive intensity under a logarithm) gets the
 * value {@code +Infinity} and a zero gradient — never NaN. Implementations are immutable and
 * thread-safe.
 */
public interface Loss {

    /** The sasmodels name of the model's scale factor. */
    String SCALE = "scale";
    /** The sasmodels name of the model's constant background. */
    String BACKGROUND = "background";

    /** The loss's name as written on the command line and in reports ({@code scale-free}, {@code chi2}). */
    String name();

    /** The number of q points N. */
    int size();

    /**
     * Evaluates a batch.
     *
     * @param model    {@code batch * N} model intensities
     * @param batch    the number of curves
     * @param values   receives {@code batch} loss values
     * @param dLdModel receives {@code batch * N} gradients (overwritten), or {@code null} for values only
     */
    void evaluate(double[] model, int batch, double[] values, double[] dLdModel);

    /** The loss of one curve (calls the batched path). */
    default double value(double[] model) {
        checkLength(model);
        double[] v = new double[1];
        evaluate(model, 1, v, null);
        return v[0];
    }

    /** The gradient of the loss of one curve with respect to its N intensities (calls the batched path). */
    default double[] gradient(double[] model) {
        checkLength(model);
        double[] v = new double[1];
        double[] g = new double[size()];
        evaluate(model, 1, v, g);
        return g;
    }

    /**
     * The model curve put on the data's intensity scale (what a plot of data and fit shows): for
     * the scale-free loss \( M\,Q_w[D]/Q_w[M] \), for χ² \( sM + b \) with the fitted scale and
     * background.
     */
    double[] align(double[] model);

    /**
     * The Gauss–Newton curvature of the loss pulled back through a Jacobian: \( J^T H J \), where
     * \( H \) is the Gauss–Newton Hessian of the loss with respect to the model curve at
     * {@code model} (for χ², with scale and background profiled out) and \( J_{ik} = \partial M_i/\partial\phi_k \).
     *
     * @param model    one model curve (N values)
     * @param jacobian N rows of K derivatives
     * @return the K×K symmetric matrix
     */
    double[][] gaussNewton(double[] model, double[][] jacobian);

    /**
     * Which of the model's {@value #SCALE} and {@value #BACKGROUND} this loss determines itself, so
     * that their values in the model do not matter (they are held fixed there): χ² solves the scale
     * and, when it fits one, the background in closed form; the scale-free loss is invariant to the
     * scale. Empty for a loss that does neither.
     */
    default java.util.List<String> solvedParameters() {
        return java.util.List.of();
    }

    /**
     * Whether the loss is a negative log-likelihood in the statistical sense: its value is
     * \( -2\ln p(\mathrm{data}\mid\theta) \) up to a constant that does not depend on the
     * parameters, so that \( \exp(-L/2) \) may be sampled as a posterior (χ² is; the paper's
     * scale-free loss is not — its ranges have no probabilistic meaning). False unless a loss
     * says otherwise.
     */
    default boolean isLikelihood() {
        return false;
    }

    /**
     * The point weight κ: the number of independent measurements one of the N compared points
     * stands for (1 for measured points, the default; n/N when n measured points were interpolated
     * onto N grid points). N·κ counts the measurements, e.g. for the degrees of freedom of a
     * likelihood's Δχ² ensemble rule.
     */
    default double pointWeight() {
        return 1.0;
    }

    /** Throws unless {@code model} holds exactly N values. */
    default void checkLength(double[] model) {
        if (model.length != size()) {
            throw new IllegalArgumentException("loss " + name() + " compares " + size() + " points, got a curve of "
                    + model.length);
        }
    }
}
