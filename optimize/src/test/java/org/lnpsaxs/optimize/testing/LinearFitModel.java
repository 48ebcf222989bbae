package org.lnpsaxs.optimize.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * A test fit model linear in its parameters: \( I_i = \sum_j \theta_j q_i^j \) (θ_0 the constant,
 * θ_1 the slope, …), with the box given, no size distribution and optional declared symmetries.
 * With a Gaussian likelihood its posterior under a uniform prior is a (truncated) Gaussian in
 * closed form. {@link #squared()} makes the constant \( \theta_0^2 \) instead (a model with the exact
 * symmetry \( \theta_0 \mapsto -\theta_0 \)); {@link #withPowers} lets parameters share a power of q
 * (\( I_i = \sum_j \theta_j q_i^{k_j} \)), so that two of them can be swapped exactly.
 */
public final class LinearFitModel implements FitModel {

    private final ParameterSpace space;
    private final List<Symmetry> symmetries;
    private final boolean squared;
    private final java.util.Set<String> logScale;
    /** The power of q that each parameter multiplies (its index by default). */
    private final int[] powers;

    public LinearFitModel(ParameterSpace space, List<Symmetry> symmetries, boolean squared) {
        this(space, symmetries, squared, java.util.Set.of(), null);
    }

    private LinearFitModel(ParameterSpace space, List<Symmetry> symmetries, boolean squared,
                           java.util.Set<String> logScale, int[] powers) {
        this.space = space;
        this.symmetries = List.copyOf(symmetries);
        this.squared = squared;
        this.logScale = java.util.Set.copyOf(logScale);
        this.powers = powers != null ? powers.clone() : java.util.stream.IntStream.range(0, space.size()).toArray();
    }

    /** The same model with these parameters sampled on a log scale by the posterior ({@link FitModel#posteriorLogScale}). */
    public LinearFitModel withPosteriorLogScale(String... names) {
        return new LinearFitModel(space, symmetries, squared, java.util.Set.of(names), powers);
    }

    /** The same model with parameter j multiplying \( q^{k_j} \) ({@code powers[j]}) instead of \( q^j \). */
    public LinearFitModel withPowers(int... powers) {
        if (powers.length != space.size()) {
            throw new IllegalArgumentException("one power per parameter");
        }
        return new LinearFitModel(space, symmetries, squared, logScale, powers);
    }

    /** The same model with these exact symmetries declared instead. */
    public LinearFitModel withSymmetries(Symmetry... declared) {
        return new LinearFitModel(space, List.of(declared), squared, logScale, powers);
    }

    @Override
    public java.util.Set<String> posteriorLogScale() {
        return logScale;
    }

    /** The same model with the constant term θ_0² and the symmetry θ_0 ↦ −θ_0 declared (canonical θ_0 ≥ 0). */
    public LinearFitModel squared() {
        Symmetry sign = Symmetry.of("sign of a0", "a0 -> -a0", "the sign of a0 is not determined by the data",
                "a0 >= 0", List.of("a0"), v -> new double[] {-v[0]}, v -> v[0] >= 0);
        return new LinearFitModel(space, List.of(sign), true, logScale, powers);
    }

    /** Parameters named a0, a1, … with these boxes ({lower, upper} pairs). */
    public static LinearFitModel of(double[]... boxes) {
        Parameter[] p = new Parameter[boxes.length];
        for (int j = 0; j < boxes.length; j++) {
            p[j] = Parameter.of("a" + j, "", boxes[j][0], boxes[j][1]);
        }
        return new LinearFitModel(ParameterSpace.of(p), List.of(), false);
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String intensityUnit() {
        return "a.u.";
    }

    @Override
    public String sizeLabel() {
        return "none";
    }

    @Override
    public Optional<QGrid> fixedGrid() {
        return Optional.empty();
    }

    @Override
    public List<Symmetry> symmetries() {
        return symmetries;
    }

    @Override
    public BoundModel bind(QGrid grid) {
        double[] q = grid.values();
        int n = q.length;
        int p = space.size();
        DifferentiableModel m = new DifferentiableModel() {
            @Override
            public ParameterSpace parameters() {
                return space;
            }

            @Override
            public double[] q() {
                return q.clone();
            }

            @Override
            public int qSize() {
                return n;
            }

            @Override
            public void evaluate(double[] theta, int batch, double[] out) {
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < n; i++) {
                        double v = 0;
                        for (int j = 0; j < p; j++) {
                            double t = theta[b * p + j];
                            v += (j == 0 && squared ? t * t : t) * Math.pow(q[i], powers[j]);
                        }
                        out[b * n + i] = v;
                    }
                }
            }

            @Override
            public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < p; j++) {
                        double g = 0;
                        for (int i = 0; i < n; i++) {
                            g += dLdI[b * n + i] * Math.pow(q[i], powers[j]);
                        }
                        dLdTheta[b * p + j] = j == 0 && squared ? 2 * theta[b * p] * g : g;
                    }
                }
            }
        };
        return new BoundModel() {
            @Override
            public FitModel fitModel() {
                return LinearFitModel.this;
            }

            @Override
            public QGrid grid() {
                return grid;
            }

            @Override
            public DifferentiableModel model() {
                return m;
            }

            @Override
            public FitSpace defaultSpace(Map<String, Double> fixed) {
                FitSpace s = FitSpace.of(space);
                for (Map.Entry<String, Double> e : fixed.entrySet()) {
                    s = s.withFixed(e.getKey(), e.getValue());
                }
                return s;
            }

            @Override
            public SizeSummary sizeDistribution(double[] theta) {
                return null;
            }
        };
    }
}
