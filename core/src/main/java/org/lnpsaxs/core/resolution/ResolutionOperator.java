package org.lnpsaxs.core.resolution;

import java.util.Arrays;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;

/**
 * A precomputed resolution smearing: a sparse linear map from intensities on a calculation grid
 * \( q_\mathrm{calc} \) to smeared intensities on the output grid \( q \),
 * \( I_s(q_i) = \sum_j W_{ij}\, I(q_{\mathrm{calc},j}) \). Each row holds the (few) non-zero
 * weights of one output point and sums to 1.
 *
 * <p>Because the map is linear, gradients pass straight through: {@link #applyTranspose} returns
 * \( \partial L/\partial I(q_\mathrm{calc}) = W^\mathsf{T}\,\partial L/\partial I_s \). Both grids
 * are in Å⁻¹; the intensities keep their own unit (cm⁻¹ for sasmodels models). Arrays of several
 * curves are flat and batch-major. Build one with {@link Pinhole} or {@link Slit}; sasmodels' slit
 * rows sum to 1 only as far as the calculation grid covers the slit. Immutable and thread-safe.
 */
public final class ResolutionOperator {

    private final QGrid q;
    private final QGrid qCalc;
    private final int[] rowStart;
    private final int[] columns;
    private final double[] weights;

    ResolutionOperator(QGrid q, QGrid qCalc, int[] rowStart, int[] columns, double[] weights) {
        this.q = Objects.requireNonNull(q, "q");
        this.qCalc = Objects.requireNonNull(qCalc, "qCalc");
        this.rowStart = rowStart;
        this.columns = columns;
        this.weights = weights;
        if (rowStart.length != q.size() + 1 || rowStart[q.size()] != columns.length
                || columns.length != weights.length) {
            throw new IllegalStateException("inconsistent sparse rows");
        }
    }

    /** The output grid, Å⁻¹. */
    public QGrid q() {
        return q;
    }

    /** The calculation grid on which the unsmeared model must be evaluated, Å⁻¹ (ascending, ≥ 0). */
    public QGrid qCalc() {
        return qCalc;
    }

    /** The number of output points. */
    public int outputSize() {
        return q.size();
    }

    /** The number of calculation points. */
    public int calcSize() {
        return qCalc.size();
    }

    /** The number of stored (non-zero) weights. */
    public int nonZeros() {
        return weights.length;
    }

    /** The calculation-grid indices of row {@code i}, ascending (a copy). */
    public int[] rowColumns(int i) {
        return Arrays.copyOfRange(columns, rowStart[i], rowStart[i + 1]);
    }

    /** The weights of row {@code i}, in the order of {@link #rowColumns} (a copy). */
    public double[] rowWeights(int i) {
        return Arrays.copyOfRange(weights, rowStart[i], rowStart[i + 1]);
    }

    /**
     * The calculation points row {@code i} reaches: \( [\min_j q_{\mathrm{calc},j}, \max_j q_{\mathrm{calc},j}] \)
     * over its stored weights, Å⁻¹ (the support of the smearing kernel at output point i).
     */
    public double[] rowSupport(int i) {
        if (rowStart[i] == rowStart[i + 1]) {
            return new double[] {q.get(i), q.get(i)};
        }
        return new double[] {qCalc.get(columns[rowStart[i]]), qCalc.get(columns[rowStart[i + 1] - 1])};
    }

