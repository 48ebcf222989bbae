package org.lnpsaxs.core.simulator;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's LNP forward model, simulated directly: a voxelised core-shell sphere whose core
 * holds a Gaussian-random-field density, projected, Fourier transformed and radially averaged.
 *
 * <p><b>Model</b> (DESIGN §4.2; parameters in {@link LnpParameters#SPACE}'s order). Densities are
 * relative to the solvent (solvent = 1). The standardised field \( Y \) of spectral density
 * {@link SpectralDensity} \( G(k) \) becomes the core density
 * \( \rho_{int} = \mathrm{sigmoid}(Y) - \overline{\mathrm{sigmoid}(Y)} + 1 + \mathrm{GRF\_shift} \)
 * (see {@link InteriorModel} for the alternatives); the shell (between R − t and R) has the
 * density \( \mathrm{relative\_rho\_shell}\cdot(1 + \mathrm{GRF\_shift}) \), i.e. relative to the
 * mean interior density; the solvent is 1. Each realisation is projected along z (and optionally x
 * and y), its Nf × Nf DFT taken, \( |F|^2 \) smoothed by the σ = 1 pixel Gaussian
 * (\( e^{-(Q\Delta x)^2} \)) and radially averaged with the paper's kernel
 * (see {@link #run}).
 *
 * <p><b>Units.</b> q in Å⁻¹, lengths in Å. The intensity is the paper's: the squared modulus of the
 * DFT of the projected contrast \( \rho - 1 \) in voxel units, so
 * \( I(q \to 0) = (\sum_{voxels}(\rho - 1))^2 \). It is the <em>average</em> over realisations
 * and projections (the paper sums), so its level does not depend on their number.
 *
 * <p><b>How this differs from the paper's code, and why</b> (docs/theory.md has the details):
 * the interior field lives in a periodic box sized to the core (its diameter plus a margin over
 * which the field's correlation has decayed below {@link #withCorrelationTolerance tolerance}),
 * not a fixed 512³ box; the field is drawn directly in Fourier space and two realisations come
 * from one complex transform; the field is standardised with its population variance and the
 * sigmoid's mean ½ (the large-box limit of the paper's whole-box sample statistics; sample
 * statistics on request); the solvent is subtracted, which changes only the excluded Q = 0 pixel;
 * the 2-D transform is pruned to the pixels the radial average uses. Each of these is exact or
 * the large-box limit of the paper's procedure.
 *
 * <p><b>Noise and seeds.</b> Realisation r's noise is a function of (seed, r, box size) only — not
 * of the thread count, the batch position or the other parameters. With a fixed seed every
 * parameter set therefore sees the same noise (common random numbers, like the paper's fixed key),
 * as long as the box size is the same; pass a different seed per curve for independent noise.
 * Results are bit-for-bit identical for any thread count.
 *
 * <p>Immutable and thread-safe; configure with the {@code withX} methods. Realisations run in
 * parallel on this instance's own daemon threads (JTransforms' pool is not used).
 */
public final class LnpSimulator implements BatchedModel {

    private static final Logger LOG = LoggerFactory.getLogger(LnpSimulator.class);

    /** The default seed of the noise (the ASCII codes of "LNP"). */
    public static final long DEFAULT_SEED = 0x4C4E50L;
    /** Default voxel size, Å. */
    public static final double DEFAULT_VOXEL = 5.0;
    /** Default size of the 2-D plane. */
    public static final int DEFAULT_PLANE = 1024;
    /** Default number of realisations. */
    public static final int DEFAULT_REALIZATIONS = 20;
    /** Default correlation tolerance of the automatic box margin. */
    public static final double DEFAULT_CORRELATION_TOLERANCE = 2e-3;
    /** The largest automatic margin, Å (reached only by tolerances far below the default). */
    private static final double MAX_MARGIN = 1500.0;
    /** Largest box side: 2 n³ floats must fit one Java array. */
    public static final int MAX_BOX = 800;

    private static final int[] FRIENDLY = friendlySizes();

    private final double voxel;
    private final int planeSize;
    private final int realizations;
    private final int axes;
    private final long seed;
    private final int threads;
    private final QGrid grid;
    private final int boxSize;
    private final double margin;
    private final double tolerance;
    private final InteriorModel interior;
    private final boolean sampleStatistics;

    /** Heap limit used by the memory check (tests); 0: the JVM's maximum heap. */
    private long heapLimit;

    private final Caches caches = new Caches();

    private LnpSimulator(double voxel, int planeSize, int realizations, int axes, long seed, int threads,
                         QGrid grid, int boxSize, double margin, double tolerance, InteriorModel interior,
                         boolean sampleStatistics) {
        this.voxel = voxel;
        this.planeSize = planeSize;
        this.realizations = realizations;
        this.axes = axes;
        this.seed = seed;
        this.threads = threads;
        this.grid = grid;
        this.boxSize = boxSize;
        this.margin = margin;
        this.tolerance = tolerance;
        this.interior = interior;
        this.sampleStatistics = sampleStatistics;
    }

    /**
     * The paper's settings: voxel 5 Å, plane 1024, 20 realisations, one projection (z), the
     * paper's q grid ({@link QGrid#PAPER}), {@link #DEFAULT_SEED}, all available processors, the
     * sigmoid interior, and a box sized to the particle core.
     */
    public static LnpSimulator paperDefaults() {
        return new LnpSimulator(DEFAULT_VOXEL, DEFAULT_PLANE, DEFAULT_REALIZATIONS, 1, DEFAULT_SEED,
                Runtime.getRuntime().availableProcessors(), QGrid.PAPER, 0, -1, DEFAULT_CORRELATION_TOLERANCE,
                InteriorModel.sigmoid(), false);
    }

    /** The voxel size Δx in Å (&gt; 0; the paper: 5). Sets the plane's Δq = 2π/(Nf Δx). */
    public LnpSimulator withVoxelSize(double angstrom) {
        if (!(angstrom > 0) || !Double.isFinite(angstrom)) {
            throw new IllegalArgumentException("voxel size " + angstrom + " Å must be finite and > 0");
        }
        return new LnpSimulator(angstrom, planeSize, realizations, axes, seed, threads, grid, boxSize, margin,
                tolerance, interior, sampleStatistics);
    }

    /** The side Nf of the 2-D plane, pixels (≥ 8; the paper: 1024). */
    public LnpSimulator withPlaneSize(int nf) {
        if (nf < 8) {
            throw new IllegalArgumentException("plane size " + nf + " must be at least 8");
        }
        return new LnpSimulator(voxel, nf, realizations, axes, seed, threads, grid, boxSize, margin, tolerance,
                interior, sampleStatistics);
    }

    /** The number of 3-D realisations averaged (≥ 1; the paper: 20–50). */
    public LnpSimulator withRealizations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("realizations = " + n + " must be at least 1");
        }
        return new LnpSimulator(voxel, planeSize, n, axes, seed, threads, grid, boxSize, margin, tolerance,
                interior, sampleStatistics);
    }

    /**
     * Projections per 3-D realisation, 1..3: along z, then x, then y (the paper: 1). Each 3-D
     * realisation costs one field synthesis; each projection one 2-D transform.
     */
    public LnpSimulator withProjectionAxes(int n) {
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("projection axes = " + n + " must be 1, 2 or 3");
        }
        return new LnpSimulator(voxel, planeSize, realizations, n, seed, threads, grid, boxSize, margin, tolerance,
                interior, sampleStatistics);
    }

    /** The seed of the noise. */
    public LnpSimulator withSeed(long newSeed) {
        return new LnpSimulator(voxel, planeSize, realizations, axes, newSeed, threads, grid, boxSize, margin,
                tolerance, interior, sampleStatistics);
    }

    /** Worker threads (≥ 1). Results do not depend on it. */
    public LnpSimulator withThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads = " + n + " must be at least 1");
        }
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, n, grid, boxSize, margin, tolerance,
                interior, sampleStatistics);
    }

    /**
     * The output q grid, Å⁻¹. Its largest q plus the averaging window must stay below π/Δx
     * (checked when simulating).
     */
    public LnpSimulator withQGrid(QGrid newGrid) {
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads,
                Objects.requireNonNull(newGrid, "grid"), boxSize, margin, tolerance, interior, sampleStatistics);
    }

    /**
     * A fixed cubic box of {@code n}³ voxels for the interior field (the paper: 512), or 0 for a box
     * sized to each particle (the default). A fixed box must hold the core; n ≤ {@link #MAX_BOX}.
     */
    public LnpSimulator withBoxSize(int n) {
        if (n < 0 || n == 1 || n > MAX_BOX) {
            throw new IllegalArgumentException("box size " + n + " must be 0 (automatic) or in [2, " + MAX_BOX + "]");
        }
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, n, margin, tolerance,
                interior, sampleStatistics);
    }

    /**
     * The margin of an automatic box, Å: how much the box side exceeds the core diameter. Negative
     * (the default) chooses it per spectrum: the distance beyond which the field's normalised
     * correlation stays below the {@link #withCorrelationTolerance correlation tolerance}, so that
     * the periodic box's images do not correlate the core with itself.
     */
    public LnpSimulator withMargin(double angstrom) {
        if (Double.isNaN(angstrom) || Double.isInfinite(angstrom)) {
            throw new IllegalArgumentException("margin " + angstrom + " Å must be finite");
        }
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, boxSize, angstrom,
                tolerance, interior, sampleStatistics);
    }

    /** The correlation level that sets the automatic margin, in (0, 0.5) (default 2e-3). */
    public LnpSimulator withCorrelationTolerance(double tol) {
        if (!(tol > 0 && tol < 0.5)) {
            throw new IllegalArgumentException("correlation tolerance " + tol + " must be in (0, 0.5)");
        }
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, boxSize, margin, tol,
                interior, sampleStatistics);
    }

    /** How the field becomes the core density (default {@link InteriorModel#sigmoid()}). */
    public LnpSimulator withInterior(InteriorModel model) {
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, boxSize, margin,
                tolerance, Objects.requireNonNull(model, "interior"), sampleStatistics);
    }

    /** A hard two-phase level cut at volume fraction {@code phi}: {@code withInterior(levelCut(phi))}. */
    public LnpSimulator withLevelCut(double phi) {
        return withInterior(InteriorModel.levelCut(phi));
    }

    /**
     * Standardise each field with its sample standard deviation over the whole box, and centre
     * the transformed field with its box mean, exactly as the paper's code does on its box
     * (slower: the whole box is transformed). Off by default: the population variance and the
     * transform's expectation are used, the limit of the paper's 512³ box.
     */
    public LnpSimulator withSampleStatistics(boolean sample) {
        return new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, boxSize, margin,
                tolerance, interior, sample);
    }

    /** A copy whose memory check assumes a heap of {@code bytes} (for tests; 0: the JVM's). */
    LnpSimulator withHeapLimit(long bytes) {
        LnpSimulator s = new LnpSimulator(voxel, planeSize, realizations, axes, seed, threads, grid, boxSize, margin,
                tolerance, interior, sampleStatistics);
        s.heapLimit = bytes;
        return s;
    }

    /** The voxel size, Å. */
    public double voxelSize() {
        return voxel;
    }

    /** The 2-D plane size. */
    public int planeSize() {
        return planeSize;
    }

    /** The number of realisations. */
    public int realizations() {
        return realizations;
    }

    /** Projections per realisation. */
    public int projectionAxes() {
        return axes;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** Worker threads. */
    public int threads() {
        return threads;
    }

    /** The fixed box size, or 0 when the box follows the particle. */
    public int boxSize() {
        return boxSize;
    }

    /** The interior model. */
    public InteriorModel interior() {
        return interior;
    }

    /** The q grid. */
    public QGrid qGrid() {
        return grid;
    }

    @Override
    public ParameterSpace parameters() {
        return LnpParameters.SPACE;
    }

    @Override
    public double[] q() {
        return grid.values();
    }

    @Override
    public int qSize() {
        return grid.size();
    }

    /**
     * Evaluates {@code batch} parameter sets one after another, each with all threads; intensities
     * as in {@link #simulate}. Every set is checked before any is simulated.
     */
    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        int p = LnpParameters.SPACE.size();
        LnpParameters.SPACE.check(theta, batch);
        int nq = grid.size();
        if (out.length < (long) batch * nq) {
            throw new IllegalArgumentException("output array holds " + out.length + " values, need " + ((long) batch * nq));
        }
        double[] one = new double[p];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(theta, b * p, one, 0, p);
            double[] i = run(one, ProgressListener.NONE).intensity();
            System.arraycopy(i, 0, out, b * nq, nq);
        }
    }

    /**
     * The mean intensity over realisations and projections on the q grid (see the class comment
     * for its units).
     *
     * @param theta the nine parameters in {@link LnpParameters#SPACE}'s order
     * @throws IllegalArgumentException naming the parameter and its range when one is out of
     *                                  range or NaN, or when the grid or memory does not allow it
     */
    public double[] simulate(double... theta) {
        return evaluate(theta);
    }

    /**
     * Runs the simulation for one parameter vector and reports intensity, per-q standard error,
     * box size and timings.
     *
     * <p>Radial average: \( I(q_j) = \sum_p w_{jp}e^{-(Q_p\Delta x)^2}|F_p|^2/\sum_p w_{jp} \) with
     * \( w_{jp} = \exp(-\frac12((Q_p - q_j)/s)^2)/Q_p \), \( s = \Delta q/2 \),
     * \( \Delta q = 2\pi/(N_f\Delta x) \), over the pixels of the Nf × Nf plane except Q = 0.
     *
     * @param theta    the nine parameters in {@link LnpParameters#SPACE}'s order
     * @param listener told after each realisation (may be {@link ProgressListener#NONE})
     */
    public SimulationResult run(double[] theta, ProgressListener listener) {
        long start = System.nanoTime();
        Plan plan = plan(theta);
        RadialWeights weights = caches.weights(grid, planeSize, voxel);
        if (plan.geometry.m > planeSize) {
            throw new IllegalArgumentException("the particle's projection (" + plan.geometry.m + " pixels for R = "
                    + plan.geometry.radius + " Å at voxel " + voxel + " Å) does not fit the " + planeSize + "-pixel plane");
        }
        int workers = workersThatFit(plan);
        FieldSynthesizer synth = plan.n > 0 ? new FieldSynthesizer(plan.spectrum, plan.n, voxel) : null;
        long setupDone = System.nanoTime();

        int nq = grid.size();
        double[][] curves = new double[realizations][];
        Timing timing = new Timing();
        if (synth == null) {
            // no interior fluctuation: every realisation and projection is the same
            Worker w = new Worker(plan, null, weights, null);
            double[] c = w.uniformCurve();
            for (int r = 0; r < realizations; r++) {
                curves[r] = c;
                listener.progress(r + 1, realizations);
            }
            timing.projectionNanos.addAndGet(System.nanoTime() - setupDone);  // wall: one thread
        } else {
            runWorkers(plan, synth, weights, workers, curves, timing, listener);
        }

        double[] mean = new double[nq];
        double[] se = new double[nq];
        for (int r = 0; r < realizations; r++) {
            double[] c = curves[r];
            for (int j = 0; j < nq; j++) {
                mean[j] += c[j];
            }
        }
        for (int j = 0; j < nq; j++) {
            mean[j] /= realizations;
        }
        if (realizations < 2) {
            java.util.Arrays.fill(se, Double.NaN);
        } else {
            for (int r = 0; r < realizations; r++) {
                double[] c = curves[r];
                for (int j = 0; j < nq; j++) {
                    double d = c[j] - mean[j];
                    se[j] += d * d;
                }
            }
            for (int j = 0; j < nq; j++) {
                se[j] = Math.sqrt(se[j] / ((double) realizations * (realizations - 1)));
            }
        }
        for (int j = 0; j < nq; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalStateException("simulation produced a non-finite intensity at q = " + grid.get(j));
            }
        }
        long end = System.nanoTime();
        return new SimulationResult(grid.values(), mean, se, plan.n, plan.marginAngstrom, realizations, axes, seed,
                (setupDone - start) * 1e-9, timing.fieldNanos.get() * 1e-9, timing.projectionNanos.get() * 1e-9,
                (end - start) * 1e-9);
    }

    /**
     * An estimate of the heap this simulation needs, in bytes, for the configured threads: the
     * per-worker complex box (8 n³ bytes) and 2-D buffers, plus the shared weights.
     */
    public long estimateMemoryBytes(double[] theta) {
        Plan plan = plan(theta);
        return sharedBytes(plan) + (long) Math.min(threads, Math.max(1, (realizations + 1) / 2)) * workerBytes(plan);
    }

    /**
     * The box side (voxels) that a simulation of {@code theta} uses: the fixed size, or the
     * automatic one (0 when the interior does not fluctuate).
     */
    public int boxSizeFor(double[] theta) {
        return plan(theta).n;
    }

    /**
     * The relative density (solvent = 1) of realisation {@code realization} in a cubic box around
     * the particle, for inspection: the same field as the simulation's, the shell and the solvent
     * included. Layout: {@code values[(x * size + y) * size + z]}, the particle centred on voxel
     * (size/2, size/2, size/2).
     */
    public DensityField density(double[] theta, int realization) {
        if (realization < 0) {
            throw new IllegalArgumentException("realization = " + realization + " must be >= 0");
        }
        Plan plan = plan(theta);
        ParticleGeometry g = plan.geometry;
        int n = plan.n;
        int side = Math.max(n, g.m + 2);
        if (side % 2 == 1) {
            side++;
        }
        long cells = (long) side * side * side;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("density box of " + side + "^3 voxels is too large");
        }
        float[] field = null;
        double mean = interior.expectation();
        if (n > 0) {
            GaussianRandomField grf = new GaussianRandomField(plan.spectrum, n, voxel).withSampleStatistics(sampleStatistics);
            field = grf.realization(seed, realization);
            if (sampleStatistics) {
                double sum = 0.0;
                for (float y : field) {
                    sum += interior.apply(y);
                }
                mean = sum / field.length;
            }
        }
        float[] out = new float[(int) cells];
        java.util.Arrays.fill(out, 1f);
        int c = side / 2;
        int fc = n / 2;
        double shell = plan.shellDensity;
        double base = 1.0 + plan.shift - mean;
        for (int dx = -g.hp; dx <= g.hp; dx++) {
            for (int dy = -g.hp; dy <= g.hp; dy++) {
                for (int dz = -g.hp; dz <= g.hp; dz++) {
                    double r2 = (double) dx * dx + (double) dy * dy + (double) dz * dz;
                    if (r2 > g.part2) {
                        continue;
                    }
                    int o = ((c + dx) * side + (c + dy)) * side + (c + dz);
                    if (r2 <= g.core2) {
                        double t = 0.5;
                        if (field != null) {
                            int x = Math.floorMod(fc + dx, n);
                            int y = Math.floorMod(fc + dy, n);
                            int z = Math.floorMod(fc + dz, n);
                            t = interior.apply(field[(x * n + y) * n + z]);
                        }
                        out[o] = (float) (t + base);
                    } else {
                        out[o] = (float) shell;
                    }
                }
            }
        }
        return new DensityField(side, voxel, out);
    }

    /**
     * Converts intensities of this model to absolute units, cm⁻¹, sasmodels-style: when a relative
     * density ρ has the scattering length density ρ·{@code solventSld}, the contrast of a voxel is
     * (ρ − 1)·solventSld and
     * \( I_{abs}(q) = \varphi\,(\mathrm{solventSld}\,\Delta x^3)^2\,I(q)\,10^{-4}/V \),
     * \( V = \tfrac43\pi R^3 \) (the particle volume, Å³), φ the particles' volume fraction.
     *
     * @param intensity      intensities of this model (paper's units)
     * @param voxel          the voxel size they were simulated with, Å
     * @param radius         the particle's outer radius R, Å
     * @param solventSld     the solvent's scattering length density, 10⁻⁶ Å⁻²
     * @param volumeFraction the volume fraction of particles (sasmodels' {@code scale})
     * @return a new array in cm⁻¹
     */
    public static double[] absoluteIntensity(double[] intensity, double voxel, double radius, double solventSld,
                                             double volumeFraction) {
        if (!(voxel > 0) || !(radius > 0) || !Double.isFinite(solventSld) || !(volumeFraction >= 0)) {
            throw new IllegalArgumentException("absoluteIntensity: need voxel > 0, radius > 0, a finite solvent SLD "
                    + "and a volume fraction >= 0");
        }
        double v = 4.0 / 3.0 * Math.PI * radius * radius * radius;
        double a = solventSld * voxel * voxel * voxel;
        double f = volumeFraction * a * a * 1e-4 / v;
        double[] out = new double[intensity.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f * intensity[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "LnpSimulator[voxel " + voxel + " Å, plane " + planeSize + ", " + realizations + " realizations, "
                + axes + " axes, seed " + seed + ", " + threads + " threads, "
                + (boxSize == 0 ? "particle-sized box" : "box " + boxSize) + ", " + interior
                + (sampleStatistics ? ", sample statistics" : "") + ", " + grid + "]";
    }

    // ------------------------------------------------------------------------------------------

    /** Everything fixed for one parameter vector. */
    private static final class Plan {
        ParticleGeometry geometry;
        SpectralDensity spectrum;
        int n;
        double marginAngstrom;
        double shift;
        double shellDensity;
        /** The (y, z) lines of the box the projections need. */
        FieldSynthesizer.Region lines;
    }

    private Plan plan(double[] theta) {
        Objects.requireNonNull(theta, "theta");
        ParameterSpace space = LnpParameters.SPACE;
        if (theta.length != space.size()) {
            throw new IllegalArgumentException("expected " + space.size() + " parameter values " + space.names()
                    + ", got " + theta.length);
        }
        space.check(theta, 1);
        Plan p = new Plan();
        double r = theta[space.indexOf(LnpParameters.R)];
        double t = theta[space.indexOf(LnpParameters.SHELL_THICKNESS)];
        p.shift = theta[space.indexOf(LnpParameters.GRF_SHIFT)];
        double rel = theta[space.indexOf(LnpParameters.RELATIVE_RHO_SHELL)];
        p.shellDensity = rel * (1.0 + p.shift);
        p.geometry = new ParticleGeometry(r, t, voxel);
        p.spectrum = SpectralDensity.of(theta);
        if (!interior.fluctuates()) {
            p.n = 0;
            p.marginAngstrom = 0;
            return p;
        }
        int core = p.geometry.mc;
        if (boxSize > 0) {
            if (boxSize < core) {
                throw new IllegalArgumentException("fixed box of " + boxSize + " voxels cannot hold the core (" + core
                        + " voxels across for R - t = " + p.geometry.coreRadius + " Å at voxel " + voxel + " Å)");
            }
            p.n = boxSize;
        } else {
            double ell;
            if (margin >= 0) {
                ell = margin;
            } else {
                double kMax = Math.PI / voxel * Math.sqrt(3.0);
                ell = p.spectrum.decayLength(tolerance, kMax, MAX_MARGIN, voxel);
            }
            int need = core + (int) Math.ceil(ell / voxel);
            p.n = friendly(Math.max(need, core + 1));
        }
        p.marginAngstrom = (p.n - core) * voxel;
        if (sampleStatistics) {
            p.lines = FieldSynthesizer.Region.full(p.n);
        } else {
            p.lines = FieldSynthesizer.Region.ball(p.n, p.n / 2, p.geometry.core2);
        }
        return p;
    }

    private int friendly(int need) {
        for (int f : FRIENDLY) {
            if (f >= need) {
                return f;
            }
        }
        throw new IllegalArgumentException("the particle needs a box of " + need + " voxels, more than the largest ("
                + MAX_BOX + "); use a larger voxel size or a fixed margin");
    }

    private static int[] friendlySizes() {
        List<Integer> sizes = new ArrayList<>();
        // 2^a times small products of 3 and 5: JTransforms' mixed-radix sizes that cost about the
        // same per voxel as powers of two (measured: 19-25 ns per voxel and pair of fields)
        for (int base : new int[] {1, 3, 5, 9, 15, 25, 45, 75}) {
            for (long v = base; v <= MAX_BOX; v *= 2) {
                if (v >= 8 && v % 4 == 0) {
                    sizes.add((int) v);
                }
            }
        }
        return sizes.stream().sorted().distinct().mapToInt(Integer::intValue).toArray();
    }

    private long workerBytes(Plan plan) {
        ParticleGeometry g = plan.geometry;
        long images = 8L * (6L * g.mc * g.mc + 2L * g.m * g.m);
        double dq = 2.0 * Math.PI / (planeSize * voxel);
        int kMax = (int) Math.ceil((grid.max() + RadialAverage.WINDOW * 0.5 * dq) / dq);
        long power = 8L * (long) (Math.PI * kMax * kMax / 2 + 2 * kMax + 1);
        long field = plan.n > 0 ? FieldSynthesizer.Workspace.bytes(plan.n) : 0;
        return field + images + power + PlaneSpectrum.bytes(planeSize, kMax) + 8L * grid.size();
    }

    private long sharedBytes(Plan plan) {
        long half = plan.n / 2;
        long tables = plan.n > 0 ? 12L * (3 * half * half + 1) : 0;
        return tables + (long) RadialWeights.estimateBytes(grid.min(), grid.max(), grid.size(), planeSize, voxel) + 8L * grid.size() * realizations
                + 8L * plan.geometry.m * plan.geometry.m;
    }

    private int workersThatFit(Plan plan) {
        int pairs = (realizations + 1) / 2;
        int wanted = Math.max(1, Math.min(threads, pairs));
        Runtime rt = Runtime.getRuntime();
        long max = heapLimit > 0 ? heapLimit : rt.maxMemory();
        long used = heapLimit > 0 ? 0 : rt.totalMemory() - rt.freeMemory();
        long shared = sharedBytes(plan);
        long perWorker = workerBytes(plan);
        long needOne = shared + perWorker;
        if (needOne > max) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "a %d^3 box (R = %.1f Å, voxel %.2f Å) needs about %d MiB, more than the Java heap's %d MiB; "
                            + "raise -Xmx (LNPSAXS_JAVA_OPTS for the command line), use a larger voxel or a smaller box",
                    plan.n, plan.geometry.radius, voxel, needOne >> 20, max >> 20));
        }
        long free = max - used;
        int fit = wanted;
        while (fit > 1 && shared + fit * perWorker > free) {
            fit--;
        }
        if (fit < wanted) {
            LOG.info("running {} of {} worker threads: a {}^3 box needs {} MiB per worker and {} MiB of heap are free",
                    fit, wanted, plan.n, perWorker >> 20, free >> 20);
        }
        return fit;
    }

    private void runWorkers(Plan plan, FieldSynthesizer synth, RadialWeights weights, int workers,
                            double[][] curves, Timing timing, ProgressListener listener) {
        int pairs = (realizations + 1) / 2;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Object progressLock = new Object();
        Runnable task = () -> {
            FieldSynthesizer.Workspace ws = caches.takeWorkspace(plan.n);
            try {
                Worker w = new Worker(plan, synth, weights, ws);
                for (int pair = next.getAndIncrement(); pair < pairs; pair = next.getAndIncrement()) {
                    w.runPair(pair, curves, timing);
                    int count = Math.min(2, realizations - 2 * pair);
                    synchronized (progressLock) {
                        for (int i = 0; i < count; i++) {
                            listener.progress(done.incrementAndGet(), realizations);
                        }
                    }
                }
            } finally {
                caches.giveWorkspace(ws);
            }
        };
        if (workers <= 1) {
            task.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers - 1, r -> {
            Thread th = new Thread(r, "lnp-simulator");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers - 1; i++) {
                futures.add(pool.submit(task));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failure.set(e);
                next.set(pairs);
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            if (t != null) {
                throw new IllegalStateException("simulation interrupted", t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU time by phase, summed over workers. */
    private static final class Timing {
        private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
        private static final boolean CPU = MX.isCurrentThreadCpuTimeSupported();

        final java.util.concurrent.atomic.AtomicLong fieldNanos = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong projectionNanos = new java.util.concurrent.atomic.AtomicLong();

        /** The current thread's CPU time, ns (wall time where the JVM cannot measure CPU time). */
        static long cpu() {
            return CPU ? MX.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    /** One worker's state: projections of a pair of realisations, 2-D transforms, radial average. */
    private final class Worker implements FieldSynthesizer.LineSink {
        private final Plan plan;
        private final FieldSynthesizer synth;
        private final RadialWeights weights;
        private final FieldSynthesizer.Workspace ws;
        private final PlaneSpectrum plane;
        private final ParticleGeometry g;
        private final int mc;
        private final int hc;
        private final int c;
        /** Sums of (t(Y) - E) over core voxels: [part][axis] images of mc × mc. */
        private final double[][][] sums;
        private final double[] image;
        private final double[] power;
        private final boolean levelCut;
        private final double beta;
        private final double expectation;
        private double inv0;
        private double inv1;
        private double boxSum0;
        private double boxSum1;

        Worker(Plan plan, FieldSynthesizer synth, RadialWeights weights, FieldSynthesizer.Workspace ws) {
            this.plan = plan;
            this.synth = synth;
            this.weights = weights;
            this.ws = ws;
            this.plane = new PlaneSpectrum(weights);
            this.g = plan.geometry;
            this.mc = g.mc;
            this.hc = g.hc;
            this.c = plan.n / 2;
            this.sums = new double[2][3][mc * mc];
            this.image = new double[g.m * g.m];
            this.power = new double[weights.pixels];
            this.levelCut = interior.isLevelCut();
            this.beta = interior.threshold();
            this.expectation = interior.expectation();
        }

        double[] uniformCurve() {
            g.uniformProjection(plan.shift, plan.shellDensity - 1.0, image);
            java.util.Arrays.fill(power, 0.0);
            plane.accumulate(image, g.m, power);
            double[] curve = new double[grid.size()];
            weights.apply(power, curve);
            return curve;
        }

        void runPair(int pair, double[][] curves, Timing timing) {
            long t0 = Timing.cpu();
            synth.fillSpectrum(ws, seed, pair);
            if (sampleStatistics) {
                double[] ms = synth.sampleMeanSquares(ws);
                inv0 = 1.0 / Math.sqrt(ms[0]);
                inv1 = 1.0 / Math.sqrt(ms[1]);
            } else {
                inv0 = 1.0 / Math.sqrt(synth.variance);
                inv1 = inv0;
            }
            boxSum0 = 0.0;
            boxSum1 = 0.0;
            for (double[][] part : sums) {
                for (double[] img : part) {
                    java.util.Arrays.fill(img, 0.0);
                }
            }
            synth.transform(ws, plan.lines, this);
            long t1 = Timing.cpu();
            double box = (double) plan.n * plan.n * plan.n;
            for (int part = 0; part < 2; part++) {
                int r = 2 * pair + part;
                if (r >= realizations) {
                    break;
                }
                double coreContrast = plan.shift;
                if (sampleStatistics) {
                    coreContrast += expectation - (part == 0 ? boxSum0 : boxSum1) / box;
                }
                java.util.Arrays.fill(power, 0.0);
                for (int axis = 0; axis < axes; axis++) {
                    g.uniformProjection(coreContrast, plan.shellDensity - 1.0, image);
                    double[] s = sums[part][axis];
                    int off = g.hp - hc;
                    for (int u = 0; u < mc; u++) {
                        int row = (u + off) * g.m + off;
                        for (int v = 0; v < mc; v++) {
                            image[row + v] += s[u * mc + v];
                        }
                    }
                    plane.accumulate(image, g.m, power);
                }
                double[] curve = new double[grid.size()];
                weights.apply(power, curve);
                if (axes > 1) {
                    for (int j = 0; j < curve.length; j++) {
                        curve[j] /= axes;
                    }
                }
                curves[r] = curve;
            }
            long t2 = Timing.cpu();
            timing.fieldNanos.addAndGet(t1 - t0);
            timing.projectionNanos.addAndGet(t2 - t1);
        }

        @Override
        public void line(float[] buf, int off, int y, int z) {
            int dy = y - c;
            int dz = z - c;
            int h = FieldSynthesizer.Region.maxOffset(g.core2 - (double) dy * dy - (double) dz * dz);
            if (sampleStatistics) {
                double s0 = 0.0;
                double s1 = 0.0;
                int n = plan.n;
                for (int x = 0; x < n; x++) {
                    s0 += transform(buf[off + 2 * x] * inv0);
                    s1 += transform(buf[off + 2 * x + 1] * inv1);
                }
                boxSum0 += s0;
                boxSum1 += s1;
            }
            if (h < 0) {
                return;
            }
            final double e = expectation;
            final double[] z0 = sums[0][0];
            final double[] x0 = sums[0][1];
            final double[] y0 = sums[0][2];
            final double[] z1 = sums[1][0];
            final double[] x1 = sums[1][1];
            final double[] y1 = sums[1][2];
            final int iy = dy + hc;
            final int iz = dz + hc;
            double line0 = 0.0;
            double line1 = 0.0;
            for (int dx = -h; dx <= h; dx++) {
                int p = off + 2 * (c + dx);
                double v0 = transform(buf[p] * inv0) - e;
                double v1 = transform(buf[p + 1] * inv1) - e;
                int ix = (dx + hc) * mc;
                z0[ix + iy] += v0;
                z1[ix + iy] += v1;
                y0[ix + iz] += v0;
                y1[ix + iz] += v1;
                line0 += v0;
                line1 += v1;
            }
            x0[iy * mc + iz] += line0;
            x1[iy * mc + iz] += line1;
        }

        private double transform(double y) {
            if (levelCut) {
                return y > beta ? 1.0 : 0.0;
            }
            return 1.0 / (1.0 + Math.exp(-y));
        }
    }

    /** Caches shared by the runs of one simulator: radial weights and reusable workspaces. */
    private static final class Caches {
        private final ConcurrentHashMap<String, RadialWeights> weights = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<SoftReference<FieldSynthesizer.Workspace>>> spaces =
                new ConcurrentHashMap<>();

        RadialWeights weights(QGrid grid, int planeSize, double voxel) {
            String key = planeSize + ":" + voxel;
            return weights.computeIfAbsent(key, k -> new RadialWeights(RadialAverage.of(grid.values(), voxel, planeSize)));
        }

        FieldSynthesizer.Workspace takeWorkspace(int n) {
            ConcurrentLinkedDeque<SoftReference<FieldSynthesizer.Workspace>> q = spaces.get(n);
            if (q != null) {
                SoftReference<FieldSynthesizer.Workspace> ref;
                while ((ref = q.poll()) != null) {
                    FieldSynthesizer.Workspace ws = ref.get();
                    if (ws != null) {
                        return ws;
                    }
                }
            }
            return new FieldSynthesizer.Workspace(n);
        }

        void giveWorkspace(FieldSynthesizer.Workspace ws) {
            // keep workspaces of one size only: a new size drops the others
            spaces.keySet().removeIf(k -> k != ws.n);
            spaces.computeIfAbsent(ws.n, k -> new ConcurrentLinkedDeque<>()).push(new SoftReference<>(ws));
        }
    }
}
