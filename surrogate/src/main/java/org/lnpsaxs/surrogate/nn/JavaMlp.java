package org.lnpsaxs.surrogate.nn;

import java.util.List;

/**
 * One {@link MlpSpec} MLP evaluated row by row with plain Java loops in double precision: the
 * fast path for small batches and the reference for the ND4J path. The float32 weights are
 * widened once to double (exactly), and kept transposed too, so that every inner loop runs over
 * contiguous memory (the JIT vectorises such loops). Immutable and thread-safe; the per-row state
 * lives in a {@link Work} that one thread uses at a time.
 */
public final class JavaMlp {

    private final MlpSpec spec;
    private final int layers;
    private final int[] width;
    /** Hidden layer matrices [in, out] and their transposes [out, in], biases. */
    private final double[][] w;
    private final double[][] wt;
    private final double[][] b;
    private final double[] wRank;
    private final double[] wRankT;
    private final double[] wOut;
    private final double[] wOutT;
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
        this.w = new double[layers][];
        this.wt = new double[layers][];
        this.b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = widen(weights.raw(p + "w" + l));
            wt[l] = transpose(w[l], width[l], width[l + 1]);
            b[l] = widen(weights.raw(p + "b" + l));
        }
        int h = width[layers];
        if (spec.rank() > 0) {
            wRank = widen(weights.raw(p + "w_rank"));
            wRankT = transpose(wRank, h, spec.rank());
        } else {
            wRank = null;
            wRankT = null;
        }
        this.last = spec.lastWidth();
        this.wOut = widen(weights.raw(p + "w_out"));
        this.wOutT = transpose(wOut, last, spec.outputs());
        this.bOut = widen(weights.raw(p + "b_out"));
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    /** The shape. */
    public MlpSpec spec() {
        return spec;
    }

    /** Per-row buffers (one thread at a time). */
    public static final class Work {
        final double[][] pre;
        final double[][] act;
        final double[] u;
        final double[] du;
        final double[][] dAct;

        /** Buffers for {@code mlp}. */
        public Work(JavaMlp mlp) {
            int n = mlp.layers;
            pre = new double[n][];
            act = new double[n][];
            dAct = new double[n + 1][];
            for (int l = 0; l < n; l++) {
                pre[l] = new double[mlp.width[l + 1]];
                act[l] = new double[mlp.width[l + 1]];
                dAct[l + 1] = new double[mlp.width[l + 1]];
            }
            dAct[0] = new double[mlp.width[0]];
            u = new double[Math.max(1, mlp.spec.rank())];
            du = new double[Math.max(1, mlp.spec.rank())];
        }
    }

    /**
     * Forward pass of one row: features {@code x[xo ..]} to outputs {@code z[zo ..]}; keeps the
     * activations in {@code k} for {@link #backward}.
     */
    public void forward(double[] x, int xo, double[] z, int zo, Work k) {
        double[] in = x;
        int io = xo;
        for (int l = 0; l < layers; l++) {
            int ni = width[l];
            int no = width[l + 1];
            double[] pre = k.pre[l];
            double[] m = w[l];
            System.arraycopy(b[l], 0, pre, 0, no);
            for (int i = 0; i < ni; i++) {
                double a = in[io + i];
                int row = i * no;
                for (int o = 0; o < no; o++) {
                    pre[o] += a * m[row + o];
                }
            }
            double[] act = k.act[l];
            for (int o = 0; o < no; o++) {
                double v = pre[o];
                act[o] = v / (1 + Math.exp(-v));
            }
            in = act;
            io = 0;
        }
        if (wRank != null) {
            int ni = width[layers];
            int r = spec.rank();
            double[] u = k.u;
            java.util.Arrays.fill(u, 0, r, 0.0);
            for (int i = 0; i < ni; i++) {
                double a = in[i];
                int row = i * r;
                for (int o = 0; o < r; o++) {
                    u[o] += a * wRank[row + o];
                }
            }
            in = u;
        }
        int q = spec.outputs();
        System.arraycopy(bOut, 0, z, zo, q);
        for (int i = 0; i < last; i++) {
            double a = in[i];
            int row = i * q;
            for (int o = 0; o < q; o++) {
                z[zo + o] += a * wOut[row + o];
            }
        }
    }

    /**
     * Reverse pass of the row last run forward on {@code k}: from dL/dz ({@code dz[dzo ..]}) to
     * dL/dx, written into {@code dx[dxo ..]} (overwritten).
     */
    public void backward(double[] dz, int dzo, double[] dx, int dxo, Work k) {
        int q = spec.outputs();
        int h = width[layers];
        double[] g = wRank != null ? k.du : k.dAct[layers];
        java.util.Arrays.fill(g, 0, last, 0.0);
        for (int o = 0; o < q; o++) {
            double d = dz[dzo + o];
            int row = o * last;
            for (int i = 0; i < last; i++) {
                g[i] += d * wOutT[row + i];
            }
        }
        if (wRank != null) {
            double[] gh = k.dAct[layers];
            java.util.Arrays.fill(gh, 0, h, 0.0);
            int r = spec.rank();
            for (int o = 0; o < r; o++) {
                double d = g[o];
                int row = o * h;
                for (int i = 0; i < h; i++) {
                    gh[i] += d * wRankT[row + i];
                }
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int ni = width[l];
            int no = width[l + 1];
            double[] ga = k.dAct[l + 1];
            double[] pre = k.pre[l];
            for (int o = 0; o < no; o++) {
                double v = pre[o];
                double s = 1 / (1 + Math.exp(-v));
                ga[o] *= s * (1 + v * (1 - s));
            }
            double[] gi = l == 0 ? dx : k.dAct[l];
            int go = l == 0 ? dxo : 0;
            java.util.Arrays.fill(gi, go, go + ni, 0.0);
            double[] mt = wt[l];
            for (int o = 0; o < no; o++) {
                double d = ga[o];
                int row = o * ni;
                for (int i = 0; i < ni; i++) {
                    gi[go + i] += d * mt[row + i];
                }
            }
        }
    }
}
