package org.lnpsaxs.polydispersity;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;

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
 * gives a {@link DifferentiablePolydisperseModel}. Two tiers, as in {@link SasPolydisperseModel}:
 * the batched {@link #evaluate(double[], int, double[])} on positional vectors is the
 * implementation; the named tier keeps a current value per parameter ({@link #defaults()} to begin
 * with), changes it with {@link #with(String, double)} and evaluates with {@link #evaluate()}:
 * <pre>{@code
 * var layer = PolydisperseModel.paper(SasModel.coreShellSphere(QGrid.PAPER), "radius")
 *         .with("radius_mean", 250).with("radius_cv", 0.2);
 * double[] i = layer.evaluate();
 * }</pre>
 * Immutable; scratch buffers are kept per thread; the layer is thread-safe.
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
    private final List<String> distributable;
    private final double[] defaults;
    final double[] values;
    private final ThreadLocal<Workspace> workspace;

    PolydisperseModel(BatchedModel model, List<Dispersion> dispersions, double[] values, ParameterSpace oldSpace) {
        this.model = Objects.requireNonNull(model, "model");
        if (dispersions.isEmpty()) {
            throw new IllegalArgumentException("a polydisperse model needs at least one dispersion");
        }
        this.dispersions = List.copyOf(dispersions);
        double[] q = model.q();
        this.grid = new ProductGrid(model.parameters(), this.dispersions, q.length == 0 ? 0 : q[q.length - 1]);
        this.nq = model.qSize();
        this.distributable = model.parameters().asList().stream().filter(p -> "Å".equals(p.unit()))
                .map(Parameter::name).toList();
        this.defaults = NamedParameters.expandedDefaults(model.parameters(), modelDefaults(model), this.dispersions,
                grid.space());
        this.values = values == null ? defaults.clone()
                : oldSpace == null ? values : NamedParameters.carry(oldSpace, values, grid.space(), defaults);
        this.workspace = ThreadLocal.withInitial(this::newWorkspace);
    }

    /**
     * The monodisperse model's default values: a {@link SasModel}'s current values (also inside a
     * {@link SmearedModel}), the example particle of {@link LnpParameters#example()} for the LNP
     * models' nine parameters, else none (NaN).
     */
    private static double[] modelDefaults(BatchedModel model) {
        BatchedModel m = model instanceof SmearedModel s ? s.inner() : model;
        if (m instanceof SasModel sas) {
            return sas.values();
        }
        if (m.parameters().equals(LnpParameters.SPACE)) {
            return LnpParameters.example();
        }
        double[] v = new double[m.parameters().size()];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /** The same layer type over the same model with other dispersions, carrying the current values by name. */
    PolydisperseModel restructured(List<Dispersion> newDispersions) {
        return new PolydisperseModel(model, newDispersions, values, grid.space());
    }

    /** The same layer with other current values (already checked). */
    PolydisperseModel withCheckedValues(double[] newValues) {
        return new PolydisperseModel(model, dispersions, newValues, null);
    }

    /**
     * The number-weighted average of {@code model} over the given dispersions. The result is a
     * {@link DifferentiablePolydisperseModel} when the model is differentiable.
     */
    public static PolydisperseModel of(BatchedModel model, Dispersion... dispersions) {
        if (model instanceof DifferentiableModel dm) {
            return new DifferentiablePolydisperseModel(dm, List.of(dispersions), null, null);
        }
        return new PolydisperseModel(model, List.of(dispersions), null, null);
    }

    /** The number-weighted average of a differentiable model (a differentiable layer). */
    public static DifferentiablePolydisperseModel of(DifferentiableModel model, Dispersion... dispersions) {
        return new DifferentiablePolydisperseModel(model, List.of(dispersions), null, null);
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

    /**
     * The number of quadrature rows of one parameter set — the monodisperse evaluations one curve
     * costs: the product of the dispersions' node counts at {@code theta} (constant for the
     * paper's rule, adapted to the distribution's width for {@link
     * org.lnpsaxs.polydispersity.quadrature.AdaptiveGaussLegendre}).
     *
     * @param theta one parameter set in the order of {@link #parameters()}
     * @throws IllegalArgumentException if {@code theta} is outside the parameter space
     */
    public int quadratureRows(double... theta) {
        grid.space().check(theta, 1);
        Workspace ws = acquire();
        try {
            return grid.expand(ws, theta, 1, grid.space().size(), 0, false);
        } finally {
            ws.release();
        }
    }

    /**
     * The quadrature rules as this layer uses them, one per dispersion in order: the dispersions'
     * rules adapted to the model's parameter limits and largest q
     * ({@link org.lnpsaxs.polydispersity.quadrature.QuadratureRule#adaptedTo}); their names say so,
     * e.g. {@code adaptive-gauss-legendre(q_max=0.5 1/Å)}.
     */
    public List<org.lnpsaxs.polydispersity.quadrature.QuadratureRule> quadratureRules() {
        return grid.rules();
    }

    /** A copy with another list of dispersions (same model); current values are kept by name. */
    public PolydisperseModel withDispersions(Dispersion... newDispersions) {
        return restructured(List.of(newDispersions));
    }

    // ---- the named tier: current values by name (calls the batched path) ----

    /**
     * The default values in parameter order (a fresh array): the monodisperse model's (a
     * {@link SasModel}'s current values, the LNP example particle {@link LnpParameters#example()}
     * for the nine LNP parameters, NaN for a model without defaults), each distribution's location
     * at the distributed parameter's default (when inside its bounds) and its other parameters at
     * the dispersion's template values (CV 0.2 for the paper's truncated log-normal, pd 0 for
     * sasmodels' families).
     */
    public double[] defaults() {
        return defaults.clone();
    }

    /** The current values in parameter order (the defaults, changed by {@link #with}; a fresh array). */
    public double[] values() {
        return values.clone();
    }

    /** The current value of parameter {@code name}. */
    public double value(String name) {
        return values[grid.space().indexOf(name)];
    }

    /**
     * A copy whose current value of {@code name} is {@code value}. Besides the parameters
     * ({@code radius_mean}, {@code radius_cv} for the paper's dispersion), sasmodels' settings of
     * a size parameter P (a parameter in Å) are accepted as in
     * {@link SasPolydisperseModel#with(String, double)}: {@code P_pd}, {@code P_pd_n},
     * {@code P_pd_nsigma}; a P without a dispersion gets sasmodels' (gaussian, 35 points, ±3 σ).
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones), a value that is
     *                                  not finite or outside the parameter's range, or a setting that
     *                                  does not apply
     */
    public PolydisperseModel with(String name, double value) {
        ParameterSpace space = grid.space();
        if (space.contains(name)) {
            int i = NamedParameters.check(space, name, value);
            double[] v = values.clone();
            v[i] = value;
            return withCheckedValues(v);
        }
        NamedParameters.Setting s = NamedParameters.setting(name, distributable);
        if (s == null) {
            throw NamedParameters.unknown(name, "the polydisperse " + model.getClass().getSimpleName(), space,
                    distributable, dispersions);
        }
        Object setting = switch (s.suffix()) {
            case NamedParameters.PD_N -> NamedParameters.points(name, value);
            case NamedParameters.PD_NSIGMA -> NamedParameters.nsigmas(name, value);
            case NamedParameters.PD_TYPE -> throw new IllegalArgumentException("parameter " + name
                    + " takes a distribution name (gaussian, lognormal, schulz), not a number");
            default -> null;
        };
        PolydisperseModel m = restructured(NamedParameters.withSetting(dispersions, model.parameters().names(), s,
                setting));
        return s.suffix().equals(NamedParameters.PD) ? m.with(name, value) : m;
    }

    /**
     * {@link #with(String, double)} with the value as text: a number, or for {@code P_pd_type} a
     * sasmodels distribution name ({@code gaussian}, {@code lognormal}, {@code schulz}).
     */
    public PolydisperseModel with(String name, String value) {
        NamedParameters.Setting s = grid.space().contains(name) ? null : NamedParameters.setting(name, distributable);
        if (s != null && s.suffix().equals(NamedParameters.PD_TYPE)) {
            SasDistribution.Type type = NamedParameters.type(name, value);
            return restructured(NamedParameters.withSetting(dispersions, model.parameters().names(), s, type));
        }
        return with(name, NamedParameters.number(name, value));
    }

    /** Several values by name, applied in the map's order (numbers or, for {@code P_pd_type}, names). */
    public PolydisperseModel with(Map<String, ?> named) {
        PolydisperseModel m = this;
        for (Map.Entry<String, ?> e : named.entrySet()) {
            m = e.getValue() instanceof Number n ? m.with(e.getKey(), n.doubleValue())
                    : m.with(e.getKey(), String.valueOf(e.getValue()));
        }
        return m;
    }

    /** A copy with all current values given in parameter order (checked against the bounds). */
    public PolydisperseModel withValues(double... newValues) {
        ParameterSpace space = grid.space();
        if (newValues.length != space.size()) {
            throw new IllegalArgumentException("expected " + space.size() + " values " + space.names() + ", got "
                    + newValues.length);
        }
        for (int i = 0; i < newValues.length; i++) {
            NamedParameters.check(space, space.get(i).name(), newValues[i]);
        }
        return withCheckedValues(newValues.clone());
    }

    /**
     * The averaged curve at the current values, in the monodisperse model's unit (calls the batched
     * path).
     *
     * @throws IllegalArgumentException if a parameter has no value (a model without defaults)
     */
    public double[] evaluate() {
        NamedParameters.requireSet(grid.space(), values, "the polydisperse " + model.getClass().getSimpleName());
        NamedParameters.requirePoints(grid.space(), values, dispersions);
        return evaluate(values);
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

    /**
     * E.g. {@code DifferentiablePolydisperseModel[Surrogate[…], R ~ truncated_lognormal truncated to
     * [101, 499] Å on gauss-legendre-cdf(32) [radius_mean, radius_cv]: GRF_shift=-0.1 radius_mean=245 …]}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[').append(model);
        for (Dispersion d : dispersions) {
            sb.append(", ").append(d);
        }
        return sb.append(": ").append(NamedParameters.describe(grid.space(), values)).append(']').toString();
    }
}
