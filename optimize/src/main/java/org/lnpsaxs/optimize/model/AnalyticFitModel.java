package org.lnpsaxs.optimize.model;

import java.util.Locale;
import java.util.List;
import java.util.Map;

import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;

/**
 * The analytic models {@code sphere} and {@code core_shell_sphere} as fit models: sasmodels'
 * \( I = \mathrm{scale}\,\langle 10^{-4}F^2\rangle/\langle V\rangle + \mathrm{background} \) (cm⁻¹)
 * with {@code radius} distributed as the paper's truncated log-normal ({@code radius_mean},
 * {@code radius_cv}; 32 Gauss–Legendre nodes in CDF space), evaluated on the data's own q.
 *
 * <p>Default fit space (all bounds can be overridden):
 * <ul>
 * <li>{@code scale} fixed at 1 and {@code background} at 0 cm⁻¹: both losses are invariant to the
 *     scale, χ² solves scale and background in closed form, and the scale-free loss can take a
 *     relative background ({@link #withBackground}).</li>
 * <li>{@code radius_mean} in \( [\max(5, \pi/q_{\max}), \min(5000, \pi/q_{\min})] \) Å — the sizes the
 *     data's q range can resolve; widened to at least a factor 2 — and {@code radius_cv} in
 *     [0.01, 0.6]. The distribution is truncated to [lower/3, 3·upper] of that box.</li>
 * <li>{@code core_shell_sphere}: {@code thickness} in \( [\max(1, \pi/(2q_{\max})), \min(1000, \pi/(2q_{\min}))] \) Å;
 *     {@code sld_core} free in \( \rho_s \pm 5|\rho_s - \rho_{solv}| \) (a core-to-shell contrast
 *     ratio within ±5) with {@code sld_shell}, {@code sld_solvent} fixed (sasmodels' defaults 2 and 3,
 *     or the user's): only the contrast ratio shapes the curve, the overall contrast is absorbed by
 *     the scale.</li>
 * <li>{@code sphere}: {@code sld}, {@code sld_solvent} fixed at sasmodels' defaults (their contrast
 *     only scales the curve).</li>
 * </ul>
 * Lengths in Å, SLDs in 10⁻⁶ Å⁻². Immutable.
 */
public final class AnalyticFitModel implements FitModel {

    /** The CV box of the analytic models. */
    public static final double CV_LOWER = 0.01;
    /** The CV box of the analytic models. */
    public static final double CV_UPPER = 0.6;
    /** Default box of the relative background when it is fitted. */
    public static final double BACKGROUND_RATIO_UPPER = 0.01;
    /** A size box whose upper end is at least this multiple of its lower end is searched in log scale. */
    public static final double LOG_SCALE_RATIO = 10;

    private final FormFactor formFactor;
    private final boolean background;

    private AnalyticFitModel(FormFactor formFactor, boolean background) {
        this.formFactor = formFactor;
        this.background = background;
    }

    /** The {@code sphere} fit model. */
    public static AnalyticFitModel sphere() {
        return new AnalyticFitModel(FormFactors.byName("sphere"), false);
    }

    /** The {@code core_shell_sphere} fit model. */
    public static AnalyticFitModel coreShellSphere() {
        return new AnalyticFitModel(FormFactors.byName("core_shell_sphere"), false);
    }

    /**
     * A copy with (or without) a fitted relative background {@value RelativeBackground#NAME}
     * (see {@link RelativeBackground}; box [0, 0.01]). Use it with the scale-free loss; χ² solves
     * an absolute background itself.
     */
    public AnalyticFitModel withBackground(boolean fitted) {
        return new AnalyticFitModel(formFactor, fitted);
    }

    /** Whether a relative background is fitted. */
    public boolean fitsBackground() {
        return background;
    }

    @Override
    public String name() {
        return formFactor.name();
    }

    @Override
    public String intensityUnit() {
        return "1/cm at scale 1";
    }

    @Override
    public double[] fixedGrid() {
        return null;
    }

    @Override
    public String sizeLabel() {
        return CoreShellSphere.NAME.equals(formFactor.name()) ? "core radius" : "radius";
    }

    /** The radius box [lower, upper] Å for data spanning [qMin, qMax] Å⁻¹. */
    public static double[] radiusBox(double qMin, double qMax) {
        double lo = qMax > 0 ? Math.max(5.0, Math.PI / qMax) : 5.0;
        double hi = qMin > 0 ? Math.min(5000.0, Math.PI / qMin) : 5000.0;
        if (hi < 2 * lo) {
            hi = 2 * lo;
        }
        return new double[] {lo, hi};
    }

