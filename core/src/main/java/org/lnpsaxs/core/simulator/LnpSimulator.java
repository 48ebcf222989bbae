package org.lnpsaxs.core.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.SimulatorSettingException.Setting;

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
 * ({@link RadialAverage}).
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
 * <p><b>Limits before work.</b> Each run is first {@link #plan planned}: the projection, box,
 * plane and radial-average sizes and the memory are worked out and checked against the limits
 * below and the Java heap before anything large is allocated; a setting beyond them is a
 * {@link SimulatorSettingException} naming the setting, its value and the limit. Long runs log a
 * progress line every 10 s (SLF4J, logger {@code org.lnpsaxs.core.simulator.LnpSimulator}); a
 * {@link ProgressListener} given to {@link #run} hears of every realisation.
 *
 * <p>Immutable and thread-safe; configure with the {@code withX} methods. Realisations run in
 * parallel on this instance's own daemon threads (JTransforms' pool is not used). The work is
 * split between {@link SimulationPlan} (what a run needs, checked) and a realisation loop with
 * one projection worker per thread.
 */
public final class LnpSimulator implements BatchedModel {

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
    /** Largest box side: 2 n³ floats must fit one Java array. */
    public static final int MAX_BOX = 800;
    /** Largest plane side (64 times the paper's 1024): beyond it the pruned transform outgrows any heap. */
    public static final int MAX_PLANE = 65536;
    /** Largest number of realisations (the paper: 20–50; a million take days). */
    public static final int MAX_REALIZATIONS = 1_000_000;
    /** Largest number of worker threads. */
    public static final int MAX_THREADS = 1024;
    /** Largest number of q points (the paper: 300; beyond, the radial average alone takes GiBs). */
    public static final int MAX_Q_POINTS = 100_000;

    /** Box sides the automatic box chooses from (ascending). */
    static final int[] FRIENDLY = friendlySizes();

    private final SimulatorSettings s;
    private final SimulatorCaches caches = new SimulatorCaches();

    private LnpSimulator(SimulatorSettings settings) {
        this.s = settings;
    }

    /**
     * The paper's settings: voxel 5 Å, plane 1024, 20 realisations, one projection (z), the
     * paper's q grid ({@link QGrid#PAPER}), {@link #DEFAULT_SEED}, all available processors (at
     * most {@link #MAX_THREADS}), the sigmoid interior, and a box sized to the particle core.
     */
    public static LnpSimulator paperDefaults() {
        SimulatorSettings d = new SimulatorSettings();
        d.voxel = DEFAULT_VOXEL;
        d.planeSize = DEFAULT_PLANE;
        d.realizations = DEFAULT_REALIZATIONS;
        d.axes = 1;
        d.seed = DEFAULT_SEED;
        d.threads = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        d.grid = QGrid.PAPER;
        d.boxSize = 0;
        d.margin = -1;
        d.tolerance = DEFAULT_CORRELATION_TOLERANCE;
        d.interior = InteriorModel.sigmoid();
        d.sampleStatistics = false;
        return new LnpSimulator(d);
    }

    private static SimulatorSettingException bad(Setting setting, Object value, String reason) {
        return new SimulatorSettingException(setting, String.valueOf(value), reason);
    }

    /**
     * The voxel size Δx in Å (finite, &gt; 0; the paper: 5). Sets the plane's Δq = 2π/(Nf Δx); the
     * particle's projection, 2R/Δx pixels across, must fit the plane (checked when planning).
     */
    public LnpSimulator withVoxelSize(double angstrom) {
        if (!(angstrom > 0) || !Double.isFinite(angstrom)) {
            throw bad(Setting.VOXEL_SIZE, angstrom + " Å", "must be finite and > 0");
        }
        SimulatorSettings c = s.copy();
        c.voxel = angstrom;
        return new LnpSimulator(c);
    }

    /** The side Nf of the 2-D plane, pixels (8 .. {@value #MAX_PLANE}; the paper: 1024). */
    public LnpSimulator withPlaneSize(int nf) {
        if (nf < RadialAverage.MIN_PLANE || nf > MAX_PLANE) {
            throw bad(Setting.PLANE_SIZE, nf, "must be in [" + RadialAverage.MIN_PLANE + ", " + MAX_PLANE + "]");
        }
        SimulatorSettings c = s.copy();
        c.planeSize = nf;
        return new LnpSimulator(c);
    }

    /** The number of 3-D realisations averaged (1 .. {@value #MAX_REALIZATIONS}; the paper: 20–50). */
    public LnpSimulator withRealizations(int n) {
        if (n < 1 || n > MAX_REALIZATIONS) {
            throw bad(Setting.REALIZATIONS, n, "must be in [1, " + MAX_REALIZATIONS + "]");
        }
        SimulatorSettings c = s.copy();
        c.realizations = n;
        return new LnpSimulator(c);
    }

    /**
     * Projections per 3-D realisation, 1..3: along z, then x, then y (the paper: 1). Each 3-D
     * realisation costs one field synthesis; each projection one 2-D transform.
     */
    public LnpSimulator withProjectionAxes(int n) {
        if (n < 1 || n > 3) {
            throw bad(Setting.PROJECTION_AXES, n, "must be 1, 2 or 3");
        }
        SimulatorSettings c = s.copy();
        c.axes = n;
        return new LnpSimulator(c);
    }

    /** The seed of the noise. */
    public LnpSimulator withSeed(long newSeed) {
        SimulatorSettings c = s.copy();
        c.seed = newSeed;
        return new LnpSimulator(c);
    }

    /** Worker threads (1 .. {@value #MAX_THREADS}). Results do not depend on it. */
    public LnpSimulator withThreads(int n) {
        if (n < 1 || n > MAX_THREADS) {
            throw bad(Setting.THREADS, n, "must be in [1, " + MAX_THREADS + "]");
        }
        SimulatorSettings c = s.copy();
        c.threads = n;
        return new LnpSimulator(c);
    }

    /**
     * The output q grid, Å⁻¹, of at most {@value #MAX_Q_POINTS} points. Its largest q plus the
     * averaging window must stay below π/Δx ({@link RadialAverage#largestUsableQ}; checked when
     * planning, as is the memory its radial average needs).
     */
    public LnpSimulator withQGrid(QGrid newGrid) {
        Objects.requireNonNull(newGrid, "grid");
        if (newGrid.size() > MAX_Q_POINTS) {
            throw bad(Setting.Q_GRID, newGrid, "has " + newGrid.size() + " points, more than the simulator's limit of "
                    + MAX_Q_POINTS);
        }
        SimulatorSettings c = s.copy();
        c.grid = Objects.requireNonNull(newGrid, "grid");
        return new LnpSimulator(c);
    }

    /**
     * A fixed cubic box of {@code n}³ voxels for the interior field (the paper: 512), or 0 for a box
     * sized to each particle (the default). A fixed box must hold the core; n ≤ {@link #MAX_BOX}.
     */
    public LnpSimulator withBoxSize(int n) {
        if (n < 0 || n == 1 || n > MAX_BOX) {
            throw bad(Setting.BOX_SIZE, n, "must be 0 (automatic) or in [2, " + MAX_BOX + "]");
        }
        SimulatorSettings c = s.copy();
        c.boxSize = n;
        return new LnpSimulator(c);
    }

    /**
     * The margin of an automatic box, Å: how much the box side exceeds the core diameter. Negative
     * (the default) chooses it per spectrum: the distance beyond which the field's normalised
     * correlation stays below the {@link #withCorrelationTolerance correlation tolerance}, so that
     * the periodic box's images do not correlate the core with itself.
     */
    public LnpSimulator withMargin(double angstrom) {
        if (Double.isNaN(angstrom) || Double.isInfinite(angstrom)) {
            throw bad(Setting.MARGIN, angstrom + " Å", "must be finite");
        }
        SimulatorSettings c = s.copy();
        c.margin = angstrom;
        return new LnpSimulator(c);
    }

    /** The correlation level that sets the automatic margin, in (0, 0.5) (default 2e-3). */
    public LnpSimulator withCorrelationTolerance(double tol) {
        if (!(tol > 0 && tol < 0.5)) {
            throw bad(Setting.CORRELATION_TOLERANCE, tol, "must be in (0, 0.5)");
        }
        SimulatorSettings c = s.copy();
        c.tolerance = tol;
        return new LnpSimulator(c);
    }

    /** How the field becomes the core density (default {@link InteriorModel#sigmoid()}). */
    public LnpSimulator withInterior(InteriorModel model) {
        SimulatorSettings c = s.copy();
        c.interior = Objects.requireNonNull(model, "interior");
        return new LnpSimulator(c);
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
        SimulatorSettings c = s.copy();
        c.sampleStatistics = sample;
        return new LnpSimulator(c);
    }

    /** A copy whose memory check assumes a heap of {@code bytes} (for tests; 0: the JVM's). */
    LnpSimulator withHeapLimit(long bytes) {
        SimulatorSettings c = s.copy();
        c.heapLimit = bytes;
        return new LnpSimulator(c);
    }

    /** The voxel size, Å. */
    public double voxelSize() {
        return s.voxel;
    }

    /** The 2-D plane size. */
    public int planeSize() {
        return s.planeSize;
    }

    /** The number of realisations. */
    public int realizations() {
        return s.realizations;
    }

    /** Projections per realisation. */
    public int projectionAxes() {
        return s.axes;
    }

    /** The seed. */
    public long seed() {
        return s.seed;
    }

    /** Worker threads. */
    public int threads() {
        return s.threads;
    }

    /** The fixed box size, or 0 when the box follows the particle. */
    public int boxSize() {
        return s.boxSize;
    }

    /** The interior model. */
    public InteriorModel interior() {
        return s.interior;
    }

    /** The q grid. */
    public QGrid qGrid() {
        return s.grid;
    }

    @Override
    public ParameterSpace parameters() {
        return LnpParameters.SPACE;
    }

    @Override
    public double[] q() {
        return s.grid.values();
    }

    @Override
    public int qSize() {
        return s.grid.size();
    }

    /**
     * Evaluates {@code batch} parameter sets one after another, each with all threads; intensities
     * as in {@link #simulate}. Every set is checked and planned before any is simulated.
     */
    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        int p = LnpParameters.SPACE.size();
        LnpParameters.SPACE.check(theta, batch);
        int nq = s.grid.size();
        if (out.length < (long) batch * nq) {
            throw new IllegalArgumentException("output array holds " + out.length + " values, need " + ((long) batch * nq));
        }
        List<SimulationPlan> plans = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            double[] one = new double[p];
            System.arraycopy(theta, b * p, one, 0, p);
            plans.add(plan(one));
        }
        for (int b = 0; b < batch; b++) {
            double[] i = new RealizationLoop(plans.get(b), caches).run(ProgressListener.NONE).intensity();
            System.arraycopy(i, 0, out, b * nq, nq);
        }
    }

    /**
     * The mean intensity over realisations and projections on the q grid (see the class comment
     * for its units).
     *
     * @param theta the nine parameters in {@link LnpParameters#SPACE}'s order
     * @throws IllegalArgumentException naming the parameter and its range when one is out of
     *                                  range or NaN; a {@link SimulatorSettingException} when the
     *                                  grid, the sizes or the memory do not allow it
     */
    public double[] simulate(double... theta) {
        return evaluate(theta);
    }

    /**
     * Works out and checks what a simulation of {@code theta} needs (box, plane, radial average,
     * memory, workers), allocating nothing large.
     *
     * @param theta the nine parameters in {@link LnpParameters#SPACE}'s order
     * @throws IllegalArgumentException naming the parameter and its range when one is out of
     *                                  range or NaN
     * @throws SimulatorSettingException naming the setting, its value and the limit when a size or
     *                                   the memory is beyond what this machine can do
     */
    public SimulationPlan plan(double[] theta) {
        return SimulationPlan.of(s, theta);
    }

    /**
     * Runs the simulation for one parameter vector and reports intensity, per-q standard error,
     * box size and timings. It is {@link #plan planned} (and refused, if it must be) before
     * anything large is allocated.
     *
     * @param theta    the nine parameters in {@link LnpParameters#SPACE}'s order
     * @param listener told after each realisation (may be {@link ProgressListener#NONE})
     */
    public SimulationResult run(double[] theta, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        return new RealizationLoop(plan(theta), caches).run(listener);
    }

    /**
     * An estimate of the heap this simulation needs, in bytes, for the configured threads: the
     * per-worker complex box (8 n³ bytes) and 2-D buffers, plus the shared weights and curves.
     */
    public long estimateMemoryBytes(double[] theta) {
        SimulationPlan plan = plan(theta);
        int wanted = plan.n > 0 ? Math.min(s.threads, Math.max(1, (s.realizations + 1) / 2)) : 1;
        return plan.sharedBytes + (long) wanted * plan.workerBytes;
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
        SimulationPlan plan = plan(theta);
        int n = plan.n;
        int side = Math.max(n, plan.m + 2);
        if (side % 2 == 1) {
            side++;
        }
        long cells = (long) side * side * side;
        if (cells > SimulationPlan.MAX_ARRAY) {
            throw new IllegalArgumentException("density box of " + side + "^3 voxels exceeds the largest Java array ("
                    + SimulationPlan.MAX_ARRAY + " elements)");
        }
        long need = 4 * cells + (n > 0 ? 4L * n * n * n + FieldSynthesizer.Workspace.bytes(n) : 0);
        long heap = s.heapLimit > 0 ? s.heapLimit : Runtime.getRuntime().maxMemory();
        if (need > heap) {
            throw new IllegalArgumentException("density box of " + side + "^3 voxels needs about " + (need >> 20)
                    + " MiB, more than the Java heap's " + (heap >> 20) + " MiB");
        }
        ParticleGeometry g = new ParticleGeometry(plan.radius, plan.thickness, s.voxel);
        float[] field = null;
        double mean = s.interior.expectation();
        if (n > 0) {
            GaussianRandomField grf = new GaussianRandomField(plan.spectrum, n, s.voxel)
                    .withSampleStatistics(s.sampleStatistics);
            field = grf.realization(s.seed, realization);
            if (s.sampleStatistics) {
                double sum = 0.0;
                for (float y : field) {
                    sum += s.interior.apply(y);
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
                            t = s.interior.apply(field[(x * n + y) * n + z]);
                        }
                        out[o] = (float) (t + base);
                    } else {
                        out[o] = (float) shell;
                    }
                }
            }
        }
        return new DensityField(side, s.voxel, out);
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
        return "LnpSimulator[voxel " + s.voxel + " Å, plane " + s.planeSize + ", " + s.realizations + " realizations, "
                + s.axes + " axes, seed " + s.seed + ", " + s.threads + " threads, "
                + (s.boxSize == 0 ? "particle-sized box" : "box " + s.boxSize) + ", " + s.interior
                + (s.sampleStatistics ? ", sample statistics" : "") + ", " + s.grid + "]";
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
}
