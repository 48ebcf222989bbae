package org.lnpsaxs.polydispersity.distribution;

import org.apache.commons.math3.special.Gamma;

/**
 * sasmodels' {@code schulz} distribution of a size parameter: a gamma distribution with mean c
 * (Å) and standard deviation pd·c, on x &gt; 0. With shape \( a = 1/\mathrm{pd}^2 \) and
 * \( y = a x/c \):
 * \[ \mathrm{pdf}(x) = \exp\bigl(a\ln a + (a-1)\ln(x/c) - a x/c - \ln c - \ln\Gamma(a)\bigr), \quad
 *    F(x) = P(a, y), \]
 * with P the regularized lower incomplete gamma function; \( F^{-1} \) inverts P numerically.
 * Accuracy: the density and P lose about \( a\ln a \cdot 10^{-16} \) relative to cancellation in
 * the exponent (1e-13 at pd = 0.1, 1e-11 at pd = 0.01), as in sasmodels.
 */
final class Schulz extends SasDistribution {

    private final double shape;
    private final double logNorm;

    /**
     * A Schulz distribution.
     *
     * @param center the mean c, Å, &gt; 0
     * @param pd     the relative standard deviation, ≥ 0
     */
    Schulz(double center, double pd) {
        super(center, pd);
        this.shape = pd == 0 ? Double.POSITIVE_INFINITY : 1.0 / (pd * pd);
        this.logNorm = pd == 0 ? 0 : shape * Math.log(shape) - Math.log(center) - Gamma.logGamma(shape);
    }

    @Override
    public Type type() {
        return Type.SCHULZ;
    }

    /** The gamma shape \( a = 1/\mathrm{pd}^2 \) (sasmodels' z). */
    public double shape() {
        return shape;
    }

    @Override
    public double gridLowerLimit(double lb) {
        return Math.max(lb, POSITIVE_GRID_LOWER_LIMIT);
    }

    @Override
    public double supportLower() {
        return pd == 0 ? center : 0;
    }

    @Override
    public double supportUpper() {
        return pd == 0 ? center : Double.POSITIVE_INFINITY;
    }

    @Override
    double density(double x) {
        if (!(x > 0)) {
            return 0;
        }
        double r = x / center;
        return Math.exp(logNorm + (shape - 1) * Math.log(r) - shape * r);
    }

    @Override
    double densityDerivative(double x) {
        if (!(x > 0)) {
            return 0;
        }
        return density(x) * ((shape - 1) / x - shape / center);
    }

    @Override
    void densityGradient(double x, double[] grad) {
        if (!(x > 0)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double r = x / center;
        double f = density(x);
        grad[0] = f * shape * (r - 1.0) / center;
        double dLogDShape = Math.log(shape) + 1.0 + Math.log(r) - r - GammaFunctions.digamma(shape);
        grad[1] = f * dLogDShape * dShapeDPd();
    }

    private double dShapeDPd() {
        return -2.0 * shape / pd;
    }

    @Override
    double distribution(double x) {
        if (!(x > 0)) {
            return 0;
        }
        double y = shape * x / center;
        return y <= shape ? GammaFunctions.p(shape, y) : 1.0 - GammaFunctions.q(shape, y);
    }

    @Override
    void distributionGradient(double x, double[] grad) {
        if (!(x > 0)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double f = density(x);
        double y = shape * x / center;
        grad[0] = -x / center * f;
        grad[1] = (GammaFunctions.dPda(shape, y) + f * x / shape) * dShapeDPd();
    }

    @Override
    double quantile(double u) {
        return center * GammaFunctions.inverseP(shape, u) / shape;
    }

    @Override
    void quantileGradient(double u, double[] grad) {
        double x = quantile(u);
        double f = density(x);
        if (!(f > 0)) {
            throw new ArithmeticException("schulz: density is " + f + " at the quantile x = " + x
                    + " (u = " + u + "); the quantile has no derivative there");
        }
        double y = shape * x / center;
        grad[0] = x / center;
        grad[1] = -(GammaFunctions.dPda(shape, y) + f * x / shape) * dShapeDPd() / f;
    }
}
