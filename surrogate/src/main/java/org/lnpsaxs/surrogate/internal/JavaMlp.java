package org.lnpsaxs.surrogate.internal;

import java.util.Arrays;
import java.util.List;

import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * One {@link MlpSpec} MLP evaluated row by row with plain Java loops in double precision: the
 * fast path for small batches and the reference for the ND4J path. The float32 weights are
 * widened once to double (exactly) and kept as one array per matrix row, in both orientations
 * (forward: rows of W; reverse: rows of Wᵀ), so that every inner loop is an
 * {@code acc[o] += a * row[o]} over one index: the JIT vectorises such loops (it cannot when the
 * load and the store use different offsets into arrays that might be the same). Four rows are
 * combined per pass to halve the stores. Rows go in blocks (up to {@link Work#capacity()}): each
 * group of weight rows is applied to every row of the block while it is in cache, which saves most
 * of the weight traffic from the outer caches; a row's arithmetic, and so its result, does not
 * depend on its block. With the JDK's vector module ({@link Vectors#ENABLED}) the multiply-adds
 * run {@link VectorKernels#addRows}, with the same numbers bit for bit. The SiLU's exponentials
 * come from {@link FastExp} (within {@value FastExp#RELATIVE_ERROR} relative of {@link Math#exp}). Immutable and thread-safe; the
 * per-block state lives in a {@link Work} that one thread uses at a time. Not a user class.
 */
public final class JavaMlp {

    private final MlpSpec spec;
    private final int layers;
    private final int[] width;
    /** Per layer: forward rows [in][out], reverse rows [out][in], bias [out]. */
    private final double[][][] w;
    private final double[][][] wt;
    private final double[][] b;
    private final double[][] wRank;
    private final double[][] wRankT;
    private final double[][] wOut;
    private final double[][] wOutT;
    private final double[] bOut;
    private final int last;
    /**
     * The output layer's width as computed: the outputs rounded up to a multiple of 8 with zero
     * weights and biases beyond them, so that the multiply-add kernel needs no scalar tail; only
     * the first {@code outputs} values are ever read.
     */
    private final int outWidth;
    /**
     * The input gradient's width as computed: the inputs rounded up to a multiple of 8, the first
     * layer's reverse rows extended with zeros, for the same reason as {@link #outWidth}; only the
     * first {@code inputs} values are ever read.
     */
    private final int inWidth;

    /** The MLP of {@code spec} with these weights. */
    public JavaMlp(Weights weights, MlpSpec spec) {
        this.spec = spec;
        List<Integer> hidden = spec.hidden();
        this.layers = hidden.size();
        this.width = new int[layers + 1];
        width[0] = spec.inputs();
        for (int l = 0; l < layers; l++) {
            width[l + 1] = hidden.get(l);
        }
        String p = spec.prefix();
        this.inWidth = (width[0] + 7) / 8 * 8;
        this.w = new double[layers][][];
        this.wt = new double[layers][][];
        this.b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            float[] m = weights.get(p + "w" + l);
            w[l] = rows(m, width[l], width[l + 1]);
            wt[l] = l == 0 ? padded(columns(m, width[l], width[l + 1]), inWidth) : columns(m, width[l], width[l + 1]);
            b[l] = widen(weights.get(p + "b" + l));
        }
        int h = width[layers];
        if (spec.rank() > 0) {
            float[] m = weights.get(p + "w_rank");
            wRank = rows(m, h, spec.rank());
            wRankT = columns(m, h, spec.rank());
        } else {
            wRank = null;
            wRankT = null;
        }
        this.last = spec.lastWidth();
        this.outWidth = (spec.outputs() + 7) / 8 * 8;
        float[] m = weights.get(p + "w_out");
        this.wOut = padded(rows(m, last, spec.outputs()), outWidth);
        this.wOutT = columns(m, last, spec.outputs());
        this.bOut = Arrays.copyOf(widen(weights.get(p + "b_out")), outWidth);
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** The rows of a [rows, cols] row-major matrix, widened. */
    private static double[][] rows(float[] m, int rows, int cols) {
        double[][] r = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[i][j] = m[i * cols + j];
            }
        }
        return r;
    }

    /** Each row extended with zeros to {@code width} values. */
    private static double[][] padded(double[][] rows, int width) {
        double[][] p = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            p[i] = Arrays.copyOf(rows[i], width);
        }
        return p;
    }

    /** The columns of a [rows, cols] row-major matrix (the rows of its transpose), widened. */
    private static double[][] columns(float[] m, int rows, int cols) {
        double[][] c = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[j][i] = m[i * cols + j];
            }
        }
        return c;
    }

    /** The shape. */
    public MlpSpec spec() {
        return spec;
    }

    /**
     * Buffers of a block of up to {@link #capacity()} rows (one thread at a time): the inputs,
     * pre-activations, sigmoids and activations of every layer, and the reverse pass's gradients,
     * one array per row.
     */
    public static final class Work {
        final int capacity;
        final double[][] x;
        final double[][][] pre;
        final double[][][] sig;
        final double[][][] act;
        final double[][] u;
        final double[][] du;
        final double[][][] dAct;
        final double[][] z;
        final double[][] dz;

        /** Buffers for one row of {@code mlp}. */
        public Work(JavaMlp mlp) {
            this(mlp, 1);
        }

        /** Buffers for blocks of up to {@code rows} rows of {@code mlp}. */
        public Work(JavaMlp mlp, int rows) {
            this(mlp, rows, null);
        }

        /**
         * Buffers for blocks of up to {@code rows} rows of {@code mlp} that share the input,
         * output and output-gradient scratch (used only during a call) with {@code scratch} (of
         * the same MLP and capacity; null: its own), so that many kept blocks cost only their
         * activations.
         */
        public Work(JavaMlp mlp, int rows, Work scratch) {
            if (rows < 1) {
                throw new IllegalArgumentException("block of " + rows + " rows: need at least 1");
            }
            int n = mlp.layers;
            capacity = rows;
            pre = new double[n][][];
            sig = new double[n][][];
            act = new double[n][][];
            dAct = new double[n + 1][][];
            for (int l = 0; l < n; l++) {
                pre[l] = new double[rows][mlp.width[l + 1]];
                sig[l] = new double[rows][mlp.width[l + 1]];
                act[l] = new double[rows][mlp.width[l + 1]];
                dAct[l + 1] = new double[rows][mlp.width[l + 1]];
            }
            u = new double[rows][Math.max(1, mlp.spec.rank())];
            du = new double[rows][Math.max(1, mlp.spec.rank())];
            if (scratch != null) {
                if (scratch.capacity != rows || scratch.z[0].length != mlp.outWidth
                        || scratch.dAct[0][0].length != mlp.inWidth
                        || scratch.x[0].length != mlp.width[0]) {
                    throw new IllegalArgumentException("scratch of another shape");
                }
                x = scratch.x;
                z = scratch.z;
                dz = scratch.dz;
                dAct[0] = scratch.dAct[0];
            } else {
                x = new double[rows][mlp.width[0]];
                z = new double[rows][mlp.outWidth];
                dz = new double[rows][mlp.spec.outputs()];
                dAct[0] = new double[rows][mlp.inWidth];
            }
        }

        /** The largest block. */
        public int capacity() {
            return capacity;
        }
    }

    /** acc[r][0..n) += Σ_i in[r][i] · rows[i][0..n) for r &lt; m, by the kernel of {@link Vectors#kernel()}. */
    private static void addRows(double[][] in, double[][] rows, int count, double[][] acc, int n, int m) {
        if (Vectors.active()) {
            VectorKernels.addRows(in, rows, count, acc, n, m);
        } else {
            plainAddRows(in, rows, count, acc, n, m);
        }
    }

    /**
     * acc[r][0..n) += Σ_i in[r][i] · rows[i][0..n) for the rows r &lt; m of a block, four weight
     * rows per pass, each pass over all block rows while its weight rows are in cache. Every row's
     * arithmetic (and so its result) is that of a block of one. Package-private for the test that
     * holds {@link VectorKernels} to it.
     */
    static void plainAddRows(double[][] in, double[][] rows, int count, double[][] acc, int n, int m) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            double[] r0 = rows[i];
            double[] r1 = rows[i + 1];
            double[] r2 = rows[i + 2];
            double[] r3 = rows[i + 3];
            for (int r = 0; r < m; r++) {
                double[] x = in[r];
                double a = x[i];
                double b = x[i + 1];
                double c = x[i + 2];
                double d = x[i + 3];
                double[] ac = acc[r];
                for (int o = 0; o < n; o++) {
                    ac[o] += a * r0[o] + b * r1[o] + c * r2[o] + d * r3[o];
                }
            }
        }
        for (; i < count; i++) {
            double[] w = rows[i];
            for (int r = 0; r < m; r++) {
                double a = in[r][i];
                double[] ac = acc[r];
                for (int o = 0; o < n; o++) {
                    ac[o] += a * w[o];
                }
            }
        }
    }

    /**
     * Forward pass of one row: features {@code x[xo ..]} to outputs {@code z[zo ..]}; keeps the
     * activations in {@code k} for {@link #backward(double[], int, double[], int, Work)}.
     */
    public void forward(double[] x, int xo, double[] z, int zo, Work k) {
        System.arraycopy(x, xo, k.x[0], 0, width[0]);
        forwardBlock(1, k);
        System.arraycopy(k.z[0], 0, z, zo, spec.outputs());
    }

    /**
     * Forward pass of a block of {@code m} rows: features {@code x[r][0 ..]} to outputs
     * {@code z[r][0 ..]}, r &lt; m ≤ {@link Work#capacity()}; keeps the activations in {@code k}
     * for {@link #backward(double[][], double[][], int, Work)}. Each row's result is that of
     * {@link #forward(double[], int, double[], int, Work)}.
     */
    public void forward(double[][] x, double[][] z, int m, Work k) {
        checkBlock(m, k);
        for (int r = 0; r < m; r++) {
            System.arraycopy(x[r], 0, k.x[r], 0, width[0]);
        }
        forwardBlock(m, k);
        for (int r = 0; r < m; r++) {
            System.arraycopy(k.z[r], 0, z[r], 0, spec.outputs());
        }
    }

    private static void checkBlock(int m, Work k) {
        if (m < 1 || m > k.capacity) {
            throw new IllegalArgumentException("block of " + m + " rows: allowed 1 .. " + k.capacity);
        }
    }

    /** The forward pass of rows 0 .. m − 1 of {@code k.x} into {@code k.z}. */
    private void forwardBlock(int m, Work k) {
        double[][] in = k.x;
        for (int l = 0; l < layers; l++) {
            int no = width[l + 1];
            double[][] pre = k.pre[l];
            for (int r = 0; r < m; r++) {
                System.arraycopy(b[l], 0, pre[r], 0, no);
            }
            addRows(in, w[l], width[l], pre, no, m);
            for (int r = 0; r < m; r++) {
                double[] pr = pre[r];
                double[] act = k.act[l][r];
                double[] sg = k.sig[l][r];
                // SiLU: σ(v) = 1/(1 + e^{-v}) with the vectorised exponential
                FastExp.exp(pr, -1, 0, sg, no);
                for (int o = 0; o < no; o++) {
                    double sv = 1 / (1 + sg[o]);
                    sg[o] = sv;
                    act[o] = pr[o] * sv;
                }
            }
            in = k.act[l];
        }
        if (wRank != null) {
            int rk = spec.rank();
            for (int r = 0; r < m; r++) {
                java.util.Arrays.fill(k.u[r], 0, rk, 0.0);
            }
            addRows(in, wRank, width[layers], k.u, rk, m);
            in = k.u;
        }
        for (int r = 0; r < m; r++) {
            System.arraycopy(bOut, 0, k.z[r], 0, outWidth);
        }
        addRows(in, wOut, last, k.z, outWidth, m);
    }

    /**
     * Reverse pass of the row last run forward on {@code k}: from dL/dz ({@code dz[dzo ..]}) to
     * dL/dx, written into {@code dx[dxo ..]} (overwritten).
     */
    public void backward(double[] dz, int dzo, double[] dx, int dxo, Work k) {
        System.arraycopy(dz, dzo, k.dz[0], 0, spec.outputs());
        backwardBlock(1, k);
        System.arraycopy(k.dAct[0][0], 0, dx, dxo, width[0]);
    }

    /**
     * Reverse pass of the block of {@code m} rows last run forward on {@code k}: from dL/dz
     * ({@code dz[r][0 ..]}) to dL/dx ({@code dx[r][0 ..]}, overwritten), r &lt; m. Each row's
     * result is that of {@link #backward(double[], int, double[], int, Work)}.
     */
    public void backward(double[][] dz, double[][] dx, int m, Work k) {
        checkBlock(m, k);
        for (int r = 0; r < m; r++) {
            System.arraycopy(dz[r], 0, k.dz[r], 0, spec.outputs());
        }
        backwardBlock(m, k);
        for (int r = 0; r < m; r++) {
            System.arraycopy(k.dAct[0][r], 0, dx[r], 0, width[0]);
        }
    }

    /** The reverse pass of rows 0 .. m − 1 from {@code k.dz} into {@code k.dAct[0]}. */
    private void backwardBlock(int m, Work k) {
        int q = spec.outputs();
        double[][] g = wRank != null ? k.du : k.dAct[layers];
        for (int r = 0; r < m; r++) {
            java.util.Arrays.fill(g[r], 0, last, 0.0);
        }
        addRows(k.dz, wOutT, q, g, last, m);
        if (wRank != null) {
            double[][] gh = k.dAct[layers];
            for (int r = 0; r < m; r++) {
                java.util.Arrays.fill(gh[r], 0, width[layers], 0.0);
            }
            addRows(g, wRankT, spec.rank(), gh, width[layers], m);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int ni = l == 0 ? inWidth : width[l];
            int no = width[l + 1];
            for (int r = 0; r < m; r++) {
                double[] ga = k.dAct[l + 1][r];
                double[] pre = k.pre[l][r];
                double[] sg = k.sig[l][r];
                for (int o = 0; o < no; o++) {
                    double v = pre[o];
                    double s = sg[o];
                    ga[o] *= s * (1 + v * (1 - s));
                }
                java.util.Arrays.fill(k.dAct[l][r], 0, ni, 0.0);
            }
            addRows(k.dAct[l + 1], wt[l], no, k.dAct[l], ni, m);
        }
    }
}
