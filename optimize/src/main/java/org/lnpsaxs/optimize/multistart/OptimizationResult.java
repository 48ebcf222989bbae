package org.lnpsaxs.optimize.multistart;

import java.util.Arrays;
import java.util.Locale;

/**
 * The outcome of a batched minimisation: per start, the best point found, its value, the steps
 * taken, whether a convergence test was met and whether it was retired by racing (its loss too far
 * above the best starts' to reach them); and the work done, counted in per-start evaluations.
 * Immutable: arrays are copied in and out.
 *
 * @param dimension   D, the number of coordinates per start
 * @param u           {@code starts * D} best points (unconstrained coordinates)
 * @param values      {@code starts} objective values at those points ({@code +Infinity} if none could be scored)
 * @param steps       per start, the steps/iterations taken before it stopped
 * @param converged   per start, whether it met a convergence test (always false for a fixed-step AdamW run)
 * @param retired     per start, whether racing stopped it early (never both converged and retired)
 * @param evaluations the total number of per-start value evaluations (forward passes; noise probes included)
 * @param gradients   the total number of per-start gradient evaluations (reverse passes)
 */
public record OptimizationResult(int dimension, double[] u, double[] values, int[] steps, boolean[] converged,
                                 boolean[] retired, long evaluations, long gradients) {

    /** Checks the shapes and copies. */
    public OptimizationResult {
        int n = values.length;
        if (u.length != (long) n * dimension || steps.length != n || converged.length != n || retired.length != n) {
            throw new IllegalArgumentException("optimization result: " + n + " values but " + u.length + " coordinates, "
                    + steps.length + " step counts, " + converged.length + " convergence flags and " + retired.length
                    + " retirement flags (dimension " + dimension + ")");
        }
        u = u.clone();
        values = values.clone();
        steps = steps.clone();
        converged = converged.clone();
        retired = retired.clone();
    }

    /** A result in which no start was retired. */
    public OptimizationResult(int dimension, double[] u, double[] values, int[] steps, boolean[] converged,
                              long evaluations, long gradients) {
        this(dimension, u, values, steps, converged, new boolean[values.length], evaluations, gradients);
    }

    /** The best points (a copy). */
    @Override
    public double[] u() {
        return u.clone();
    }

    /** The values (a copy). */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** The steps per start (a copy). */
    @Override
    public int[] steps() {
        return steps.clone();
    }

    /** The convergence flags (a copy). */
    @Override
    public boolean[] converged() {
        return converged.clone();
    }

    /** The retirement flags (a copy). */
    @Override
    public boolean[] retired() {
        return retired.clone();
    }

    /** The number of starts that met a convergence test. */
    public int convergedCount() {
        return count(converged);
    }

    /** The number of starts retired by racing. */
    public int retiredCount() {
        return count(retired);
    }

    /** The steps (iterations) of all starts together. */
    public long totalSteps() {
        long t = 0;
        for (int k : steps) {
            t += k;
        }
        return t;
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean b : flags) {
            c += b ? 1 : 0;
        }
        return c;
    }

    /** The number of starts. */
    public int starts() {
        return values.length;
    }

    /** The value of start {@code i}. */
    public double value(int i) {
        return values[i];
    }

    /** The coordinates of start {@code i} (a copy). */
    public double[] point(int i) {
        return Arrays.copyOfRange(u, i * dimension, (i + 1) * dimension);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizationResult r && dimension == r.dimension && Arrays.equals(u, r.u)
                && Arrays.equals(values, r.values) && Arrays.equals(steps, r.steps) && Arrays.equals(converged, r.converged)
                && Arrays.equals(retired, r.retired)
                && evaluations == r.evaluations && gradients == r.gradients;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(dimension, Arrays.hashCode(values), evaluations, gradients);
    }

    @Override
    public String toString() {
        double best = Double.POSITIVE_INFINITY;
        for (double v : values) {
            best = Math.min(best, v);
        }
        return String.format(Locale.ROOT, "OptimizationResult[%d starts of dimension %d, best %.6g, %d converged, "
                + "%d retired, %d steps, %d evaluations, %d gradients]", values.length, dimension, best, convergedCount(),
                retiredCount(), totalSteps(), evaluations, gradients);
    }
}
