package org.lnpsaxs.optimize.model;

import java.util.Optional;

import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;

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
     * The named quadrature rule the model averages its size distribution with, or empty for a
     * model without a choice of rule (the default). The built-in models default to
     * {@link Quadrature#ACCURATE}: within 10⁻³ of the converged average over their default box
     * (docs/polydispersity.md).
     */
    default Optional<Quadrature> quadrature() {
        return Optional.empty();
    }

    /**
     * A copy that averages its size distribution with {@code quadrature}.
     *
     * @throws IllegalArgumentException if the model has no choice of rule (the default)
     */
    default FitModel withQuadrature(Quadrature quadrature) {
        throw new IllegalArgumentException("the fit model " + name() + " has no choice of size-distribution quadrature");
    }

    /**
     * The model bound to a fitting grid.
     *
     * @param grid the fitting grid, Å⁻¹ (for a model with a fixed grid: a run of consecutive points of it)
     * @throws IllegalArgumentException if the model cannot be evaluated on {@code grid}
     */
    BoundModel bind(QGrid grid);

    /**
     * What the parameter ranges of the model are, for messages that refuse a fit box or a fixed
     * value outside them: the default reads "the range where the NAME model is defined"; a model
     * whose ranges have another reason says it (the {@code lnp} surrogate's are its training range).
     */
    default String rangeDescription() {
        return "the range where the " + name() + " model is defined";
    }

    /**
     * The model bound to a fitting grid and seen through a resolution: its intensities are the
     * smeared ones at exactly {@code resolution.q()} (the grid), computed from the model on the
     * operator's calculation grid. The default:
     * <ul>
     * <li>a model with a fixed grid: the model on its whole grid, \( \ln I \) interpolated onto the
     *   calculation points ({@link FixedGridSmearedModel}, which needs every calculation point
     *   inside the fixed grid), then smeared; the default space and size summaries are those of
     *   the whole grid;</li>
     * <li>a model evaluated on any q: the model bound to the calculation grid and smeared
     *   ({@code SmearedModel}); the default space and size summaries are those of the model bound
     *   to {@code grid}. A model whose parameterisation depends on the grid it is bound to (the
     *   analytic models' distribution truncation does) overrides this, as {@link AnalyticFitModel}
     *   does, so that both come from one binding.</li>
     * </ul>
     *
     * @param grid       the fitting grid: the measured q, Å⁻¹
     * @param resolution the operator, whose output grid is {@code grid}
     * @throws IllegalArgumentException if the grids disagree or the calculation points leave a fixed grid
     */
    default BoundModel bind(QGrid grid, ResolutionOperator resolution) {
        if (!resolution.q().equals(grid)) {
            throw new IllegalArgumentException("the resolution's output grid " + resolution.q() + " is not the fitting grid "
                    + grid);
        }
        BoundModel full = bind(fixedGrid().orElse(grid));
        DifferentiableModel smeared;
        if (fixedGrid().isPresent()) {
            smeared = new FixedGridSmearedModel(full.model(), resolution);
        } else {
            DifferentiableModel onCalc = bind(resolution.qCalc()).model();
            if (!onCalc.parameters().names().equals(full.model().parameters().names())) {
                throw new IllegalStateException("the model " + name() + " has other parameters on the calculation grid ("
                        + onCalc.parameters().names() + ") than on the fitting grid (" + full.model().parameters().names()
                        + ")");
            }
            smeared = new SmearedModel(onCalc, resolution);
        }
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
            public java.util.Optional<org.lnpsaxs.optimize.loss.ModelError> modelError() {
                return full.modelError();
            }

            @Override
            public QuadratureSummary quadrature(double[] theta) {
                return full.quadrature(theta);
            }

            @Override
            public java.util.Optional<DifferentiableModel> coarse() {
                // on a fixed grid the same smearing applies to the approximation; otherwise none
                return fixedGrid().isPresent() ? full.coarse().map(c -> new FixedGridSmearedModel(c, resolution))
                        : java.util.Optional.empty();
            }

            @Override
            public String toString() {
                return self.name() + " smeared onto " + grid;
            }
        };
    }

    /**
     * Free parameters that the posterior's Hamiltonian sampler moves on a logarithmic scale (names):
     * positive width-like parameters whose posterior narrows in other directions as they shrink — a
     * funnel that one fixed metric crosses badly on a linear scale and far better on a log scale. The
     * prior stays uniform on the box (its density over the log coordinate enters the sampled
     * density), so the posterior is the same; only how fast the chains explore it changes. A name that
     * is fixed, not positive-boxed or a member of an ordered pair is sampled linearly. Empty by default,
     * and empty for the shipped models: on lnp's spectral widths it helped some hard posteriors and
     * hurt others (docs/fitting.md, "Width parameters on a log scale").
     */
    default java.util.Set<String> posteriorLogScale() {
        return java.util.Set.of();
    }

    /**
     * Whether L-BFGS may pin this model's parameters at the edges of the fit box
     * ({@link org.lnpsaxs.optimize.multistart.Lbfgs#withBoundPinning}: a parameter pressing outward
     * within 4.5·10⁻⁵ of the box's width from an edge goes straight to it instead of crawling along
     * the logistic's tail). True by default; a model returns false where pinning was measured to
     * change its answers without a gain (the fitter then runs its L-BFGS without pinning).
     */
    default boolean boundPinning() {
        return true;
    }

    /**
     * The model's exact symmetries: maps of its parameters that leave the curve unchanged for
     * every q, so that the data cannot tell the images apart (see {@link Symmetry}). Empty by
     * default.
     */
    default java.util.List<Symmetry> symmetries() {
        return java.util.List.of();
    }

    /**
     * The number of starts a multi-start fit takes when none is given ({@code FitSettings.startsFor}).
     * This default, for models whose landscapes have few basins, is 32 per free parameter, at least 128
     * and at most 512: on twelve fits of SasView's example data (sphere, two free parameters, and
     * core_shell_sphere, four) 32 starts already found the best loss of 512 on every curve and seed,
     * and 128 the same modes and verdicts (with 64, too few members to split apoferritin's three
     * modes; docs/benchmarks.md, "How many starts an analytic fit needs").
     * Keeping 32 per parameter keeps about 10 ensemble members per parameter, which the mode
     * analysis needs ({@code IdentifiabilityAnalysis}: at most m/(2(d+1)) modes of m members).
     * {@code lnp} takes 512.
     *
     * @param freeParameters the fit's free parameters (at least 1)
     * @return the number of starts, at least 1
     */
    default int defaultStarts(int freeParameters) {
        return Math.min(512, Math.max(128, 32 * freeParameters));
    }
}