    /**
     * The operator of output rows {@code from} (inclusive) to {@code to} (exclusive) only, with the
     * weights unchanged and the calculation grid reduced to the points those rows use: the
     * smearing of a subset of the points as computed for the whole grid.
     *
     * @throws IllegalArgumentException if the range is empty or outside the output grid
     */
    public ResolutionOperator rows(int from, int to) {
        if (from < 0 || to > outputSize() || to <= from) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not a non-empty range of the "
                    + outputSize() + " output points");
        }
        int a = rowStart[from];
        int b = rowStart[to];
        boolean[] used = new boolean[calcSize()];
        for (int k = a; k < b; k++) {
            used[columns[k]] = true;
        }
        int[] map = new int[calcSize()];
        int count = 0;
        for (int j = 0; j < used.length; j++) {
            map[j] = used[j] ? count++ : -1;
        }
        double[] calc = new double[count];
        for (int j = 0; j < used.length; j++) {
            if (used[j]) {
                calc[map[j]] = qCalc.get(j);
            }
        }
        int[] start = new int[to - from + 1];
        for (int i = from; i <= to; i++) {
            start[i - from] = rowStart[i] - a;
        }
        int[] cols = new int[b - a];
        for (int k = a; k < b; k++) {
            cols[k - a] = map[columns[k]];
        }
        double[] out = Arrays.copyOfRange(q.values(), from, to);
        return new ResolutionOperator(QGrid.of(out), QGrid.of(calc), start, cols, Arrays.copyOfRange(weights, a, b));
    }

    /** Smears one curve: returns \( W\,I_\mathrm{calc} \) (a new array of {@link #outputSize()} values). */
    public double[] apply(double[] iCalc) {
        double[] out = new double[outputSize()];
        apply(iCalc, 1, out);
        return out;
    }

    /** Smears one curve: {@code out} receives \( W\,I_\mathrm{calc} \). */
    public void apply(double[] iCalc, double[] out) {
        apply(iCalc, 1, out);
    }

    /**
     * Smears {@code batch} curves.
     *
     * @param iCalc {@code batch * calcSize()} intensities on {@link #qCalc()}, batch-major
     * @param out   receives {@code batch * outputSize()} smeared intensities, batch-major
     */
    public void apply(double[] iCalc, int batch, double[] out) {
        int n = outputSize();
        int m = calcSize();
        checkLength("iCalc", iCalc, (long) batch * m);
        checkLength("out", out, (long) batch * n);
        for (int b = 0; b < batch; b++) {
            int in = b * m;
            int o = b * n;
            for (int i = 0; i < n; i++) {
                double s = 0.0;
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    s += weights[k] * iCalc[in + columns[k]];
                }
                out[o + i] = s;
            }
        }
    }

    /** The transpose for one curve: {@code dLdCalc} receives \( W^\mathsf{T}\,\partial L/\partial I_s \) (overwritten). */
    public void applyTranspose(double[] dLdOut, double[] dLdCalc) {
        applyTranspose(dLdOut, 1, dLdCalc);
    }

    /**
     * The transpose for {@code batch} curves (the reverse mode of {@link #apply(double[], int, double[])}).
     *
     * @param dLdOut  {@code batch * outputSize()} upstream gradients, batch-major
     * @param dLdCalc receives {@code batch * calcSize()} gradients (overwritten), batch-major
     */
    public void applyTranspose(double[] dLdOut, int batch, double[] dLdCalc) {
        int n = outputSize();
        int m = calcSize();
        checkLength("dLdOut", dLdOut, (long) batch * n);
        checkLength("dLdCalc", dLdCalc, (long) batch * m);
        Arrays.fill(dLdCalc, 0, batch * m, 0.0);
        for (int b = 0; b < batch; b++) {
            int in = b * n;
            int o = b * m;
            for (int i = 0; i < n; i++) {
                double g = dLdOut[in + i];
                if (g == 0.0) {
                    continue;
                }
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    dLdCalc[o + columns[k]] += weights[k] * g;
                }
            }
        }
    }

    private static void checkLength(String what, double[] a, long need) {
        if (a.length < need) {
            throw new IllegalArgumentException(what + " holds " + a.length + " values, need " + need);
        }
    }

    @Override
    public String toString() {
        return "ResolutionOperator[" + outputSize() + " output points from " + calcSize()
                + " calculation points, " + nonZeros() + " weights]";
    }

    /**
     * Assembles the sparse rows: weights are added per row against signed calculation points,
     * which are folded to \( |q| \) (sasmodels evaluates the model at \( |q_\mathrm{calc}| \)) and
     * merged where they coincide.
     */
    static final class Builder {
        private final QGrid q;
        private int[] rowStart;
        private double[] signedQ = new double[1024];
        private double[] w = new double[1024];
        private int size;
        private int rows;

        Builder(QGrid q) {
            this.q = q;
            this.rowStart = new int[q.size() + 1];
        }

        /** Adds weight {@code weight} of calculation point {@code qCalc} (may be negative) to the current row. */
        void add(double qCalc, double weight) {
            if (size == w.length) {
                w = Arrays.copyOf(w, size * 2);
                signedQ = Arrays.copyOf(signedQ, size * 2);
            }
            signedQ[size] = qCalc;
            w[size] = weight;
            size++;
        }

        /** Closes the current row. */
        void endRow() {
            rows++;
            rowStart[rows] = size;
        }

        ResolutionOperator build() {
            if (rows != q.size()) {
                throw new IllegalStateException(rows + " rows for " + q.size() + " points");
            }
            double[] abs = new double[size];
            for (int k = 0; k < size; k++) {
                abs[k] = Math.abs(signedQ[k]);
            }
            double[] sorted = abs.clone();
            Arrays.sort(sorted);
            int unique = 0;
            for (int k = 0; k < sorted.length; k++) {
                if (k == 0 || sorted[k] != sorted[unique - 1]) {
                    sorted[unique++] = sorted[k];
                }
            }
            double[] grid = Arrays.copyOf(sorted, unique);
            int[] newStart = new int[rows + 1];
            int[] cols = new int[size];
            double[] vals = new double[size];
            int out = 0;
            long[] keys = new long[0];
            for (int i = 0; i < rows; i++) {
                int a = rowStart[i];
                int len = rowStart[i + 1] - a;
                if (keys.length < len) {
                    keys = new long[len];
                }
                // sort the row by column, keeping the insertion order among equal columns
                for (int k = 0; k < len; k++) {
                    keys[k] = ((long) Arrays.binarySearch(grid, abs[a + k]) << 32) | k;
                }
                Arrays.sort(keys, 0, len);
                newStart[i] = out;
                for (int k = 0; k < len; k++) {
                    int c = (int) (keys[k] >>> 32);
                    double v = w[a + (int) keys[k]];
                    if (out > newStart[i] && cols[out - 1] == c) {
                        vals[out - 1] += v;
                    } else {
                        cols[out] = c;
                        vals[out] = v;
                        out++;
                    }
                }
            }
            newStart[rows] = out;
            return new ResolutionOperator(q, QGrid.of(grid), newStart, Arrays.copyOf(cols, out),
                    Arrays.copyOf(vals, out));
        }
    }
}
