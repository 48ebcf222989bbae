package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.JavaNetwork;
import org.lnpsaxs.surrogate.nn.Nd4jNetwork;
import org.lnpsaxs.surrogate.nn.Normalisation;
import org.lnpsaxs.surrogate.nn.Weights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neural surrogate of the LNP simulator as a {@link DifferentiableModel}: the intensity
 * \( I(q;\theta) = 10^{y(q;\theta)} \) in the simulator's arbitrary units on the model's q grid
 * (Å⁻¹), where \(y = \mu + \sigma z\) and \(z\) is the network output (see
 * {@link org.lnpsaxs.surrogate.nn.NetworkSpec}); the parameters are those of the model file, in
 * its order and with its training box as bounds (for the LNP surrogate: {@code GRF_shift, R [Å],
 * w_q1, m_q1 [Å⁻¹], m_q2 [Å⁻¹], s_q1 [Å⁻¹], s_q2 [Å⁻¹], shell_thickness [Å], relative_rho_shell}).
 *
 * <p><b>Gradients.</b> {@link #vectorJacobianProduct} returns \( \partial L/\partial\theta_j =
 * \sum_k (\partial L/\partial I_k)\, I_k \ln 10\, \sigma_k\, \partial z_k/\partial\theta_j \)
 * through the network's reverse pass; {@link #vectorJacobianProductLog10} does the same for a
 * gradient with respect to log₁₀ I.
 *
 * <p><b>Two evaluators over the same weights.</b> Batches of at most
 * {@link #withJavaMaxBatch(int) javaMaxBatch} rows (default {@value #DEFAULT_JAVA_MAX_BATCH}) use
 * plain Java loops in double precision (ND4J's per-call overhead dominates there); larger
 * batches use ND4J BLAS in float32, in chunks of {@link #withChunkSize(int) chunkSize} rows
 * (default {@value #DEFAULT_CHUNK}) so that memory stays bounded (about
 * {@code (2·blocks + 3)·chunk·width} floats per call). The two evaluators agree to float32
 * precision. Results are reproducible: the same batch with the same settings gives bit-identical
 * numbers; a different split of the same rows into calls or chunks changes ND4J results only at the
 * float32 rounding level (OpenBLAS's SGEMM rounds differently for different matrix shapes), and
 * the Java evaluator's rows never depend on their batch.
 *
 * <p><b>Box.</b> Parameter values outside the training box are refused with an
 * {@link IllegalArgumentException} naming the parameter, its value and its range; with
 * {@link #withClamping(boolean) clamping} they are moved to the nearest bound instead (logged at
 * WARN the first time per parameter, then at DEBUG), and the gradient with respect to a clamped
 * value is 0. NaN is always refused.
 *
 * <p>Instances are immutable and thread-safe; the {@code withX} methods share the weights.
 */
public final class Surrogate implements DifferentiableModel {

    /** The class-path resource of the default model. */
    public static final String DEFAULT_RESOURCE = "/org/lnpsaxs/surrogate/default-model.zip";
    /** Default largest batch served by the Java evaluator. */
    public static final int DEFAULT_JAVA_MAX_BATCH = 6;
    /** Default chunk size of the ND4J evaluator, rows. */
    public static final int DEFAULT_CHUNK = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(Surrogate.class);
    private static final double LN10 = Math.log(10);

    /** Which evaluator runs. */
    public enum Backend {
        /** Java for batches up to the Java limit, ND4J above. */
        AUTO,
        /** Always the plain-Java double evaluator. */
        JAVA,
        /** Always the ND4J float32 evaluator. */
        ND4J
    }

    private final ModelMetadata metadata;
    private final ParameterSpace space;
    private final double[] q;
    private final Normalisation norm;
    private final Head head;
    private final JavaNetwork java;
    private final Nd4jNetwork nd4j;
    private final boolean clamping;
    private final int chunk;
    private final int javaMaxBatch;
    private final Backend backend;
    private final AtomicBoolean[] warned;

    private Surrogate(ModelMetadata metadata, ParameterSpace space, double[] q, Normalisation norm, Head head,
                      JavaNetwork java, Nd4jNetwork nd4j, boolean clamping, int chunk, int javaMaxBatch, Backend backend,
                      AtomicBoolean[] warned) {
        this.metadata = metadata;
        this.space = space;
        this.q = q;
        this.norm = norm;
        this.head = head;
        this.java = java;
        this.nd4j = nd4j;
        this.clamping = clamping;
        this.chunk = chunk;
        this.javaMaxBatch = javaMaxBatch;
        this.backend = backend;
        this.warned = warned;
    }

    /** A surrogate over a model read from a file (see {@link ModelFile}). */
    public static Surrogate of(ModelFile.Contents contents) {
        ModelMetadata m = contents.metadata();
        Weights w = contents.weights();
        ParameterSpace space = m.parameterSpace();
        AtomicBoolean[] warned = new AtomicBoolean[space.size()];
        for (int j = 0; j < warned.length; j++) {
            warned[j] = new AtomicBoolean();
        }
        return new Surrogate(m, space, m.q(), m.normalisation(), m.head(), new JavaNetwork(w, space), new Nd4jNetwork(w, space), false,
                DEFAULT_CHUNK, DEFAULT_JAVA_MAX_BATCH, Backend.AUTO, warned);
    }

    /**
     * Loads a model file.
     *
     * @throws IOException if the file is missing, not a model file, of another format version,
     *                     truncated or corrupt (the message names the file and the problem)
     */
    public static Surrogate load(Path file) throws IOException {
        return of(ModelFile.read(file));
    }

    /** Loads a model file from a stream; {@code source} names it in messages. */
    public static Surrogate load(InputStream in, String source) throws IOException {
        return of(ModelFile.read(in, source));
    }

    /**
     * Loads the default model shipped in the surrogate jar ({@value #DEFAULT_RESOURCE}).
     *
     * @throws IOException if the jar has no default model (with the command that trains one) or it
     *                     cannot be read
     */
    public static Surrogate loadDefault() throws IOException {
        InputStream in = Surrogate.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IOException("no default surrogate model on the class path (" + DEFAULT_RESOURCE
                    + "); pass a model file with --model, or train one: see docs/surrogate.md");
        }
        try (in) {
            return load(in, "default model " + DEFAULT_RESOURCE);
        }
    }

    /** A copy that clamps out-of-box values to the box (true) or refuses them (false, the default). */
    public Surrogate withClamping(boolean clamp) {
        return new Surrogate(metadata, space, q, norm, head, java, nd4j, clamp, chunk, javaMaxBatch, backend, warned);
    }

    /** A copy whose ND4J evaluator works on at most {@code rows} rows at a time ({@code >= 1}). */
    public Surrogate withChunkSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 row, got " + rows);
        }
        return new Surrogate(metadata, space, q, norm, head, java, nd4j, clamping, rows, javaMaxBatch, backend, warned);
    }

    /** A copy that serves batches of at most {@code rows} rows with the Java evaluator (AUTO backend). */
    public Surrogate withJavaMaxBatch(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("java max batch must be >= 0, got " + rows);
        }
        return new Surrogate(metadata, space, q, norm, head, java, nd4j, clamping, chunk, rows, backend, warned);
    }

    /** A copy that always uses one evaluator (or {@link Backend#AUTO}). */
    public Surrogate withBackend(Backend b) {
        return new Surrogate(metadata, space, q, norm, head, java, nd4j, clamping, chunk, javaMaxBatch,
                Objects.requireNonNull(b, "backend"), warned);
    }

    /** The model file's metadata (parameter space, q grid, network, provenance). */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** Whether out-of-box values are clamped. */
    public boolean clamping() {
        return clamping;
    }

    @Override
    public ParameterSpace parameters() {
        return space;
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    /** The q grid, Å⁻¹. */
    public QGrid qGrid() {
        return QGrid.of(q);
    }

    @Override
    public int qSize() {
        return q.length;
    }

    /** Intensities I (arbitrary units), {@code batch * qSize()} values into {@code out}. */
    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        predict(theta, batch, out, true);
    }

    /** log₁₀ I for a batch, {@code batch * qSize()} values into {@code out}. */
    public void predictLog10(double[] theta, int batch, double[] out) {
        predict(theta, batch, out, false);
    }

    /** log₁₀ I for one parameter vector. */
    public double[] predictLog10(double... theta) {
        checkLengths(theta, 1, null, 0);
        double[] out = new double[q.length];
        predictLog10(theta, 1, out);
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dLdI} is the gradient with respect to the intensities I (arbitrary units).
     */
    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        vjp(theta, batch, dLdI, dLdTheta, true);
    }

    /**
     * The vector-Jacobian product for an upstream gradient with respect to log₁₀ I:
     * {@code dLdTheta[b, j] = Σ_k dLdY[b, k] ∂log₁₀I_k/∂θ_j} (overwritten).
     */
    public void vectorJacobianProductLog10(double[] theta, int batch, double[] dLdY, double[] dLdTheta) {
        vjp(theta, batch, dLdY, dLdTheta, false);
    }

    private boolean useJava(int batch) {
        return backend == Backend.JAVA || (backend == Backend.AUTO && batch <= javaMaxBatch);
    }

    private void predict(double[] theta, int batch, double[] out, boolean intensity) {
        checkLengths(theta, batch, out, q.length);
        int p = space.size();
        int f = norm.features();
        int nq = q.length;
        int t = head.trunkOutputs();
        int c = head.contextSize();
        boolean onJava = useJava(batch);
        int step = onJava ? Math.max(1, Math.min(batch, 64)) : chunk;
        int cap = Math.min(step, Math.max(batch, 1));
        double[] row = new double[p];
        double[] x = new double[cap * f];
        double[] ctx = new double[Math.max(1, cap * c)];
        double[] zd = onJava ? new double[cap * t] : null;
        float[] xf = onJava ? null : new float[cap * f];
        float[] zf = onJava ? null : new float[cap * t];
        double[] work = new double[t];
        double[] zhat = new double[nq];
        for (int start = 0; start < batch; start += step) {
            int n = Math.min(step, batch - start);
            for (int r = 0; r < n; r++) {
                inputRow(theta, start + r, row, null, 0);
                norm.features(row, 0, x, r * f);
                head.context(row, 0, ctx, r * c);
            }
            if (onJava) {
                java.forward(x, n, zd);
            } else {
                for (int i = 0; i < n * f; i++) {
                    xf[i] = (float) x[i];
                }
                nd4j.forward(xf, n, zf);
            }
            for (int r = 0; r < n; r++) {
                if (onJava) {
                    head.forward(zd, r * t, ctx, r * c, zhat, 0);
                } else {
                    head.forward(zf, r * t, ctx, r * c, zhat, 0, work);
                }
                int base = (start + r) * nq;
                for (int k = 0; k < nq; k++) {
                    double y = norm.output(k, zhat[k]);
                    out[base + k] = intensity ? Math.pow(10, y) : y;
                }
            }
        }
    }

    private void vjp(double[] theta, int batch, double[] upstream, double[] dLdTheta, boolean intensity) {
        checkLengths(theta, batch, upstream, q.length);
        int p = space.size();
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
        int f = norm.features();
        int nq = q.length;
        int t = head.trunkOutputs();
        int c = head.contextSize();
        boolean onJava = useJava(batch);
        int step = onJava ? Math.max(1, Math.min(batch, 64)) : chunk;
        int cap = Math.min(step, Math.max(batch, 1));
        double[] rows = new double[cap * p];
        boolean[] clamped = new boolean[cap * p];
        double[] x = new double[cap * f];
        double[] dx = new double[cap * f];
        double[] ctx = new double[Math.max(1, cap * c)];
        double[] dctx = new double[cap * 2];
        double[] zhat = new double[nq];
        double[] dOut = new double[nq];
        double[] zRow = new double[t];
        double[] dzRow = new double[t];
        double[] dcRow = new double[2];
        float[] xf = onJava ? null : new float[cap * f];
        float[] zf = onJava ? null : new float[cap * t];
        float[] dzf = onJava ? null : new float[cap * t];
        float[] dxf = onJava ? null : new float[cap * f];
        for (int start = 0; start < batch; start += step) {
            int n = Math.min(step, batch - start);
            for (int r = 0; r < n; r++) {
                inputRow(theta, start + r, rows, clamped, r * p);
                norm.features(rows, r * p, x, r * f);
                head.context(rows, r * p, ctx, r * c);
            }
            final int s0 = start;
            if (onJava) {
                java.vectorJacobianProduct(x, n, (r, z, dz) -> {
                    headBackward(z, 0, ctx, r * c, upstream, (s0 + r) * nq, intensity, zhat, dOut, dz, dcRow);
                    dctx[2 * r] = dcRow[0];
                    dctx[2 * r + 1] = dcRow[1];
                }, dx);
            } else {
                for (int i = 0; i < n * f; i++) {
                    xf[i] = (float) x[i];
                }
                Nd4jNetwork.Tape tape = nd4j.forwardTape(xf, n, zf);
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < t; i++) {
                        zRow[i] = zf[r * t + i];
                    }
                    headBackward(zRow, 0, ctx, r * c, upstream, (s0 + r) * nq, intensity, zhat, dOut, dzRow, dcRow);
                    for (int i = 0; i < t; i++) {
                        dzf[r * t + i] = (float) dzRow[i];
                    }
                    dctx[2 * r] = dcRow[0];
                    dctx[2 * r + 1] = dcRow[1];
                }
                nd4j.backward(tape, dzf, dxf);
                for (int i = 0; i < n * f; i++) {
                    dx[i] = dxf[i];
                }
            }
            for (int r = 0; r < n; r++) {
                int o = (start + r) * p;
                norm.featureGradientToParameters(rows, r * p, dx, r * f, dLdTheta, o);
                dcRow[0] = dctx[2 * r];
                dcRow[1] = dctx[2 * r + 1];
                head.contextToParameters(rows, r * p, dcRow, dLdTheta, o);
                for (int j = 0; j < p; j++) {
                    if (clamped[r * p + j]) {
                        dLdTheta[o + j] = 0;
                    }
                }
            }
        }
    }

    /**
     * Head forward and reverse pass of one row: from the trunk output and the upstream gradient
     * (with respect to I or log₁₀ I) to dL/d(trunk output) and dL/d(context).
     */
    private void headBackward(double[] z, int zo, double[] ctx, int co, double[] upstream, int uo, boolean intensity,
                              double[] zhat, double[] dOut, double[] dz, double[] dc) {
        head.forward(z, zo, ctx, co, zhat, 0);
        for (int k = 0; k < zhat.length; k++) {
            dOut[k] = upstreamToZ(k, zhat[k], upstream[uo + k], intensity);
        }
        dc[0] = 0;
        dc[1] = 0;
        head.backward(z, zo, ctx, co, dOut, 0, dz, 0, dc);
    }

    /** dL/dz_k from the upstream gradient (with respect to I or to log₁₀ I) at output z_k. */
    private double upstreamToZ(int k, double z, double g, boolean intensity) {
        double s = norm.scale(k);
        if (!intensity) {
            return g * s;
        }
        double i = Math.pow(10, norm.output(k, z));
        return g * i * LN10 * s;
    }

    /** Copies row {@code b} of theta to {@code row[off ..]}, refusing or clamping out-of-box values. */
    private void inputRow(double[] theta, int b, double[] row, boolean[] clampedOut, int off) {
        int p = space.size();
        for (int j = 0; j < p; j++) {
            double v = theta[b * p + j];
            Parameter par = space.get(j);
            boolean c = false;
            if (!par.contains(v)) {
                if (Double.isNaN(v) || !clamping) {
                    throw new IllegalArgumentException("parameter " + par.name() + " = " + v
                            + (b > 0 ? " (set " + b + ")" : "") + " is outside the surrogate's training range "
                            + par.rangeText() + (Double.isNaN(v) ? "" : "; use withClamping(true) to clamp"));
                }
                double clampedValue = Math.max(par.lower(), Math.min(par.upper(), v));
                if (warned[j].compareAndSet(false, true)) {
                    LOG.warn("parameter {} = {} is outside the surrogate's training range {}: clamped to {}"
                            + " (further clamping of {} is logged at DEBUG)", par.name(), v, par.rangeText(),
                            clampedValue, par.name());
                } else {
                    LOG.debug("parameter {} = {} clamped to {}", par.name(), v, clampedValue);
                }
                v = clampedValue;
                c = true;
            }
            row[off + j] = v;
            if (clampedOut != null) {
                clampedOut[off + j] = c;
            }
        }
    }

    private void checkLengths(double[] theta, int batch, double[] perCurve, int perCurveLength) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        int p = space.size();
        if (theta.length < (long) batch * p) {
            throw new IllegalArgumentException("parameter array holds " + theta.length + " values, need "
                    + ((long) batch * p) + " (" + batch + " sets of " + p + ": " + space.names() + ")");
        }
        if (perCurve != null && perCurve.length < (long) batch * perCurveLength) {
            throw new IllegalArgumentException("curve array holds " + perCurve.length + " values, need "
                    + ((long) batch * perCurveLength) + " (" + batch + " curves of " + perCurveLength + " q points)");
        }
    }

    @Override
    public String toString() {
        return "Surrogate[" + metadata.description() + ", " + space.size() + " parameters, " + q.length
                + " q points, network " + metadata.network().width() + " x " + metadata.network().blocks()
                + " blocks" + (clamping ? ", clamping" : "") + "]";
    }
}
