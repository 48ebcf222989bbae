package org.lnpsaxs.optimize.multistart;

/**
 * A batched objective in unconstrained coordinates, as the batched optimisers see it: many
 * independent minimisation problems ("starts") of the same dimension, evaluated together.
 *
 * <p>Arrays are batch-major ({@code u[b*D + k]}); {@code ids[b]} names the start that row
 * {@code b} belongs to (a start keeps its id when converged starts leave the batch), so that an
 * objective may hold per-start data. Evaluation is split in two so that a line search can try
 * points with forward passes only: {@link #value} computes values and remembers, per start id,
 * what the gradient needs; {@link #gradient} must be called with points that the last
 * {@code value} call for those ids saw. Each start's result depends only on its own point, never
 * on which other starts share the batch. An id may appear on several rows of one {@code value}
 * call (the L-BFGS noise probe evaluates a start at several points at once); {@code gradient} is
 * then not asked for that id before another {@code value} call has seen it on one row. Not
 * thread-safe: one optimiser run uses it at a time.
 */
public interface BatchObjective {

    /** The number of coordinates D of each start. */
    int dimension();

    /**
     * Values at {@code batch} points.
     *
     * @param ids    start ids, one per row
     * @param u      {@code batch * D} coordinates
     * @param batch  number of rows
     * @param values receives {@code batch} values ({@code +Infinity} where the point cannot be scored)
     */
    void value(int[] ids, double[] u, int batch, double[] values);

    /**
     * Gradients at points previously passed to {@link #value} for the same ids.
     *
     * @param ids      start ids, one per row
     * @param u        {@code batch * D} coordinates (the same points as in the last {@code value} call for these ids)
     * @param batch    number of rows
     * @param gradient receives {@code batch * D} values
     */
    void gradient(int[] ids, double[] u, int batch, double[] gradient);

    /**
     * Values and gradients at the same points in one call ({@link #value} then {@link #gradient}
     * by default; an objective may share the forward work between the two).
     */
    default void valueAndGradient(int[] ids, double[] u, int batch, double[] values, double[] gradient) {
        value(ids, u, batch, values);
        gradient(ids, u, batch, gradient);
    }

    /**
     * Whether {@link #valueAndGradient} costs less than {@link #value} and {@link #gradient} called
     * apart (it shares the forward pass), so that an optimiser may ask for a gradient with a value it
     * may not need: false by default.
     */
    default boolean sharesForwardPass() {
        return false;
    }

    /**
     * Whether every coordinate maps its whole real line onto a bounded interval through a
     * logistic, so that a parameter at an end of its interval lies at \( u = \pm\infty \) and the
     * objective is flat there to within \( e^{-|u|} \) (the fitter's reparameterised box). An
     * optimiser may then move a coordinate that presses outward beyond a large |u| straight to
     * its end instead of crawling along the logistic's tail (see {@link Lbfgs}). False by default.
     */
    default boolean coordinatesSaturate() {
        return false;
    }
}
