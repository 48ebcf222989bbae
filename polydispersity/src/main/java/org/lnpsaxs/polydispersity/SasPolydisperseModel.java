package org.lnpsaxs.polydispersity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.internal.ProductGrid;
import org.lnpsaxs.polydispersity.internal.Workspace;

/**
 * A sasmodels-style model: a {@link FormFactor} averaged over the distributions of some of its
 * parameters and normalised as sasmodels does,
 * \[ I(q) = \mathrm{scale}\,\frac{\sum_r W_r\, f_2(q; x_r)}{\sum_r W_r\, V(x_r)} + \mathrm{background}
 *        = \mathrm{scale}\,\frac{\langle 10^{-4}F^2\rangle}{\langle V\rangle} + \mathrm{background}, \]
 * with rows r the outer product of the dispersions' nodes and \( W_r \) the product of their
 * weights (\( \sum_r W_r = 1 \)). Without dispersions this is the monodisperse sasmodels model.
 * Units: q in Å⁻¹, I in cm⁻¹ (absolute when scale is the volume fraction), lengths in Å, SLDs in
 * 10⁻⁶ Å⁻².
 *
 * <p>Parameters: {@code scale} (≥ 0), {@code background} (cm⁻¹), then the form factor's
 * parameters in order, each distributed one replaced by its distribution's parameters (for a
 * sasmodels dispersion {@code radius} stays and {@code radius_pd} follows it; for the paper's
 * truncated log-normal {@code radius} becomes {@code radius_mean}, {@code radius_cv}). Any
 * distribution and rule may be used per parameter ({@link Dispersion}); with sasmodels'
 * distributions on {@link org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid} the result matches
 * sasmodels 1.0.6 (cutoff 0) to rounding.
 *
 * <p>Reverse mode: with \( N(q) = \sum_r W_r f_{2,r}(q) \), \( D = \sum_r W_r V_r \) and upstream
 * g: \( \partial L/\partial\mathrm{scale} = \sum_q g N/D \), \( \partial L/\partial\mathrm{background}
 * = \sum_q g \), \( \partial L/\partial f_{2,r}(q) = W_r\,\mathrm{scale}\,g(q)/D \),
 * \( \partial L/\partial V_r = -W_r\,\mathrm{scale}\sum_q g N/D^2 \), and
 * \( \partial L/\partial W_r = \sum_q f_{2,r}\,\mathrm{scale}\,g/D + V_r\,\partial L/\partial D \);
 * the form factor's VJP and the grid's chain rule do the rest. Thread-safe; scratch buffers are
 * kept per thread.
 */
public final class SasPolydisperseModel implements FusedDifferentiableModel {

    private static final int SCALE = 0;
    private static final int BACKGROUND = 1;
    private static final int SLOT_ROWS = 0;
    private static final int SLOT_F2 = 1;
    private static final int SLOT_VOL = 2;
    private static final int SLOT_DF2 = 3;
    private static final int SLOT_DV = 4;
    private static final int SLOT_DROWS = 5;
    private static final int SLOT_N = 6;
    private static final int SLOT_D = 7;
    private static final int SLOT_OUT = 8;
    private static final int SLOT_G = 9;
    private static final int SLOT_DLDW = 10;
    private static final int SLOT_DVROWS = 11;
    private static final int OWN_SLOTS = 12;

    private final FormFactor formFactor;
    private final double[] q;
    private final List<Dispersion> dispersions;
    private final ProductGrid grid;
    private final ParameterSpace space;
    private final ThreadLocal<Workspace> workspace;

    private SasPolydisperseModel(FormFactor formFactor, double[] q, List<Dispersion> dispersions) {
        this.formFactor = Objects.requireNonNull(formFactor, "formFactor");
        this.q = QGrid.of(q).values();
        this.dispersions = List.copyOf(dispersions);
        this.grid = new ProductGrid(formFactor.parameters(), this.dispersions);
        List<Parameter> all = new ArrayList<>();
        all.add(new Parameter("scale", "", 0, Double.POSITIVE_INFINITY,
                "scale factor (the volume fraction for absolute intensities)"));
        all.add(new Parameter("background", "1/cm", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                "flat background"));
        all.addAll(grid.space().asList());
        this.space = ParameterSpace.of(all);
        this.workspace = ThreadLocal.withInitial(this::newWorkspace);
    }

