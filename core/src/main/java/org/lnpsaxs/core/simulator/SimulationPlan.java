package org.lnpsaxs.core.simulator;

import java.util.Locale;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.SimulatorSettingException.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a simulation of one parameter vector will need, worked out and checked before
 * anything large is allocated: the particle's projection size, the interior box, the pruned
 * plane, the radial average's size, the memory by part and how many worker threads fit.
 *
 * <p>{@link LnpSimulator#plan} makes one; {@link LnpSimulator#run} makes one and then runs it, so
 * a setting the machine cannot honour (a voxel so small that the particle's projection outgrows
 * the plane, a plane or q grid whose arrays exceed Java's, a box or realisation count that
 * exceeds the heap) fails here with a {@link SimulatorSettingException} naming the setting, the
 * value and the limit. Memory figures are estimates in bytes, within a few per cent of what the
 * arrays take. Immutable.
 */
public final class SimulationPlan {

    private static final Logger LOG = LoggerFactory.getLogger(LnpSimulator.class);

    /** The largest Java array, elements. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The largest automatic margin, Å (reached only by tolerances far below the default). */
    private static final double MAX_MARGIN = 1500.0;

    final SimulatorSettings settings;
    final double radius;
    final double thickness;
    final double coreRadius;
    /** GRF_shift: the mean interior contrast. */
    final double shift;
    /** The shell's relative density, relative_rho_shell (1 + GRF_shift). */
    final double shellDensity;
    final SpectralDensity spectrum;
    /** Squared core radius in voxel units. */
    final double core2;
    /** Side of the particle's projection image and of the core window, pixels. */
    final int m;
    final int mc;
    /** Side of the interior box, voxels (0: the interior does not fluctuate). */
    final int n;
    final double marginAngstrom;
    /** Columns 0..kMax of the plane are transformed. */
    final int kMax;
    final long sharedBytes;
    final long workerBytes;
    final int workers;

    private SimulationPlan(SimulatorSettings settings, double[] theta) {
        this.settings = settings;
        Objects.requireNonNull(theta, "theta");
        ParameterSpace space = LnpParameters.SPACE;
        if (theta.length != space.size()) {
            throw new IllegalArgumentException("expected " + space.size() + " parameter values " + space.names()
                    + ", got " + theta.length);
        }
        space.check(theta, 1);
        double voxel = settings.voxel;
        int plane = settings.planeSize;
        QGrid grid = settings.grid;
        try {
            RadialAverage.checkReach(grid.max(), voxel, plane);
        } catch (IllegalArgumentException e) {
            throw new SimulatorSettingException(Setting.Q_GRID, grid.toString(), e.getMessage());
        }
        this.radius = theta[space.indexOf(LnpParameters.R)];
        this.thickness = theta[space.indexOf(LnpParameters.SHELL_THICKNESS)];
        this.coreRadius = Math.max(0.0, radius - thickness);
        this.shift = theta[space.indexOf(LnpParameters.GRF_SHIFT)];
        this.shellDensity = theta[space.indexOf(LnpParameters.RELATIVE_RHO_SHELL)] * (1.0 + shift);
        this.spectrum = SpectralDensity.of(theta);

        // the projection must fit the plane: checked on R/Δx before any lattice count
        if (2 * Math.floor(radius / voxel) + 1 > plane) {
            throw projectionTooLarge(2 * Math.floor(radius / voxel) + 1);
        }
        double part2 = (radius / voxel) * (radius / voxel);
        this.core2 = (coreRadius / voxel) * (coreRadius / voxel);
        this.m = 2 * FieldSynthesizer.Region.maxOffset(part2) + 1;
        this.mc = 2 * FieldSynthesizer.Region.maxOffset(core2) + 1;
        if (m > plane) {
            throw projectionTooLarge(m);
        }
        if ((long) m * m > MAX_ARRAY) {
            throw new SimulatorSettingException(Setting.VOXEL_SIZE, fmt(voxel) + " Å", "the particle's projection of "
                    + m + "^2 pixels (R = " + radius + " Å) exceeds the largest Java array (" + MAX_ARRAY
                    + " elements); use a voxel of at least " + fmtUp(2 * radius / Math.sqrt(MAX_ARRAY)) + " Å");
        }

        // the interior box
        int box = 0;
        if (settings.interior.fluctuates()) {
            if (settings.boxSize > 0) {
                if (settings.boxSize < mc) {
                    throw new SimulatorSettingException(Setting.BOX_SIZE, Integer.toString(settings.boxSize),
                            "a fixed box of " + settings.boxSize + " voxels cannot hold the core (" + mc
                                    + " voxels across for R - t = " + coreRadius + " Å at voxel " + voxel + " Å)");
                }
                box = settings.boxSize;
            } else {
                double ell;
                if (settings.margin >= 0) {
                    ell = settings.margin;
                } else {
                    double kTop = Math.PI / voxel * Math.sqrt(3.0);
                    ell = spectrum.decayLength(settings.tolerance, kTop, MAX_MARGIN, voxel);
                }
                double need = Math.max(mc + Math.ceil(ell / voxel), mc + 1);
                box = friendly(need);
            }
        }
        this.n = box;
        this.marginAngstrom = n > 0 ? (n - mc) * voxel : 0;

        // the pruned plane and the radial average
        double dq = 2.0 * Math.PI / (plane * voxel);
        double kTop = (grid.max() + RadialAverage.WINDOW * 0.5 * dq) / dq;
        this.kMax = (int) Math.floor(kTop);
        double columns = (kMax + 1.0) * 2.0 * plane;
        if (columns > MAX_ARRAY) {
            throw new SimulatorSettingException(Setting.PLANE_SIZE, Integer.toString(plane), String.format(Locale.ROOT,
                    "its pruned transform up to q = %.4g 1/Å needs %.3g floats in one array, more than Java's %d; "
                            + "the largest plane for this grid and voxel is about %d",
                    grid.max(), columns, MAX_ARRAY, (long) Math.sqrt(MAX_ARRAY * Math.PI / (grid.max() * voxel))));
        }
        double pixels = RadialWeights.estimatePixels(grid.max(), plane, voxel);
        double weightBytes = RadialWeights.estimateBytes(grid.min(), grid.max(), grid.size(), plane, voxel);
        if ((weightBytes - 12 * pixels) / 8 > MAX_ARRAY) {
            throw new SimulatorSettingException(Setting.Q_GRID, grid.toString(), String.format(Locale.ROOT,
                    "its radial average on a %d-pixel plane needs about %.3g weights in one array, more than Java's %d;"
                            + " use fewer q points", plane, (weightBytes - 12 * pixels) / 8, MAX_ARRAY));
        }

        // memory, by part
        int nq = grid.size();
        long half = n / 2;
        double tables = n > 0 ? 24.0 * (3 * half * half + 1) : 0;
        double curves = 8.0 * nq * settings.realizations + 16.0 * settings.realizations;
        double geometry = 8.0 * m * m;
        double shared = tables + weightBytes + curves + geometry + 24.0 * nq;
        double field = n > 0 ? FieldSynthesizer.Workspace.bytes(n) : 0;
        double images = 8.0 * (6.0 * mc * mc + 2.0 * m * m);
        double spectrumBytes = PlaneSpectrum.bytes(plane, kMax) + 8.0 * pixels;
        double worker = field + images + spectrumBytes + 8.0 * nq;
        Runtime rt = Runtime.getRuntime();
        long max = settings.heapLimit > 0 ? settings.heapLimit : rt.maxMemory();
        if (shared + worker > max) {
            throw outOfHeap(shared + worker, max, tables + field, spectrumBytes, weightBytes, curves, geometry + images);
        }
        this.sharedBytes = (long) shared;
        this.workerBytes = (long) worker;
        int pairs = (settings.realizations + 1) / 2;
        int wanted = n > 0 ? Math.max(1, Math.min(settings.threads, pairs)) : 1;
        long used = settings.heapLimit > 0 ? 0 : rt.totalMemory() - rt.freeMemory();
        long free = max - used;
        int fit = wanted;
        while (fit > 1 && sharedBytes + fit * workerBytes > free) {
            fit--;
        }
        if (fit < wanted) {
            LOG.info("running {} of {} worker threads: a {}^3 box needs {} MiB per worker and {} MiB of heap are free",
                    fit, wanted, n, workerBytes >> 20, free >> 20);
        }
        this.workers = fit;
    }

    /** Plans {@code theta} (the nine parameters) under {@code settings}. */
    static SimulationPlan of(SimulatorSettings settings, double[] theta) {
        return new SimulationPlan(settings, theta);
    }

    private SimulatorSettingException projectionTooLarge(double pixels) {
        int plane = settings.planeSize;
        double voxel = settings.voxel;
        String what = String.format(Locale.ROOT, "the particle's projection (%.0f pixels for R = %s Å at voxel %s Å) "
                + "does not fit the %d-pixel plane", pixels, fmt(radius), fmt(voxel), plane);
        if (plane < LnpSimulator.DEFAULT_PLANE || voxel >= LnpSimulator.DEFAULT_VOXEL) {
            return new SimulatorSettingException(Setting.PLANE_SIZE, Integer.toString(plane),
                    what + "; the plane must have at least " + String.format(Locale.ROOT, "%.0f", pixels) + " pixels");
        }
        return new SimulatorSettingException(Setting.VOXEL_SIZE, fmt(voxel) + " Å", what
                + "; the smallest voxel for this particle and plane is " + fmtUp(radius / ((plane - 1) / 2)) + " Å");
    }

    private SimulatorSettingException outOfHeap(double total, long max, double box, double plane, double weights,
                                                double curves, double images) {
        SimulatorSettings s = settings;
        double[] parts = {box, plane, weights, curves, images};
        int worst = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i] > parts[worst]) {
                worst = i;
            }
        }
        String need = String.format(Locale.ROOT, "needs about %d MiB, more than the Java heap's %d MiB; raise the "
                + "heap (-Xmx)", (long) (total / (1 << 20)), max >> 20);
        String particle = String.format(Locale.ROOT, "R = %.1f Å, voxel %.2f Å", radius, s.voxel);
        switch (worst) {
            case 0:
                String box0 = String.format(Locale.ROOT, "a %d^3 box (%s) ", n, particle);
                return s.boxSize > 0
                        ? new SimulatorSettingException(Setting.BOX_SIZE, Integer.toString(s.boxSize),
                        box0 + need + " or use a smaller box")
                        : new SimulatorSettingException(Setting.VOXEL_SIZE, fmt(s.voxel) + " Å",
                        box0 + need + " or use a larger voxel");
            case 1:
                return new SimulatorSettingException(Setting.PLANE_SIZE, Integer.toString(s.planeSize),
                        "the pruned 2-D transform " + need + " or use a smaller plane");
            case 2:
                return new SimulatorSettingException(Setting.Q_GRID, s.grid.toString(),
                        "the radial average of " + s.grid.size() + " q points " + need + " or use fewer q points");
            case 3:
                return new SimulatorSettingException(Setting.REALIZATIONS, Integer.toString(s.realizations),
                        "keeping " + s.realizations + " curves of " + s.grid.size() + " points " + need
                                + " or use fewer realisations");
            default:
                return new SimulatorSettingException(Setting.VOXEL_SIZE, fmt(s.voxel) + " Å",
                        "the particle's projections (" + particle + ") " + need + " or use a larger voxel");
        }
    }

    private int friendly(double need) {
        for (int f : LnpSimulator.FRIENDLY) {
            if (f >= need) {
                return f;
            }
        }
        String what = String.format(Locale.ROOT, "the particle needs a box of %.0f voxels, more than the largest (%d)",
                need, LnpSimulator.MAX_BOX);
        if (settings.margin >= 0 && mc + 1 <= LnpSimulator.MAX_BOX) {
            throw new SimulatorSettingException(Setting.MARGIN, fmt(settings.margin) + " Å",
                    what + "; use a smaller margin or a larger voxel size");
        }
        throw new SimulatorSettingException(Setting.VOXEL_SIZE, fmt(settings.voxel) + " Å",
                what + "; use a larger voxel size or a fixed margin");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** v rounded up to three significant digits. */
    private static String fmtUp(double v) {
        double scale = Math.pow(10, Math.floor(Math.log10(v)) - 2);
        return new java.math.BigDecimal(Math.ceil(v / scale)).multiply(java.math.BigDecimal.valueOf(scale))
                .round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Side of the cubic interior box, voxels (0 when the interior does not fluctuate). */
    public int boxSize() {
        return n;
    }

    /** How much the box exceeds the core's diameter, Å. */
    public double margin() {
        return marginAngstrom;
    }

    /** Side of the particle's projection image, pixels (at most the plane's). */
    public int projectionSize() {
        return m;
    }

    /** Worker threads the run will use (the settings' threads, fewer when the heap is short). */
    public int workers() {
        return workers;
    }

    /** Bytes shared by the workers: field tables, radial weights, the realisations' curves. */
    public long sharedBytes() {
        return sharedBytes;
    }

    /** Bytes each worker holds: the complex box, projection images, the pruned plane. */
    public long bytesPerWorker() {
        return workerBytes;
    }

    /** The estimated heap of the run: shared bytes plus those of {@link #workers()} workers. */
    public long memoryBytes() {
        return sharedBytes + workers * workerBytes;
    }

    /** The realisations the run averages. */
    public int realizations() {
        return settings.realizations;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SimulationPlan[R = %.1f Å, projection %d px on a %d plane, box %s, "
                        + "%d realisations on %d workers, about %d MiB]", radius, m, settings.planeSize,
                n > 0 ? n + "^3" : "none", settings.realizations, workers, memoryBytes() >> 20);
    }
}
