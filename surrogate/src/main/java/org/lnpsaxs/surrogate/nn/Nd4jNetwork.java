package org.lnpsaxs.surrogate.nn;

import java.util.List;

import org.lnpsaxs.core.model.ParameterSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trunk of a {@link NetworkSpec} network evaluated with ND4J's BLAS in float32: the fast path
 * for large batches. Forward pass and the input vector-Jacobian product are written out as matrix
 * products (no autodiff graph is built, so nothing is printed and nothing is cached between
 * calls). Works on normalised features (see {@link Normalisation}) and produces the trunk outputs
 * (see {@link Head}); each {@link NetworkSpec.Branch} is one residual MLP.
 *
 * <p>Repeating a call gives bit-identical results. Splitting a batch differently changes them at
 * the float32 rounding level only (relative ~1e-7): OpenBLAS's SGEMM kernels round differently
 * for different matrix shapes and row positions (measured on the project's machines). The weight
 * arrays are read-only after construction; calls allocate their own work arrays, so instances are
 * thread-safe. Memory per call: about {@code (2·blocks + 3) · n · width} floats per branch.
 */
public final class Nd4jNetwork {

    private final NetworkSpec spec;
    private final Mlp[] branches;

    /** An evaluator over these weights; branch features resolved in {@code space}. */
    public Nd4jNetwork(Weights weights, ParameterSpace space) {
        this.spec = weights.spec();
        List<NetworkSpec.Branch> bs = spec.branches(space);
        this.branches = new Mlp[bs.size()];
        for (int i = 0; i < branches.length; i++) {
            branches[i] = new Mlp(weights, bs.get(i), spec.blocks());
        }
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Forward pass for {@code n} rows.
     *
     * @param x features, {@code n * F} floats, row-major (longer arrays: the first rows are used)
     * @param n rows
     * @param z receives {@code n * T} trunk outputs
     */
    public void forward(float[] x, int n, float[] z) {
        for (Mlp m : branches) {
            INDArray s = m.run(m.gather(x, n, spec.features()), null, null);
            m.scatter(s, n, z, spec.trunkOutputs());
        }
    }

    /** The activations of a forward pass, kept for the reverse pass (one call's chunk). */
    public static final class Tape {
        private final int n;
        private final INDArray[] h0;
        private final INDArray[][] pre;

        private Tape(int n, int branches, int blocks) {
            this.n = n;
            this.h0 = new INDArray[branches];
            this.pre = new INDArray[branches][blocks];
        }
    }

    /**
     * Forward pass that keeps what the reverse pass needs.
     *
     * @param x features, {@code n * F}
     * @param n rows
     * @param z receives {@code n * T} trunk outputs
     * @return the tape for {@link #backward(Tape, float[], float[])}
     */
    public Tape forwardTape(float[] x, int n, float[] z) {
        Tape tape = new Tape(n, branches.length, spec.blocks());
        for (int b = 0; b < branches.length; b++) {
            Mlp m = branches[b];
            INDArray[] h0 = new INDArray[1];
            INDArray s = m.run(m.gather(x, n, spec.features()), h0, tape.pre[b]);
            tape.h0[b] = h0[0];
            m.scatter(s, n, z, spec.trunkOutputs());
        }
        return tape;
    }

    /**
     * Reverse pass: {@code dx = dz · ∂z/∂x} for the rows of a tape.
     *
     * @param tape the forward pass
     * @param dz   upstream gradient with respect to the trunk outputs, {@code n * T}
     * @param dx   receives {@code n * F} values (overwritten)
     */
    public void backward(Tape tape, float[] dz, float[] dx) {
        int n = tape.n;
        int f = spec.features();
        java.util.Arrays.fill(dx, 0, n * f, 0f);
        for (int b = 0; b < branches.length; b++) {
            branches[b].backward(tape.h0[b], tape.pre[b], dz, n, spec.trunkOutputs(), dx, f);
        }
    }

    /**
     * Vector-Jacobian product for {@code n} rows with a known upstream gradient.
     *
     * @param x  features, {@code n * F}
     * @param n  rows
     * @param dz upstream gradient with respect to the trunk outputs, {@code n * T}
     * @param dx receives {@code n * F} values (overwritten)
     */
    public void backward(float[] x, int n, float[] dz, float[] dx) {
        backward(forwardTape(x, n, new float[n * spec.trunkOutputs()]), dz, dx);
    }

    /** One residual MLP of the trunk. */
    private static final class Mlp {
        private final int[] in;
        private final int outOffset;
        private final int outs;
        private final int blocks;
        private final INDArray wIn;
        private final INDArray bIn;
        private final INDArray[] w1;
        private final INDArray[] b1;
        private final INDArray[] w2;
        private final INDArray[] b2;
        private final INDArray wOut;
        private final INDArray bOut;

        Mlp(Weights weights, NetworkSpec.Branch branch, int blocks) {
            String p = branch.prefix();
            this.in = branch.features();
            this.outOffset = branch.outputOffset();
            this.outs = branch.outputs();
            this.blocks = blocks;
            this.wIn = matrix(weights, p + "w_in");
            this.bIn = matrix(weights, p + "b_in");
            this.w1 = new INDArray[blocks];
            this.b1 = new INDArray[blocks];
            this.w2 = new INDArray[blocks];
            this.b2 = new INDArray[blocks];
            for (int i = 0; i < blocks; i++) {
                w1[i] = matrix(weights, p + "w1_" + i);
                b1[i] = matrix(weights, p + "b1_" + i);
                w2[i] = matrix(weights, p + "w2_" + i);
                b2[i] = matrix(weights, p + "b2_" + i);
            }
            this.wOut = matrix(weights, p + "w_out");
            this.bOut = matrix(weights, p + "b_out");
        }

        /** This branch's feature columns of the first n rows, as an [n, in] matrix. */
        INDArray gather(float[] x, int n, int f) {
            float[] g = new float[n * in.length];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < in.length; j++) {
                    g[r * in.length + j] = x[r * f + in[j]];
                }
            }
            return Nd4j.create(g, new long[] {n, in.length}, 'c');
        }

        /** Forward; keeps the input pre-activation in h0[0] and the block pre-activations in pre when not null. */
        INDArray run(INDArray x, INDArray[] h0, INDArray[] pre) {
            INDArray h = x.mmul(wIn).addiRowVector(bIn);
            if (h0 != null) {
                h0[0] = h;
            }
            INDArray s = silu(h);
            for (int b = 0; b < blocks; b++) {
                INDArray u = s.mmul(w1[b]).addiRowVector(b1[b]);
                if (pre != null) {
                    pre[b] = u;
                }
                Nd4j.gemm(silu(u), w2[b], s, false, false, 1.0, 1.0);
                s.addiRowVector(b2[b]);
            }
            return s.mmul(wOut).addiRowVector(bOut);
        }

        /** Writes the branch output [n, outs] into columns outOffset.. of the row-major z ([n, t]). */
        void scatter(INDArray out, int n, float[] z, int t) {
            float[] o = toFloats(out, n * outs);
            for (int r = 0; r < n; r++) {
                System.arraycopy(o, r * outs, z, r * t + outOffset, outs);
            }
        }

        void backward(INDArray h0, INDArray[] pre, float[] dz, int n, int t, float[] dx, int f) {
            float[] g = new float[n * outs];
            for (int r = 0; r < n; r++) {
                System.arraycopy(dz, r * t + outOffset, g, r * outs, outs);
            }
            INDArray ds = Nd4j.gemm(Nd4j.create(g, new long[] {n, outs}, 'c'), wOut, false, true);
            for (int b = blocks - 1; b >= 0; b--) {
                INDArray du = Nd4j.gemm(ds, w2[b], false, true).muli(siluDerivative(pre[b]));
                Nd4j.gemm(du, w1[b], ds, false, true, 1.0, 1.0);
            }
            ds.muli(siluDerivative(h0));
            float[] d = toFloats(Nd4j.gemm(ds, wIn, false, true), n * in.length);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < in.length; j++) {
                    dx[r * f + in[j]] += d[r * in.length + j];
                }
            }
        }
    }

    private static INDArray silu(INDArray u) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, u.shape());
        Nd4j.exec(new Swish(u, out));
        return out;
    }

    private static INDArray siluDerivative(INDArray u) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, u.shape());
        Nd4j.exec(new SwishDerivative(u, out));
        return out;
    }

    private static float[] toFloats(INDArray a, int n) {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        float[] out = new float[n];
        c.data().asNioFloat().get(out, 0, n);
        return out;
    }

    private static INDArray matrix(Weights w, String name) {
        NetworkSpec.Tensor t = w.spec().tensors().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow();
        return Nd4j.create(w.raw(name), new long[] {t.rows(), t.columns()}, 'c');
    }
}
