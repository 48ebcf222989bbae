package org.lnpsaxs.optimize.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.formfactor.Sphere;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.TooManyNodesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sasmodels-style form factor as a fit model: \( I = \mathrm{scale}\,\langle 10^{-4}F^2\rangle/\langle V\rangle
 * + \mathrm{background} \) (cm⁻¹) with one size parameter (normally {@code radius}) distributed as the
 * paper's truncated log-normal ({@code <size>_mean}, {@code <size>_cv}), evaluated on the data's own q.
 * The average uses {@link Quadrature#ACCURATE} by default (the adaptive rule, within 10⁻³ of the
 * converged integral over the whole default box, measured in docs/polydispersity.md);
 * {@link #withQuadrature}{@code (Quadrature.PAPER)} gives the paper's 32 Gauss–Legendre nodes in
 * CDF space, which miss the wide distributions of the box (low by up to 49 % at q_min for CV 0.6).
 * {@link #sphere()} and {@link #coreShellSphere()} are the built-in ones; {@link #of(FormFactor, Map)}
 * turns any {@link FormFactor} into a fit model with the same conventions.
 *
 * <p>Default fit space (every bound can be overridden by the fit problem):
 * <ul>
 * <li>{@code scale} fixed at 1 and {@code background} at 0 cm⁻¹: both losses are invariant to the
 *     scale, χ² solves scale and background in closed form, and the scale-free loss can take a
 *     relative background ({@link #withBackground}).</li>
 * <li>{@code <size>_mean} in \( [\max(5, \pi/q_{\max}), \min(5000, \pi/q_{\min})] \) Å — the sizes the
 *     data's q range can resolve; widened to at least a factor 2 — and {@code <size>_cv} in
 *     [0.01, 0.6]. The distribution is truncated to [lower/3, 3·upper] of that box. Where the
 *     accurate quadrature could not average the box's widest distribution (mean at the top, CV 0.6)
 *     up to the model's largest q within its node limit (data over a very wide q range), the top is
 *     lowered by factors of 0.9 until it can, with a warning. The box is a
 *     default, not a wall: a fit problem may open it to any size above 0 Å (and fix the mean at
 *     any such size); the truncation then widens to [lower/3, 3·upper] of the opened box
 *     ({@link BoundModel#covering}).</li>
 * <li>Every other kernel parameter is held at its value unless it was freed with
 *     {@link #withFree}: then its box is fixed or computed from the data's q range and the
 *     other parameters' values ({@link Box}). {@code core_shell_sphere} frees {@code thickness}
 *     in \( [\max(1, \pi/(2q_{\max})), \min(1000, \pi/(2q_{\min}))] \) Å and {@code sld_core} in
 *     \( \rho_s \pm 5|\rho_s - \rho_{solv}| \) (a core-to-shell contrast ratio within ±5), with
 *     {@code sld_shell}, {@code sld_solvent} held (sasmodels' defaults 2 and 3, or the user's):
 *     only the contrast ratio shapes the curve, the overall contrast is absorbed by the scale.
 *     {@code sphere} holds {@code sld} and {@code sld_solvent} (their contrast only scales the curve).</li>
 * <li>Lengths (unit Å) whose box spans a decade or more are searched on a log scale.</li>
 * </ul>
 * Lengths in Å, SLDs in 10⁻⁶ Å⁻². Immutable.
 *
 * <pre>{@code
 * FitModel m = AnalyticFitModel.of(new MyEllipsoid(), Map.of("sld", 1.0, "sld_solvent", 6.0, "axis_ratio", 1.5))
 *         .withFree("axis_ratio", AnalyticFitModel.Box.fixed(0.5, 3));
 * FitModels.register(FitModelProvider.of(m, "ellipsoids of revolution"));
 * }</pre>
 */
public final class AnalyticFitModel implements FitModel {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticFitModel.class);

    /** The factor by which a default size box's top is lowered until its widest distribution can be averaged. */
    private static final double CAP_STEP = 0.9;

    /** The CV box of the analytic models. */
    public static final double CV_LOWER = 0.01;
    /** The CV box of the analytic models. */
    public static final double CV_UPPER = 0.6;
    /** The name of the relative background parameter ({@link #withBackground}). */
    public static final String BACKGROUND_RATIO = "background_ratio";
    /** Default box of the relative background when it is fitted. */
    public static final double BACKGROUND_RATIO_UPPER = 0.01;
    /** A length box whose upper end is at least this multiple of its lower end is searched in log scale. */
    public static final double LOG_SCALE_RATIO = 10;
    /** The unit that marks a parameter as a length. */
    private static final String LENGTH_UNIT = "Å";

    /**
     * How the box of a freed parameter is found from the fitting grid and the values of the
     * parameters that are held (the model's values with the user's fixed values applied).
     */
    @FunctionalInterface
    public interface Box {

        /**
         * The box [lower, upper] in the parameter's unit.
         *
         * @param grid   the fitting grid, Å⁻¹
         * @param values every kernel parameter's value (held ones as they will be held)
         */
        double[] bounds(QGrid grid, Map<String, Double> values);

        /** A box that does not depend on the data: [lower, upper]. */
        static Box fixed(double lower, double upper) {
            if (!(Double.isFinite(lower) && Double.isFinite(upper) && upper > lower)) {
                throw new IllegalArgumentException("a box needs finite bounds with lower < upper, got [" + lower + ", "
                        + upper + "]");
            }
            return (grid, values) -> new double[] {lower, upper};
        }

        /**
         * The lengths a q range resolves: \( [\max(a, \pi/(k\,q_{\max})), \min(b, \pi/(k\,q_{\min}))] \)
         * Å, widened to at least a factor 2 (k = 1 for a radius, 2 for a shell thickness).
         *
         * @param smallest a, Å
         * @param largest  b, Å
         * @param k        the factor k
         */
        static Box length(double smallest, double largest, double k) {
            return (grid, values) -> lengthBox(grid.min(), grid.max(), smallest, largest, k);
        }
    }

    private final FormFactor formFactor;
    private final String name;
    private final String sizeLabel;
    private final String size;
    private final Map<String, Double> values;
    private final Map<String, Box> free;
    private final boolean background;
    private final Quadrature quadrature;

    private AnalyticFitModel(FormFactor formFactor, String name, String sizeLabel, String size, Map<String, Double> values,
                             Map<String, Box> free, boolean background, Quadrature quadrature) {
        this.formFactor = formFactor;
        this.name = name;
        this.sizeLabel = sizeLabel;
        this.size = size;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.free = Collections.unmodifiableMap(new LinkedHashMap<>(free));
        this.background = background;
        this.quadrature = Objects.requireNonNull(quadrature, "quadrature");
    }

    /**
     * A fit model of {@code formFactor} whose {@code radius} is distributed. Every other kernel
     * parameter is held at its value in {@code values} until freed with {@link #withFree}. The
     * model's name is the form factor's.
     *
     * @param formFactor the kernel (its parameter {@code radius} is the size)
     * @param values     a value for every kernel parameter but {@code radius} (their units)
     * @throws IllegalArgumentException naming a missing or unknown parameter
     */
    public static AnalyticFitModel of(FormFactor formFactor, Map<String, Double> values) {
        Objects.requireNonNull(formFactor, "formFactor");
        ParameterSpace kernel = formFactor.parameters();
        String size = Sphere.RADIUS;
        if (!kernel.contains(size)) {
            throw new IllegalArgumentException("form factor " + formFactor.name() + " has no parameter 'radius' to "
                    + "distribute (its parameters: " + kernel.names() + "); name the size with withSize");
        }
        return new AnalyticFitModel(formFactor, formFactor.name(), "radius", size, checkedValues(kernel, size, values),
                Map.of(), false, Quadrature.ACCURATE);
    }

    private static Map<String, Double> checkedValues(ParameterSpace kernel, String size, Map<String, Double> values) {
        List<String> missing = new ArrayList<>();
        for (String n : kernel.names()) {
            if (!n.equals(size) && !values.containsKey(n)) {
                missing.add(n);
            }
        }
        for (String n : values.keySet()) {
            if (!kernel.contains(n)) {
                throw new IllegalArgumentException("form factor has no parameter '" + n + "'; its parameters: " + kernel.names());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("give a value for every kernel parameter but the size " + size
                    + "; missing: " + String.join(", ", missing));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String n : kernel.names()) {
            if (!n.equals(size)) {
                double v = values.get(n);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("the value of " + n + " must be finite, got " + v);
                }
                kernel.get(n).check(v);
                out.put(n, v);
            }
        }
        return out;
    }

    private static Map<String, Double> builtInValues(FormFactor ff) {
        double[] d = FormFactors.defaults(ff.name());
        Map<String, Double> v = new LinkedHashMap<>();
        for (int j = 0; j < d.length; j++) {
            v.put(ff.parameters().get(j).name(), d[j]);
        }
        v.remove(Sphere.RADIUS);
        return v;
    }

    /** The {@code sphere} fit model. */
    public static AnalyticFitModel sphere() {
        FormFactor ff = FormFactors.byName(Sphere.NAME);
        return of(ff, builtInValues(ff));
    }

    /** The {@code core_shell_sphere} fit model. */
    public static AnalyticFitModel coreShellSphere() {
        FormFactor ff = FormFactors.byName(CoreShellSphere.NAME);
        return of(ff, builtInValues(ff)).withSizeLabel("core radius")
                .withFree(CoreShellSphere.THICKNESS, Box.length(1.0, 1000.0, 2))
                .withFree(CoreShellSphere.SLD_CORE, (grid, v) -> {
                    double shell = v.get(CoreShellSphere.SLD_SHELL);
                    double contrast = Math.abs(shell - v.get(CoreShellSphere.SLD_SOLVENT));
                    if (!(contrast > 0)) {
                        contrast = 1.0; // no shell contrast: any core value only scales the curve
                    }
                    return new double[] {shell - 5 * contrast, shell + 5 * contrast};
                });
    }

    /**
     * A copy in which kernel parameter {@code parameter} is free in the default fit space, with the
     * box {@code box}.
     */
    public AnalyticFitModel withFree(String parameter, Box box) {
        if (!formFactor.parameters().contains(parameter) || parameter.equals(size)) {
            throw new IllegalArgumentException("cannot free '" + parameter + "': it is not a kernel parameter of "
                    + formFactor.name() + " other than the size " + size + " (" + formFactor.parameters().names() + ")");
        }
        Map<String, Box> f = new LinkedHashMap<>(free);
        f.put(parameter, Objects.requireNonNull(box, "box"));
        return new AnalyticFitModel(formFactor, name, sizeLabel, size, values, f, background, quadrature);
    }

    /** A copy in which kernel parameter {@code parameter} is free in [lower, upper] (its unit). */
    public AnalyticFitModel withFree(String parameter, double lower, double upper) {
        return withFree(parameter, Box.fixed(lower, upper));
    }

    /**
     * A copy whose distributed size is kernel parameter {@code parameter} (a length in Å) instead
     * of {@code radius}; {@code value} is the value {@code radius} is then held at, if the kernel
     * has one (ignored otherwise).
     */
    public AnalyticFitModel withSize(String parameter, double value) {
        ParameterSpace kernel = formFactor.parameters();
        if (!kernel.contains(parameter)) {
            throw new IllegalArgumentException("form factor " + formFactor.name() + " has no parameter '" + parameter
                    + "'; its parameters: " + kernel.names());
        }
        Map<String, Double> v = new LinkedHashMap<>(values);
        if (kernel.contains(size)) {
            v.put(size, value);
        }
        v.remove(parameter);
        Map<String, Box> f = new LinkedHashMap<>(free);
        f.remove(parameter);
        return new AnalyticFitModel(formFactor, name, parameter, parameter, checkedValues(kernel, parameter, v), f,
                background, quadrature);
    }

    /** A copy registered and reported under another name. */
    public AnalyticFitModel withName(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("a fit model needs a non-blank name");
        }
        return new AnalyticFitModel(formFactor, newName.trim(), sizeLabel, size, values, free, background, quadrature);
    }

    /** A copy whose size distribution is described as {@code label} (e.g. "core radius"). */
    public AnalyticFitModel withSizeLabel(String label) {
        return new AnalyticFitModel(formFactor, name, Objects.requireNonNull(label, "label"), size, values, free, background,
                quadrature);
    }

    /**
     * A copy with (or without) a fitted relative background {@value #BACKGROUND_RATIO}: a constant
     * \( \beta\,I(q_1) \) added to the model, β in [0, {@value #BACKGROUND_RATIO_UPPER}]. Use it
     * with the scale-free loss; χ² solves an absolute background itself.
     */
    public AnalyticFitModel withBackground(boolean fitted) {
        return new AnalyticFitModel(formFactor, name, sizeLabel, size, values, free, fitted, quadrature);
    }

    /**
     * A copy whose size distribution is averaged with {@code newQuadrature}: {@link Quadrature#ACCURATE}
     * (the default) or {@link Quadrature#PAPER} (the paper's 32 nodes in CDF space).
     */
    @Override
    public AnalyticFitModel withQuadrature(Quadrature newQuadrature) {
        return new AnalyticFitModel(formFactor, name, sizeLabel, size, values, free, background,
                Objects.requireNonNull(newQuadrature, "quadrature"));
    }

    @Override
    public Optional<Quadrature> quadrature() {
        return Optional.of(quadrature);
    }

    /** Whether a relative background is fitted. */
    public boolean fitsBackground() {
        return background;
    }

    /** The form factor. */
    public FormFactor formFactor() {
        return formFactor;
    }

    /** The distributed kernel parameter. */
    public String sizeParameter() {
        return size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String intensityUnit() {
        return "1/cm at scale 1";
    }

    @Override
    public Optional<QGrid> fixedGrid() {
        return Optional.empty();
    }

    @Override
    public String sizeLabel() {
        return sizeLabel;
    }

    /** The radius box [lower, upper] Å for data spanning [qMin, qMax] Å⁻¹ (see the class comment). */
    public static double[] radiusBox(double qMin, double qMax) {
        return lengthBox(qMin, qMax, 5.0, 5000.0, 1);
    }

    private static double[] lengthBox(double qMin, double qMax, double smallest, double largest, double k) {
        double lo = qMax > 0 ? Math.max(smallest, Math.PI / (k * qMax)) : smallest;
        double hi = qMin > 0 ? Math.min(largest, Math.PI / (k * qMin)) : largest;
        if (hi < 2 * lo) {
            hi = 2 * lo;
        }
        return new double[] {lo, hi};
    }

    @Override
    public BoundModel bind(QGrid grid) {
        return new Bound(grid, null, null);
    }

    /**
     * The model on the resolution's calculation grid, smeared onto {@code grid}
     * ({@link SmearedModel}, gradients through the smearing); the default box and the size
     * distribution's truncation follow {@code grid} (the measured q), as without a resolution.
     * A fitted relative background is added after the smearing.
     */
    @Override
    public BoundModel bind(QGrid grid, ResolutionOperator resolution) {
        if (!resolution.q().equals(grid)) {
            throw new IllegalArgumentException("the resolution's output grid " + resolution.q() + " is not the fitting grid "
                    + grid);
        }
        return new Bound(grid, resolution, null);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (truncated log-normal %s, %s quadrature, %s%s)", name, size, quadrature,
                free.isEmpty() ? "" : "free " + String.join(", ", free.keySet()) + ", ",
                background ? "relative background" : "no background");
    }

    /** The model bound to a grid. */
    private final class Bound implements BoundModel {
        private final QGrid grid;
        private final double[] box;
        private final double[] truncation;
        private final ResolutionOperator resolution;
        private final DifferentiableModel model;
        private final Dispersion dispersion;
        private final SasPolydisperseModel layer;

        /**
         * @param resolution the operator whose calculation grid the model is evaluated on, or null
         * @param cut        the size distribution's truncation [A, B] Å, or null for the default box's
         */
        Bound(QGrid grid, ResolutionOperator resolution, double[] cut) {
            this.grid = grid;
            this.resolution = resolution;
            QGrid evaluated = resolution == null ? grid : resolution.qCalc();
            double[] b = radiusBox(grid.min(), grid.max());
            double[] t = cut != null ? cut : new double[] {b[0] / 3, b[1] * 3};
            Dispersion disp = Dispersion.paper(size, t[0], t[1]).withQuadrature(quadrature);
            SasPolydisperseModel l = SasPolydisperseModel.of(formFactor, evaluated.values(), disp);
            if (cut == null) {
                // the default box's widest distribution must fit the quadrature's node limit at the model's
                // largest q: lower the box's top (and the truncation with it) by factors of CAP_STEP until it does
                double top = b[1];
                while (!resolvable(l, disp, top) && top * CAP_STEP >= 2 * b[0]) {
                    top *= CAP_STEP;
                    t = new double[] {b[0] / 3, top * 3};
                    disp = Dispersion.paper(size, t[0], t[1]).withQuadrature(quadrature);
                    l = SasPolydisperseModel.of(formFactor, evaluated.values(), disp);
                }
                if (top < b[1]) {
                    LOG.warn("{}'s default box ends at {} Å instead of {} Å: with the model evaluated up to q = {} 1/Å, a"
                            + " distribution of larger sizes (CV {}) needs more quadrature nodes than the limit; a narrower q"
                            + " range (a smaller q_max) opens it", disp.parameterName("mean"),
                            String.format(Locale.ROOT, "%.4g", top), String.format(Locale.ROOT, "%.4g", b[1]),
                            String.format(Locale.ROOT, "%.4g", evaluated.max()), CV_UPPER);
                    b = new double[] {b[0], top};
                }
            }
            this.box = b;
            this.truncation = t;
            this.dispersion = disp;
            this.layer = l;
            DifferentiableModel seen = resolution == null ? layer : new SmearedModel(layer, resolution);
            this.model = background ? new RelativeBackground(seen) : seen;
        }

        @Override
        public FitModel fitModel() {
            return AnalyticFitModel.this;
        }

        /**
         * Whether the layer can average the default box's widest distribution at the size {@code top}: the
         * mean at {@code top}, the CV at {@link #CV_UPPER}, the other parameters at the model's values (the
         * node count grows with the distribution's width times the largest q).
         */
        private boolean resolvable(SasPolydisperseModel l, Dispersion disp, double top) {
            ParameterSpace ps = l.parameters();
            double[] theta = new double[ps.size()];
            for (int j = 0; j < theta.length; j++) {
                String n = ps.get(j).name();
                Double v = values.get(n);
                theta[j] = n.equals(disp.parameterName("mean")) ? top : n.equals(disp.parameterName("cv")) ? CV_UPPER
                        : v != null ? v : n.equals(Loss.SCALE) ? 1.0 : n.equals(Loss.BACKGROUND) ? 0.0 : ps.get(j).lower();
            }
            try {
                l.quadratureRows(theta);
                return true;
            } catch (IllegalArgumentException e) {
                if (TooManyNodesException.in(e).isPresent()) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        public QGrid grid() {
            return grid;
        }

        @Override
        public DifferentiableModel model() {
            return model;
        }

        @Override
        public FitSpace defaultSpace(Map<String, Double> fixed) {
            String mean = dispersion.parameterName("mean");
            String cv = dispersion.parameterName("cv");
            ParameterSpace space = model.parameters().withBounds(mean, box[0], box[1]).withBounds(cv, CV_LOWER, CV_UPPER);
            Map<String, Double> current = new LinkedHashMap<>(values);
            for (Map.Entry<String, Double> e : fixed.entrySet()) {
                if (current.containsKey(e.getKey())) {
                    current.put(e.getKey(), e.getValue());
                }
            }
            Map<String, Double> hold = new LinkedHashMap<>();
            hold.put(Loss.SCALE, 1.0);
            hold.put(Loss.BACKGROUND, 0.0);
            for (Map.Entry<String, Double> e : current.entrySet()) {
                Box b = free.get(e.getKey());
                if (b == null) {
                    hold.put(e.getKey(), e.getValue());
                } else {
                    double[] bounds = b.bounds(grid, Collections.unmodifiableMap(current));
                    space = space.withBounds(e.getKey(), bounds[0], bounds[1]);
                }
            }
            if (background) {
                space = space.withBounds(BACKGROUND_RATIO, 0, BACKGROUND_RATIO_UPPER);
            }
            hold.putAll(fixed);
            FitSpace fit = FitSpace.of(space, hold);
            // lengths whose box spans a decade or more are searched in log scale, so that small
            // sizes get their share of the starts (a radius basin is only about π/q_max wide)
            List<String> lengths = new ArrayList<>();
            lengths.add(mean);
            for (String n : free.keySet()) {
                if (LENGTH_UNIT.equals(space.get(n).unit())) {
                    lengths.add(n);
                }
            }
            for (String n : lengths) {
                Parameter par = space.get(n);
                if (par.lower() > 0 && par.upper() >= LOG_SCALE_RATIO * par.lower()) {
                    fit = fit.withLogScale(n);
                }
            }
            return fit;
        }

        /**
         * Widens the truncation to [lower/3, 3·upper] when a box or value of the mean size reaches
         * beyond the present truncation's margin (never narrows it): the opened box keeps the
         * default box's margin of a factor 3 on either side.
         */
        @Override
        public BoundModel covering(String parameter, double lower, double upper) {
            String mean = dispersion.parameterName("mean");
            if (!mean.equals(parameter)) {
                return this;
            }
            if (!(upper >= lower)) {
                return this; // not a box: the fit space says so
            }
            if (!(lower > 0) || !Double.isFinite(upper)) {
                throw new IllegalArgumentException(mean + ": the mean " + sizeLabel + " must lie in (0, infinity) Å;"
                        + " got [" + lower + ", " + upper + "] Å");
            }
            double a = Math.min(truncation[0], lower / 3);
            double b = Math.max(truncation[1], upper * 3);
            return a == truncation[0] && b == truncation[1] ? this : new Bound(grid, resolution, new double[] {a, b});
        }

        @Override
        public SizeSummary sizeDistribution(double[] theta) {
            ParameterSpace ps = model.parameters();
            return SizeSummary.truncatedLogNormal(theta[ps.indexOf(dispersion.parameterName("mean"))],
                    theta[ps.indexOf(dispersion.parameterName("cv"))], truncation[0], truncation[1]);
        }

        @Override
        public QuadratureSummary quadrature(double[] theta) {
            return new QuadratureSummary(quadrature.label(), layer.quadratureRules().get(0).name(),
                    layer.quadratureRows(java.util.Arrays.copyOf(theta, layer.parameters().size())));
        }

        @Override
        public String toString() {
            return AnalyticFitModel.this.name + " on " + grid;
        }
    }
}
