package org.lnpsaxs.surrogate.internal;

import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * The two MLPs of a {@link NetworkSpec} network in plain Java, double precision (see
 * {@link JavaMlp}): the fluctuation MLP (output D) and the correction MLP (output E). Immutable
 * and thread-safe; per-row state lives in a {@link Work}. Not a user class.
 */
public final class JavaNetwork {

    private final NetworkSpec spec;
    private final JavaMlp d;
    private final JavaMlp e;

    /** The evaluator over these weights. */
    public JavaNetwork(Weights weights) {
        this.spec = weights.spec();
        this.d = new JavaMlp(weights, spec.fluctuation());
        this.e = new JavaMlp(weights, spec.correction());
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /** Buffers of both MLPs for one row, or a block of rows. */
    public static final class Work {
        final JavaMlp.Work d;
        final JavaMlp.Work e;

        /** Buffers for one row of {@code net}. */
        public Work(JavaNetwork net) {
            this(net, 1);
        }

        /** Buffers for blocks of up to {@code rows} rows of {@code net}. */
        public Work(JavaNetwork net, int rows) {
            this(net, rows, null);
        }

        /**
         * Buffers for blocks of up to {@code rows} rows of {@code net} sharing the per-call scratch
         * with {@code scratch} (same network and capacity; null: its own): a block whose
         * activations are kept for a later reverse pass then costs only those (see
         * {@link JavaMlp.Work#Work(JavaMlp, int, JavaMlp.Work)}).
         */
        public Work(JavaNetwork net, int rows, Work scratch) {
            d = new JavaMlp.Work(net.d, rows, scratch == null ? null : scratch.d);
            e = new JavaMlp.Work(net.e, rows, scratch == null ? null : scratch.e);
        }

        /** The largest block. */
        public int capacity() {
            return d.capacity();
        }
    }

    /**
     * One row forward: fluctuation features {@code xf[xfo ..]} → D ({@code dOut[o ..]}),
     * correction features {@code xe[xeo ..]} → E ({@code eOut[o ..]}).
     */
    public void forward(double[] xf, int xfo, double[] xe, int xeo, double[] dOut, double[] eOut, int o, Work k) {
        d.forward(xf, xfo, dOut, o, k.d);
        e.forward(xe, xeo, eOut, o, k.e);
    }

    /**
     * A block of {@code m} rows forward (m ≤ {@link Work#capacity()}): {@code xf[r]} → {@code dOut[r]},
     * {@code xe[r]} → {@code eOut[r]}, all from index 0; each row's result is that of the one-row
     * {@link #forward(double[], int, double[], int, double[], double[], int, Work)}.
     */
    public void forward(double[][] xf, double[][] xe, double[][] dOut, double[][] eOut, int m, Work k) {
        d.forward(xf, dOut, m, k.d);
        e.forward(xe, eOut, m, k.e);
    }

    /** The reverse pass of the block last run forward on {@code k}: dL/dD, dL/dE → dL/dxf, dL/dxe (overwritten). */
    public void backward(double[][] gD, double[][] gE, double[][] dxf, double[][] dxe, int m, Work k) {
        d.backward(gD, dxf, m, k.d);
        e.backward(gE, dxe, m, k.e);
    }

    /** The reverse pass of the row last run forward on {@code k}: dL/dD, dL/dE → dL/dxf, dL/dxe (overwritten). */
    public void backward(double[] gD, double[] gE, int o, double[] dxf, double[] dxe, Work k) {
        d.backward(gD, o, dxf, 0, k.d);
        e.backward(gE, o, dxe, 0, k.e);
    }
}
