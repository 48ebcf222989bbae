package org.lnpsaxs.optimize.model;

import java.util.Optional;

import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * A model as the fitter uses it: a differentiable model of the intensity with a size
 * distribution, its default fit box and a description of its size distribution, before it is
 * bound to the q grid of a fit.
 *
 * <p>{@link #bind} ties the model to the fitting grid once and returns a {@link BoundModel}: the
 * differentiable model on exactly that grid, its default fit space and its size summaries. Two
 * kinds: a model evaluated on any q (the analytic models: the fitting grid is the measured q) and
 * a model with a fixed q grid (the LNP surrogate's 300 points: {@link #fixedGrid()} is that grid,
 * the data are interpolated onto the part of it inside the measured range, and {@code bind} takes
 * such a run of grid points). Implementations are immutable and thread-safe; register one by
 * name with a {@link FitModelProvider}. q in Å⁻¹, parameters in their model units.
 */
public interface FitModel {

    /** The model's name in the registry and in reports ({@code lnp}, {@code sphere}, {@code core_shell_sphere}). */
    String name();

    /** The unit of the model intensity (e.g. {@code 1/cm at scale 1}, {@code a.u.}). */
    String intensityUnit();

    /** What the distributed size is (e.g. "outer radius R", "core radius"). */
    String sizeLabel();

    /** The model's fixed q grid (Å⁻¹), or empty when the model is evaluated on the data's q. */
    Optional<QGrid> fixedGrid();

    /**
     * The model bound to a fitting grid.
     *
     * @param grid the fitting grid, Å⁻¹ (for a model with a fixed grid: a run of consecutive points of it)
     * @throws IllegalArgumentException if the model cannot be evaluated on {@code grid}
     */
    BoundModel bind(QGrid grid);

    /**
     * The model bound to a fitting grid and seen through a resolution: its intensities are the
     * smeared ones at exactly {@code resolution.q()} (the grid), computed from the model on the
     * operator's calculation grid. The default serves models with a fixed grid: the model on its
     * whole grid, \( \ln I \) interpolated onto the calculation points
     * ({@link FixedGridSmearedModel}, which needs every calculation point inside the fixed grid),
     * then smeared; the default space and size summaries are those of the whole grid. A model
     * evaluated on any q overrides it (the analytic models evaluate on the calculation grid
     * directly); without an override such a model cannot be smeared.
     *
     * @param grid       the fitting grid: the measured q, Å⁻¹
     * @param resolution the operator, whose output grid is {@code grid}
     * @throws IllegalArgumentException if the model cannot be smeared, or the grids disagree
     */
    default BoundModel bind(QGrid grid, ResolutionOperator resolution) {
        if (!resolution.q().equals(grid)) {
            throw new IllegalArgumentException("the resolution's output grid " + resolution.q() + " is not the fitting grid "
                    + grid);
        }
        if (fixedGrid().isEmpty()) {
            throw new IllegalArgumentException("the model " + name() + " cannot be fitted through a resolution (it does not"
                    + " bind to a resolution's calculation grid); fit it with resolution none");
        }
        BoundModel full = bind(fixedGrid().get());
        DifferentiableModel smeared = new FixedGridSmearedModel(full.model(), resolution);
        FitModel self = this;
        return new BoundModel() {
            @Override
            public FitModel fitModel() {
                return self;
            }

            @Override
            public QGrid grid() {
                return grid;
            }

            @Override
            public DifferentiableModel model() {
                return smeared;
            }

            @Override
            public FitSpace defaultSpace(Map<String, Double> fixed) {
                return full.defaultSpace(fixed);
            }

            @Override
            public SizeSummary sizeDistribution(double[] theta) {
                return full.sizeDistribution(theta);
            }

            @Override
            public String toString() {
                return self.name() + " smeared onto " + grid;
            }
        };
    }
}
