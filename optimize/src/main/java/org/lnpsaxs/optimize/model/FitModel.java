package org.lnpsaxs.optimize.model;

import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;

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
     * The model's exact symmetries: maps of its parameters that leave the curve unchanged for
     * every q, so that the data cannot tell the images apart (see {@link Symmetry}). Empty by
     * default.
     */
    default java.util.List<Symmetry> symmetries() {
        return java.util.List.of();
    }
}
