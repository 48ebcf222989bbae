package org.lnpsaxs.surrogate.internal;

import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two MLPs of a {@link NetworkSpec} network evaluated with ND4J's BLAS in float32: the fast
 * path for large batches. Forward pass and reverse pass are written out as matrix products (no
 * autodiff graph is built, so nothing is printed and nothing is cached between calls).
 *
 * <p>Repeating a call gives bit-identical results. Splitting a batch differently changes them at
 * the float32 rounding level only (OpenBLAS's SGEMM rounds differently for different matrix
 * shapes). Weight arrays are read-only after construction and calls allocate their own work
 * arrays, so instances are thread-safe. Not a user class.
 */
public final class Nd4jNetwork {

    static {
        Nd4jStartup.quiet();
    }

    private final NetworkSpec spec;
    private final Mlp d;
    private final Mlp e;

    /** An evaluator over these weights. */
    public Nd4jNetwork(Weights weights) {
        this.spec = weights.spec();
        this.d = new Mlp(weights, spec.fluctuation());
        this.e = new Mlp(weights, spec.correction());
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The activations of one forward pass, kept for the reverse pass. */
    public static final class Tape {
        private final int n;
        private final INDArray[] dPre;
        private final INDArray[] ePre;

        private Tape(int n, int dLayers, int eLayers) {
            this.n = n;
            this.dPre = new INDArray[dLayers];
            this.ePre = new INDArray[eLayers];
        }

        /** Rows. */
        public int rows() {
            return n;
        }
    }

    /**
     * Forward pass for {@code n} rows.
     *
     * @param xf   fluctuation features, {@code n * Ff} floats, row-major
     * @param xe   correction features, {@code n * Fe}
     * @param n    rows
     * @param dOut receives D, {@code n * Q}
     * @param eOut receives E, {@code n * Q}
     * @param keep whether to keep a tape for {@link #backward}
     * @return the tape, or null when not kept
     */
    public Tape forward(float[] xf, float[] xe, int n, float[] dOut, float[] eOut, boolean keep) {
        Tape tape = keep ? new Tape(n, d.layers, e.layers) : null;
        d.run(xf, n, dOut, keep ? tape.dPre : null);
        e.run(xe, n, eOut, keep ? tape.ePre : null);
        return tape;
    }

    /**
     * Reverse pass of the rows of a tape: dL/dD, dL/dE ({@code n * Q} each) → dL/dxf, dL/dxe
     * (overwritten).
     */
    public void backward(Tape tape, float[] gD, float[] gE, float[] dxf, float[] dxe) {
        d.backward(tape.dPre, gD, tape.n, dxf);
        e.backward(tape.ePre, gE, tape.n, dxe);
    }

    /** One MLP. */
    private static final class Mlp {
        private final MlpSpec spec;
        private final int layers;
        private final INDArray[] w;
        private final INDArray[] b;
        private final INDArray wRank;
        private final INDArray wOut;
        private final INDArray bOut;

        Mlp(Weights weights, MlpSpec spec) {
            this.spec = spec;
            this.layers = spec.hidden().size();
            String p = spec.prefix();
            this.w = new INDArray[layers];
            this.b = new INDArray[layers];
            int in = spec.inputs();
            for (int l = 0; l < layers; l++) {
                int h = spec.hidden().get(l);
                w[l] = Nd4j.create(weights.get(p + "w" + l), new long[] {in, h}, 'c');
                b[l] = Nd4j.create(weights.get(p + "b" + l), new long[] {1, h}, 'c');
                in = h;
            }
            this.wRank = spec.rank() > 0 ? Nd4j.create(weights.get(p + "w_rank"), new long[] {in, spec.rank()}, 'c')
                    : null;
            this.wOut = Nd4j.create(weights.get(p + "w_out"), new long[] {spec.lastWidth(), spec.outputs()}, 'c');
            this.bOut = Nd4j.create(weights.get(p + "b_out"), new long[] {1, spec.outputs()}, 'c');
        }

        void run(float[] x, int n, float[] out, INDArray[] pre) {
            INDArray s = Nd4j.create(java.util.Arrays.copyOf(x, n * spec.inputs()), new long[] {n, spec.inputs()}, 'c');
            for (int l = 0; l < layers; l++) {
                INDArray u = s.mmul(w[l]).addiRowVector(b[l]);
                if (pre != null) {
                    pre[l] = u;
                }
                s = silu(u);
            }
            if (wRank != null) {
                s = s.mmul(wRank);
            }
            INDArray z = s.mmul(wOut).addiRowVector(bOut);
            toFloats(z, out, n * spec.outputs());
        }

        void backward(INDArray[] pre, float[] gOut, int n, float[] dx) {
            INDArray g = Nd4j.create(java.util.Arrays.copyOf(gOut, n * spec.outputs()), new long[] {n, spec.outputs()},
                    'c');
            INDArray gs = Nd4j.gemm(g, wOut, false, true);
            if (wRank != null) {
                gs = Nd4j.gemm(gs, wRank, false, true);
            }
            for (int l = layers - 1; l >= 0; l--) {
                gs.muli(siluDerivative(pre[l]));
                gs = Nd4j.gemm(gs, w[l], false, true);
            }
            toFloats(gs, dx, n * spec.inputs());
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

    private static void toFloats(INDArray a, float[] out, int n) {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        c.data().asNioFloat().get(out, 0, n);
    }
}
