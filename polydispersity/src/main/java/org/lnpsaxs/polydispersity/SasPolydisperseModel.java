package org.lnpsaxs.polydispersity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid;

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
 * the form factor's VJP and the grid's chain rule do the rest. With the upstream gradient known in
 * advance ({@link #vectorJacobianProduct}, {@link #evaluateAndVectorJacobianProduct}) this is one
 * fused form-factor pass; with a callback ({@link #evaluateAndBackpropagate}) the intensities come
 * first, so the form factor runs twice.
 *
 * <p>Two tiers over one implementation (as EJML's): the batched {@link #evaluate(double[], int, double[])}
 * and reverse-mode calls take positional parameter vectors and are what fits use; the named tier
 * carries a current value for every parameter (sasmodels' defaults to begin with), changes it by
 * sasmodels' name — including the dispersion settings {@code radius_pd}, {@code radius_pd_n},
 * {@code radius_pd_nsigma}, {@code radius_pd_type} — and evaluates through the batched path:
 * <pre>{@code
 * double[] i = SasPolydisperseModel.byName("core_shell_sphere", QGrid.log(0.001, 0.5, 200))
 *         .with("radius", 250).with("thickness", 30).with("radius_pd", 0.1).with("radius_pd_type", "schulz")
 *         .evaluate();
 * }</pre>
 *
 * <p><b>q bands.</b> A rule whose nodes resolve the oscillations of the curve up to the model's
 * largest q ({@link org.lnpsaxs.polydispersity.quadrature.QuadratureRule#dependsOnQMax()}, the
 * accurate {@link org.lnpsaxs.polydispersity.quadrature.AdaptiveGaussLegendre}) needs about q_max × the
 * distribution's width nodes, but a q well below q_max needs fewer. Such a model averages its q values
 * in bands, each with the rule adapted to the band's own largest q: from the top down, a band holds
 * the q values above half its largest, and at least 32 of them (the last band takes every q below
 * the others; a grid of fewer than 64 q values is not banded). Every q is then averaged by a rule
 * that resolves it, with the same accuracy bound, and a log-spaced grid costs a few bands' worth of
 * the top band's nodes instead of all its q at the top's node count. A parameter set is averaged by
 * band only where that pays — where the lowest band's rule needs at most half the top's nodes —
 * and in one pass over all q otherwise (a narrow distribution needs about the same nodes at every
 * q). The bands' rules differ, so a curve is continuous across a band edge, and across a set where
 * that choice turns, only to within the rule's accuracy (10⁻³ relative at most, about 10⁻⁵
 * typically). {@link #quadratureRows} and {@link #quadratureRules()} describe the top band. Rules
 * that do not depend on q_max (sasmodels' grid, the paper's rule) are not banded.
 *
 * <p>Large batches are processed in chunks of sets so that no (rows × q) buffer exceeds 4 M
 * values. Immutable and thread-safe; scratch buffers are kept per thread.
 */
public final class SasPolydisperseModel implements FusedDifferentiableModel {

    /** sasmodels' default background, cm⁻¹. */
    public static final double DEFAULT_BACKGROUND = 0.001;

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
    private static final int SLOT_DLDW = 8;
    private static final int SLOT_DVROWS = 9;
    private static final int OWN_SLOTS = 10;
    /** The largest number of values in one (rows × q) buffer of a pass. */
    private static final long CHUNK_VALUES = 1L << 22;
    /** The fewest (row, q) values of a pass that is split over threads. */
    private static final long PARALLEL_VALUES = 1L << 16;
    /** The ratio of a q band's largest q to the largest q below it (see the class comment). */
    private static final double BAND_RATIO = 2.0;
    /** The most q bands; the last takes every q below the others. */
    private static final int MAX_BANDS = 24;
    /**
     * The fewest q values of a band: a band also costs its own nodes and a pass of its own, which
     * a handful of q values does not repay (measured on SasView's example fits, docs/benchmarks.md).
     */
    private static final int MIN_BAND_Q = 32;

    /** A q band: the q values {@code [from, to)} of the model, averaged by {@code model} (not banded). */
    private record Band(int from, int to, SasPolydisperseModel model) {
    }

    private final FormFactor formFactor;
    private final double[] q;
    private final List<Dispersion> dispersions;
    private final ProductGrid grid;
    private final ParameterSpace space;
    private final List<String> distributable;
    private final double[] defaults;
    private final double[] values;
    private final int threads;
    private final ThreadLocal<Workspace> workspace;
    /** The q bands, from the top down, or null when the model is not banded. */
    private final Band[] bands;
    /** With bands: the same model on all its q values, not banded (for the sets that bands would not help). */
    private final SasPolydisperseModel whole;

    private SasPolydisperseModel(FormFactor formFactor, double[] q, List<Dispersion> dispersions, double[] values,
                                 ParameterSpace oldSpace, int threads) {
        this(formFactor, q, dispersions, values, oldSpace, threads, true);
    }

    private SasPolydisperseModel(FormFactor formFactor, double[] q, List<Dispersion> dispersions, double[] values,
                                 ParameterSpace oldSpace, int threads, boolean bandable) {
        this.formFactor = Objects.requireNonNull(formFactor, "formFactor");
        this.q = QGrid.of(q).values();
        this.dispersions = List.copyOf(dispersions);
        this.grid = new ProductGrid(formFactor.parameters(), this.dispersions, this.q[this.q.length - 1]);
        List<Parameter> all = new ArrayList<>();
        all.add(new Parameter("scale", "", 0, Double.POSITIVE_INFINITY,
                "scale factor (the volume fraction for absolute intensities)"));
        all.add(new Parameter("background", "1/cm", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                "flat background"));
        all.addAll(grid.space().asList());
        this.space = ParameterSpace.of(all);
        this.distributable = distributable(formFactor);
        double[] expanded = NamedParameters.expandedDefaults(formFactor.parameters(), kernelDefaults(formFactor),
                this.dispersions, grid.space());
        this.defaults = new double[space.size()];
        defaults[SCALE] = 1.0;
        defaults[BACKGROUND] = DEFAULT_BACKGROUND;
        System.arraycopy(expanded, 0, defaults, 2, expanded.length);
        this.values = values == null ? defaults.clone() : NamedParameters.carry(oldSpace, values, space, defaults);
        this.threads = threads;
        this.workspace = ThreadLocal.withInitial(this::newWorkspace);
        this.bands = bandable ? bands() : null;
        this.whole = bands == null ? null
                : new SasPolydisperseModel(formFactor, this.q, this.dispersions, null, null, threads, false);
    }

    /** The q bands of a model whose rules depend on q_max (see the class comment), or null. */
    private Band[] bands() {
        boolean depends = false;
        for (org.lnpsaxs.polydispersity.quadrature.QuadratureRule r : grid.rules()) {
            depends |= r.dependsOnQMax();
        }
        if (!depends || q.length < 2) {
            return null;
        }
        List<Band> list = new ArrayList<>();
        int to = q.length;
        while (to > 0) {
            double top = q[to - 1];
            int from = to - 1;
            while (from > 0 && q[from - 1] > top / BAND_RATIO) {
                from--;
            }
            from = Math.min(from, to - MIN_BAND_Q);
            if (from < MIN_BAND_Q || list.size() == MAX_BANDS - 1 || !(top > 0)) {
                from = 0;
            }
            list.add(new Band(from, to, new SasPolydisperseModel(formFactor, java.util.Arrays.copyOfRange(q, from, to),
                    dispersions, null, null, threads, false)));
            to = from;
        }
        return list.size() < 2 ? null : list.toArray(new Band[0]);
    }

    private SasPolydisperseModel(SasPolydisperseModel m, double[] newValues, int threads) {
        this.formFactor = m.formFactor;
        this.q = m.q;
        this.dispersions = m.dispersions;
        this.grid = m.grid;
        this.space = m.space;
        this.distributable = m.distributable;
        this.defaults = m.defaults;
        this.values = newValues;
        this.threads = threads;
        this.workspace = ThreadLocal.withInitial(this::newWorkspace);
        if (m.bands == null || threads == m.threads) {
            this.bands = m.bands;
            this.whole = m.whole;
        } else {
            this.bands = new Band[m.bands.length];
            for (int i = 0; i < bands.length; i++) {
                Band b = m.bands[i];
                bands[i] = new Band(b.from(), b.to(), b.model().withThreads(threads));
            }
            this.whole = m.whole.withThreads(threads);
        }
    }

    /** sasmodels' kernel defaults of a built-in form factor; NaN (no default) for a user's. */
    private static double[] kernelDefaults(FormFactor formFactor) {
        if (FormFactors.names().contains(formFactor.name())
                && FormFactors.byName(formFactor.name()).getClass() == formFactor.getClass()) {
            return FormFactors.defaults(formFactor.name());
        }
        double[] v = new double[formFactor.parameters().size()];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /** sasmodels' volume parameters of a built-in form factor; the lengths (unit Å) of a user's. */
    private static List<String> distributable(FormFactor formFactor) {
        if (FormFactors.names().contains(formFactor.name())
                && FormFactors.byName(formFactor.name()).getClass() == formFactor.getClass()) {
            return FormFactors.polydisperseParameters(formFactor.name());
        }
        return formFactor.parameters().asList().stream().filter(p -> "Å".equals(p.unit())).map(Parameter::name).toList();
    }

    /**
     * A model on the q values {@code q} (Å⁻¹, ascending) with the given dispersions (none: the
     * monodisperse model), at its default values.
     */
    public static SasPolydisperseModel of(FormFactor formFactor, double[] q, Dispersion... dispersions) {
        return new SasPolydisperseModel(formFactor, q, List.of(dispersions), null, null, 1);
    }

    /** A model on a q grid. */
    public static SasPolydisperseModel of(FormFactor formFactor, QGrid q, Dispersion... dispersions) {
        return of(formFactor, q.values(), dispersions);
    }

    /**
     * A built-in sasmodels model by name ({@code sphere}, {@code core_shell_sphere}) on a q grid, at
     * sasmodels' defaults and monodisperse until a {@code P_pd} setting is given by name:
     * <pre>{@code
     * SasPolydisperseModel.byName("core_shell_sphere", QGrid.log(0.001, 0.5, 200))
     *         .with("radius", 250).with("radius_pd", 0.1).with("radius_pd_type", "schulz")
     *         .evaluate();
     * }</pre>
     */
    public static SasPolydisperseModel byName(String name, QGrid q) {
        return of(FormFactors.byName(name), q);
    }

    private SasPolydisperseModel restructured(List<Dispersion> newDispersions) {
        return new SasPolydisperseModel(formFactor, q, newDispersions, values, space, threads);
    }

    /**
     * A copy with another dispersion of {@code dispersion.parameter()} (added or replacing one);
     * current values are kept by name, new parameters take their defaults.
     */
    public SasPolydisperseModel withDispersion(Dispersion dispersion) {
        List<Dispersion> list = new ArrayList<>();
        for (Dispersion d : dispersions) {
            if (!d.parameter().equals(dispersion.parameter())) {
                list.add(d);
            }
        }
        list.add(dispersion);
        return restructured(list);
    }

    /** A copy without a dispersion of {@code parameter} (it becomes monodisperse). */
    public SasPolydisperseModel withoutDispersion(String parameter) {
        List<Dispersion> list = new ArrayList<>();
        for (Dispersion d : dispersions) {
            if (!d.parameter().equals(parameter)) {
                list.add(d);
            }
        }
        return restructured(list);
    }

    /** A copy on other q values (Å⁻¹), with the same current values. */
    public SasPolydisperseModel withQ(double[] newQ) {
        return new SasPolydisperseModel(formFactor, newQ, dispersions, values, space, threads);
    }

    /** A copy on another q grid, with the same current values. */
    public SasPolydisperseModel withQ(QGrid newQ) {
        return withQ(newQ.values());
    }

    /**
     * This model seen through {@code resolution}: the same dispersions and current values,
     * evaluated on the operator's calculation grid and mapped to its output grid.
     */
    public SmearedModel smeared(ResolutionOperator resolution) {
        return new SmearedModel(withQ(resolution.qCalc()), resolution);
    }

    /**
     * A copy that splits the form factor's rows over {@code n} threads (the caller's and the common
     * fork-join pool's) when a pass holds at least 65536 (row, q) values — one large curve, such as
     * two dispersions of 35 × 35 points on 200 q. Results are identical to one thread (each row is
     * computed alike, the sums keep their order). Default 1: a fit already runs its starts on all
     * cores.
     *
     * @param n 1 to 64
     */
    public SasPolydisperseModel withThreads(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("threads = " + n + "; allowed 1 to 64");
        }
        return new SasPolydisperseModel(this, values, n);
    }

    /** The number of threads a pass may use ({@link #withThreads}). */
    public int threads() {
        return threads;
    }

    /** The form factor. */
    public FormFactor formFactor() {
        return formFactor;
    }

    /** The dispersions, in order. */
    public List<Dispersion> dispersions() {
        return dispersions;
    }

    // ---- the named tier: current values by sasmodels name (calls the batched path) ----

    /**
     * The default values in parameter order (a fresh array): scale 1, background 0.001 cm⁻¹, the
     * form factor's sasmodels defaults (NaN where a user's form factor has none), each distribution's
     * location at the distributed parameter's default and its width at the template's (pd = 0).
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
        return values[space.indexOf(name)];
    }

    /**
     * A copy whose current value of {@code name} is {@code value}. Besides the parameters, sasmodels'
     * dispersion settings of the size parameters P ({@code radius}; and {@code thickness} for
     * {@code core_shell_sphere}) are accepted:
     * <ul>
     * <li>{@code P_pd} — the relative width σ/P (default 0); on a monodisperse P it adds sasmodels'
     *   dispersion (gaussian, {@value SasmodelsGrid#DEFAULT_POINTS} points, ±{@value SasmodelsGrid#DEFAULT_NSIGMAS} σ:
     *   SasView's defaults, so that a width never silently becomes a single point);</li>
     * <li>{@code P_pd_n} — the number of grid points (default {@value SasmodelsGrid#DEFAULT_POINTS};
     *   0 only with {@code P_pd} = 0);</li>
     * <li>{@code P_pd_nsigma} — the grid's half-width in σ (default {@value SasmodelsGrid#DEFAULT_NSIGMAS});</li>
     * <li>{@code P_pd_type} — the distribution, see {@link #with(String, String)}.</li>
     * </ul>
     * Settings that change the structure (a new dispersion) give a model with another parameter
     * vector ({@link #parameters()}); current values are kept by name.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones), a value that is
     *                                  not finite or outside the parameter's range, or a setting that
     *                                  does not apply (e.g. {@code radius_pd_n} on the paper's
     *                                  truncated log-normal)
     */
    public SasPolydisperseModel with(String name, double value) {
        if (space.contains(name)) {
            int i = NamedParameters.check(space, name, value);
            double[] v = values.clone();
            v[i] = value;
            return new SasPolydisperseModel(this, v, threads);
        }
        NamedParameters.Setting s = NamedParameters.setting(name, distributable);
        if (s == null) {
            throw NamedParameters.unknown(name, formFactor.name(), space, distributable, dispersions);
        }
        Object setting = switch (s.suffix()) {
            case NamedParameters.PD_N -> NamedParameters.points(name, value);
            case NamedParameters.PD_NSIGMA -> NamedParameters.nsigmas(name, value);
            case NamedParameters.PD_TYPE -> throw new IllegalArgumentException("parameter " + name
                    + " takes a distribution name (gaussian, lognormal, schulz), not a number");
            default -> null;
        };
        SasPolydisperseModel m = restructured(NamedParameters.withSetting(dispersions, formFactor.parameters().names(),
                s, setting));
        return s.suffix().equals(NamedParameters.PD) ? m.with(name, value) : m;
    }

    /**
     * {@link #with(String, double)} with the value as text: a number, or for {@code P_pd_type} the
     * distribution's sasmodels name ({@code gaussian}, {@code lognormal}, {@code schulz}).
     */
    public SasPolydisperseModel with(String name, String value) {
        NamedParameters.Setting s = space.contains(name) ? null : NamedParameters.setting(name, distributable);
        if (s != null && s.suffix().equals(NamedParameters.PD_TYPE)) {
            return with(name, NamedParameters.type(name, value));
        }
        return with(name, NamedParameters.number(name, value));
    }

    /** Sets {@code P_pd_type} (adding sasmodels' dispersion of P if it has none). */
    public SasPolydisperseModel with(String name, SasDistribution.Type type) {
        NamedParameters.Setting s = space.contains(name) ? null : NamedParameters.setting(name, distributable);
        if (s == null || !s.suffix().equals(NamedParameters.PD_TYPE)) {
            throw new IllegalArgumentException("parameter " + name + " is not a distribution type; the types are set by "
                    + String.join(", ", distributable.stream().map(p -> p + NamedParameters.PD_TYPE).toList()));
        }
        return restructured(NamedParameters.withSetting(dispersions, formFactor.parameters().names(), s,
                java.util.Objects.requireNonNull(type, "type")));
    }

    /**
     * Several values by name, applied in the map's order: numbers, distribution names or
     * {@link SasDistribution.Type}s (see {@link #with(String, double)}).
     */
    public SasPolydisperseModel with(Map<String, ?> named) {
        SasPolydisperseModel m = this;
        for (Map.Entry<String, ?> e : named.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                m = m.with(e.getKey(), n.doubleValue());
            } else if (v instanceof SasDistribution.Type t) {
                m = m.with(e.getKey(), t);
            } else {
                m = m.with(e.getKey(), String.valueOf(v));
            }
        }
        return m;
    }

    /** A copy with all current values given in parameter order (checked against the bounds). */
    public SasPolydisperseModel withValues(double... newValues) {
        if (newValues.length != space.size()) {
            throw new IllegalArgumentException("expected " + space.size() + " values " + space.names() + ", got "
                    + newValues.length);
        }
        for (int i = 0; i < newValues.length; i++) {
            NamedParameters.check(space, space.get(i).name(), newValues[i]);
        }
        return new SasPolydisperseModel(this, newValues.clone(), threads);
    }

    /**
     * I(q) in cm⁻¹ at the current values (calls the batched path).
     *
     * @throws IllegalArgumentException if a parameter has no value (a user's form factor without
     *                                  defaults) or a width sits on a grid of zero points
     */
    public double[] evaluate() {
        NamedParameters.requireSet(space, values, formFactor.name());
        NamedParameters.requirePoints(space, values, dispersions);
        return evaluate(values);
    }

    /**
     * I(q) in cm⁻¹ at the current values seen through {@code resolution}, on its output grid (the
     * model evaluated on the operator's calculation grid; calls the batched path).
     *
     * @throws IllegalArgumentException as {@link #evaluate()}
     */
    public double[] evaluate(ResolutionOperator resolution) {
        NamedParameters.requireSet(space, values, formFactor.name());
        NamedParameters.requirePoints(space, values, dispersions);
        return smeared(resolution).evaluate(values);
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
        if (bands != null) {
            evaluateBanded(theta, batch, bandedSets(theta, batch), out);
            return;
        }
        Workspace ws = acquire();
        try {
            int chunk = chunkSets();
            for (int b0 = 0; b0 < batch; b0 += chunk) {
                int n = Math.min(chunk, batch - b0);
                if (n == batch) {
                    forward(ws, theta, batch, false, out);
                } else {
                    double[] o = new double[n * q.length];
                    forward(ws, slice(theta, b0, n, space.size()), n, false, o);
                    System.arraycopy(o, 0, out, b0 * q.length, n * q.length);
                }
            }
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

    /**
     * The number of quadrature rows of one parameter set at the model's largest q — the form-factor
     * evaluations per q there: the product of the dispersions' node counts at {@code theta}
     * (constant for the paper's rule and sasmodels' grid, adapted to the distribution's width and
     * q_max for {@link org.lnpsaxs.polydispersity.quadrature.AdaptiveGaussLegendre}, whose lower q
     * bands take fewer: see the class comment).
     *
     * @param theta one parameter set in the order of {@link #parameters()}
     * @throws IllegalArgumentException if {@code theta} is outside the parameter space
     */
    public int quadratureRows(double... theta) {
        space.check(theta, 1);
        Workspace ws = acquire();
        try {
            return grid.expand(ws, theta, 1, space.size(), 2, false);
        } finally {
            ws.release();
        }
    }

    /**
     * The number of parameter sets per pass, so that a pass holds at most
     * {@value #CHUNK_VALUES} values per (rows × q) buffer; large batches are evaluated in chunks.
     */
    private int chunkSets() {
        long perSet = Math.max(1, grid.maxRowsPerSet()) * (long) Math.max(1, q.length);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_VALUES / perSet));
    }

    private static double[] slice(double[] a, int b0, int n, int stride) {
        return java.util.Arrays.copyOfRange(a, b0 * stride, (b0 + n) * stride);
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
        if (parallel(rows)) {
            kernel(rowsTheta, rows, null, f2, vol, null);
        } else {
            formFactor.compute(q, rowsTheta, rows, f2, vol);
        }
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
                StringBuilder at = new StringBuilder();
                for (int j = 0; j < p; j++) {
                    at.append(j == 0 ? "" : ", ").append(space.get(j).name()).append('=').append(theta[b * p + j]);
                }
                throw new IllegalArgumentException("the average form volume <V> = " + d + " Å³"
                        + (batch > 1 ? " (set " + b + ")" : "") + " is not a finite positive number at " + at
                        + ": check the size parameters");
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
        if (bands != null) {
            runBanded(theta, batch, out, upstream, fixedG, dLdTheta);
            return;
        }
        Workspace ws = acquire();
        try {
            double[] intensity = out != null ? out : new double[batch * nq];
            double[] g = fixedG;
            int chunk = chunkSets();
            if (g == null) {
                // the loss needs every intensity first: a forward pass, then the fused pass below
                // (which recomputes f2 with the derivatives, so each sin/cos is computed twice)
                for (int b0 = 0; b0 < batch; b0 += chunk) {
                    int n = Math.min(chunk, batch - b0);
                    if (n == batch) {
                        forward(ws, theta, batch, false, intensity);
                    } else {
                        double[] o = new double[n * nq];
                        forward(ws, slice(theta, b0, n, p), n, false, o);
                        System.arraycopy(o, 0, intensity, b0 * nq, n * nq);
                    }
                }
                g = new double[batch * nq];
                upstream.compute(intensity, batch, g);
            }
            for (int b0 = 0; b0 < batch; b0 += chunk) {
                int n = Math.min(chunk, batch - b0);
                if (n == batch) {
                    fusedPass(ws, theta, batch, g, intensity, dLdTheta);
                } else {
                    double[] o = new double[n * nq];
                    double[] d = new double[n * p];
                    fusedPass(ws, slice(theta, b0, n, p), n, slice(g, b0, n, nq), o, d);
                    System.arraycopy(o, 0, intensity, b0 * nq, n * nq);
                    System.arraycopy(d, 0, dLdTheta, b0 * p, n * p);
                }
            }
        } finally {
            ws.release();
        }
    }

    /**
     * Per set, whether the bands pay: the lowest band's rule needs at most half the rows of the top's
     * at that set (a narrow distribution needs about the same few nodes at every q, and then one pass
     * over all q is cheaper than a pass per band).
     */
    private boolean[] bandedSets(double[] theta, int batch) {
        int p = space.size();
        ProductGrid lowest = bands[bands.length - 1].model().grid;
        boolean[] use = new boolean[batch];
        for (int s = 0; s < batch; s++) {
            try {
                use[s] = 2L * lowest.rowCount(theta, s * p, 2) <= grid.rowCount(theta, s * p, 2);
            } catch (IllegalArgumentException e) {
                // the one pass over all q reports it as an evaluation does
                use[s] = false;
            }
        }
        return use;
    }

    /** The indices of the sets where {@code use} is {@code which}. */
    private static int[] sets(boolean[] use, boolean which) {
        int n = 0;
        for (boolean u : use) {
            n += u == which ? 1 : 0;
        }
        int[] idx = new int[n];
        n = 0;
        for (int s = 0; s < use.length; s++) {
            if (use[s] == which) {
                idx[n++] = s;
            }
        }
        return idx;
    }

    /** Rows {@code idx} of a batch-major array of {@code width} values per set. */
    private static double[] rows(double[] a, int[] idx, int width) {
        double[] r = new double[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(a, idx[i] * width, r, i * width, width);
        }
        return r;
    }

    /** Writes rows of {@code r} back to rows {@code idx} of {@code a}. */
    private static void putRows(double[] r, int[] idx, int width, double[] a) {
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(r, i * width, a, idx[i] * width, width);
        }
    }

    /** The forward pass of a banded model: the sets that bands help by band, the others in one pass. */
    private void evaluateBanded(double[] theta, int batch, boolean[] use, double[] out) {
        int p = space.size();
        int nq = q.length;
        int[] plain = sets(use, false);
        if (plain.length > 0) {
            double[] o = new double[plain.length * nq];
            whole.evaluate(rows(theta, plain, p), plain.length, o);
            putRows(o, plain, nq, out);
        }
        int[] banded = sets(use, true);
        if (banded.length > 0) {
            double[] th = rows(theta, banded, p);
            double[] all = new double[banded.length * nq];
            for (Band b : bands) {
                int n = b.to() - b.from();
                double[] o = new double[banded.length * n];
                b.model().evaluate(th, banded.length, o);
                columnsInto(o, n, b.from(), banded.length, all);
            }
            putRows(all, banded, nq, out);
        }
    }

    /**
     * {@link #run} for a banded model: the intensities first when the upstream gradient needs them,
     * then the fused passes with the gradient known — one over all q for the sets that bands do not
     * help, one per band for the others, whose parameter gradients add up over the bands (each q
     * depends on θ through its own band only).
     */
    private void runBanded(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixedG,
                           double[] dLdTheta) {
        int p = space.size();
        int nq = q.length;
        boolean[] use = bandedSets(theta, batch);
        double[] intensity = out != null ? out : new double[batch * nq];
        double[] g = fixedG;
        if (g == null) {
            evaluateBanded(theta, batch, use, intensity);
            g = new double[batch * nq];
            upstream.compute(intensity, batch, g);
        }
        int[] plain = sets(use, false);
        if (plain.length > 0) {
            double[] o = new double[plain.length * nq];
            double[] d = new double[plain.length * p];
            whole.evaluateAndVectorJacobianProduct(rows(theta, plain, p), plain.length, rows(g, plain, nq), o, d);
            putRows(o, plain, nq, intensity);
            putRows(d, plain, p, dLdTheta);
        }
        int[] banded = sets(use, true);
        if (banded.length > 0) {
            int m = banded.length;
            double[] th = rows(theta, banded, p);
            double[] gAll = rows(g, banded, nq);
            double[] all = new double[m * nq];
            double[] sum = new double[m * p];
            double[] d = new double[m * p];
            for (Band b : bands) {
                int n = b.to() - b.from();
                double[] gb = new double[m * n];
                for (int s = 0; s < m; s++) {
                    System.arraycopy(gAll, s * nq + b.from(), gb, s * n, n);
                }
                double[] o = new double[m * n];
                b.model().evaluateAndVectorJacobianProduct(th, m, gb, o, d);
                columnsInto(o, n, b.from(), m, all);
                for (int i = 0; i < m * p; i++) {
                    sum[i] += d[i];
                }
            }
            putRows(all, banded, nq, intensity);
            putRows(sum, banded, p, dLdTheta);
        }
    }

    /** The same model without q bands (this model when it has none); for tests. */
    SasPolydisperseModel unbanded() {
        return whole == null ? this : whole;
    }

    /** Copies a band's {@code batch × n} values into columns {@code [from, from + n)} of {@code out} (batch × nq). */
    private void columnsInto(double[] band, int n, int from, int batch, double[] out) {
        int nq = q.length;
        for (int s = 0; s < batch; s++) {
            System.arraycopy(band, s * n, out, s * nq + from, n);
        }
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
        if (parallel(rows)) {
            kernel(rowsTheta, rows, df2, f2, vol, dF2Rows);
        } else {
            formFactor.computeWithVectorJacobianProduct(q, rowsTheta, rows, df2, null, f2, vol, dF2Rows);
        }
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

    /** Whether a pass of {@code rows} rows is split over threads. */
    private boolean parallel(int rows) {
        return threads > 1 && rows > 1 && (long) rows * q.length >= PARALLEL_VALUES;
    }

    /**
     * The form factor on {@code rows} rows split over {@link #threads} threads: f2 and V, and with
     * {@code dRows} non-null also the vector-Jacobian product for {@code dF2} (one fused call). The
     * first chunk runs on the caller's arrays (the kernels read and write from index 0 and accept
     * longer arrays), the others in their own buffers, copied back in place. (The one-thread path
     * calls the form factor directly: an extra call level cost the JIT's inlining before.)
     */
    private void kernel(double[] rowsTheta, int rows, double[] dF2, double[] f2, double[] vol, double[] dRows) {
        int parts = Math.min(threads, rows);
        int[] bounds = new int[parts + 1];
        for (int c = 0; c <= parts; c++) {
            bounds[c] = (int) ((long) rows * c / parts);
        }
        List<java.util.concurrent.CompletableFuture<Void>> others = new ArrayList<>();
        for (int c = 1; c < parts; c++) {
            int r0 = bounds[c];
            int r1 = bounds[c + 1];
            others.add(java.util.concurrent.CompletableFuture.runAsync(
                    () -> kernelChunk(rowsTheta, r0, r1, dF2, f2, vol, dRows)));
        }
        kernelCall(rowsTheta, bounds[1], dF2, f2, vol, dRows);
        for (java.util.concurrent.CompletableFuture<Void> f : others) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    private void kernelChunk(double[] rowsTheta, int r0, int r1, double[] dF2, double[] f2, double[] vol,
                             double[] dRows) {
        int nq = q.length;
        int pm = formFactor.parameters().size();
        int n = r1 - r0;
        double[] theta = java.util.Arrays.copyOfRange(rowsTheta, r0 * pm, r1 * pm);
        double[] g = dF2 == null ? null : java.util.Arrays.copyOfRange(dF2, r0 * nq, r1 * nq);
        double[] f = new double[n * nq];
        double[] v = new double[n];
        double[] d = dRows == null ? null : new double[n * pm];
        kernelCall(theta, n, g, f, v, d);
        System.arraycopy(f, 0, f2, r0 * nq, n * nq);
        System.arraycopy(v, 0, vol, r0, n);
        if (d != null) {
            System.arraycopy(d, 0, dRows, r0 * pm, n * pm);
        }
    }

    private void kernelCall(double[] theta, int rows, double[] dF2, double[] f2, double[] vol, double[] dRows) {
        if (dRows == null) {
            formFactor.compute(q, theta, rows, f2, vol);
        } else {
            formFactor.computeWithVectorJacobianProduct(q, theta, rows, dF2, null, f2, vol, dRows);
        }
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

    /**
     * E.g. {@code SasPolydisperseModel[core_shell_sphere, radius ~ schulz on sasmodels-grid(35 points,
     * ±3 sigma) [radius, radius_pd], QGrid[200 points, 0.001 .. 0.5 1/Å]: scale=1 background=0.001
     * radius=250 radius_pd=0.1 ...]}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SasPolydisperseModel[").append(formFactor.name());
        for (Dispersion d : dispersions) {
            sb.append(", ").append(d);
        }
        return sb.append(", ").append(QGrid.of(q)).append(": ").append(NamedParameters.describe(space, values))
                .append(']').toString();
    }
}
