package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.data.ScatteringCurve;
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

/**
 * What to fit: a {@link FitModel} bound to the fitting grid of a measured {@link ScatteringCurve},
 * the data prepared for the loss, the fit space and the loss.
 *
 * <p>{@link #of} picks the defaults: the χ² loss when the curve has σ, the scale-free loss
 * otherwise, and the model's default box for the data's q range. {@code withX} methods change one
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

    private FitProblem(FitModel fitModel, ScatteringCurve curve, double qMin, double qMax, LossType lossType, FitData data,
                       BoundModel bound, Map<String, Double> fixed, Map<String, double[]> bounds, FitSpace explicitSpace,
                       Loss loss) {
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
        DifferentiableModel model = bound.model();
        space.checkInside(model.parameters());
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
        FitData data = FitData.prepare(curve, qMin, qMax, fitModel.fixedGrid(), type);
        return new FitProblem(fitModel, curve, qMin, qMax, type, data, fitModel.bind(data.grid()), Map.of(), Map.of(), null,
                null);
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
        FitData d = type.takesLogarithms() == lossType.takesLogarithms() ? data
                : FitData.prepare(curve, qMin, qMax, fitModel.fixedGrid(), type);
        BoundModel b = d.grid().equals(bound.grid()) ? bound : fitModel.bind(d.grid());
        return new FitProblem(fitModel, curve, qMin, qMax, type, d, b, fixed, bounds, explicitSpace, null);
    }

    /** A copy with the loss called {@code name} ({@code chi2}, {@code scale-free} or {@code loglik}). */
    public FitProblem withLoss(String name) {
        return withLoss(LossType.parse(name));
    }

    /** A copy with another loss on the same N points (the data stay prepared as they are). */
    public FitProblem withLoss(Loss newLoss) {
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, fixed, bounds, explicitSpace,
                Objects.requireNonNull(newLoss, "loss"));
    }

    /**
     * A copy with these parameters held at these values (added to those held already); boxes that
     * depend on them follow. A bound set earlier on one of them is dropped.
     */
    public FitProblem withFixed(Map<String, Double> values) {
        Map<String, Double> f = new LinkedHashMap<>(fixed);
        Map<String, double[]> b = new LinkedHashMap<>(bounds);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            bound.model().parameters().indexOf(e.getKey());
            f.put(e.getKey(), e.getValue());
            b.remove(e.getKey());
        }
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, f, b, null, loss);
    }

    /** A copy with parameter {@code name} held at {@code value}. */
    public FitProblem withFixed(String name, double value) {
        return withFixed(Map.of(name, value));
    }

    /** A copy in which parameter {@code name} is free in the fit box [lower, upper] (its unit). */
    public FitProblem withBounds(String name, double lower, double upper) {
        bound.model().parameters().indexOf(name);
        Map<String, Double> f = new LinkedHashMap<>(fixed);
        f.remove(name);
        Map<String, double[]> b = new LinkedHashMap<>(bounds);
        b.put(name, new double[] {lower, upper});
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, f, b, null, loss);
    }

    /** A copy with an explicit fit space (same parameters), used as given. */
    public FitProblem withSpace(FitSpace newSpace) {
        return new FitProblem(fitModel, curve, qMin, qMax, lossType, data, bound, fixed, bounds,
                Objects.requireNonNull(newSpace, "space"), loss);
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