    /**
     * A model on the q values {@code q} (Å⁻¹, ascending) with the given dispersions (none: the
     * monodisperse model).
     */
    public static SasPolydisperseModel of(FormFactor formFactor, double[] q, Dispersion... dispersions) {
        return new SasPolydisperseModel(formFactor, q, List.of(dispersions));
    }

    /** A model on a q grid. */
    public static SasPolydisperseModel of(FormFactor formFactor, QGrid q, Dispersion... dispersions) {
        return of(formFactor, q.values(), dispersions);
    }

    /** A copy with another dispersion of {@code dispersion.parameter()} (added or replacing one). */
    public SasPolydisperseModel withDispersion(Dispersion dispersion) {
        List<Dispersion> list = new ArrayList<>();
        for (Dispersion d : dispersions) {
            if (!d.parameter().equals(dispersion.parameter())) {
                list.add(d);
            }
        }
        list.add(dispersion);
        return new SasPolydisperseModel(formFactor, q, list);
    }

    /** A copy without a dispersion of {@code parameter} (it becomes monodisperse). */
    public SasPolydisperseModel withoutDispersion(String parameter) {
        List<Dispersion> list = new ArrayList<>();
        for (Dispersion d : dispersions) {
            if (!d.parameter().equals(parameter)) {
                list.add(d);
            }
        }
        return new SasPolydisperseModel(formFactor, q, list);
    }

    /** A copy on other q values (Å⁻¹). */
    public SasPolydisperseModel withQ(double[] newQ) {
        return new SasPolydisperseModel(formFactor, newQ, dispersions);
    }

    /** The form factor. */
    public FormFactor formFactor() {
        return formFactor;
    }

    /** The dispersions, in order. */
    public List<Dispersion> dispersions() {
        return dispersions;
    }

    private Workspace newWorkspace() {
        return new Workspace(grid.doubleSlots() + OWN_SLOTS, ProductGrid.intSlots());
    }

    private Workspace acquire() {
        Workspace ws = workspace.get();
        return ws.acquire() ? ws : newWorkspace();
    }

    private double[] exact(Workspace ws, int slot, long size) {
        return ws.exact(grid.doubleSlots() + slot, size);
    }

    private double[] buffer(Workspace ws, int slot, long size) {
        return ws.doubles(grid.doubleSlots() + slot, size);
    }

    @Override
    public ParameterSpace parameters() {
        return space;
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public int qSize() {
        return q.length;
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        space.check(theta, batch);
        Workspace ws = acquire();
        try {
            forward(ws, theta, batch, false, out);
        } finally {
            ws.release();
        }
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        run(theta, batch, null, null, dLdI, dLdTheta);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here the form factor's fused {@link FormFactor#computeWithVectorJacobianProduct} computes
     * each sin/cos once for the values and the derivatives (the upstream gradient being known in
     * advance); the volume term, whose factor needs the average, is a second, q-free call.
     */
    @Override
    public void evaluateAndVectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] out,
                                                 double[] dLdTheta) {
        run(theta, batch, out, null, dLdI, dLdTheta);
    }

