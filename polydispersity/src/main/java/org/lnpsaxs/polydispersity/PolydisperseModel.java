package org.lnpsaxs.polydispersity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.internal.ProductGrid;
import org.lnpsaxs.polydispersity.internal.Workspace;

/**
 * The paper's size-distribution layer: the number-weighted average of a monodisperse model
 * over the distribution of one (or more) of its size parameters,
 * \[ \langle I\rangle(q) = \sum_k w_k\, I(q;\, x_k, \theta), \qquad \sum_k w_k = 1, \]
 * with nodes \( x_k \) and weights \( w_k \) from each {@link Dispersion}'s quadrature rule (an
 * outer product with product weights when several parameters are distributed). This is the
 * right average for intensities that already scale with the particle (the LNP simulator and its
 * surrogate: \( I \propto V^2 \)); for sasmodels' \( \langle F^2\rangle/\langle V\rangle \) use
 * {@link SasPolydisperseModel}.
 *
 * <p>The layer's parameters are the model's, with each distributed parameter replaced in place
 * by its distribution's parameters (e.g. the LNP models' {@code R} by {@code radius_mean},
 * {@code radius_cv}). A batch of B sets becomes one batched call of the monodisperse model on
 * B × K rows (K nodes per set), so a neural surrogate sees one large batch. Intensities are in
 * the monodisperse model's unit.
 *
 * <p>A value-only model gives a value-only layer (this class); a {@link DifferentiableModel}
 * gives a {@link DifferentiablePolydisperseModel}. Scratch buffers are kept per thread; the
 * layer is thread-safe.
 */
public class PolydisperseModel implements BatchedModel {

    static final int SLOT_ROWS = 0;
    static final int SLOT_MONO = 1;
    static final int SLOT_DMONO = 2;
    static final int SLOT_DROWS = 3;
    static final int SLOT_OUT = 4;
    static final int SLOT_G = 5;
    static final int SLOT_DLDW = 6;
    static final int OWN_SLOTS = 7;

    final BatchedModel model;
    final List<Dispersion> dispersions;
    final ProductGrid grid;
    final int nq;
    private final ThreadLocal<Workspace> workspace;

    PolydisperseModel(BatchedModel model, List<Dispersion> dispersions) {
        this.model = Objects.requireNonNull(model, "model");
        if (dispersions.isEmpty()) {
            throw new IllegalArgumentException("a polydisperse model needs at least one dispersion");
        }
        this.dispersions = List.copyOf(dispersions);
        this.grid = new ProductGrid(model.parameters(), this.dispersions);
        this.nq = model.qSize();
        this.workspace = ThreadLocal.withInitial(this::newWorkspace);
    }

    /**
     * The number-weighted average of {@code model} over the given dispersions. The result is a
     * {@link DifferentiablePolydisperseModel} when the model is differentiable.
     */
    public static PolydisperseModel of(BatchedModel model, Dispersion... dispersions) {
        if (model instanceof DifferentiableModel dm) {
            return new DifferentiablePolydisperseModel(dm, List.of(dispersions));
        }
        return new PolydisperseModel(model, List.of(dispersions));
    }

    /** The number-weighted average of a differentiable model (a differentiable layer). */
    public static DifferentiablePolydisperseModel of(DifferentiableModel model, Dispersion... dispersions) {
        return new DifferentiablePolydisperseModel(model, List.of(dispersions));
    }

    /**
     * The paper's layer: the truncated log-normal of {@code sizeParameter} (mean, CV), truncated to
     * [101, 499] Å, on 32 Gauss–Legendre nodes in CDF space ({@link Dispersion#paper(String)}).
     */
    public static PolydisperseModel paper(BatchedModel model, String sizeParameter) {
        return of(model, Dispersion.paper(sizeParameter));
    }

    /** The paper's layer over a differentiable model. */
    public static DifferentiablePolydisperseModel paper(DifferentiableModel model, String sizeParameter) {
        return of(model, Dispersion.paper(sizeParameter));
    }

    Workspace newWorkspace() {
        return new Workspace(OWN_SLOTS + grid.doubleSlots(), ProductGrid.intSlots());
    }

    Workspace acquire() {
        Workspace ws = workspace.get();
        return ws.acquire() ? ws : newWorkspace();
    }

    /** A copy with another list of dispersions (same model). */
    public PolydisperseModel withDispersions(Dispersion... newDispersions) {
        return of(model, newDispersions);
    }

    /** The monodisperse model. */
    public BatchedModel monodisperseModel() {
        return model;
    }

    /** The dispersions, in order. */
    public List<Dispersion> dispersions() {
        return dispersions;
    }

    /** Whether this layer offers gradients (its model does). */
    public boolean isDifferentiable() {
        return this instanceof DifferentiableModel;
    }

    @Override
    public ParameterSpace parameters() {
        return grid.space();
    }

    @Override
    public double[] q() {
        return model.q();
    }

    @Override
    public int qSize() {
        return nq;
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        grid.space().check(theta, batch);
        Workspace ws = acquire();
        try {
            int rows = grid.expand(ws, theta, batch, grid.space().size(), 0, false);
            double[] rowsTheta = rowsTheta(ws, rows);
            double[] mono = exact(ws, SLOT_MONO, (long) rows * nq);
            model.evaluate(rowsTheta, rows, mono);
            reduce(ws, batch, mono, out);
        } finally {
            ws.release();
        }
    }

    /** The row parameter vectors in an array of exactly {@code rows * P} values. */
    double[] rowsTheta(Workspace ws, int rows) {
        int pm = model.parameters().size();
        double[] exact = exact(ws, SLOT_ROWS, (long) rows * pm);
        System.arraycopy(grid.thetaRows(ws), 0, exact, 0, rows * pm);
        return exact;
    }

    /**
     * A buffer of exactly {@code size} values in one of this layer's slots: models may rely on
     * the array length, so buffers handed to the monodisperse model are never longer than needed.
     */
    double[] exact(Workspace ws, int slot, long size) {
        return ws.exact(grid.doubleSlots() + slot, size);
    }

    /** A growable buffer of at least {@code size} values in one of this layer's slots. */
    double[] buffer(Workspace ws, int slot, long size) {
        return ws.doubles(grid.doubleSlots() + slot, size);
    }

    /** out_b = Σ_r W_r mono_r for each set. */
    void reduce(Workspace ws, int batch, double[] mono, double[] out) {
        int[] start = grid.rowStart(ws);
        double[] w = grid.rowWeights(ws);
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            java.util.Arrays.fill(out, o, o + nq, 0.0);
            for (int r = start[b]; r < start[b + 1]; r++) {
                double wr = w[r];
                int m = r * nq;
                for (int i = 0; i < nq; i++) {
                    out[o + i] += wr * mono[m + i];
                }
            }
        }
    }

    @Override
    public String toString() {
        List<String> d = new ArrayList<>();
        for (Dispersion disp : dispersions) {
            d.add(disp.parameter() + ": " + disp.distribution().name() + " on " + disp.rule().name());
        }
        return getClass().getSimpleName() + "[" + String.join("; ", d) + "; " + parameters() + "]";
    }
}
