package org.lnpsaxs.polydispersity.distribution;


/**
 * sasmodels' {@code gaussian} distribution of a size parameter: normal with mean c (Å) and
 * standard deviation \( \sigma = \mathrm{pd}\cdot c \), on the whole real line (sasmodels' grid
 * drops the points below the parameter's lower limit, see
 * {@link org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid}).
 * \[ \mathrm{pdf}(x) = \frac{1}{\sigma}\,\varphi\!\left(\frac{x-c}{\sigma}\right), \quad
 *    F(x) = \Phi\!\left(\frac{x-c}{\sigma}\right), \quad F^{-1}(u) = c + \sigma\,\Phi^{-1}(u). \]
 */
final class Gaussian extends SasDistribution {

    /**
     * A Gaussian distribution.
     *
     * @param center the mean c, Å, &gt; 0
     * @param pd     the relative width (standard deviation / c), ≥ 0
     */
    Gaussian(double center, double pd) {
        super(center, pd);
    }

    @Override
    public Type type() {
        return Type.GAUSSIAN;
    }

    @Override
    public double supportLower() {
        return pd == 0 ? center : Double.NEGATIVE_INFINITY;
    }

    @Override
    public double supportUpper() {
        return pd == 0 ? center : Double.POSITIVE_INFINITY;
    }

    @Override
    double density(double x) {
        double z = (x - center) / sigma;
        return Normal.pdf(z) / sigma;
    }

    @Override
    double densityDerivative(double x) {
        double z = (x - center) / sigma;
        return -z * Normal.pdf(z) / (sigma * sigma);
    }

    @Override
    void densityGradient(double x, double[] grad) {
        double z = (x - center) / sigma;
        double f = Normal.pdf(z) / sigma;
        grad[0] = f * (z * (1.0 + z * pd) / sigma - 1.0 / center);
        grad[1] = f * (z * z - 1.0) / pd;
    }

    @Override
    double distribution(double x) {
        double z = (x - center) / sigma;
        return z <= 0 ? Normal.cdf(z) : 1.0 - Normal.upperTail(z);
    }

    @Override
    void distributionGradient(double x, double[] grad) {
        double z = (x - center) / sigma;
        double phi = Normal.pdf(z);
        grad[0] = -phi * (1.0 + z * pd) / sigma;
        grad[1] = -phi * z / pd;
    }

    @Override
    double quantile(double u) {
        return center + sigma * Normal.quantile(u);
    }

    @Override
    void quantileGradient(double u, double[] grad) {
        double z = Normal.quantile(u);
        grad[0] = 1.0 + pd * z;
        grad[1] = center * z;
    }
}
