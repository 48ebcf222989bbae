package org.lnpsaxs.optimize.multistart;

/**
 * The outcome of a batched minimisation: per start, the best point found, its value, the steps
 * taken and whether a convergence test was met.
 *
 * @param dimension   D, the number of coordinates per start
 * @param u           {@code starts * D} best points (unconstrained coordinates)
 * @param values      {@code starts} objective values at those points ({@code +Infinity} if none could be scored)
 * @param steps       per start, the steps/iterations taken before it stopped
 * @param converged   per start, whether it met a convergence test (always false for a fixed-step AdamW run)
 * @param evaluations the total number of per-start value evaluations (forward passes)
 * @param gradients   the total number of per-start gradient evaluations (reverse passes)
 */
public record OptimizationResult(int dimension, double[] u, double[] values, int[] steps, boolean[] converged,
                                 long evaluations, long gradients) {

    /** The number of starts. */
    public int starts() {
        return values.length;
    }

    /** The coordinates of start {@code i} (a copy). */
    public double[] point(int i) {
        return java.util.Arrays.copyOfRange(u, i * dimension, (i + 1) * dimension);
    }
}
