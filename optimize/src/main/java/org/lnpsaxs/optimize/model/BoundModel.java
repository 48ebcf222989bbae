package org.lnpsaxs.optimize.model;

import java.util.Map;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * A {@link FitModel} bound to the q grid of one fit: everything that depends on the grid is fixed
 * here, once — the differentiable model whose outputs are the intensities at exactly the grid's
 * points, the default fit box (which may follow the grid's q range) and the size summaries.
 *
 * <p>The parameter order of {@link #model()} and of {@link #defaultSpace} is the same; parameters
 * keep their model units, q is in Å⁻¹. Implementations are immutable and thread-safe.
 */
public interface BoundModel {

    /** The model that was bound. */
    FitModel fitModel();

    /** The fitting grid, Å⁻¹. */
    QGrid grid();

    /** The differentiable model: {@code grid().size()} intensities per parameter set. */
    DifferentiableModel model();

    /**
     * The default fit space: the box of every parameter, the fixed ones and the ordering
     * constraints, with the given values held fixed — boxes that depend on fixed parameters (for
     * example {@code sld_core}'s box on {@code sld_shell} and {@code sld_solvent}) follow them.
     *
     * @param fixed parameter name → value to hold fixed (may be empty)
     */
    FitSpace defaultSpace(Map<String, Double> fixed);

    /** The default fit space with no parameter fixed by the user. */
    default FitSpace defaultSpace() {
        return defaultSpace(Map.of());
    }

    /**
     * The size distribution of a full parameter vector (model order), or {@code null} when the
     * model has none.
     */
    SizeSummary sizeDistribution(double[] theta);

    /**
     * This model on the same grid, with a domain that holds [lower, upper] for parameter
     * {@code parameter} where the model can widen its domain (an analytic model widens the
     * truncation of its size distribution to take a radius box opened beyond the default), or
     * this model unchanged. A fit problem calls it for every bound and fixed value it is given;
     * the default returns this (the domain is what it is, and a box outside it is refused).
     *
     * @param parameter the parameter's name
     * @param lower     the smallest value the fit will use, in the parameter's unit
     * @param upper     the largest value the fit will use, in the parameter's unit
     * @throws IllegalArgumentException when the values can never be taken (e.g. a size at or below 0)
     */
    default BoundModel covering(String parameter, double lower, double upper) {
        return this;
    }

    /**
     * The size-distribution quadrature at a full parameter vector (model order): the named choice,
     * the rule and its node count there; {@code null} (the default) when the model does not say.
     */
    default QuadratureSummary quadrature(double[] theta) {
        return null;
    }

    /**
     * A cheaper approximation of {@link #model()} — the same grid, the same parameters in the same
     * order, intensities in the same units — on which a multi-start fit may run its first stage
     * (every start brought near its basin's minimum there) before polishing on {@link #model()}; empty
     * (the default) when the model has none. The fit's answer is always that of {@link #model()}:
     * the approximation only decides where the polishing starts.
     */
    default Optional<DifferentiableModel> coarse() {
        return Optional.empty();
    }

    /**
     * The model's own error in ln I on (at least) the fitting grid, which the {@code loglik}
     * likelihood adds to the data's covariance: empty for a model taken as exact (the analytic
     * models) or a surrogate whose model file carries no error model.
     */
    default Optional<ModelError> modelError() {
        return Optional.empty();
    }
}