    @Override
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        run(theta, batch, out, upstream, null, dLdTheta);
    }

    /** Expands the grid, evaluates the form factor and writes I; returns the number of rows. */
    private int forward(Workspace ws, double[] theta, int batch, boolean derivatives, double[] out) {
        int p = space.size();
        int nq = q.length;
        int pm = formFactor.parameters().size();
        int rows = grid.expand(ws, theta, batch, p, 2, derivatives);
        double[] rowsTheta = exact(ws, SLOT_ROWS, (long) rows * pm);
        System.arraycopy(grid.thetaRows(ws), 0, rowsTheta, 0, rows * pm);
        double[] f2 = exact(ws, SLOT_F2, (long) rows * nq);
        double[] vol = exact(ws, SLOT_VOL, rows);
        formFactor.compute(q, rowsTheta, rows, f2, vol);
        double[] n = buffer(ws, SLOT_N, (long) batch * nq);
        double[] dv = buffer(ws, SLOT_D, batch);
        average(theta, batch, grid.rowWeights(ws), grid.rowStart(ws), f2, vol, n, dv, out);
        return rows;
    }

    /** \( N_b = \sum_r W_r f_{2,r} \), \( D_b = \sum_r W_r V_r \), \( I_b = \mathrm{scale}\,N_b/D_b + \mathrm{background} \). */
    private void average(double[] theta, int batch, double[] w, int[] start, double[] f2, double[] vol, double[] n,
                         double[] dv, double[] out) {
        int p = space.size();
        int nq = q.length;
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            java.util.Arrays.fill(n, o, o + nq, 0.0);
            double d = 0;
            for (int r = start[b]; r < start[b + 1]; r++) {
                double wr = w[r];
                d += wr * vol[r];
                int m = r * nq;
                for (int i = 0; i < nq; i++) {
                    n[o + i] += wr * f2[m + i];
                }
            }
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new IllegalArgumentException("the average form volume <V> = " + d + " Å³"
                        + (batch > 1 ? " (set " + b + ")" : "") + " is not positive: check the size parameters");
            }
            dv[b] = d;
            double scale = theta[b * p + SCALE];
            double background = theta[b * p + BACKGROUND];
            double c = scale / d;
            for (int i = 0; i < nq; i++) {
                out[o + i] = c * n[o + i] + background;
            }
        }
    }

    private void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixedG,
                     double[] dLdTheta) {
        space.check(theta, batch);
        int p = space.size();
        int nq = q.length;
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
        if (fixedG != null && fixedG.length < (long) batch * nq) {
            throw new IllegalArgumentException("dLdI holds " + fixedG.length + " values, need " + ((long) batch * nq));
        }
        Workspace ws = acquire();
        try {
            double[] intensity = out != null ? out : buffer(ws, SLOT_OUT, (long) batch * nq);
            if (fixedG != null) {
                fusedPass(ws, theta, batch, fixedG, intensity, dLdTheta);
            } else {
                int rows = forward(ws, theta, batch, true, intensity);
                double[] g = buffer(ws, SLOT_G, (long) batch * nq);
                upstream.compute(intensity, batch, g);
                reversePass(ws, theta, batch, rows, g, dLdTheta);
            }
        } finally {
            ws.release();
        }
    }

    /**
     * The reverse pass after {@link #forward}: per set, \( a = \mathrm{scale}/D \),
     * \( \partial L/\partial D = -a\sum_q gN/D \); per row \( \partial L/\partial f_2 = W a g \),
     * \( \partial L/\partial V = W\,\partial L/\partial D \); one form-factor VJP for all rows.
     */
    private void reversePass(Workspace ws, double[] theta, int batch, int rows, double[] g, double[] dLdTheta) {
        int p = space.size();
        int nq = q.length;
        int pm = formFactor.parameters().size();
        double[] rowsTheta = exact(ws, SLOT_ROWS, (long) rows * pm);
        double[] f2 = exact(ws, SLOT_F2, (long) rows * nq);
        double[] vol = exact(ws, SLOT_VOL, rows);
        double[] n = buffer(ws, SLOT_N, (long) batch * nq);
        double[] dv = buffer(ws, SLOT_D, batch);
        double[] df2 = exact(ws, SLOT_DF2, (long) rows * nq);
        double[] dvol = exact(ws, SLOT_DV, rows);
        double[] dRows = exact(ws, SLOT_DROWS, (long) rows * pm);
        double[] dLdW = grid.weightsMove() ? buffer(ws, SLOT_DLDW, rows) : null;
        double[] w = grid.rowWeights(ws);
        int[] start = grid.rowStart(ws);
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            double d = dv[b];
            double a = theta[b * p + SCALE] / d;
            double gn = setGradients(theta, b, g, n, d, dLdTheta);
            double dLdD = -a * gn / d;
            for (int r = start[b]; r < start[b + 1]; r++) {
                double wr = w[r];
                int m = r * nq;
                double wa = wr * a;
                double sf = 0;
                for (int i = 0; i < nq; i++) {
                    double gi = g[o + i];
                    df2[m + i] = wa * gi;
                    sf += f2[m + i] * gi;
                }
                dvol[r] = wr * dLdD;
                if (dLdW != null) {
                    dLdW[r] = a * sf + vol[r] * dLdD;
                }
            }
        }
        formFactor.vectorJacobianProduct(q, rowsTheta, rows, df2, dvol, dRows);
        grid.backward(ws, batch, dRows, dLdW, dLdTheta, p, 2);
    }

    /**
     * Values and gradients for an upstream gradient known in advance: one fused form-factor call
     * with \( \partial L/\partial f_2 = W g \) (the factor a = scale/D applied afterwards, per set),
     * then a q-free call for the volume term \( J_V^\mathsf{T} W \), scaled by \( \partial L/\partial D \).
     */
    private void fusedPass(Workspace ws, double[] theta, int batch, double[] g, double[] out, double[] dLdTheta) {
        int p = space.size();
        int nq = q.length;
        int pm = formFactor.parameters().size();
        int rows = grid.expand(ws, theta, batch, p, 2, true);
        double[] rowsTheta = exact(ws, SLOT_ROWS, (long) rows * pm);
        System.arraycopy(grid.thetaRows(ws), 0, rowsTheta, 0, rows * pm);
        double[] w = grid.rowWeights(ws);
        int[] start = grid.rowStart(ws);
        double[] df2 = exact(ws, SLOT_DF2, (long) rows * nq);
        double[] dvol = exact(ws, SLOT_DV, rows);
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            for (int r = start[b]; r < start[b + 1]; r++) {
                double wr = w[r];
                int m = r * nq;
                for (int i = 0; i < nq; i++) {
                    df2[m + i] = wr * g[o + i];
                }
                dvol[r] = wr;
            }
        }
        double[] f2 = exact(ws, SLOT_F2, (long) rows * nq);
        double[] vol = exact(ws, SLOT_VOL, rows);
        double[] dF2Rows = exact(ws, SLOT_DROWS, (long) rows * pm);
        formFactor.computeWithVectorJacobianProduct(q, rowsTheta, rows, df2, null, f2, vol, dF2Rows);
        double[] dVRows = exact(ws, SLOT_DVROWS, (long) rows * pm);
        formFactor.vectorJacobianProduct(q, rowsTheta, rows, null, dvol, dVRows);
        double[] n = buffer(ws, SLOT_N, (long) batch * nq);
        double[] dv = buffer(ws, SLOT_D, batch);
        average(theta, batch, w, start, f2, vol, n, dv, out);
        double[] dLdW = grid.weightsMove() ? buffer(ws, SLOT_DLDW, rows) : null;
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            double d = dv[b];
            double a = theta[b * p + SCALE] / d;
            double gn = setGradients(theta, b, g, n, d, dLdTheta);
            double dLdD = -a * gn / d;
            for (int r = start[b]; r < start[b + 1]; r++) {
                int m = r * pm;
                for (int j = 0; j < pm; j++) {
                    dF2Rows[m + j] = a * dF2Rows[m + j] + dLdD * dVRows[m + j];
                }
                if (dLdW != null) {
                    int mq = r * nq;
                    double sf = 0;
                    for (int i = 0; i < nq; i++) {
                        sf += f2[mq + i] * g[o + i];
                    }
                    dLdW[r] = a * sf + vol[r] * dLdD;
                }
            }
        }
        grid.backward(ws, batch, dF2Rows, dLdW, dLdTheta, p, 2);
    }

    /** Writes ∂L/∂scale and ∂L/∂background of set b and returns \( \sum_q g N \). */
    private double setGradients(double[] theta, int b, double[] g, double[] n, double d, double[] dLdTheta) {
        int p = space.size();
        int nq = q.length;
        int o = b * nq;
        double gn = 0;
        double gsum = 0;
        for (int i = 0; i < nq; i++) {
            gn += g[o + i] * n[o + i];
            gsum += g[o + i];
        }
        dLdTheta[b * p + SCALE] = gn / d;
        dLdTheta[b * p + BACKGROUND] = gsum;
        return gn;
    }

    @Override
    public String toString() {
        List<String> d = new ArrayList<>();
        for (Dispersion disp : dispersions) {
            d.add(disp.parameter() + ": " + disp.distribution().name() + " on " + disp.rule().name());
        }
        return "SasPolydisperseModel[" + formFactor.name() + (d.isEmpty() ? "" : "; " + String.join("; ", d))
                + "; " + q.length + " q]";
    }
}
