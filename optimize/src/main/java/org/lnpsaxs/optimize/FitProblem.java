package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.resolution.AppliedResolution;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.ResolutionSpec;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.data.FitData;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.loss.LossType;
import org.lnpsaxs.optimize.loss.ScaleFreeLoss;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.param.FitSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to fit: a {@link FitModel} bound to the fitting grid of a measured {@link ScatteringCurve},
 * the data prepared for the loss, the fit space and the loss.
 *
 * <p>{@link #of} picks the defaults: the χ² loss when the curve has σ, the scale-free loss
 * otherwise, the curve's own resolution ({@code data}: slit, pinhole or none; {@link #withResolution})
 * and the model's default box for the data's q range. {@code withX} methods change one
 * thing; the fit space is the model's default with the user's fixed values and bounds applied, and
 * follows when the fitting grid changes (a loss that takes logarithms leaves out rows with I ≤ 0).
 * Immutable.
 *
 * <pre>{@code
 * FitProblem p = FitProblem.of(AnalyticFitModel.sphere(), ScatteringCurve.read(Path.of("data.dat")))
 *         .withBounds("radius_mean", 100, 400);
 * }</pre>
 */
public final class FitProblem {

    private static final Logger LOG = LoggerFactory.getLogger(FitProblem.class);

    private final FitModel fitModel;
    private final ScatteringCurve curve;
    private final double qMin;
    private final double qMax;
    private final LossType lossType;
    private final FitData data;
    private final BoundModel bound;
    private final Map<String, Double> fixed;
    private final Map<String, double[]> bounds;
    private final FitSpace explicitSpace;
    private final FitSpace space;
    private final Loss loss;
    private final Resolution resolution;

    private FitProblem(FitModel fitModel, ScatteringCurve curve, double qMin, double qMax, LossType lossType, FitData data,
                       BoundModel bound, Map<String, Double> fixed, Map<String, double[]> bounds, FitSpace explicitSpace,
                       Loss loss, Resolution resolution) {
        this.fitModel = fitModel;
        this.curve = curve;
        this.qMin = qMin;
        this.qMax = qMax;
        this.lossType = lossType;
        this.data = data;
        this.bound = bound;
        this.fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        this.bounds = Collections.unmodifiableMap(new LinkedHashMap<>(bounds));
        this.explicitSpace = explicitSpace;
        this.space = explicitSpace != null ? explicitSpace : space(bound, fixed, bounds);
        this.loss = loss != null ? loss : loss(lossType, data, bound);
        this.resolution = resolution;
        DifferentiableModel model = bound.model();
        space.checkInside(model.parameters(), fitModel.rangeDescription());
        if (model.qSize() != data.size()) {
            throw new IllegalArgumentException("the model " + fitModel.name() + " gives " + model.qSize()
                    + " intensities, the fitting grid has " + data.size() + " points");
        }
        if (this.loss.size() != data.size()) {
            throw new IllegalArgumentException("the loss compares " + this.loss.size() + " points, the data have " + data.size());
        }
    }

    /** The default problem for the whole curve. */
    public static FitProblem of(FitModel fitModel, ScatteringCurve curve) {
        return of(fitModel, curve, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * The default problem for the part of the curve in [qMin, qMax] Å⁻¹: χ² when the curve has
     * σ, the scale-free loss otherwise.
     *
     * @param qMin the smallest q to fit, Å⁻¹ (0: no limit)
     * @param qMax the largest q to fit, Å⁻¹ (+Infinity: no limit)
     */
    public static FitProblem of(FitModel fitModel, ScatteringCurve curve, double qMin, double qMax) {
        Objects.requireNonNull(fitModel, "fitModel");
        Objects.requireNonNull(curve, "curve");
        LossType type = curve.hasSigma() ? LossType.CHI2 : LossType.SCALE_FREE;
        ResolutionSpec spec = curve.hasDq() || curve.hasSlit() ? ResolutionSpec.DATA : ResolutionSpec.NONE;
        Prepared p = prepare(fitModel, curve, qMin, qMax, type, spec);
        return new FitProblem(fitModel, curve, qMin, qMax, type, p.data, p.bound, Map.of(), Map.of(), null, null,
                p.resolution);
    }

    /**
     * The resolution a problem applies: what was asked, what it became for the fitted rows, and
     * how many measured rows were left out because their resolution kernel reaches beyond a fixed
     * model grid.
     *
     * @param spec    the specification (e.g. {@code data})
     * @param applied what was applied
     * @param dropped measured rows left out for the resolution (0 for models evaluated on any q)
     */
    public record Resolution(ResolutionSpec spec, AppliedResolution applied, int dropped) {
    }

    private record Prepared(FitData data, BoundModel bound, Resolution resolution) {
    }

    /**
     * The data, the bound model and the resolution. With a resolution the model is fitted at the
     * measured q (no interpolation of the data); a model with a fixed grid only at the measured
     * rows whose kernel lies inside that grid (a contiguous run; the others are left out and
     * counted).
     */
    private static Prepared prepare(FitModel fitModel, ScatteringCurve curve, double qMin, double qMax, LossType type,
                                    ResolutionSpec spec) {
        if (spec.kind() != ResolutionSpec.Kind.NONE) {
            FitData measured = FitData.prepare(curve, qMin, qMax, Optional.empty(), type);
            AppliedResolution applied = spec.resolve(measured.measured());
            if (!applied.isNone()) {
                int dropped = 0;
                if (fitModel.fixedGrid().isPresent()) {
                    QGrid g = fitModel.fixedGrid().get();
                    int[] run = inside(applied.operator(), g);
                    if (run == null) {
                        throw new IllegalArgumentException(measured.label() + ": no measured point in the q range has its "
                                + applied.geometry() + " resolution kernel inside the model " + fitModel.name()
                                + "'s grid [" + g.min() + ", " + g.max() + "] 1/Å; fit a range inside it or without resolution");
                    }
                    int n = measured.pointsUsed();
                    if (run[1] - run[0] + 1 < n) {
                        // the rows as computed for all the measured points, the others left out
                        double[] q = measured.measuredQ();
                        ResolutionOperator op = applied.operator().rows(run[0], run[1] + 1);
                        dropped = n - op.outputSize();
                        measured = FitData.prepare(curve, Math.max(qMin, q[run[0]]), Math.min(qMax, q[run[1]]),
                                Optional.empty(), type);
                        if (!measured.grid().equals(op.q())) {
                            throw new IllegalStateException("the rows kept for the resolution are not the data's rows");
                        }
                        applied = new AppliedResolution(applied.requested(), applied.geometry(), applied.converged(),
                                applied.widths(), op);
                    }
                    LOG.info("{}: {} of {} measured points fitted through the {} resolution on the model grid [{}, {}] 1/Å"
                            + " ({} left out: their resolution kernel reaches beyond it)", measured.label(),
                            measured.pointsUsed(), n, applied.geometry(), g.min(), g.max(), dropped);
                }
                LOG.info("{}: resolution {}", measured.label(), applied);
                return new Prepared(measured, fitModel.bind(measured.grid(), applied.operator()),
                        new Resolution(spec, applied, dropped));
            }
        }
        FitData d = FitData.prepare(curve, qMin, qMax, fitModel.fixedGrid(), type);
        return new Prepared(d, fitModel.bind(d.grid()), new Resolution(spec, AppliedResolution.none(spec), 0));
    }

    /**
     * The first and last row whose kernel lies inside grid g, or null when none.
     *
     * @throws IllegalArgumentException if a row between them reaches outside the grid
     */
    private static int[] inside(ResolutionOperator op, QGrid g) {
        int first = -1;
        int last = -1;
        boolean gap = false;
        for (int i = 0; i < op.outputSize(); i++) {
            double[] support = op.rowSupport(i);
            if (support[0] >= g.min() && support[1] <= g.max()) {
                gap |= last >= 0 && last != i - 1;
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (gap) {
            throw new IllegalArgumentException("the measured points whose resolution kernel lies inside the model grid ["
                    + g.min() + ", " + g.max() + "] 1/Å do not form one q range; fit a narrower range or without resolution");
        }
        return first < 0 ? null : new int[] {first, last};
    }

    private static FitSpace space(BoundModel bound, Map<String, Double> fixed, Map<String, double[]> bounds) {
        FitSpace s = bound.defaultSpace(fixed);
        for (Map.Entry<String, double[]> b : bounds.entrySet()) {
            if (s.isFixed(b.getKey())) {
                s = s.withFree(b.getKey());
            }
            s = s.withBounds(b.getKey(), b.getValue()[0], b.getValue()[1]);
        }
        return s;
    }

    private static Loss loss(LossType type, FitData data, BoundModel bound) {
        switch (type) {
            case CHI2:
                if (!data.hasSigma()) {
                    throw new IllegalArgumentException("the chi2 loss needs uncertainties: " + data.label()
                            + " has no sigma column; use the scale-free loss");
                }
                return new ChiSquaredLoss(data.intensity(), data.sigma(), true, data.pointWeight());
            case SCALE_FREE:
                return new ScaleFreeLoss(data.q(), data.intensity());
            case LOGLIK:
                return new LogIntensityLikelihood(data.q(), data.intensity(), data.hasSigma() ? data.sigma() : null,
                        data.pointWeight(), bound.modelError().orElse(null));
            default:
                throw new IllegalArgumentException("unknown loss " + type);
        }
    }

    /** A copy with the loss of type {@code type}; the data are prepared again for it. */
    public FitProblem withLoss(LossType type) {
        if (type.takesLogarithms() == lossType.takesLogarithms()) {
            return new FitProblem(fitModel, curve, qMin, qMax, type, data, bound, fixed, bounds, explicitSpace, null,
                    resolution);
        }
        Prepared p = prepare(fitModel, curve, qMin, qMax, type, resolution.spec());
        return new FitProblem(fitModel, curve, qMin, qMax, type, p.data, covering(p.bound, fixed, bounds), fixed, bounds,
                explicitSpace, null, p.resolution);
    }

    /**
     * A copy fitted through resolution {@code spec} ({@code none}, {@code data}, {@code pinhole:F},
     * {@code slit:H}, ...): the data are prepared again and the model bound to the operator's
     * calculation grid (see {@link Resolution}). The default of {@link #of} is {@code data} when the
     * curve has dq or slit columns, else {@code none}.
     */
    public FitProblem withResolution(ResolutionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Prepared p = prepare(fitModel, curve, qMin, qMax, lossType, spec);
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, p.data, covering(p.bound, fixed, bounds), fixed, bounds,
                explicitSpace, null, p.resolution);
    }

    /** The resolution: as asked, as applied, and the rows it left out. */
    public Resolution resolution() {
        return resolution;
    }

    /** {@code bound} widened to hold every fixed value and bound ({@link BoundModel#covering}). */
    private static BoundModel covering(BoundModel bound, Map<String, Double> fixed, Map<String, double[]> bounds) {
        BoundModel b = bound;
        for (Map.Entry<String, Double> e : fixed.entrySet()) {
            b = b.covering(e.getKey(), e.getValue(), e.getValue());
        }
        for (Map.Entry<String, double[]> e : bounds.entrySet()) {
            b = b.covering(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        return b;
    }

    /** A copy with the loss called {@code name} ({@code chi2}, {@code scale-free} or {@code loglik}). */
    public FitProblem withLoss(String name) {
        return withLoss(LossType.parse(name));
    }

    /** A copy with another loss on the same N points (the data stay prepared as they are). */
    public FitProblem withLoss(Loss newLoss) {
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, fixed, bounds, explicitSpace,
                Objects.requireNonNull(newLoss, "loss"), resolution);
    }

    /**
     * A copy with these parameters held at these values (added to those held already); boxes that
     * depend on them follow. A bound set earlier on one of them is dropped. A value outside the
     * model's default domain widens it where the model can ({@link BoundModel#covering}: the mean
     * size of an analytic model).
     */
    public FitProblem withFixed(Map<String, Double> values) {
        Map<String, Double> f = new LinkedHashMap<>(fixed);
        Map<String, double[]> b = new LinkedHashMap<>(bounds);
        BoundModel m = bound;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            bound.model().parameters().indexOf(e.getKey());
            f.put(e.getKey(), e.getValue());
            b.remove(e.getKey());
            m = m.covering(e.getKey(), e.getValue(), e.getValue());
        }
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, m, f, b, null, loss, resolution);
    }

    /** A copy with parameter {@code name} held at {@code value}. */
    public FitProblem withFixed(String name, double value) {
        return withFixed(Map.of(name, value));
    }

    /**
     * A copy in which parameter {@code name} is free in the fit box [lower, upper] (its unit). The
     * box may reach beyond the default box, and beyond the model's default domain where the model
     * can widen it ({@link BoundModel#covering}): an analytic model's mean size takes any box above
     * 0 Å. A box outside what the model can take is refused, naming the model's range.
     */
    public FitProblem withBounds(String name, double lower, double upper) {
        bound.model().parameters().indexOf(name);
        Map<String, Double> f = new LinkedHashMap<>(fixed);
        f.remove(name);
        Map<String, double[]> b = new LinkedHashMap<>(bounds);
        b.put(name, new double[] {lower, upper});
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound.covering(name, lower, upper), f, b, null,
                loss, resolution);
    }

    /** A copy with an explicit fit space (same parameters), used as given. */
    public FitProblem withSpace(FitSpace newSpace) {
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, fixed, bounds,
                Objects.requireNonNull(newSpace, "space"), loss, resolution);
    }

    /** The fit model. */
    public FitModel fitModel() {
        return fitModel;
    }

    /** The measured curve as given (all rows). */
    public ScatteringCurve curve() {
        return curve;
    }

    /** The prepared data. */
    public FitData data() {
        return data;
    }

    /** The model bound to the fitting grid. */
    public BoundModel boundModel() {
        return bound;
    }

    /** The differentiable model on the fitting grid. */
    public DifferentiableModel model() {
        return bound.model();
    }

    /** The fit space. */
    public FitSpace space() {
        return space;
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /**
     * The likelihood a posterior of this problem should sample when the user has not chosen one:
     * {@link LossType#LOGLIK} where the bound model carries its own error ({@link BoundModel#modelError()}:
     * the {@code lnp} surrogate's error model, which the calibration study measured; χ² would treat the
     * surrogate as exact and give intervals that are too narrow), else {@link LossType#CHI2} where the
     * data have σ, else empty (no likelihood can be formed: the data need a σ column).
     */
    public Optional<LossType> posteriorLikelihood() {
        if (bound.modelError().isPresent()) {
            return Optional.of(LossType.LOGLIK);
        }
        return curve.hasSigma() ? Optional.of(LossType.CHI2) : Optional.empty();
    }

    /**
     * Why a posterior of this problem cannot be sampled with its loss, and what to use instead;
     * empty when its loss is a likelihood.
     */
    public Optional<String> posteriorRefusal() {
        if (loss.isLikelihood()) {
            return Optional.empty();
        }
        String instead = posteriorLikelihood()
                .map(t -> t == LossType.LOGLIK
                        ? "choose the loglik loss (the data's sigma, if any, plus the " + fitModel.name()
                                + " model's own error; calibrated in docs/calibration.md)"
                        : "choose the chi2 loss (the data have sigma)")
                .orElse("the data have no sigma column and the " + fitModel.name()
                        + " model carries no error model, so no likelihood can be formed: add a sigma column");
        return Optional.of("posterior sampling needs a likelihood, and the " + loss.name() + " loss is not one "
                + "(exp(-loss/2) is not a probability of the data; its ranges have no statistical meaning); " + instead);
    }

    /**
     * The model parameters held fixed at values that matter, by name (model order): the fixed ones
     * without those the loss determines itself ({@link Loss#solvedParameters()}).
     */
    public Map<String, Double> fixedParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        List<String> solved = loss.solvedParameters();
        for (int j = 0; j < space.size(); j++) {
            String name = space.box().get(j).name();
            if (space.isFixed(j) && !solved.contains(name)) {
                m.put(name, space.fixedValue(j));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        List<String> free = new ArrayList<>();
        for (int j = 0; j < space.size(); j++) {
            Parameter p = space.box().get(j);
            if (!space.isFixed(j)) {
                free.add(p.name() + " " + p.rangeText());
            }
        }
        return String.format(Locale.ROOT, "FitProblem[%s to %s: %d points, q %.4g..%.4g 1/Å, loss %s; free %s]",
                fitModel.name(), data.label(), data.pointsUsed(), data.measured().qMin(), data.measured().qMax(), loss.name(),
                String.join(", ", free));
    }
}
