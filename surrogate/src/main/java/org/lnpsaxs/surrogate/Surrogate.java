package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.nn.JavaNetwork;
import org.lnpsaxs.surrogate.nn.Nd4jNetwork;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neural surrogate of the LNP simulator as a differentiable model: the intensity
 * \( I(q;\theta) \) in the simulator's arbitrary units on the model's q grid (Å⁻¹); the parameters
 * are those of the model file, in its order and with its training box as bounds ({@code GRF_shift,
 * R [Å], w_q1, m_q1 [Å⁻¹], m_q2 [Å⁻¹], s_q1 [Å⁻¹], s_q2 [Å⁻¹], shell_thickness [Å],
 * relative_rho_shell}).
 *
 * <p><b>Model</b> (see {@link NetworkSpec} and docs/surrogate.md):
 * \( I_k = \bar I_k\,10^{E_k} + N_c\,10^{D_k} \): the closed-form intensity of the mean particle
 * ({@link MeanParticle}: a homogeneous core-shell sphere, smoothed and radially averaged exactly as
 * the simulator does), corrected by the small network output \(E\), plus the interior fluctuation
 * term, the core volume in voxels \(N_c\) times \(10^{D}\) from a small network over the core
 * radius and the spectrum.
 *
 * <p><b>Gradients.</b> {@link #vectorJacobianProduct} returns
 * \( \partial L/\partial\theta_j = \sum_k (\partial L/\partial I_k)\,\partial I_k/\partial\theta_j \)
 * through the closed-form term and both networks (exact reverse mode);
 * {@link #vectorJacobianProductLog10} does the same for a gradient with respect to log₁₀ I;
 * {@link #evaluateAndBackpropagate} evaluates and back-propagates in one pass.
 *
 * <p><b>Two evaluators over the same weights.</b> Batches of at most
 * {@link #withJavaMaxBatch(int) javaMaxBatch} rows use plain Java loops in double precision (no
 * allocation for a batch of one); larger batches run the networks on ND4J BLAS in float32, in
 * chunks of {@link #withChunkSize(int) chunkSize} rows (default {@value #DEFAULT_CHUNK}); the
 * closed-form term is always computed in Java, double. The two agree to float32 precision. By
 * default every batch uses Java: for these small networks the vectorised Java loops were faster
 * than ND4J at every batch size on the project's machines (docs/benchmarks.md); where a faster BLAS
 * makes ND4J worthwhile, {@code withJavaMaxBatch(n)} sends batches above n rows to it. Results are reproducible: the same batch with the same settings
 * gives bit-identical numbers; the Java evaluator's rows never depend on their batch, ND4J's only
 * at the float32 rounding level.
 *
 * <p><b>Box.</b> Parameter values outside the training box are refused with an
 * {@link IllegalArgumentException} naming the parameter, its value and its range; with
 * {@link #withClamping(boolean) clamping} they are moved to the nearest bound instead (logged at
 * WARN the first time per parameter, then at DEBUG), and the gradient with respect to a clamped
 * value is 0. NaN is always refused.
 *
 * <p>Instances are immutable and thread-safe; the {@code withX} methods share the weights.
 */
public final class Surrogate implements FusedDifferentiableModel {

    /** The class-path resource of the default model. */
    public static final String DEFAULT_RESOURCE = "/org/lnpsaxs/surrogate/default-model.zip";
    /** Default largest batch served by the Java evaluator: all (see the class comment). */
    public static final int DEFAULT_JAVA_MAX_BATCH = Integer.MAX_VALUE;
    /** Default chunk size of the ND4J evaluator, rows. */
    public static final int DEFAULT_CHUNK = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(Surrogate.class);
    private static final double LN10 = Math.log(10);

    /** Which evaluator runs the networks. */
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
    private final LnpFeatures features;
    private final MeanParticle mean;
    private final JavaNetwork java;
    private final Nd4jNetwork nd4j;
    private final boolean clamping;
    private final int chunk;
    private final int javaMaxBatch;
    private final Backend backend;
    private final AtomicBoolean[] warned;
    private final ThreadLocal<Work> work;

    private Surrogate(ModelMetadata metadata, ParameterSpace space, double[] q, LnpFeatures features,
                      MeanParticle mean, JavaNetwork java, Nd4jNetwork nd4j, boolean clamping, int chunk,
                      int javaMaxBatch, Backend backend, AtomicBoolean[] warned) {
        this.metadata = metadata;
        this.space = space;
        this.q = q;
        this.features = features;
        this.mean = mean;
        this.java = java;
        this.nd4j = nd4j;
        this.clamping = clamping;
        this.chunk = chunk;
        this.javaMaxBatch = javaMaxBatch;
        this.backend = backend;
        this.warned = warned;
        this.work = ThreadLocal.withInitial(() -> new Work(this));
    }

    /**
     * A surrogate over a model read from a file (see {@link ModelFile}).
     *
     * @throws IllegalArgumentException if the parameter space lacks the LNP parameters or the q
     *                                  grid does not suit the simulator settings
     */
    public static Surrogate of(ModelFile.Contents contents) {
        ModelMetadata m = contents.metadata();
        Weights w = contents.weights();
        ParameterSpace space = m.parameterSpace();
        NetworkSpec spec = m.network();
        AtomicBoolean[] warned = new AtomicBoolean[space.size()];
        for (int j = 0; j < warned.length; j++) {
            warned[j] = new AtomicBoolean();
        }
        double[] q = m.q();
        RadialOperator op = RadialOperator.of(q, spec.voxel(), spec.plane(), spec.refine());
        return new Surrogate(m, space, q, new LnpFeatures(space, spec.voxel()), new MeanParticle(op),
                new JavaNetwork(w), new Nd4jNetwork(w), false, DEFAULT_CHUNK, DEFAULT_JAVA_MAX_BATCH, Backend.AUTO,
                warned);
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
        return new Surrogate(metadata, space, q, features, mean, java, nd4j, clamp, chunk, javaMaxBatch, backend, warned);
    }

    /** A copy whose ND4J evaluator works on at most {@code rows} rows at a time ({@code >= 1}). */
    public Surrogate withChunkSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 row, got " + rows);
        }
        return new Surrogate(metadata, space, q, features, mean, java, nd4j, clamping, rows, javaMaxBatch, backend, warned);
    }

    /** A copy that serves batches of at most {@code rows} rows with the Java evaluator (AUTO backend). */
    public Surrogate withJavaMaxBatch(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("java max batch must be >= 0, got " + rows);
        }
        return new Surrogate(metadata, space, q, features, mean, java, nd4j, clamping, chunk, rows, backend, warned);
    }

    /** A copy that always uses one evaluator (or {@link Backend#AUTO}). */
    public Surrogate withBackend(Backend b) {
        return new Surrogate(metadata, space, q, features, mean, java, nd4j, clamping, chunk, javaMaxBatch,
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

    /** Per-thread buffers of the Java path (so that a batch-1 call allocates nothing). */
    private static final class Work {
        final LnpFeatures.Row row = new LnpFeatures.Row();
        final MeanParticle.Work mean;
        final JavaNetwork.Work net;
        final double[] theta;
        final boolean[] clamped;
        final double[] meanOut;
        final double[] d;
        final double[] e;
        final double[] eE;
        final double[] eD;
        final double[] gMean;
        final double[] gD;
        final double[] gE;
        final double[] dxf = new double[LnpFeatures.FLUCTUATION_FEATURES];
        final double[] dxe = new double[LnpFeatures.CORRECTION_FEATURES];
        final double[] grad4 = new double[4];

        Work(Surrogate s) {
            int nq = s.q.length;
            mean = new MeanParticle.Work(s.mean);
            net = new JavaNetwork.Work(s.java);
            theta = new double[s.space.size()];
            clamped = new boolean[s.space.size()];
            meanOut = new double[nq];
            d = new double[nq];
            e = new double[nq];
            eE = new double[nq];
            eD = new double[nq];
            gMean = new double[nq];
            gD = new double[nq];
            gE = new double[nq];
        }
    }

    private Work work() {
        return work.get();
    }

    /**
     * The forward pass of row b on the Java path: features, mean particle ({@code w.meanOut}),
     * networks, and the factors {@code w.eE}, {@code w.eD} with I = meanOut·eE + eD; with
     * {@code forBackward} the mean particle's slopes are kept for the reverse pass.
     */
    private void forwardRow(double[] theta, int b, Work w, boolean forBackward) {
        inputRow(theta, b, w.theta, w.clamped, 0);
        features.compute(w.theta, 0, w.row);
        mean.intensity(w.row.r, w.row.rc, w.row.cc, w.row.cs, w.meanOut, 0, w.mean, forBackward);
        java.forward(w.row.xf, 0, w.row.xe, 0, w.d, w.e, 0, w.net);
        compose(w.meanOut, w.d, w.e, 0, w.row.lgNc, w.eE, w.eD);
    }

    /** eE_k = 10^{E_k}, eD_k = 10^{lgNc + D_k}; I_k = mean_k eE_k + eD_k. */
    private static void compose(double[] meanOut, double[] d, double[] e, int o, double lgNc, double[] eE,
                                double[] eD) {
        int nq = eE.length;
        for (int k = 0; k < nq; k++) {
            eE[k] = Math.exp(LN10 * e[o + k]);
            eD[k] = Math.exp(LN10 * (lgNc + d[o + k]));
        }
    }

    private void predict(double[] theta, int batch, double[] out, boolean intensity) {
        checkLengths(theta, batch, out, q.length);
        int nq = q.length;
        if (useJava(batch)) {
            Work w = work();
            for (int b = 0; b < batch; b++) {
                forwardRow(theta, b, w, false);
                int base = b * nq;
                for (int k = 0; k < nq; k++) {
                    double i = w.meanOut[k] * w.eE[k] + w.eD[k];
                    out[base + k] = intensity ? i : Math.log10(i);
                }
            }
            return;
        }
        Nd4jChunk c = new Nd4jChunk(Math.min(chunk, batch));
        Work w = work();
        for (int start = 0; start < batch; start += chunk) {
            int n = Math.min(chunk, batch - start);
            c.forward(theta, start, n, false, w);
            for (int r = 0; r < n; r++) {
                c.row(r, w);
                int base = (start + r) * nq;
                for (int k = 0; k < nq; k++) {
                    double i = w.meanOut[k] * w.eE[k] + w.eD[k];
                    out[base + k] = intensity ? i : Math.log10(i);
                }
            }
        }
    }

    /** The ND4J path's state for one chunk of rows. */
    private final class Nd4jChunk {
        final int cap;
        final double[] thetaRows;
        final boolean[] clamped;
        final LnpFeatures.Row[] rows;
        final float[] xf;
        final float[] xe;
        final float[] d;
        final float[] e;
        final float[] gD;
        final float[] gE;
        final float[] dxf;
        final float[] dxe;
        int start;
        int n;
        Nd4jNetwork.Tape tape;
        /** The rows' mean-particle intensities, kept by a fused call (else null). */
        float[] meanKept;
        /** Whether meanKept holds the current rows' values. */
        boolean keptValid;

        Nd4jChunk(int cap) {
            this.cap = cap;
            int p = space.size();
            int nq = q.length;
            thetaRows = new double[cap * p];
            clamped = new boolean[cap * p];
            rows = new LnpFeatures.Row[cap];
            for (int i = 0; i < cap; i++) {
                rows[i] = new LnpFeatures.Row();
            }
            xf = new float[cap * LnpFeatures.FLUCTUATION_FEATURES];
            xe = new float[cap * LnpFeatures.CORRECTION_FEATURES];
            d = new float[cap * nq];
            e = new float[cap * nq];
            gD = new float[cap * nq];
            gE = new float[cap * nq];
            dxf = new float[cap * LnpFeatures.FLUCTUATION_FEATURES];
            dxe = new float[cap * LnpFeatures.CORRECTION_FEATURES];
        }

        /** Features of rows start .. start+n-1 and the networks' forward pass. */
        void forward(double[] theta, int from, int count, boolean keep, Work w) {
            this.start = from;
            this.n = count;
            int p = space.size();
            int ff = LnpFeatures.FLUCTUATION_FEATURES;
            int fe = LnpFeatures.CORRECTION_FEATURES;
            for (int r = 0; r < count; r++) {
                inputRow(theta, from + r, thetaRows, clamped, r * p);
                LnpFeatures.Row row = rows[r];
                features.compute(thetaRows, r * p, row);
                for (int j = 0; j < ff; j++) {
                    xf[r * ff + j] = (float) row.xf[j];
                }
                for (int j = 0; j < fe; j++) {
                    xe[r * fe + j] = (float) row.xe[j];
                }
            }
            tape = nd4j.forward(xf, xe, count, d, e, keep);
        }

        /** Row r's mean term (computed, or read back when kept) and composition into w (meanOut, eE, eD). */
        void row(int r, Work w) {
            LnpFeatures.Row row = rows[r];
            int nq = q.length;
            int o = r * nq;
            if (meanKept != null && keptValid) {
                for (int k = 0; k < nq; k++) {
                    w.meanOut[k] = meanKept[o + k];
                }
            } else {
                mean.intensity(row.r, row.rc, row.cc, row.cs, w.meanOut, 0, w.mean);
                if (meanKept != null) {
                    for (int k = 0; k < nq; k++) {
                        meanKept[o + k] = (float) w.meanOut[k];
                    }
                }
            }
            for (int k = 0; k < nq; k++) {
                w.eE[k] = Math.exp(LN10 * e[o + k]);
                w.eD[k] = Math.exp(LN10 * (row.lgNc + d[o + k]));
            }
        }
    }

    /**
     * The reverse pass of one row through the composition: from dL/dI ({@code gI[go ..]}) to
     * dL/dD, dL/dE (into {@code gD}, {@code gE} at {@code o}), dL/d(mean) (into {@code w.gMean}),
     * and returns dL/d log₁₀ N_c. Needs {@code w.meanOut, w.eE, w.eD} of the row.
     */
    private static double composeBackward(double[] gI, int go, Work w, double[] gD, double[] gE, int o) {
        double gLg = 0;
        int nq = w.eE.length;
        for (int k = 0; k < nq; k++) {
            double g = gI[go + k];
            w.gMean[k] = g * w.eE[k];
            gE[o + k] = g * w.meanOut[k] * w.eE[k] * LN10;
            double gd = g * w.eD[k] * LN10;
            gD[o + k] = gd;
            gLg += gd;
        }
        return gLg;
    }

    /** dL/dI of row b into {@code buf} from the upstream gradient (with respect to I, or to log₁₀ I). */
    private double[] upstreamToIntensity(double[] upstream, int b, boolean intensity, Work w, double[] buf) {
        int nq = q.length;
        if (intensity) {
            System.arraycopy(upstream, b * nq, buf, 0, nq);
        } else {
            for (int k = 0; k < nq; k++) {
                double i = w.meanOut[k] * w.eE[k] + w.eD[k];
                buf[k] = upstream[b * nq + k] / (i * LN10);
            }
        }
        return buf;
    }

    /** The reverse pass of a row whose mean term, features and network gradients are in place. */
    private void finishRow(double[] thetaRow, int off, LnpFeatures.Row row, boolean[] clamped, double gLg, Work w,
                           double[] dLdTheta, int o) {
        mean.backward(row.r, row.rc, row.cc, row.cs, w.gMean, w.grad4, w.mean);
        features.backward(thetaRow, off, row, w.dxf, w.dxe, w.grad4[0], w.grad4[1], w.grad4[2], w.grad4[3], gLg,
                dLdTheta, o);
        int p = space.size();
        for (int j = 0; j < p; j++) {
            if (clamped[off + j]) {
                dLdTheta[o + j] = 0;
            }
        }
    }

    private void vjp(double[] theta, int batch, double[] upstream, double[] dLdTheta, boolean intensity) {
        checkLengths(theta, batch, upstream, q.length);
        checkGradient(dLdTheta, batch);
        run(theta, batch, null, (out, n, g) -> { }, upstream, intensity, dLdTheta);
    }

    /**
     * Forward pass, upstream gradient, reverse pass, sharing the forward work: the Java path keeps
     * each row's state, the ND4J path each chunk's tape, until the upstream gradient of the whole
     * batch is known. With {@code fixed} the upstream gradient is given (with respect to I when
     * {@code intensity}, else to log₁₀ I) and {@code out} may be null.
     */
    private void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixed,
                     boolean intensity, double[] dLdTheta) {
        int nq = q.length;
        int p = space.size();
        double[] g = fixed != null ? fixed : new double[batch * nq];
        Work w = work();
        double[] gI = new double[nq];
        if (useJava(batch)) {
            if (fixed != null) {
                // upstream known: one row at a time, nothing kept
                for (int b = 0; b < batch; b++) {
                    forwardRow(theta, b, w, true);
                    if (out != null) {
                        for (int k = 0; k < nq; k++) {
                            out[b * nq + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                        }
                    }
                    upstreamToIntensity(g, b, intensity, w, gI);
                    double gLg = composeBackward(gI, 0, w, w.gD, w.gE, 0);
                    java.backward(w.gD, w.gE, 0, w.dxf, w.dxe, w.net);
                    finishRow(w.theta, 0, w.row, w.clamped, gLg, w, dLdTheta, b * p);
                }
                return;
            }
            // fused with an upstream callback: keep every row's state
            RowState[] states = new RowState[batch];
            for (int b = 0; b < batch; b++) {
                RowState st = new RowState(this);
                inputRow(theta, b, st.theta, st.clamped, 0);
                features.compute(st.theta, 0, st.row);
                mean.intensity(st.row.r, st.row.rc, st.row.cc, st.row.cs, st.meanOut, 0, w.mean);
                java.forward(st.row.xf, 0, st.row.xe, 0, w.d, w.e, 0, st.net);
                compose(st.meanOut, w.d, w.e, 0, st.row.lgNc, st.eE, st.eD);
                for (int k = 0; k < nq; k++) {
                    out[b * nq + k] = st.meanOut[k] * st.eE[k] + st.eD[k];
                }
                states[b] = st;
            }
            upstream.compute(out, batch, g);
            for (int b = 0; b < batch; b++) {
                RowState st = states[b];
                System.arraycopy(st.meanOut, 0, w.meanOut, 0, nq);
                System.arraycopy(st.eE, 0, w.eE, 0, nq);
                System.arraycopy(st.eD, 0, w.eD, 0, nq);
                double gLg = composeBackward(g, b * nq, w, w.gD, w.gE, 0);
                java.backward(w.gD, w.gE, 0, w.dxf, w.dxe, st.net);
                finishRow(st.theta, 0, st.row, st.clamped, gLg, w, dLdTheta, b * p);
            }
            return;
        }
        int chunks = (batch + chunk - 1) / chunk;
        if (fixed != null) {
            Nd4jChunk c = new Nd4jChunk(Math.min(chunk, batch));
            for (int ci = 0; ci < chunks; ci++) {
                int start = ci * chunk;
                c.forward(theta, start, Math.min(chunk, batch - start), true, w);
                backwardChunk(c, g, intensity, out, dLdTheta, w, gI);
            }
            return;
        }
        Nd4jChunk[] cs = new Nd4jChunk[chunks];
        for (int ci = 0; ci < chunks; ci++) {
            int start = ci * chunk;
            int n = Math.min(chunk, batch - start);
            Nd4jChunk c = new Nd4jChunk(n);
            c.forward(theta, start, n, true, w);
            c.meanKept = new float[n * nq];
            c.keptValid = false;
            for (int r = 0; r < n; r++) {
                c.row(r, w);
                int base = (start + r) * nq;
                for (int k = 0; k < nq; k++) {
                    out[base + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                }
            }
            c.keptValid = true;
            cs[ci] = c;
        }
        upstream.compute(out, batch, g);
        for (Nd4jChunk c : cs) {
            backwardChunk(c, g, true, null, dLdTheta, w, gI);
        }
    }

    /** The reverse pass of a chunk whose forward pass (with tape) is done. */
    private void backwardChunk(Nd4jChunk c, double[] g, boolean intensity, double[] out, double[] dLdTheta, Work w,
                               double[] gI) {
        int nq = q.length;
        int p = space.size();
        double[] gDr = new double[nq];
        double[] gEr = new double[nq];
        double[] gLg = new double[c.n];
        for (int r = 0; r < c.n; r++) {
            int b = c.start + r;
            c.row(r, w);
            if (out != null) {
                for (int k = 0; k < nq; k++) {
                    out[b * nq + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                }
            }
            upstreamToIntensity(g, b, intensity, w, gI);
            gLg[r] = composeBackward(gI, 0, w, gDr, gEr, 0);
            for (int k = 0; k < nq; k++) {
                c.gD[r * nq + k] = (float) gDr[k];
                c.gE[r * nq + k] = (float) gEr[k];
            }
            // the mean term's reverse pass needs this row's gMean now
            mean.backward(c.rows[r].r, c.rows[r].rc, c.rows[r].cc, c.rows[r].cs, w.gMean, w.grad4, w.mean);
            int o = b * p;
            dLdTheta[o] = w.grad4[0];
            dLdTheta[o + 1] = w.grad4[1];
            dLdTheta[o + 2] = w.grad4[2];
            dLdTheta[o + 3] = w.grad4[3];
        }
        nd4j.backward(c.tape, c.gD, c.gE, c.dxf, c.dxe);
        int ff = LnpFeatures.FLUCTUATION_FEATURES;
        int fe = LnpFeatures.CORRECTION_FEATURES;
        for (int r = 0; r < c.n; r++) {
            int b = c.start + r;
            int o = b * p;
            for (int j = 0; j < ff; j++) {
                w.dxf[j] = c.dxf[r * ff + j];
            }
            for (int j = 0; j < fe; j++) {
                w.dxe[j] = c.dxe[r * fe + j];
            }
            double gR = dLdTheta[o];
            double gRc = dLdTheta[o + 1];
            double gcc = dLdTheta[o + 2];
            double gcs = dLdTheta[o + 3];
            features.backward(c.thetaRows, r * p, c.rows[r], w.dxf, w.dxe, gR, gRc, gcc, gcs, gLg[r], dLdTheta, o);
            for (int j = 0; j < p; j++) {
                if (c.clamped[r * p + j]) {
                    dLdTheta[o + j] = 0;
                }
            }
        }
    }

    /** One row's forward state kept for a fused call on the Java path. */
    private static final class RowState {
        final LnpFeatures.Row row = new LnpFeatures.Row();
        final double[] theta;
        final boolean[] clamped;
        final double[] meanOut;
        final double[] eE;
        final double[] eD;
        final JavaNetwork.Work net;

        RowState(Surrogate s) {
            int nq = s.q.length;
            theta = new double[s.space.size()];
            clamped = new boolean[s.space.size()];
            meanOut = new double[nq];
            eE = new double[nq];
            eD = new double[nq];
            net = new JavaNetwork.Work(s.java);
        }
    }

    /**
     * Evaluates a batch, asks {@code upstream} for \( \partial L/\partial I \) given the
     * intensities of the whole batch, and returns the vector-Jacobian product, doing the forward
     * pass once (the size-distribution layer calls this).
     */
    @Override
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        checkLengths(theta, batch, out, q.length);
        checkGradient(dLdTheta, batch);
        run(theta, batch, out, Objects.requireNonNull(upstream, "upstream"), null, true, dLdTheta);
    }

    /** Evaluates a batch and returns the vector-Jacobian product for a known dL/dI in one pass. */
    @Override
    public void evaluateAndVectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] out,
                                                 double[] dLdTheta) {
        checkLengths(theta, batch, dLdI, q.length);
        checkLengths(theta, batch, out, q.length);
        checkGradient(dLdTheta, batch);
        run(theta, batch, out, null, dLdI, true, dLdTheta);
    }

    private void checkGradient(double[] dLdTheta, int batch) {
        int p = space.size();
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
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
        NetworkSpec n = metadata.network();
        return "Surrogate[" + metadata.description() + ", " + space.size() + " parameters, " + q.length
                + " q points, " + n.architecture() + ": fluctuation MLP " + n.fluctuation().hidden() + " rank "
                + n.fluctuation().rank() + ", correction MLP " + n.correction().hidden() + " rank "
                + n.correction().rank() + (clamping ? ", clamping" : "") + "]";
    }
}
