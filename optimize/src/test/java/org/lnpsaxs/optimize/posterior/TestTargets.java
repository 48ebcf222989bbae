package org.lnpsaxs.optimize.posterior;

import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Target densities with known properties for the sampler tests and measurements. */
final class TestTargets {

    private TestTargets() {
    }

    /** A multivariate normal target with its moments. */
    static final class Gaussian implements BatchLogDensity {
        final double[] mean;
        final double[][] covariance;
        final double[][] precision;
        final int d;

        Gaussian(double[] mean, double[][] covariance) {
            this.mean = mean.clone();
            this.covariance = covariance;
            this.d = mean.length;
            RealMatrix c = new Array2DRowRealMatrix(covariance);
            this.precision = new CholeskyDecomposition(c).getSolver().getInverse().getData();
        }

        @Override
        public int dimension() {
            return d;
        }

        double sd(int k) {
            return Math.sqrt(covariance[k][k]);
        }

        @Override
        public void logDensity(double[] x, int batch, double[] out) {
            double[] e = new double[d];
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < d; k++) {
                    e[k] = x[b * d + k] - mean[k];
                }
                double q = 0;
                for (int i = 0; i < d; i++) {
                    double r = 0;
                    for (int j = 0; j < d; j++) {
                        r += precision[i][j] * e[j];
                    }
                    q += e[i] * r;
                }
                out[b] = -0.5 * q;
            }
        }

        @Override
        public boolean hasGradient() {
            return true;
        }

        @Override
        public void logDensityAndGradient(double[] x, int batch, double[] out, double[] gradient) {
            logDensity(x, batch, out);
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < d; i++) {
                    double r = 0;
                    for (int j = 0; j < d; j++) {
                        r += precision[i][j] * (x[b * d + j] - mean[j]);
                    }
                    gradient[b * d + i] = -r;
                }
            }
        }
    }

    /**
     * A d-dimensional normal with correlation {@code rho^|i-j|}, standard deviations spread
     * log-uniformly over [0.1, 10] and means drawn in [-3, 3] (seeded).
     */
    static Gaussian correlatedGaussian(int d, double rho, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] sd = new double[d];
        double[] mu = new double[d];
        for (int k = 0; k < d; k++) {
            sd[k] = Math.pow(10, -1 + 2.0 * k / (d - 1));
            mu[k] = -3 + 6 * r.nextDouble();
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = sd[i] * sd[j] * Math.pow(rho, Math.abs(i - j));
            }
        }
        return new Gaussian(mu, c);
    }

    /**
     * Haario's twisted Gaussian: \( x_0 \sim N(0, 100) \), \( x_1 + b(x_0^2 - 100) \sim N(0, 1) \),
     * the other coordinates N(0, 1).
     */
    static BatchLogDensity banana(int d, double b) {
        return new BatchLogDensity() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                for (int i = 0; i < batch; i++) {
                    int o = i * d;
                    double x0 = x[o];
                    double y = x[o + 1] + b * (x0 * x0 - 100);
                    double s = x0 * x0 / 100 + y * y;
                    for (int k = 2; k < d; k++) {
                        s += x[o + k] * x[o + k];
                    }
                    out[i] = -0.5 * s;
                }
            }
        };
    }

    /**
     * A mixture of two unit-covariance normals at \( \mp \tfrac12 \) {@code separation} along
     * x0 with weights {@code w0} and {@code 1 - w0}.
     */
    static BatchLogDensity twoModes(int d, double separation, double w0) {
        double lw0 = Math.log(w0);
        double lw1 = Math.log(1 - w0);
        double h = separation / 2;
        return new BatchLogDensity() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                for (int i = 0; i < batch; i++) {
                    int o = i * d;
                    double rest = 0;
                    for (int k = 1; k < d; k++) {
                        rest += x[o + k] * x[o + k];
                    }
                    double a = lw0 - 0.5 * ((x[o] + h) * (x[o] + h) + rest);
                    double c = lw1 - 0.5 * ((x[o] - h) * (x[o] - h) + rest);
                    double m = Math.max(a, c);
                    out[i] = m + Math.log(Math.exp(a - m) + Math.exp(c - m));
                }
            }
        };
    }

    /** A log density of one point with its gradient: returns ln p at x[xo..xo+d) and writes ∂ ln p/∂x to g[go..go+d). */
    interface PointDensity {
        double at(double[] x, int xo, double[] g, int go);
    }

    /** A batch log density with an analytic gradient, point by point. */
    static BatchLogDensity pointwise(int d, PointDensity f) {
        return new BatchLogDensity() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                logDensityAndGradient(x, batch, out, new double[d * batch]);
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public void logDensityAndGradient(double[] x, int batch, double[] out, double[] gradient) {
                for (int i = 0; i < batch; i++) {
                    out[i] = f.at(x, i * d, gradient, i * d);
                }
            }
        };
    }

    /** The same density with a central-difference gradient (step 1e-6), for samplers that need one. */
    static BatchLogDensity withNumericalGradient(BatchLogDensity f) {
        return new BatchLogDensity() {
            @Override
            public int dimension() {
                return f.dimension();
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                f.logDensity(x, batch, out);
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public void logDensityAndGradient(double[] x, int batch, double[] out, double[] gradient) {
                int d = f.dimension();
                f.logDensity(x, batch, out);
                double h = 1e-6;
                double[] p = new double[d];
                double[] v = new double[2];
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < d; j++) {
                        double[] two = new double[2 * d];
                        System.arraycopy(x, b * d, two, 0, d);
                        System.arraycopy(x, b * d, two, d, d);
                        two[j] += h;
                        two[d + j] -= h;
                        f.logDensity(two, 2, v);
                        gradient[b * d + j] = (v[0] - v[1]) / (2 * h);
                    }
                }
            }
        };
    }
}
