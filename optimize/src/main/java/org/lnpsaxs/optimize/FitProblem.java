package org.lnpsaxs.optimize;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.data.FitData;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.loss.ScaleFreeLoss;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * What to fit: a {@link FitModel}, the data prepared for it, the fit space and the loss.
 *
 * <p>{@link #of} picks the defaults: the model's default box for the data's q range and the χ²
 * loss when the data have σ, the scale-free loss otherwise. {@code withX} methods change one
 * thing. Immutable.
 */
public final class FitProblem {

    /** The name of the scale-free loss. */
    public static final String SCALE_FREE = "scale-free";
    /** The name of the χ² loss. */
    public static final String CHI2 = "chi2";

    private final FitModel fitModel;
    private final FitData data;
    private final DifferentiableModel model;
    private final FitSpace space;
    private final Loss loss;

    private FitProblem(FitModel fitModel, FitData data, DifferentiableModel model, FitSpace space, Loss loss) {
        this.fitModel = fitModel;
        this.data = data;
        this.model = model;
        this.space = space;
        this.loss = loss;
        space.checkInside(model.parameters());
        if (loss.size() != data.size()) {
            throw new IllegalArgumentException("the loss compares " + loss.size() + " points, the data have " + data.size());
        }
    }

    /**
     * Prepares data for {@code fitModel} and returns the default problem.
     *
     * @param fitModel  the model
     * @param source    the data's name (file)
     * @param q         measured q, Å⁻¹
     * @param intensity measured I
     * @param sigma     measured σ or {@code null}
     * @param qMin      the smallest q to fit, Å⁻¹ (0: no limit)
     * @param qMax      the largest q to fit, Å⁻¹ (+Infinity: no limit)
     */
    public static FitProblem prepare(FitModel fitModel, String source, double[] q, double[] intensity, double[] sigma,
                                     double qMin, double qMax) {
        return of(fitModel, FitData.prepare(source, q, intensity, sigma, qMin, qMax, fitModel.fixedGrid()));
    }

    /**
     * Prepares a measured curve for {@code fitModel} and returns the default problem.
     *
     * @param qMin the smallest q to fit, Å⁻¹ (0: no limit)
     * @param qMax the largest q to fit, Å⁻¹ (+Infinity: no limit)
     */
    public static FitProblem prepare(FitModel fitModel, ScatteringCurve curve, double qMin, double qMax) {
        return of(fitModel, FitData.prepare(curve, qMin, qMax, fitModel.fixedGrid()));
    }

    /** The default problem for prepared data (which must have been prepared for this model's grid). */
    public static FitProblem of(FitModel fitModel, FitData data) {
        Objects.requireNonNull(fitModel, "fitModel");
        if ((fitModel.fixedGrid() != null) != data.interpolated()) {
            throw new IllegalArgumentException("the data were prepared for " + (data.interpolated() ? "a fixed" : "the data's")
                    + " grid, the model " + fitModel.name() + " uses " + (fitModel.fixedGrid() != null ? "a fixed" : "the data's"));
        }
        DifferentiableModel model = fitModel.model(data.q());
        FitSpace space = fitModel.defaultSpace(data.q());
        return new FitProblem(fitModel, data, model, space, defaultLoss(data));
    }

    private static Loss defaultLoss(FitData data) {
        return data.hasSigma() ? chi2(data) : new ScaleFreeLoss(data.q(), data.intensity());
    }

    private static Loss chi2(FitData data) {
        if (!data.hasSigma()) {
            throw new IllegalArgumentException("the chi2 loss needs uncertainties: " + data.source()
                    + " has no sigma column; use --loss scale-free");
        }
        return new ChiSquaredLoss(data.intensity(), data.sigma(), true, data.pointWeight());
    }

    /** A copy with the loss called {@code name} ({@code scale-free} or {@code chi2}). */
    public FitProblem withLoss(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        Loss l;
        switch (key) {
            case SCALE_FREE:
                l = new ScaleFreeLoss(data.q(), data.intensity());
                break;
            case CHI2:
                l = chi2(data);
                break;
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + SCALE_FREE + ", " + CHI2);
        }
        return new FitProblem(fitModel, data, model, space, l);
    }

    /** A copy with another loss (on the same N points). */
    public FitProblem withLoss(Loss newLoss) {
        return new FitProblem(fitModel, data, model, space, newLoss);
    }

    /** A copy with another fit space (same parameters). */
    public FitProblem withSpace(FitSpace newSpace) {
        return new FitProblem(fitModel, data, model, newSpace, loss);
    }

    /**
     * A copy whose fit space is the model's default rebuilt with these parameters held fixed (boxes
     * that depend on them follow). It replaces the current space: fix first, then override bounds.
     */
    public FitProblem withFixed(Map<String, Double> fixed) {
        return new FitProblem(fitModel, data, model, fitModel.defaultSpace(data.q(), fixed), loss);
    }

    /** A copy in which parameter {@code name} has the fit box [lower, upper] (its unit). */
    public FitProblem withBounds(String name, double lower, double upper) {
        FitSpace s = space;
        if (s.isFixed(name)) {
            s = s.withFree(name);
        }
        return new FitProblem(fitModel, data, model, s.withBounds(name, lower, upper), loss);
    }

    /** The fit model. */
    public FitModel fitModel() {
        return fitModel;
    }

    /** The prepared data. */
    public FitData data() {
        return data;
    }

    /** The differentiable model on the fitting grid (or its fixed grid). */
    public DifferentiableModel model() {
        return model;
    }

    /** The fit space. */
    public FitSpace space() {
        return space;
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** The model-output column of the first fitting-grid point. */
    public int modelFrom() {
        return Math.max(0, data.modelFrom());
    }
}
