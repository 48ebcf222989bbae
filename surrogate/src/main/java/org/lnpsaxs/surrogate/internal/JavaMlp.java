package org.lnpsaxs.surrogate.internal;

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
 * combined per pass to halve the stores. Immutable and thread-safe; the per-row state lives in a
 * {@link Work} that one thread uses at a time. Not a user class.
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
        this.w = new double[layers][][];
        this.wt = new double[layers][][];
        this.b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            float[] m = weights.get(p + "w" + l);
            w[l] = rows(m, width[l], width[l + 1]);
            wt[l] = columns(m, width[l], width[l + 1]);
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
        float[] m = weights.get(p + "w_out");
        this.wOut = rows(m, last, spec.outputs());
        this.wOutT = columns(m, last, spec.outputs());
        this.bOut = widen(weights.get(p + "b_out"));
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

    /** Per-row buffers (one thread at a time). */
    public static final class Work {
        final double[] x;
        final double[][] pre;
        final double[][] sig;
        final double[][] act;
        final double[] u;
        final double[] du;
        final double[][] dAct;
        /** Scratch for outputs and their gradients at an offset (allocated when first needed). */
        double[] z;
        double[] dz;

        /** Buffers for {@code mlp}. */
        public Work(JavaMlp mlp) {
            int n = mlp.layers;
            x = new double[mlp.width[0]];
            pre = new double[n][];
            sig = new double[n][];
            act = new double[n][];
            dAct = new double[n + 1][];
            for (int l = 0; l < n; l++) {
                pre[l] = new double[mlp.width[l + 1]];
                sig[l] = new double[mlp.width[l + 1]];
                act[l] = new double[mlp.width[l + 1]];
                dAct[l + 1] = new double[mlp.width[l + 1]];
            }
            dAct[0] = new double[mlp.width[0]];
            u = new double[Math.max(1, mlp.spec.rank())];
            du = new double[Math.max(1, mlp.spec.rank())];
        }
    }

    /** acc[0..n) += Σ_i in[i] · rows[i][0..n), four rows per pass. */
    private static void addRows(double[] in, double[][] rows, int count, double[] acc, int n) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            double a = in[i];
            double b = in[i + 1];
            double c = in[i + 2];
            double d = in[i + 3];
            double[] r0 = rows[i];
            double[] r1 = rows[i + 1];
            double[] r2 = rows[i + 2];
            double[] r3 = rows[i + 3];
            for (int o = 0; o < n; o++) {
                acc[o] += a * r0[o] + b * r1[o] + c * r2[o] + d * r3[o];
            }
        }
        for (; i < count; i++) {
            double a = in[i];
            double[] r = rows[i];
            for (int o = 0; o < n; o++) {
                acc[o] += a * r[o];
            }
        }
    }

    /**
     * Forward pass of one row: features {@code x[xo ..]} to outputs {@code z[zo ..]}; keeps the
     * activations in {@code k} for {@link #backward}.
     */
    public void forward(double[] x, int xo, double[] z, int zo, Work k) {
        System.arraycopy(x, xo, k.x, 0, width[0]);
        double[] in = k.x;
        for (int l = 0; l < layers; l++) {
            int no = width[l + 1];
            double[] pre = k.pre[l];
            System.arraycopy(b[l], 0, pre, 0, no);
            addRows(in, w[l], width[l], pre, no);
            double[] act = k.act[l];
            double[] sg = k.sig[l];
            for (int o = 0; o < no; o++) {
                double v = pre[o];
                double sv = 1 / (1 + Math.exp(-v));
                sg[o] = sv;
                act[o] = v * sv;
            }
            in = act;
        }
        if (wRank != null) {
            int r = spec.rank();
            java.util.Arrays.fill(k.u, 0, r, 0.0);
            addRows(in, wRank, width[layers], k.u, r);
            in = k.u;
        }
        int q = spec.outputs();
        if (zo != 0 && k.z == null) {
            k.z = new double[q];
        }
        double[] out = zo == 0 ? z : k.z;
        System.arraycopy(bOut, 0, out, 0, q);
        addRows(in, wOut, last, out, q);
        if (out != z) {
            System.arraycopy(out, 0, z, zo, q);
        }
    }

    /**
     * Reverse pass of the row last run forward on {@code k}: from dL/dz ({@code dz[dzo ..]}) to
     * dL/dx, written into {@code dx[dxo ..]} (overwritten).
     */
    public void backward(double[] dz, int dzo, double[] dx, int dxo, Work k) {
        int q = spec.outputs();
        double[] gz = dz;
        if (dzo != 0) {
            if (k.dz == null) {
                k.dz = new double[q];
            }
            System.arraycopy(dz, dzo, k.dz, 0, q);
            gz = k.dz;
        }
        double[] g = wRank != null ? k.du : k.dAct[layers];
        java.util.Arrays.fill(g, 0, last, 0.0);
        addRows(gz, wOutT, q, g, last);
        if (wRank != null) {
            double[] gh = k.dAct[layers];
            java.util.Arrays.fill(gh, 0, width[layers], 0.0);
            addRows(g, wRankT, spec.rank(), gh, width[layers]);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int ni = width[l];
            int no = width[l + 1];
            double[] ga = k.dAct[l + 1];
            double[] pre = k.pre[l];
            double[] sg = k.sig[l];
            for (int o = 0; o < no; o++) {
                double v = pre[o];
                double s = sg[o];
                ga[o] *= s * (1 + v * (1 - s));
            }
            double[] gi = k.dAct[l];
            java.util.Arrays.fill(gi, 0, ni, 0.0);
            addRows(ga, wt[l], no, gi, ni);
        }
        System.arraycopy(k.dAct[0], 0, dx, dxo, width[0]);
    }
}
