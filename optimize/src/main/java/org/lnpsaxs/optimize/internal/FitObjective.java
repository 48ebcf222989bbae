package org.lnpsaxs.optimize.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.loss.ParameterDependentLoss;
import org.lnpsaxs.optimize.multistart.BatchObjective;

/**
 * The fit as a {@link BatchObjective}: unconstrained coordinates u → model parameters θ
 * ({@link Reparameterization}) → model curves on the fitting grid (one batched
 * {@link DifferentiableModel} call) → {@link Loss}; and back: \( \partial L/\partial I \) (kept from
 * the value call) → the model's vector-Jacobian product → the chain rule to u.
 *
 * <p>The batch is cut into chunks of at most {@code chunkSize} starts (bounded memory: the
 * surrogate sees chunk × quadrature-node rows per call); the {@code lanes} threads take the next
 * chunk as each finishes its last, so a lane whose core is slowed (by another process, or by the
 * host of a virtual machine) does not hold the other at the end of every call. Every row's numbers
 * are those of the row alone, so they depend on neither the lane count nor which lane ran a
 * chunk. The model's N outputs are compared with the loss's N points.
 *
 * <p>Fixed parameters take their values from the fit space, or per start from a {@code base}
 * array ({@code starts * P}) indexed by start id (the profile likelihood uses that). Not a user
 * class.
 */
public final class FitObjective implements BatchObjective {

    private final DifferentiableModel model;
    private final Reparameterization reparam;
    private final Loss loss;
    private final double[] base;
    private final int lanes;
    private final int chunkSize;
    private final int p;
    private final int d;
    private final int n;
    private double[] cache = new double[0];
    /** A loss whose value depends on θ directly (a parameter-dependent model error), or null. */
    private final ParameterDependentLoss direct;
    /** The direct gradients ∂L/∂θ of the last values, by start id ({@code ids * P}; with {@link #direct} only). */
    private double[] directCache = new double[0];
    private final Lane[] laneBuffers;

    /**
     * An objective.
     *
     * @param model     the model on the fitting grid, with the fit space's parameters in the same order
     * @param reparam   the map from u to θ
     * @param loss      the loss on the fitting grid (N points)
     * @param base      per-start values of the fixed parameters ({@code starts * P}, by start id), or {@code null}
     * @param lanes     threads to use (≥ 1)
     * @param chunkSize starts per model call at most (≥ 1)
     */
    public FitObjective(DifferentiableModel model, Reparameterization reparam, Loss loss, double[] base,
                        int lanes, int chunkSize) {
        this.model = model;
        this.reparam = reparam;
        this.loss = loss;
        this.base = base;
        this.lanes = Math.max(1, lanes);
        this.chunkSize = Math.max(1, chunkSize);
        this.p = reparam.size();
        this.d = reparam.freeSize();
        int nq = model.qSize();
        this.n = loss.size();
        if (!model.parameters().names().equals(reparam.space().box().names())) {
            throw new IllegalArgumentException("model parameters " + model.parameters().names()
                    + " differ from the fit space's " + reparam.space().box().names());
        }
        if (nq != n) {
            throw new IllegalArgumentException("the model gives " + nq + " intensities per curve, the loss compares " + n);
        }
        if (base != null && base.length % p != 0) {
            throw new IllegalArgumentException("base values hold " + base.length + " numbers, not a multiple of " + p);
        }
        this.laneBuffers = new Lane[this.lanes];
        this.direct = loss instanceof ParameterDependentLoss pd && pd.dependsOnParameters() ? pd : null;
    }

    /** Scores {@code m} curves of the lane's θ rows into its values and dLdI (and its direct gradient). */
    private void score(Lane b, double[] curves, int m) {
        if (direct != null) {
            direct.evaluate(b.theta, p, curves, m, b.values, b.dLdI, b.extra);
        } else {
            loss.evaluate(curves, m, b.values, b.dLdI);
        }
    }

    /** Adds the direct gradient of the lane's last scoring to its θ gradient. */
    private void addDirect(Lane b, int m) {
        if (direct != null) {
            for (int i = 0; i < m * p; i++) {
                b.dTheta[i] += b.extra[i];
            }
        }
    }

    /** Keeps the lane's dLdI (and direct gradient) for start ids {@code ids[r0 .. r0 + m)}. */
    private void keep(Lane b, int[] ids, int r0, int m) {
        for (int r = 0; r < m; r++) {
            System.arraycopy(b.dLdI, r * n, cache, ids[r0 + r] * n, n);
            if (direct != null) {
                System.arraycopy(b.extra, r * p, directCache, ids[r0 + r] * p, p);
            }
        }
    }

