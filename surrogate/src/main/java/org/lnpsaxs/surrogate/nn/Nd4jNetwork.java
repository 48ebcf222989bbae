package org.lnpsaxs.surrogate.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network of a {@link NetworkSpec} evaluated with ND4J's BLAS in float32: the fast path for
 * large batches. Forward pass and the input vector-Jacobian product are written out as matrix
 * products (no autodiff graph is built, so nothing is printed and nothing is cached between
 * calls). Works on normalised features and outputs (see {@link Normalisation}).
 *
 * <p>Repeating a call gives bit-identical results. Splitting a batch differently changes them at
 * the float32 rounding level only (relative ~1e-7): OpenBLAS's SGEMM kernels round differently
 * for different matrix shapes and row positions (measured on the project's machines). The weight arrays
 * are read-only after construction; calls allocate their own work arrays, so instances are
 * thread-safe. Memory per call: about {@code (2·blocks + 3) · n · width} floats.
 */
public final class Nd4jNetwork {

    private final NetworkSpec spec;
    private final INDArray wIn;
    private final INDArray bIn;
    private final INDArray[] w1;
    private final INDArray[] b1;
    private final INDArray[] w2;
    private final INDArray[] b2;
    private final INDArray wOut;
    private final INDArray bOut;

    /** An evaluator over these weights. */
    public Nd4jNetwork(Weights weights) {
        this.spec = weights.spec();
        int b = spec.blocks();
        this.wIn = matrix(weights, "w_in");
        this.bIn = matrix(weights, "b_in");
        this.w1 = new INDArray[b];
        this.b1 = new INDArray[b];
        this.w2 = new INDArray[b];
        this.b2 = new INDArray[b];
        for (int i = 0; i < b; i++) {
            w1[i] = matrix(weights, "w1_" + i);
            b1[i] = matrix(weights, "b1_" + i);
            w2[i] = matrix(weights, "w2_" + i);
            b2[i] = matrix(weights, "b2_" + i);
        }
        this.wOut = matrix(weights, "w_out");
        this.bOut = matrix(weights, "b_out");
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Forward pass for {@code n} rows.
     *
     * @param x features, {@code n * F} floats, row-major
     * @param n rows
     * @param z receives {@code n * Q} normalised outputs
     */
    public void forward(float[] x, int n, float[] z) {
        INDArray s = silu(rows(x, n, spec.features()).mmul(wIn).addiRowVector(bIn));
        for (int b = 0; b < spec.blocks(); b++) {
            INDArray v = silu(s.mmul(w1[b]).addiRowVector(b1[b]));
            Nd4j.gemm(v, w2[b], s, false, false, 1.0, 1.0);
            s.addiRowVector(b2[b]);
        }
        copyOut(s.mmul(wOut).addiRowVector(bOut), z, n * spec.outputs());
    }

    /** The activations of a forward pass, kept for the reverse pass (one call's chunk). */
    public static final class Tape {
        private final int n;
        private final INDArray h0;
        private final INDArray[] pre;

        private Tape(int n, INDArray h0, INDArray[] pre) {
            this.n = n;
            this.h0 = h0;
            this.pre = pre;
        }
    }

    /**
     * Forward pass that keeps what the reverse pass needs.
     *
     * @param x features, {@code n * F}
     * @param n rows
     * @param z receives {@code n * Q} normalised outputs
     * @return the tape for {@link #backward(Tape, float[], float[])}
     */
    public Tape forwardTape(float[] x, int n, float[] z) {
        int blocks = spec.blocks();
        INDArray h0 = rows(x, n, spec.features()).mmul(wIn).addiRowVector(bIn);
        INDArray[] pre = new INDArray[blocks];
        INDArray s = silu(h0);
        for (int b = 0; b < blocks; b++) {
            pre[b] = s.mmul(w1[b]).addiRowVector(b1[b]);
            Nd4j.gemm(silu(pre[b]), w2[b], s, false, false, 1.0, 1.0);
            s.addiRowVector(b2[b]);
        }
        copyOut(s.mmul(wOut).addiRowVector(bOut), z, n * spec.outputs());
        return new Tape(n, h0, pre);
    }

    /**
     * Reverse pass: {@code dx = dz · ∂z/∂x} for the rows of a tape.
     *
     * @param tape the forward pass
     * @param dz   upstream gradient with respect to the normalised outputs, {@code n * Q}
     * @param dx   receives {@code n * F} values (overwritten)
     */
    public void backward(Tape tape, float[] dz, float[] dx) {
        int n = tape.n;
        INDArray ds = Nd4j.gemm(rows(dz, n, spec.outputs()), wOut, false, true);
        for (int b = spec.blocks() - 1; b >= 0; b--) {
            INDArray du = Nd4j.gemm(ds, w2[b], false, true).muli(siluDerivative(tape.pre[b]));
            Nd4j.gemm(du, w1[b], ds, false, true, 1.0, 1.0);
        }
        ds.muli(siluDerivative(tape.h0));
        copyOut(Nd4j.gemm(ds, wIn, false, true), dx, n * spec.features());
    }

    /**
     * Vector-Jacobian product for {@code n} rows with a known upstream gradient.
     *
     * @param x  features, {@code n * F}
     * @param n  rows
     * @param dz upstream gradient with respect to the normalised outputs, {@code n * Q}
     * @param dx receives {@code n * F} values (overwritten)
     */
    public void backward(float[] x, int n, float[] dz, float[] dx) {
        backward(forwardTape(x, n, new float[n * spec.outputs()]), dz, dx);
    }

    /** The first {@code n} rows of a row-major array as an {@code [n, cols]} matrix. */
    private static INDArray rows(float[] a, int n, int cols) {
        int len = n * cols;
        if (a.length < len) {
            throw new IllegalArgumentException("array holds " + a.length + " values, need " + len);
        }
        return Nd4j.create(a.length == len ? a : java.util.Arrays.copyOf(a, len), new long[] {n, cols}, 'c');
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

    private static void copyOut(INDArray a, float[] out, int n) {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        c.data().asNioFloat().get(out, 0, n);
    }

    private static INDArray matrix(Weights w, String name) {
        NetworkSpec.Tensor t = w.spec().tensors().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow();
        return Nd4j.create(w.raw(name), new long[] {t.rows(), t.columns()}, 'c');
    }
}
