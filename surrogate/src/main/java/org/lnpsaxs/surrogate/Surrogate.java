package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.internal.VectorWatch;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.nn.NetworkSpec;

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
 * <p><b>Two tiers.</b> The batched methods take flat, batch-major {@code double[]} parameter sets
 * in {@link #parameters()} order and write into caller-supplied arrays: the fast path, which the
 * fitter uses. For a person typing parameters, {@link #evaluate(Map)} and
 * {@link #predictLog10(Map)} take them by name ({@code lnp.evaluate(Map.of("R", 250,
 * "shell_thickness", 55))}); parameters not named take {@link #defaults()}, the example particle of
 * {@link LnpParameters#example()}.
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
 * makes ND4J worthwhile, {@code withJavaMaxBatch(n)} sends batches above n rows to it. Results are
 * reproducible: the same batch with the same settings gives bit-identical numbers; the Java
 * evaluator's rows never depend on their batch, ND4J's only at the float32 rounding level.
 *
 * <p><b>Loading without ND4J.</b> Loading a model file ({@link ModelFile#read}) and the Java
 * evaluator use no ND4J class: ND4J (and its native start-up) is loaded only when a batch first
 * goes to the ND4J evaluator ({@link Backend#ND4J}, or {@link Backend#AUTO} above the Java limit),
 * or when a model is trained or written.
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

    /** Which evaluator runs the networks. */
    public enum Backend {
        /** Java for batches up to the Java limit, ND4J above. */
        AUTO,
        /** Always the plain-Java double evaluator. */
        JAVA,
        /** Always the ND4J float32 evaluator. */
        ND4J
    }

    private final SurrogateCore core;
    private final boolean clamping;
    private final int chunk;
    private final int javaMaxBatch;
    private final Backend backend;
    private final ThreadLocal<SurrogateCore.Work> work;

    private Surrogate(SurrogateCore core, boolean clamping, int chunk, int javaMaxBatch, Backend backend) {
        this.core = core;
        this.clamping = clamping;
        this.chunk = chunk;
        this.javaMaxBatch = javaMaxBatch;
        this.backend = backend;
        this.work = ThreadLocal.withInitial(() -> new SurrogateCore.Work(core));
    }

    /**
     * A surrogate over a model read from a file (see {@link ModelFile}) or made by hand.
     *
     * @throws IllegalArgumentException if the parameter space lacks the LNP parameters or the q
     *                                  grid does not suit the simulator settings
     */
    public static Surrogate of(ModelFile.Contents contents) {
        return new Surrogate(new SurrogateCore(contents), false, DEFAULT_CHUNK, DEFAULT_JAVA_MAX_BATCH, Backend.AUTO);
    }

    /**
     * Loads a model file (without starting ND4J).
     *
     * @throws IOException if the file is missing, not a model file, of another format version,
     *                     truncated, corrupt or edited (the message names the file and the problem)
     */
    public static Surrogate load(Path file) throws IOException {
        try (InputStream in = ModelFile.open(file)) {
            return load(in, file.toString());
        }
    }

    /** Loads a model file from a stream (without starting ND4J); {@code source} names it in messages. */
    public static Surrogate load(InputStream in, String source) throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(in, source);
        SurrogateCore core;
        try {
            core = new SurrogateCore(loaded);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return new Surrogate(core, false, DEFAULT_CHUNK, DEFAULT_JAVA_MAX_BATCH, Backend.AUTO);
    }

    /**
     * Loads the default model shipped in the surrogate jar ({@value #DEFAULT_RESOURCE}), without
     * starting ND4J. Unchecked, so that it serves as a {@code Supplier}
     * ({@code FitModels.byName("lnp", Surrogate::loadDefault)}).
     *
     * @throws IllegalStateException if the jar has no default model (a broken installation)
     * @throws UncheckedIOException  if it cannot be read (the message says why)
     */
    public static Surrogate loadDefault() {
        InputStream in = Surrogate.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("no default surrogate model on the class path (" + DEFAULT_RESOURCE
                    + "): the lnpsaxs-surrogate jar is incomplete; load a model file with Surrogate.load, or train"
                    + " one (docs/surrogate.md)");
        }
        try (in) {
            return load(in, "default model " + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** A copy that clamps out-of-box values to the box (true) or refuses them (false, the default). */
    public Surrogate withClamping(boolean clamp) {
        return new Surrogate(core, clamp, chunk, javaMaxBatch, backend);
    }

    /** A copy whose ND4J evaluator works on at most {@code rows} rows at a time ({@code >= 1}). */
    public Surrogate withChunkSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 row, got " + rows);
        }
        return new Surrogate(core, clamping, rows, javaMaxBatch, backend);
    }

    /** A copy that serves batches of at most {@code rows} rows with the Java evaluator (AUTO backend). */
    public Surrogate withJavaMaxBatch(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("java max batch must be >= 0, got " + rows);
        }
        return new Surrogate(core, clamping, chunk, rows, backend);
    }

    /** A copy that always uses one evaluator (or {@link Backend#AUTO}). */
    public Surrogate withBackend(Backend b) {
        return new Surrogate(core, clamping, chunk, javaMaxBatch, Objects.requireNonNull(b, "backend"));
    }

    /**
     * The model file's metadata (parameter space, q grid, network, provenance).
     *
     * @throws UncheckedIOException if the model file's provenance cannot be read (it is read on
     *                              first use; the rest of the metadata was checked when loading)
     */
    public ModelMetadata metadata() {
        return core.metadata();
    }

    /**
     * The surrogate's measured error, from its model file ({@value ModelFile#ERROR_MODEL}); empty
     * when the file has none (files written before error models were shipped).
     */
    public Optional<ErrorModel> errorModel() {
        return Optional.ofNullable(core.errorModel);
    }

    /** Whether out-of-box values are clamped. */
    public boolean clamping() {
        return clamping;
    }

    /** The evaluator choice. */
    public Backend backend() {
        return backend;
    }

    @Override
    public ParameterSpace parameters() {
        return core.space;
    }

    @Override
    public double[] q() {
        return core.q.clone();
    }

    /** The q grid, Å⁻¹. */
    public QGrid qGrid() {
        return QGrid.of(core.q);
    }

    @Override
    public int qSize() {
        return core.q.length;
    }

    /**
     * The values that the named methods use for parameters not named, in {@link #parameters()}
     * order: the example particle of {@link LnpParameters#example()} (a parameter that it lacks
     * takes the middle of its range).
     */
    public Map<String, Double> defaults() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Parameter p : core.space.asList()) {
            int i = LnpParameters.SPACE.contains(p.name()) ? LnpParameters.SPACE.indexOf(p.name()) : -1;
            m.put(p.name(), i >= 0 ? LnpParameters.example()[i] : 0.5 * (p.lower() + p.upper()));
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * A parameter vector in {@link #parameters()} order from named values (any numbers);
     * parameters not named take {@link #defaults()}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or
     *                                  a null value
     */
    public double[] vector(Map<String, ? extends Number> values) {
        Map<String, Double> named = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has no value");
            }
            named.put(e.getKey(), e.getValue().doubleValue());
        }
        double[] defaults = new double[core.space.size()];
        int j = 0;
        for (double v : defaults().values()) {
            defaults[j++] = v;
        }
        return core.space.vector(defaults, named);
    }

    /** I (arbitrary units) on {@link #q()} for parameters by name; the others take {@link #defaults()}. */
    public double[] evaluate(Map<String, ? extends Number> values) {
        return evaluate(vector(values));
    }

    /** log₁₀ I on {@link #q()} for parameters by name; the others take {@link #defaults()}. */
    public double[] predictLog10(Map<String, ? extends Number> values) {
        return predictLog10(vector(values));
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
        double[] out = new double[core.q.length];
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

    /**
     * Evaluates a batch, asks {@code upstream} for \( \partial L/\partial I \) given the
     * intensities of the whole batch, and returns the vector-Jacobian product, doing the forward
     * pass once (the size-distribution layer calls this).
     */
    @Override
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        checkLengths(theta, batch, out, core.q.length);
        checkGradient(dLdTheta, batch);
        run(theta, batch, out, Objects.requireNonNull(upstream, "upstream"), null, true, dLdTheta);
    }

    /** Evaluates a batch and returns the vector-Jacobian product for a known dL/dI in one pass. */
    @Override
    public void evaluateAndVectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] out,
                                                 double[] dLdTheta) {
        checkLengths(theta, batch, dLdI, core.q.length);
        checkLengths(theta, batch, out, core.q.length);
        checkGradient(dLdTheta, batch);
        run(theta, batch, out, null, dLdI, true, dLdTheta);
    }

    private boolean useJava(int batch) {
        return backend == Backend.JAVA || (backend == Backend.AUTO && batch <= javaMaxBatch);
    }

    private void predict(double[] theta, int batch, double[] out, boolean intensity) {
        checkLengths(theta, batch, out, core.q.length);
        if (useJava(batch)) {
            SurrogateCore.Work w = work.get(); // a new thread's buffers are not the kernels' allocation
            long allocated = VectorWatch.allocated();
            core.javaEvaluator.predict(theta, batch, out, intensity, clamping, w);
            VectorWatch.observe(allocated, batch);
        } else {
            core.nd4j().predict(theta, batch, out, intensity, clamping, chunk, work.get());
        }
    }

    private void vjp(double[] theta, int batch, double[] upstream, double[] dLdTheta, boolean intensity) {
        checkLengths(theta, batch, upstream, core.q.length);
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
        if (useJava(batch)) {
            SurrogateCore.Work w = work.get(); // a new thread's buffers are not the kernels' allocation
            long allocated = VectorWatch.allocated();
            // nor is what the caller's upstream gradient allocates (the size-distribution layer, a loss):
            // its bytes, counted on this thread around the call, are left out of the watch's
            long[] upstreamBytes = {0};
            UpstreamGradient counted = upstream == null || allocated < 0 ? upstream : (i, n, g) -> {
                long before = VectorWatch.allocated();
                upstream.compute(i, n, g);
                upstreamBytes[0] += VectorWatch.allocated() - before;
            };
            core.javaEvaluator.run(theta, batch, out, counted, fixed, intensity, dLdTheta, clamping, w);
            VectorWatch.observe(allocated < 0 ? allocated : allocated + upstreamBytes[0], batch);
        } else {
            core.nd4j().run(theta, batch, out, upstream, fixed, intensity, dLdTheta, clamping, chunk, work.get());
        }
    }

    private void checkGradient(double[] dLdTheta, int batch) {
        int p = core.space.size();
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
    }

    private void checkLengths(double[] theta, int batch, double[] perCurve, int perCurveLength) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        int p = core.space.size();
        if (theta.length < (long) batch * p) {
            throw new IllegalArgumentException("parameter array holds " + theta.length + " values, need "
                    + ((long) batch * p) + " (" + batch + " sets of " + p + ": " + core.space.names() + ")");
        }
        if (perCurve != null && perCurve.length < (long) batch * perCurveLength) {
            throw new IllegalArgumentException("curve array holds " + perCurve.length + " values, need "
                    + ((long) batch * perCurveLength) + " (" + batch + " curves of " + perCurveLength + " q points)");
        }
    }

    /**
     * What the model is: description, parameters with their training box, q grid, network shape,
     * and the settings that differ from the defaults.
     */
    @Override
    public String toString() {
        ModelMetadata m = core.header;
        NetworkSpec n = m.network();
        StringBuilder sb = new StringBuilder("Surrogate[").append(m.description()).append("; ")
                .append(core.space.size()).append(" parameters ").append(core.space.names()).append("; ")
                .append(core.q.length).append(" q points ").append(core.q[0]).append(" .. ")
                .append(core.q[core.q.length - 1]).append(" 1/Å; ").append(n.architecture()).append(": fluctuation MLP ")
                .append(n.fluctuation().hidden()).append(" rank ").append(n.fluctuation().rank())
                .append(", correction MLP ").append(n.correction().hidden()).append(" rank ")
                .append(n.correction().rank());
        if (clamping) {
            sb.append("; clamping");
        }
        if (backend != Backend.AUTO) {
            sb.append("; backend ").append(backend);
        } else if (javaMaxBatch != DEFAULT_JAVA_MAX_BATCH) {
            sb.append("; ND4J above ").append(javaMaxBatch).append(" rows");
        }
        return sb.append(']').toString();
    }
}