    private static double[] truncation(double[] box) {
        return new double[] {box[0] / 3, box[1] * 3};
    }

    private SasPolydisperseModel sasModel(double[] q, double[] box) {
        double[] t = truncation(box);
        return SasPolydisperseModel.of(formFactor, q, Dispersion.paper("radius", t[0], t[1]));
    }

    /**
     * The model on {@code q}. The radius truncation is taken from the default radius box of the
     * same q range, so that {@link #model} and {@link #defaultSpace} agree.
     */
    @Override
    public DifferentiableModel model(double[] q) {
        SasPolydisperseModel m = sasModel(q, radiusBox(q[0], q[q.length - 1]));
        return background ? new RelativeBackground(m) : m;
    }

    @Override
    public FitSpace defaultSpace(double[] q, Map<String, Double> fixed) {
        double qMin = q[0];
        double qMax = q[q.length - 1];
        double[] box = radiusBox(qMin, qMax);
        double[] dummyQ = {qMin, qMax};
        DifferentiableModel m = sasModel(dummyQ, box);
        ParameterSpace space = m.parameters();
        if (background) {
            space = new RelativeBackground(m).parameters();
        }
        space = space.withBounds("radius_mean", box[0], box[1]).withBounds("radius_cv", CV_LOWER, CV_UPPER);
        double[] defaults = FormFactors.defaults(formFactor.name());
        ParameterSpace kernel = formFactor.parameters();
        Map<String, Double> hold = new java.util.LinkedHashMap<>();
        hold.put("scale", 1.0);
        hold.put("background", 0.0);
        if (CoreShellSphere.NAME.equals(formFactor.name())) {
            double thLo = qMax > 0 ? Math.max(1.0, Math.PI / (2 * qMax)) : 1.0;
            double thHi = qMin > 0 ? Math.min(1000.0, Math.PI / (2 * qMin)) : 1000.0;
            if (thHi < 2 * thLo) {
                thHi = 2 * thLo;
            }
            double shell = fixed.getOrDefault(CoreShellSphere.SLD_SHELL, defaults[kernel.indexOf(CoreShellSphere.SLD_SHELL)]);
            double solvent = fixed.getOrDefault(CoreShellSphere.SLD_SOLVENT,
                    defaults[kernel.indexOf(CoreShellSphere.SLD_SOLVENT)]);
            double contrast = Math.abs(shell - solvent);
            if (!(contrast > 0)) {
                contrast = 1.0; // no shell contrast: any core value only scales the curve
            }
            space = space.withBounds(CoreShellSphere.THICKNESS, thLo, thHi)
                    .withBounds(CoreShellSphere.SLD_CORE, shell - 5 * contrast, shell + 5 * contrast);
            hold.put(CoreShellSphere.SLD_SHELL, shell);
            hold.put(CoreShellSphere.SLD_SOLVENT, solvent);
        } else {
            for (String name : kernel.names()) {
                if (!name.equals("radius")) {
                    hold.put(name, defaults[kernel.indexOf(name)]);
                }
            }
        }
        if (background) {
            space = space.withBounds(RelativeBackground.NAME, 0, BACKGROUND_RATIO_UPPER);
        }
        hold.putAll(fixed);
        FitSpace fit = FitSpace.of(space, hold);
        // sizes whose box spans a decade or more are searched in log R, so that small sizes get
        // their share of the starts (a radius basin is only about π/q_max wide)
        for (String size : List.of("radius_mean", CoreShellSphere.THICKNESS)) {
            if (space.contains(size)) {
                Parameter par = space.get(size);
                if (par.lower() > 0 && par.upper() >= LOG_SCALE_RATIO * par.lower()) {
                    fit = fit.withLogScale(size);
                }
            }
        }
        return fit;
    }

    @Override
    public SizeSummary sizeDistribution(double[] theta, double[] q) {
        double qMin = q[0];
        double qMax = q[q.length - 1];
        double[] t = truncation(radiusBox(qMin, qMax));
        ParameterSpace ps = sasModel(new double[] {qMin, qMax}, radiusBox(qMin, qMax)).parameters();
        return SizeDistributions.summary(theta[ps.indexOf("radius_mean")], theta[ps.indexOf("radius_cv")], t[0], t[1]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (truncated log-normal radius, %s)", name(),
                background ? "relative background" : "no background");
    }
}
