package org.lnpsaxs.surrogate.nn;

import java.util.List;

import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The trunk of a {@link NetworkSpec} network evaluated with plain Java loops in double precision:
 * the fast path for small batches (ND4J's per-call overhead dominates there) and the reference that
 * the ND4J path is tested against. Works on normalised features (see {@link Normalisation}) and
 * produces the trunk outputs (see {@link Head}); each {@link NetworkSpec.Branch} is one residual MLP.
 * Weights are kept in float32 and widened exactly to double, so the arithmetic is double precision.
 * Immutable and thread-safe (each call allocates its own small buffers).
 */
public final class JavaNetwork {

    private final NetworkSpec spec;
    private final int f;
    private final int t;
    private final Mlp[] branches;

    /** An evaluator over these weights (converted to double once); branch features resolved in {@code space}. */
    public JavaNetwork(Weights weights, ParameterSpace space) {
        this.spec = weights.spec();
        this.f = spec.features();
        this.t = spec.trunkOutputs();
        List<NetworkSpec.Branch> bs = spec.branches(space);
        this.branches = new Mlp[bs.size()];
        for (int i = 0; i < branches.length; i++) {
            branches[i] = new Mlp(weights, bs.get(i), spec.width(), spec.blocks());
        }
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Forward pass for {@code n} rows.
     *
     * @param x features, {@code n * F} values, row-major
     * @param n rows
     * @param z receives {@code n * T} trunk outputs
     */
    public void forward(double[] x, int n, double[] z) {
        Work[] work = work();
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < branches.length; b++) {
                branches[b].forward(x, r * f, z, r * t, work[b], false);
            }
        }
    }

    /** Computes the upstream gradient of one row from its output. */
    @FunctionalInterface
    public interface Upstream {
        /**
         * Fills {@code dz} (T values) with dL/dz for row {@code row} given its trunk output {@code z}.
         *
         * @param row the row within the call
         * @param z   the row's trunk outputs (T values; do not modify)
         * @param dz  receives dL/dz
         */
        void gradient(int row, double[] z, double[] dz);
    }

    /**
     * Vector-Jacobian product for {@code n} rows with a known upstream gradient:
     * {@code dx = dz · ∂z/∂x}.
     *
     * @param x  features, {@code n * F}
     * @param n  rows
     * @param dz upstream gradient with respect to the trunk outputs, {@code n * T}
     * @param dx receives {@code n * F} values (overwritten)
     */
    public void backward(double[] x, int n, double[] dz, double[] dx) {
        vectorJacobianProduct(x, n, (r, z, d) -> System.arraycopy(dz, r * t, d, 0, t), dx);
    }

    /**
     * Vector-Jacobian product for {@code n} rows whose upstream gradient depends on the output
     * (e.g. through I = 10^y): per row, a forward pass, then {@code up} turns the output into
     * dL/dz, then the reverse pass gives {@code dx = dz · ∂z/∂x}.
     *
     * @param x  features, {@code n * F}
     * @param n  rows
     * @param up the upstream gradient of each row
     * @param dx receives {@code n * F} values (overwritten)
     */
    public void vectorJacobianProduct(double[] x, int n, Upstream up, double[] dx) {
        Work[] work = work();
        double[] z = new double[t];
        double[] dz = new double[t];
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < branches.length; b++) {
                branches[b].forward(x, r * f, z, 0, work[b], true);
            }
            up.gradient(r, z, dz);
            java.util.Arrays.fill(dx, r * f, r * f + f, 0.0);
            for (int b = 0; b < branches.length; b++) {
                branches[b].backward(dz, dx, r * f, work[b]);
            }
        }
    }

    private Work[] work() {
        Work[] w = new Work[branches.length];
        for (int b = 0; b < w.length; b++) {
            w[b] = new Work(spec.width(), spec.blocks());
        }
        return w;
    }

    /** Per-call buffers of one branch. */
    private static final class Work {
        final double[] h0;
        final double[][] stream;
        final double[][] pre;
        final double[] v;
        final double[] ds;
        final double[] dv;

        Work(int w, int blocks) {
            h0 = new double[w];
            stream = new double[blocks + 1][w];
            pre = new double[blocks][w];
            v = new double[w];
            ds = new double[w];
            dv = new double[w];
        }
    }

    /** One residual MLP over a subset of the features, writing a slice of the trunk outputs. */
    private static final class Mlp {
        private final int[] in;
        private final int outOffset;
        private final int outs;
        private final int w;
        private final int blocks;
        // weights stay float32 (half the memory traffic; a single curve is memory-bound) and are
        // widened exactly to double in the arithmetic
        private final float[] wIn;
        private final float[] bIn;
        private final float[][] w1;
        private final float[][] b1;
        private final float[][] w2;
        private final float[][] b2;
        private final float[] wOut;
        private final float[] bOut;

        Mlp(Weights weights, NetworkSpec.Branch branch, int width, int blocks) {
            String p = branch.prefix();
            this.in = branch.features();
            this.outOffset = branch.outputOffset();
            this.outs = branch.outputs();
            this.w = width;
            this.blocks = blocks;
            this.wIn = weights.raw(p + "w_in");
            this.bIn = weights.raw(p + "b_in");
            this.w1 = new float[blocks][];
            this.b1 = new float[blocks][];
            this.w2 = new float[blocks][];
            this.b2 = new float[blocks][];
            for (int b = 0; b < blocks; b++) {
                w1[b] = weights.raw(p + "w1_" + b);
                b1[b] = weights.raw(p + "b1_" + b);
                w2[b] = weights.raw(p + "w2_" + b);
                b2[b] = weights.raw(p + "b2_" + b);
            }
            this.wOut = weights.raw(p + "w_out");
            this.bOut = weights.raw(p + "b_out");
        }

        /** One row: features at {@code x[xo ..]}, outputs into {@code z[zo + outOffset ..]}. */
        void forward(double[] x, int xo, double[] z, int zo, Work k, boolean keep) {
            double[] s = k.stream[0];
            copy(bIn, s, w);
            for (int j = 0; j < in.length; j++) {
                double xj = x[xo + in[j]];
                int row = j * w;
                for (int i = 0; i < w; i++) {
                    s[i] += xj * wIn[row + i];
                }
            }
            for (int i = 0; i < w; i++) {
                k.h0[i] = s[i];
                s[i] = silu(s[i]);
            }
            for (int b = 0; b < blocks; b++) {
                double[] cur = k.stream[keep ? b : 0];
                double[] next = k.stream[keep ? b + 1 : 0];
                double[] u = k.pre[b];
                copy(b1[b], u, w);
                addProduct(cur, w1[b], w, w, u);
                for (int i = 0; i < w; i++) {
                    k.v[i] = silu(u[i]);
                }
                if (next != cur) {
                    System.arraycopy(cur, 0, next, 0, w);
                }
                for (int i = 0; i < w; i++) {
                    next[i] += b2[b][i];
                }
                addProduct(k.v, w2[b], w, w, next);
            }
            double[] last = k.stream[keep ? blocks : 0];
            int o = zo + outOffset;
            for (int c = 0; c < outs; c++) {
                z[o + c] = bOut[c];
            }
            for (int i = 0; i < w; i++) {
                double si = last[i];
                int row = i * outs;
                for (int c = 0; c < outs; c++) {
                    z[o + c] += si * wOut[row + c];
                }
            }
        }

        /** Reverse pass of the row last run with {@code keep}: adds dz·∂z/∂x into {@code dx[xo + in[j]]}. */
        void backward(double[] dz, double[] dx, int xo, Work k) {
            double[] ds = k.ds;
            for (int i = 0; i < w; i++) {
                double acc = 0;
                int row = i * outs;
                for (int c = 0; c < outs; c++) {
                    acc += dz[outOffset + c] * wOut[row + c];
                }
                ds[i] = acc;
            }
            for (int b = blocks - 1; b >= 0; b--) {
                // dv = ds · W2^T, du = dv ⊙ silu'(u), ds += du · W1^T
                float[] m2 = w2[b];
                double[] pre = k.pre[b];
                for (int i = 0; i < w; i++) {
                    double acc = 0;
                    int row = i * w;
                    for (int o = 0; o < w; o++) {
                        acc += ds[o] * m2[row + o];
                    }
                    k.dv[i] = acc * siluDerivative(pre[i]);
                }
                float[] m1 = w1[b];
                for (int i = 0; i < w; i++) {
                    double acc = 0;
                    int row = i * w;
                    for (int o = 0; o < w; o++) {
                        acc += k.dv[o] * m1[row + o];
                    }
                    ds[i] += acc;
                }
            }
            for (int i = 0; i < w; i++) {
                ds[i] *= siluDerivative(k.h0[i]);
            }
            for (int j = 0; j < in.length; j++) {
                double acc = 0;
                int row = j * w;
                for (int i = 0; i < w; i++) {
                    acc += ds[i] * wIn[row + i];
                }
                dx[xo + in[j]] += acc;
            }
        }
    }

    private static void copy(float[] from, double[] to, int n) {
        for (int i = 0; i < n; i++) {
            to[i] = from[i];
        }
    }

    /** acc[0..cols) += in[0..rows) · M, M of shape [rows, cols] row-major. */
    private static void addProduct(double[] in, float[] m, int rows, int cols, double[] acc) {
        for (int i = 0; i < rows; i++) {
            double a = in[i];
            int row = i * cols;
            for (int o = 0; o < cols; o++) {
                acc[o] += a * m[row + o];
            }
        }
    }

    /** silu(u) = u σ(u). */
    static double silu(double u) {
        return u / (1 + Math.exp(-u));
    }

    /** silu'(u) = σ(u) (1 + u (1 − σ(u))). */
    static double siluDerivative(double u) {
        double s = 1 / (1 + Math.exp(-u));
        return s * (1 + u * (1 - s));
    }
}
