package org.lnpsaxs.surrogate.nn;

/**
 * The network of a {@link NetworkSpec} evaluated with plain Java loops in double precision: the
 * fast path for small batches (ND4J's per-call overhead dominates there) and the reference that
 * the ND4J path is tested against. Works on normalised features and outputs (see
 * {@link Normalisation}). Immutable and thread-safe (each call allocates its own small buffers).
 */
public final class JavaNetwork {

    private final NetworkSpec spec;
    private final int f;
    private final int w;
    private final int q;
    private final int blocks;
    private final double[] wIn;
    private final double[] bIn;
    private final double[][] w1;
    private final double[][] b1;
    private final double[][] w2;
    private final double[][] b2;
    private final double[] wOut;
    private final double[] bOut;

    /** An evaluator over these weights (converted to double once). */
    public JavaNetwork(Weights weights) {
        this.spec = weights.spec();
        this.f = spec.features();
        this.w = spec.width();
        this.q = spec.outputs();
        this.blocks = spec.blocks();
        this.wIn = toDouble(weights.raw("w_in"));
        this.bIn = toDouble(weights.raw("b_in"));
        this.w1 = new double[blocks][];
        this.b1 = new double[blocks][];
        this.w2 = new double[blocks][];
        this.b2 = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            w1[b] = toDouble(weights.raw("w1_" + b));
            b1[b] = toDouble(weights.raw("b1_" + b));
            w2[b] = toDouble(weights.raw("w2_" + b));
            b2[b] = toDouble(weights.raw("b2_" + b));
        }
        this.wOut = toDouble(weights.raw("w_out"));
        this.bOut = toDouble(weights.raw("b_out"));
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
     * @param z receives {@code n * Q} normalised outputs
     */
    public void forward(double[] x, int n, double[] z) {
        double[] s = new double[w];
        double[] u = new double[w];
        for (int r = 0; r < n; r++) {
            input(x, r * f, s, null);
            for (int b = 0; b < blocks; b++) {
                affine(s, w1[b], b1[b], w, u);
                for (int i = 0; i < w; i++) {
                    u[i] = silu(u[i]);
                }
                addAffine(u, w2[b], b2[b], w, s);
            }
            output(s, z, r * q);
        }
    }

    /** Computes the upstream gradient of one row from its output. */
    @FunctionalInterface
    public interface Upstream {
        /**
         * Fills {@code dz} (Q values) with dL/dz for row {@code row} given its output {@code z}.
         *
         * @param row the row within the call
         * @param z   the row's normalised outputs (Q values; do not modify)
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
     * @param dz upstream gradient with respect to the normalised outputs, {@code n * Q}
     * @param dx receives {@code n * F} values (overwritten)
     */
    public void backward(double[] x, int n, double[] dz, double[] dx) {
        vectorJacobianProduct(x, n, (r, z, d) -> System.arraycopy(dz, r * q, d, 0, q), dx);
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
        double[] h0 = new double[w];
        double[][] stream = new double[blocks + 1][w];
        double[][] pre = new double[blocks][w];
        double[] v = new double[w];
        double[] ds = new double[w];
        double[] dv = new double[w];
        double[] z = new double[q];
        double[] dz = new double[q];
        for (int r = 0; r < n; r++) {
            input(x, r * f, stream[0], h0);
            for (int b = 0; b < blocks; b++) {
                affine(stream[b], w1[b], b1[b], w, pre[b]);
                for (int i = 0; i < w; i++) {
                    v[i] = silu(pre[b][i]);
                }
                System.arraycopy(stream[b], 0, stream[b + 1], 0, w);
                addAffine(v, w2[b], b2[b], w, stream[b + 1]);
            }
            output(stream[blocks], z, 0);
            up.gradient(r, z, dz);
            // ds = dz · W_out^T
            for (int i = 0; i < w; i++) {
                double acc = 0;
                int row = i * q;
                for (int k = 0; k < q; k++) {
                    acc += dz[k] * wOut[row + k];
                }
                ds[i] = acc;
            }
            for (int b = blocks - 1; b >= 0; b--) {
                // dv = ds · W2^T, du = dv ⊙ silu'(u), ds += du · W1^T
                double[] m2 = w2[b];
                for (int i = 0; i < w; i++) {
                    double acc = 0;
                    int row = i * w;
                    for (int o = 0; o < w; o++) {
                        acc += ds[o] * m2[row + o];
                    }
                    dv[i] = acc * siluDerivative(pre[b][i]);
                }
                double[] m1 = w1[b];
                for (int i = 0; i < w; i++) {
                    double acc = 0;
                    int row = i * w;
                    for (int o = 0; o < w; o++) {
                        acc += dv[o] * m1[row + o];
                    }
                    ds[i] += acc;
                }
            }
            for (int i = 0; i < w; i++) {
                ds[i] *= siluDerivative(h0[i]);
            }
            int xo = r * f;
            for (int j = 0; j < f; j++) {
                double acc = 0;
                int row = j * w;
                for (int i = 0; i < w; i++) {
                    acc += ds[i] * wIn[row + i];
                }
                dx[xo + j] = acc;
            }
        }
    }

    /** s = silu(x W_in + b_in); the pre-activation goes to {@code h0} when it is not null. */
    private void input(double[] x, int xo, double[] s, double[] h0) {
        System.arraycopy(bIn, 0, s, 0, w);
        for (int j = 0; j < f; j++) {
            double xj = x[xo + j];
            int row = j * w;
            for (int i = 0; i < w; i++) {
                s[i] += xj * wIn[row + i];
            }
        }
        for (int i = 0; i < w; i++) {
            if (h0 != null) {
                h0[i] = s[i];
            }
            s[i] = silu(s[i]);
        }
    }

    private void output(double[] s, double[] z, int zo) {
        System.arraycopy(bOut, 0, z, zo, q);
        for (int i = 0; i < w; i++) {
            double si = s[i];
            int row = i * q;
            for (int k = 0; k < q; k++) {
                z[zo + k] += si * wOut[row + k];
            }
        }
    }

    /** out = in · M + bias, M of shape [n, n] row-major. */
    private static void affine(double[] in, double[] m, double[] bias, int n, double[] out) {
        System.arraycopy(bias, 0, out, 0, n);
        addProduct(in, m, n, out);
    }

    /** acc += in · M + bias. */
    private static void addAffine(double[] in, double[] m, double[] bias, int n, double[] acc) {
        for (int i = 0; i < n; i++) {
            acc[i] += bias[i];
        }
        addProduct(in, m, n, acc);
    }

    private static void addProduct(double[] in, double[] m, int n, double[] acc) {
        for (int i = 0; i < n; i++) {
            double a = in[i];
            int row = i * n;
            for (int o = 0; o < n; o++) {
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

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
