package org.lnpsaxs.optimize.model;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * A model as the fitter uses it: a differentiable model of the intensity with a size
 * distribution, its default fit box, and how to describe its size distribution.
 *
 * <p>Two kinds: a model with a fixed q grid (the LNP surrogate's 300 points: the data are
 * interpolated onto it, {@link #fixedGrid()} is that grid) and a model evaluated on any q
 * (the analytic models: {@link #model(double[])} builds it on the fitting grid). The parameter
 * order of {@link #model} and of {@link #defaultSpace} is the same; parameters keep their model
 * units. Implementations are immutable and thread-safe.
 */
public interface FitModel {

    /** The model's name on the command line and in reports ({@code lnp}, {@code sphere}, {@code core_shell_sphere}). */
    String name();

    /** The unit of the model intensity (e.g. {@code cm^-1 at scale 1}, {@code a.u.}). */
    String intensityUnit();

    /** The model's fixed q grid in Å⁻¹, or {@code null} when the model is evaluated on the data's q. */
    double[] fixedGrid();

    /**
     * The differentiable model for a fitting grid.
     *
     * @param q the fitting grid, Å⁻¹ (ignored by a model with a fixed grid)
     */
    DifferentiableModel model(double[] q);

    /**
     * The default fit space for the fitting grid {@code q} (Å⁻¹): the box of every parameter, the
     * fixed ones and the ordering constraints, with the user's fixed values applied — boxes that
     * depend on fixed parameters (for example {@code sld_core}'s box on {@code sld_shell} and
     * {@code sld_solvent}) follow them.
     *
     * @param q     the fitting grid (ascending)
     * @param fixed parameter name → value to hold fixed (may be empty)
     */
    FitSpace defaultSpace(double[] q, java.util.Map<String, Double> fixed);

    /** The default fit space with no parameter fixed by the user. */
    default FitSpace defaultSpace(double[] q) {
        return defaultSpace(q, java.util.Map.of());
    }

    /** What the distributed size is (e.g. "outer radius R", "core radius"). */
    String sizeLabel();

    /**
     * The size distribution of a full parameter vector (model order) for the fitting grid
     * {@code q}, or {@code null} if the model has none.
     */
    SizeSummary sizeDistribution(double[] theta, double[] q);
}
