package org.lnpsaxs.optimize.testing;

import java.util.Map;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.param.FitSpace;

/**
 * A test landscape with many local minima: \( I(q) = e^{-aq}(2 + \cos(f\,w q)) \) on a fixed q grid,
 * a in [0, 3], w in [1, w_max], f a frequency factor (1 for the model; another value makes an
 * approximation of it whose minimum in w is off by that factor). Arbitrary units.
 */
public final class WaveModel {

    private WaveModel() {
    }

    /** The model on {@code q} with w in [1, {@code wMax}] and frequency factor {@code factor}. */
    public static DifferentiableModel of(double[] q, double wMax, double factor) {
        double[] grid = q.clone();
        ParameterSpace space = ParameterSpace.of(Parameter.of("a", "", 0.0, 3.0), Parameter.of("w", "", 1.0, wMax));
        return new DifferentiableModel() {
            @Override
            public ParameterSpace parameters() {
                return space;
            }

            @Override
            public double[] q() {
                return grid.clone();
            }

            @Override
            public int qSize() {
                return grid.length;
            }

            @Override
            public void evaluate(double[] theta, int batch, double[] out) {
                for (int b = 0; b < batch; b++) {
                    double a = theta[2 * b];
                    double w = factor * theta[2 * b + 1];
                    for (int i = 0; i < grid.length; i++) {
                        out[b * grid.length + i] = Math.exp(-a * grid[i]) * (2 + Math.cos(w * grid[i]));
                    }
                }
            }

            @Override
            public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
                for (int b = 0; b < batch; b++) {
                    double a = theta[2 * b];
                    double w = factor * theta[2 * b + 1];
                    double ga = 0;
                    double gw = 0;
                    for (int i = 0; i < grid.length; i++) {
                        double e = Math.exp(-a * grid[i]);
                        double g = dLdI[b * grid.length + i];
                        ga += g * -grid[i] * e * (2 + Math.cos(w * grid[i]));
                        gw += g * -e * Math.sin(w * grid[i]) * grid[i] * factor;
                    }
                    dLdTheta[2 * b] = ga;
                    dLdTheta[2 * b + 1] = gw;
                }
            }
        };
    }

    /** A fit model named {@code wave} of {@code model}, with {@code coarse} as its coarse approximation (or none). */
    public static FitModel fitModel(DifferentiableModel model, DifferentiableModel coarse) {
        QGrid fixed = QGrid.of(model.q());
        return new FitModel() {
            @Override
            public String name() {
                return "wave";
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
                return Optional.of(fixed);
            }

            @Override
            public BoundModel bind(QGrid grid) {
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
                        return model;
                    }

                    @Override
                    public Optional<DifferentiableModel> coarse() {
                        return Optional.ofNullable(coarse);
                    }

                    @Override
                    public FitSpace defaultSpace(Map<String, Double> fixedValues) {
                        return FitSpace.of(model.parameters());
                    }

                    @Override
                    public SizeSummary sizeDistribution(double[] theta) {
                        return null;
                    }
                };
            }
        };
    }

    /** Noise-free data of {@code fm}'s model at (a, w) with 0.1 % σ: the model's exact minimum is there, loss 0. */
    public static FitProblem problem(FitModel fm, DifferentiableModel model, double a, double w) {
        double[] q = model.q();
        double[] i = new double[q.length];
        model.evaluate(new double[] {a, w}, 1, i);
        double[] s = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            s[k] = 1e-3 * i[k];
        }
        return FitProblem.of(fm, ScatteringCurve.of(q, i, s).withSource("wave"));
    }
}
