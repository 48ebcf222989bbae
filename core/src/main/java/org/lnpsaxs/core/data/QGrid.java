package org.lnpsaxs.core.data;

import java.util.Arrays;

/**
 * An immutable, strictly ascending grid of scattering-vector magnitudes q in Å⁻¹.
 *
 * <p>Factories give linear ({@link #linear}), logarithmic ({@link #log}) and explicit
 * ({@link #of}) grids, and {@link #parse} reads the command-line form {@code lin:MIN:MAX:N} or
 * {@code log:MIN:MAX:N}. {@link #PAPER} is the output grid of the paper's LNP simulator:
 * 300 points, linspace(0.002, 0.1995) Å⁻¹.
 */
public final class QGrid {

    /** The paper's output grid: 300 points from 0.002 to 0.1995 Å⁻¹, linearly spaced. */
    public static final QGrid PAPER = linear(0.002, 0.1995, 300);

    private final double[] q;

    private QGrid(double[] q) {
        this.q = q;
    }

    /**
     * {@code n} linearly spaced points from {@code min} to {@code max} inclusive (numpy's linspace:
     * {@code q_i = min + i (max - min)/(n - 1)}); the first and last points are exactly {@code min}
     * and {@code max}.
     */
    public static QGrid linear(double min, double max, int n) {
        checkRange(min, max, n, false);
        double[] q = new double[n];
        double step = (max - min) / (n - 1);
        for (int i = 0; i < n; i++) {
            q[i] = min + i * step;
        }
        q[0] = min;
        q[n - 1] = max;
        return new QGrid(q);
    }

    /**
     * {@code n} logarithmically spaced points from {@code min} to {@code max} inclusive (numpy's
     * {@code logspace(log10(min), log10(max), n)}), with the first and last points exactly
     * {@code min} and {@code max} (10^log10(x) can miss x by an ulp, which would move a grid end
     * across a q-range limit of the same value).
     */
    public static QGrid log(double min, double max, int n) {
        checkRange(min, max, n, true);
        double[] q = new double[n];
        double a = Math.log10(min);
        double b = Math.log10(max);
        double step = (b - a) / (n - 1);
        for (int i = 1; i < n - 1; i++) {
            q[i] = Math.pow(10.0, a + i * step);
        }
        q[0] = min;
        q[n - 1] = max;
        return new QGrid(q);
    }

    /** An explicit grid; values must be finite, non-negative and strictly ascending. */
    public static QGrid of(double... values) {
        if (values.length < 1) {
            throw new IllegalArgumentException("a q grid needs at least one point");
        }
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("q[" + i + "] = " + v + " is not a finite value >= 0 (1/Å)");
            }
            if (i > 0 && !(v > values[i - 1])) {
                throw new IllegalArgumentException("q grid is not strictly ascending at index " + i
                        + " (" + values[i - 1] + " then " + v + ")");
            }
        }
        return new QGrid(values.clone());
    }

    /**
     * Parses {@code lin:MIN:MAX:N} or {@code log:MIN:MAX:N} (q in Å⁻¹).
     *
     * @throws IllegalArgumentException with the accepted form when the text does not parse
     */
    public static QGrid parse(String spec) {
        String form = "expected lin:MIN:MAX:N or log:MIN:MAX:N with q in 1/Å, e.g. log:0.001:0.5:200";
        String[] parts = spec.trim().split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad q grid '" + spec + "': " + form);
        }
        double min;
        double max;
        int n;
        try {
            min = Double.parseDouble(parts[1]);
            max = Double.parseDouble(parts[2]);
            n = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad q grid '" + spec + "': " + form);
        }
        switch (parts[0].toLowerCase(java.util.Locale.ROOT)) {
            case "lin":
            case "linear":
                return linear(min, max, n);
            case "log":
                return log(min, max, n);
            default:
                throw new IllegalArgumentException("bad q grid '" + spec + "': unknown kind '" + parts[0] + "'; " + form);
        }
    }

    private static void checkRange(double min, double max, int n, boolean positive) {
        if (n < 2) {
            throw new IllegalArgumentException("a q grid needs at least 2 points, got " + n);
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min) || min < 0 || (positive && min <= 0)) {
            throw new IllegalArgumentException("q range [" + min + ", " + max + "] is not valid: need "
                    + (positive ? "0 < " : "0 <= ") + "MIN < MAX (1/Å)");
        }
    }

    /** The q values in Å⁻¹ (a copy). */
    public double[] values() {
        return q.clone();
    }

    /** q number {@code i} in Å⁻¹. */
    public double get(int i) {
        return q[i];
    }

    /** The number of points. */
    public int size() {
        return q.length;
    }

    /** The smallest q in Å⁻¹. */
    public double min() {
        return q[0];
    }

    /** The largest q in Å⁻¹. */
    public double max() {
        return q[q.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QGrid g && Arrays.equals(g.q, q);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(q);
    }

    @Override
    public String toString() {
        return "QGrid[" + q.length + " points, " + min() + " .. " + max() + " 1/Å]";
    }
}
