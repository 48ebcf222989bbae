package org.lnpsaxs.core.math;

/**
 * The Porod-type invariant \( Q_w[I] = \int q^2 I(q)\,dq \) of a curve on a grid
 * \( q_1 &lt; \dots &lt; q_N \) (Å⁻¹), by the trapezoid rule written as a weighted sum:
 * \[ Q_w[I] = \sum_i c_i I_i,\qquad c_i = q_i^2\,t_i,\quad t_1 = \tfrac{q_2-q_1}{2},\
 *    t_i = \tfrac{q_{i+1}-q_{i-1}}{2},\ t_N = \tfrac{q_N-q_{N-1}}{2} . \]
 * The result is in the intensity's unit times Å⁻³. The scale-free loss of the fits and the
 * level-free accuracy of the surrogate both normalise curves by it.
 */
public final class Invariant {

    private Invariant() {
    }

    /**
     * The trapezoid weights \( c_i \) of \( Q_w[I] = \sum_i c_i I_i \) on {@code q}.
     *
     * @param q the grid, Å⁻¹, ascending (at least one point; a single point has weight 0)
     * @return N weights, Å⁻³
     */
    public static double[] weights(double[] q) {
        int n = q.length;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double left = i > 0 ? q[i] - q[i - 1] : 0;
            double right = i < n - 1 ? q[i + 1] - q[i] : 0;
            w[i] = q[i] * q[i] * 0.5 * (left + right);
        }
        return w;
    }

    /**
     * \( Q_w[I] \) of one curve.
     *
     * @param q         the grid, Å⁻¹, ascending
     * @param intensity N intensities (any unit)
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double of(double[] q, double[] intensity) {
        return of(weights(q), intensity, 0);
    }

    /**
     * \( Q_w \) of the curve stored at {@code intensity[offset .. offset + N)} with precomputed
     * {@link #weights} (the batched path: one set of weights for many curves).
     *
     * @param weights the N weights of the grid
     * @param intensity the values
     * @param offset    where the curve starts in {@code intensity}
     */
    public static double of(double[] weights, double[] intensity, int offset) {
        if (offset < 0 || offset + weights.length > intensity.length) {
            throw new IllegalArgumentException("invariant: a curve of " + weights.length + " points at offset " + offset
                    + " does not fit in " + intensity.length + " values");
        }
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i] * intensity[offset + i];
        }
        return s;
    }
}
