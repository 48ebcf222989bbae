package org.lnpsaxs.cli;

import java.util.Map;

import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModelProvider;

/**
 * A user's model as a downstream jar would register it (listed in this module's test resources
 * under META-INF/services): a "Gaussian sphere", the sphere's Guinier approximation as an
 * amplitude, \( F = \Delta\rho\,V\,e^{-q^2R^2/10} \) (so that \( F^2 \) has the sphere's radius of
 * gyration), turned into a fit model by {@link AnalyticFitModel#of}.
 */
public final class GaussianSphereProvider implements FitModelProvider {

    /** The model's name. */
    static final String NAME = "gaussian_sphere";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a test model: the sphere's Guinier approximation as an amplitude";
    }

    @Override
    public FitModel create() {
        return AnalyticFitModel.of(new GaussianSphere(), Map.of("sld", 1.0, "sld_solvent", 6.0));
    }

    /** The kernel: radius (Å), sld, sld_solvent (1e-6/Å²); f2 in cm⁻¹·Å³, volume in Å³. */
    static final class GaussianSphere implements FormFactor {

        private static final ParameterSpace SPACE = ParameterSpace.of(
                new Parameter("radius", "Å", 0, Double.POSITIVE_INFINITY, "radius"),
                new Parameter("sld", "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "particle SLD"),
                new Parameter("sld_solvent", "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "solvent SLD"));

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ParameterSpace parameters() {
            return SPACE;
        }

        @Override
        public void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
            int n = q.length;
            for (int b = 0; b < batch; b++) {
                double r = theta[3 * b];
                double c = theta[3 * b + 1] - theta[3 * b + 2];
                double v = 4.0 / 3.0 * Math.PI * r * r * r;
                volume[b] = v;
                for (int i = 0; i < n; i++) {
                    double a = c * v * Math.exp(-q[i] * q[i] * r * r / 10);
                    f2[b * n + i] = 1e-4 * a * a;
                }
            }
        }

        @Override
        public void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                                          double[] dLdTheta) {
            int n = q.length;
            for (int b = 0; b < batch; b++) {
                double r = theta[3 * b];
                double c = theta[3 * b + 1] - theta[3 * b + 2];
                double v = 4.0 / 3.0 * Math.PI * r * r * r;
                double dv = 4 * Math.PI * r * r;
                double gr = dLdV == null ? 0 : dLdV[b] * dv;
                double gc = 0;
                if (dLdF2 != null) {
                    for (int i = 0; i < n; i++) {
                        double e = Math.exp(-q[i] * q[i] * r * r / 10);
                        double a = c * v * e;
                        double g = dLdF2[b * n + i] * 2e-4 * a;
                        gc += g * v * e;
                        gr += g * c * e * (dv - v * q[i] * q[i] * r / 5);
                    }
                }
                dLdTheta[3 * b] = gr;
                dLdTheta[3 * b + 1] = gc;
                dLdTheta[3 * b + 2] = -gc;
            }
        }
    }
}