    @Override
    public int dimension() {
        return d;
    }

    /** The reparameterisation. */
    public Reparameterization reparameterization() {
        return reparam;
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** The model. */
    public DifferentiableModel model() {
        return model;
    }

    /** Model parameters θ ({@code batch * P}) of the rows {@code u} of starts {@code ids}. */
    public double[] physical(int[] ids, double[] u, int batch) {
        double[] theta = new double[batch * p];
        reparam.toPhysical(u, gatherBase(ids, batch), batch, theta);
        return theta;
    }

    private double[] gatherBase(int[] ids, int batch) {
        if (base == null) {
            return null;
        }
        double[] rows = new double[batch * p];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(base, ids[r] * p, rows, r * p, p);
        }
        return rows;
    }

    private void ensureCache(int[] ids, int batch) {
        int max = -1;
        for (int r = 0; r < batch; r++) {
            max = Math.max(max, ids[r]);
        }
        long need = (long) (max + 1) * n;
        if (need > cache.length) {
            cache = Arrays.copyOf(cache, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 8, 2L * cache.length)));
        }
        long needDirect = direct == null ? 0 : (long) (max + 1) * p;
        if (needDirect > directCache.length) {
            directCache = Arrays.copyOf(directCache, (int) Math.max(needDirect,
                    Math.min(Integer.MAX_VALUE - 8, 2L * directCache.length)));
        }
    }

    private Lane lane(int l) {
        Lane b = laneBuffers[l];
        if (b == null) {
            b = new Lane(p, n);
            laneBuffers[l] = b;
        }
        return b;
    }

    @Override
    public void value(int[] ids, double[] u, int batch, double[] values) {
        double[] theta = physical(ids, u, batch);
        ensureCache(ids, batch);
        forEachChunk(batch, (b, r0, m) -> {
            System.arraycopy(theta, r0 * p, b.theta, 0, m * p);
            model.evaluate(b.theta, m, b.curves);
            score(b, b.curves, m);
            System.arraycopy(b.values, 0, values, r0, m);
            keep(b, ids, r0, m);
        });
    }

    @Override
    public void gradient(int[] ids, double[] u, int batch, double[] gradient) {
        double[] rowsBase = gatherBase(ids, batch);
        double[] theta = new double[batch * p];
        reparam.toPhysical(u, rowsBase, batch, theta);
        double[] dTheta = new double[batch * p];
        forEachChunk(batch, (b, r0, m) -> {
            System.arraycopy(theta, r0 * p, b.theta, 0, m * p);
            for (int r = 0; r < m; r++) {
                System.arraycopy(cache, ids[r0 + r] * n, b.dLdI, r * n, n);
            }
            model.vectorJacobianProduct(b.theta, m, b.dLdI, b.dTheta);
            if (direct != null) {
                for (int r = 0; r < m; r++) {
                    for (int j = 0; j < p; j++) {
                        b.dTheta[r * p + j] += directCache[ids[r0 + r] * p + j];
                    }
                }
            }
            System.arraycopy(b.dTheta, 0, dTheta, r0 * p, m * p);
        });
        reparam.gradientToFree(u, rowsBase, batch, dTheta, gradient);
    }

    /** True: every coordinate is a logistic onto its box ({@link Reparameterization}). */
    @Override
    public boolean coordinatesSaturate() {
        return true;
    }

    /** True for a {@link FusedDifferentiableModel} (its value and gradient share the forward pass). */
    @Override
    public boolean sharesForwardPass() {
        return model instanceof FusedDifferentiableModel;
    }

    /**
     * Values and gradients at the same points. For a {@link FusedDifferentiableModel} (the
     * size-distribution layer) the model's forward pass is done once per chunk and kept for the
     * reverse pass, instead of being repeated by a separate vector-Jacobian product; the numbers
     * are those of {@link #value} followed by {@link #gradient}.
     */
    @Override
    public void valueAndGradient(int[] ids, double[] u, int batch, double[] values, double[] gradient) {
        if (!(model instanceof FusedDifferentiableModel fused)) {
            BatchObjective.super.valueAndGradient(ids, u, batch, values, gradient);
            return;
        }
        double[] rowsBase = gatherBase(ids, batch);
        double[] theta = new double[batch * p];
        reparam.toPhysical(u, rowsBase, batch, theta);
        ensureCache(ids, batch);
        double[] dTheta = new double[batch * p];
        forEachChunk(batch, (b, r0, m) -> {
            System.arraycopy(theta, r0 * p, b.theta, 0, m * p);
            fused.evaluateAndBackpropagate(b.theta, m, b.curves, (intensity, rows, g) -> {
                score(b, intensity, rows);
                System.arraycopy(b.dLdI, 0, g, 0, rows * n);
            }, b.dTheta);
            addDirect(b, m);
            System.arraycopy(b.values, 0, values, r0, m);
            System.arraycopy(b.dTheta, 0, dTheta, r0 * p, m * p);
            keep(b, ids, r0, m);
        });
        reparam.gradientToFree(u, rowsBase, batch, dTheta, gradient);
    }

    /**
     * Values and gradients with respect to the physical parameters at {@code batch} full parameter
     * vectors ({@code batch * P}, the fit space's order, fixed entries included; no
     * reparameterisation): {@code dTheta} receives {@code batch * P} partial derivatives of the
     * loss, in the loss's units per parameter unit. For a {@link FusedDifferentiableModel} the
     * forward pass is kept for the reverse pass.
     */
    public void valueAndPhysicalGradient(double[] theta, int batch, double[] values, double[] dTheta) {
        forEachChunk(batch, (b, r0, m) -> {
            System.arraycopy(theta, r0 * p, b.theta, 0, m * p);
            if (model instanceof FusedDifferentiableModel fused) {
                fused.evaluateAndBackpropagate(b.theta, m, b.curves, (intensity, rows, g) -> {
                    score(b, intensity, rows);
                    System.arraycopy(b.dLdI, 0, g, 0, rows * n);
                }, b.dTheta);
            } else {
                model.evaluate(b.theta, m, b.curves);
                score(b, b.curves, m);
                model.vectorJacobianProduct(b.theta, m, b.dLdI, b.dTheta);
            }
            addDirect(b, m);
            System.arraycopy(b.values, 0, values, r0, m);
            System.arraycopy(b.dTheta, 0, dTheta, r0 * p, m * p);
        });
    }

    /** The work on one chunk: rows {@code [r0, r0 + m)} of the batch, in lane buffers {@code b} sized for m rows. */
    @FunctionalInterface
    private interface ChunkJob {
        void run(Lane b, int r0, int m);
    }

    /**
     * Cuts a batch into chunks of at most {@code chunkSize} rows — and into at least as many chunks
     * as there are lanes, so that a batch smaller than two chunks (the late iterations of a fit,
     * when most starts have converged, and the line search's retries) still keeps every lane busy
     * — and runs them on the lanes, each lane taking the next unclaimed chunk when it is free (a
     * fixed assignment, chunks l, l + lanes, …, left the faster lane idle at the end of every call
     * whenever one core ran slower: docs/benchmarks.md, "Lanes that take the next chunk"). Every
     * row's numbers are those of the row alone, so results depend on neither the lane count, the
     * chunking nor which lane ran a chunk.
     */
    private void forEachChunk(int batch, ChunkJob job) {
        int size = Math.max(1, Math.min(chunkSize, (batch + lanes - 1) / lanes));
        int chunks = (batch + size - 1) / size;
        int use = Math.min(lanes, chunks);
        Lane[] buf = new Lane[use];
        for (int l = 0; l < use; l++) {
            buf[l] = lane(l);
        }
        AtomicInteger next = new AtomicInteger();
        Lanes.run(use, l -> {
            Lane b = buf[l];
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int r0 = c * size;
                int m = Math.min(size, batch - r0);
                job.run(b.ensure(m), r0, m);
            }
        });
    }

    /**
     * Per-lane buffers for one chunk of exactly {@code rows} starts (models may insist on arrays of
     * exactly batch × size values); reallocated only when the chunk size changes.
     */
    private static final class Lane {
        private final int p;
        private final int n;
        int rows = -1;
        double[] theta;
        double[] curves;
        double[] values;
        double[] dLdI;
        double[] dTheta;
        double[] extra;

        Lane(int p, int n) {
            this.p = p;
            this.n = n;
        }

        Lane ensure(int m) {
            if (m != rows) {
                rows = m;
                theta = new double[m * p];
                curves = new double[m * n];
                values = new double[m];
                dLdI = new double[m * n];
                dTheta = new double[m * p];
                extra = new double[m * p];
            }
            return this;
        }
    }
}
