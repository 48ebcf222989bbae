package org.lnpsaxs.polydispersity.distribution;


/**
 * sasmodels' {@code lognormal} distribution of a size parameter: median c (Å) and log-scale
 * width pd (the standard deviation of ln x; sasmodels' {@code sig = sigma/center} with
 * \( \sigma = \mathrm{pd}\cdot c \)), on x &gt; 0. With \( z = \ln(x/c)/\mathrm{pd} \):
 * \[ \mathrm{pdf}(x) = \frac{\varphi(z)}{x\,\mathrm{pd}}, \quad F(x) = \Phi(z), \quad
 *    F^{-1}(u) = c\,e^{\mathrm{pd}\,\Phi^{-1}(u)}. \]
 */
final class LogNormal extends SasDistribution {

    /**
     * A log-normal distribution.
     *
     * @param center the median c, Å, &gt; 0
     * @param pd     the standard deviation of ln x, ≥ 0
     */
    LogNormal(double center, double pd) {
        super(center, pd);
    }

    @Override
    public Type type() {
        return Type.LOGNORMAL;
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

    private double z(double x) {
        return Math.log(x / center) / pd;
    }

    @Override
    double density(double x) {
        if (!(x > 0)) {
            return 0;
        }
        return Normal.pdf(z(x)) / (x * pd);
    }

    @Override
    double densityDerivative(double x) {
        if (!(x > 0)) {
            return 0;
        }
        double z = z(x);
        return -Normal.pdf(z) / (x * pd) * (z / pd + 1.0) / x;
    }

    @Override
    void densityGradient(double x, double[] grad) {
        if (!(x > 0)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double z = z(x);
        double f = Normal.pdf(z) / (x * pd);
        grad[0] = f * z / (center * pd);
        grad[1] = f * (z * z - 1.0) / pd;
    }

    @Override
    double distribution(double x) {
        if (!(x > 0)) {
            return 0;
        }
        double z = z(x);
        return z <= 0 ? Normal.cdf(z) : 1.0 - Normal.upperTail(z);
    }

    @Override
    void distributionGradient(double x, double[] grad) {
        if (!(x > 0)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double z = z(x);
        double phi = Normal.pdf(z);
        grad[0] = -phi / (center * pd);
        grad[1] = -phi * z / pd;
    }

    @Override
    double quantile(double u) {
        return center * Math.exp(pd * Normal.quantile(u));
    }

    @Override
    void quantileGradient(double u, double[] grad) {
        double z = Normal.quantile(u);
        double x = center * Math.exp(pd * z);
        grad[0] = x / center;
        grad[1] = x * z;
    }
}
