package org.lnpsaxs.polydispersity.distribution;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The paper's size distribution: a log-normal given by its mean m (Å) and coefficient of
 * variation CV, truncated to [A, B] Å and renormalised.
 *
 * <p>\( \sigma^2 = \ln(1+\mathrm{CV}^2) \), \( \mu = \ln m - \sigma^2/2 \) (so that the untruncated
 * log-normal has mean m and standard deviation CV·m), \( z(x) = (\ln x - \mu)/\sigma \),
 * \( \alpha = z(A) \), \( \beta = z(B) \), \( Z = \Phi(\beta) - \Phi(\alpha) \):
 * \[ \mathrm{pdf}(x) = \frac{\varphi(z(x))}{x\,\sigma\,Z}, \quad
 *    F(x) = \frac{\Phi(z(x)) - \Phi(\alpha)}{Z}, \quad
 *    F^{-1}(u) = \exp\bigl(\mu + \sigma\,\Phi^{-1}(\Phi(\alpha) + uZ)\bigr), \qquad A \le x \le B. \]
 * The parameters are {@code mean} (Å, bounded by the truncation [A, B]) and {@code cv}
 * (dimensionless, [0.001, 2]); A and B are fixed configuration, by default the paper's LNP fit
 * window [{@value #DEFAULT_LOWER}, {@value #DEFAULT_UPPER}] Å. Note that m is the mean of the
 * untruncated log-normal, not of the truncated one.
 *
 * <p>Tails are computed on the side where they are small (upper tails for u &gt; 1/2), so
 * quantiles and their derivatives keep full precision near both ends.
 */
public final class TruncatedLogNormal implements SizeDistribution {

    /** The paper's lower truncation for the LNP fit, Å. */
    public static final double DEFAULT_LOWER = 101;
    /** The paper's upper truncation for the LNP fit, Å. */
    public static final double DEFAULT_UPPER = 499;
    /** The smallest allowed coefficient of variation. */
    public static final double MIN_CV = 0.001;
    /** The largest allowed coefficient of variation. */
    public static final double MAX_CV = 2.0;

    private final double lower;
    private final double upper;
    private final double mean;
    private final double cv;
    private final ParameterSpace space;

    private final double sigma;
    private final double mu;
    private final double alpha;
    private final double beta;
    private final double mass;
    private final double cdfAlpha;
    private final double upperTailBeta;
    private final double phiAlpha;
    private final double phiBeta;
    // derivatives of (mu, sigma) with respect to (mean, cv); dsigma/dmean = 0
    private final double dMuDMean;
    private final double dMuDCv;
    private final double dSigmaDCv;
    // derivatives of Z with respect to (mu, sigma)
    private final double dMassDMu;
    private final double dMassDSigma;

    private TruncatedLogNormal(double mean, double cv, double lower, double upper, ParameterSpace space) {
        this.lower = lower;
        this.upper = upper;
        this.space = space;
        space.check(new double[] {mean, cv}, 1);
        this.mean = mean;
        this.cv = cv;
        double s2 = Math.log1p(cv * cv);
        this.sigma = Math.sqrt(s2);
        this.mu = Math.log(mean) - 0.5 * s2;
        this.alpha = (Math.log(lower) - mu) / sigma;
        this.beta = (Math.log(upper) - mu) / sigma;
        this.mass = Normal.mass(alpha, beta);
        if (!(mass > 0)) {
            throw new IllegalArgumentException("truncated log-normal (mean " + mean + " Å, cv " + cv
                    + ") has no probability mass inside the truncation [" + lower + ", " + upper + "] Å");
        }
        this.cdfAlpha = Normal.cdf(alpha);
        this.upperTailBeta = Normal.upperTail(beta);
        this.phiAlpha = Normal.pdf(alpha);
        this.phiBeta = Normal.pdf(beta);
        this.dMuDMean = 1.0 / mean;
        this.dMuDCv = -cv / (1.0 + cv * cv);
        this.dSigmaDCv = cv / (sigma * (1.0 + cv * cv));
        this.dMassDMu = (phiAlpha - phiBeta) / sigma;
        this.dMassDSigma = (alpha * phiAlpha - beta * phiBeta) / sigma;
    }

    /**
     * A truncated log-normal.
     *
     * @param mean  the mean m of the untruncated log-normal, Å, inside [lower, upper]
     * @param cv    the coefficient of variation of the untruncated log-normal, in [0.001, 2]
     * @param lower the truncation A, Å, &gt; 0
     * @param upper the truncation B, Å, &gt; A
     */
    public static TruncatedLogNormal of(double mean, double cv, double lower, double upper) {
        if (!(lower > 0) || !(upper > lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("truncation [" + lower + ", " + upper
                    + "] Å is not valid: need 0 < A < B < infinity");
        }
        ParameterSpace space = ParameterSpace.of(
                new Parameter("mean", "Å", lower, upper, "mean of the untruncated log-normal"),
                new Parameter("cv", "", MIN_CV, MAX_CV, "coefficient of variation of the untruncated log-normal"));
        return new TruncatedLogNormal(mean, cv, lower, upper, space);
    }

    /** The paper's distribution, truncated to [{@value #DEFAULT_LOWER}, {@value #DEFAULT_UPPER}] Å. */
    public static TruncatedLogNormal of(double mean, double cv) {
        return of(mean, cv, DEFAULT_LOWER, DEFAULT_UPPER);
    }

    /** The same distribution with another truncation [A, B] Å (the mean must stay inside). */
    public TruncatedLogNormal withTruncation(double newLower, double newUpper) {
        return of(mean, cv, newLower, newUpper);
    }

    @Override
    public String name() {
        return "truncated_lognormal";
    }

    @Override
    public ParameterSpace parameters() {
        return space;
    }

    @Override
    public double[] parameterValues() {
        return new double[] {mean, cv};
    }

    @Override
    public TruncatedLogNormal withParameters(double... values) {
        if (values.length != 2) {
            throw new IllegalArgumentException("truncated log-normal takes 2 parameters (mean, cv), got "
                    + values.length);
        }
        return new TruncatedLogNormal(values[0], values[1], lower, upper, space);
    }

    /** The mean m of the untruncated log-normal, Å. */
    public double mean() {
        return mean;
    }

    /** The coefficient of variation of the untruncated log-normal. */
    public double cv() {
        return cv;
    }

    /** The log-scale width \( \sigma = \sqrt{\ln(1+\mathrm{CV}^2)} \). */
    public double sigma() {
        return sigma;
    }

    /** The log-scale location \( \mu = \ln m - \sigma^2/2 \). */
    public double mu() {
        return mu;
    }

    /** The truncation A, Å. */
    public double truncationLower() {
        return lower;
    }

    /** The truncation B, Å. */
    public double truncationUpper() {
        return upper;
    }

    @Override
    public double supportLower() {
        return lower;
    }

    @Override
    public double supportUpper() {
        return upper;
    }

    @Override
    public double pdf(double x) {
        if (!(x >= lower && x <= upper)) {
            return 0;
        }
        double z = (Math.log(x) - mu) / sigma;
        return Normal.pdf(z) / (x * sigma * mass);
    }

    @Override
    public double pdfDerivative(double x) {
        if (!(x >= lower && x <= upper)) {
            return 0;
        }
        double z = (Math.log(x) - mu) / sigma;
        return -pdf(x) * (z / sigma + 1.0) / x;
    }

    @Override
    public double cdf(double x) {
        if (!(x > lower)) {
            return 0;
        }
        if (x >= upper) {
            return 1;
        }
        double z = (Math.log(x) - mu) / sigma;
        return Normal.mass(alpha, z) / mass;
    }

    @Override
    public double inverseCdf(double u) {
        checkProbability(u);
        double z;
        if (u <= 0.5) {
            z = Normal.quantile(cdfAlpha + u * mass);
        } else {
            z = Normal.upperQuantile(upperTailBeta + (1.0 - u) * mass);
        }
        double x = Math.exp(mu + sigma * z);
        return Math.min(upper, Math.max(lower, x));
    }

    @Override
    public void pdfGradient(double x, double[] grad) {
        if (!(x >= lower && x <= upper)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double z = (Math.log(x) - mu) / sigma;
        double f = Normal.pdf(z) / (x * sigma * mass);
        double dMu = f * (z / sigma - dMassDMu / mass);
        double dSigma = f * ((z * z - 1.0) / sigma - dMassDSigma / mass);
        grad[0] = dMu * dMuDMean;
        grad[1] = dMu * dMuDCv + dSigma * dSigmaDCv;
    }

    @Override
    public void cdfGradient(double x, double[] grad) {
        if (!(x > lower && x < upper)) {
            grad[0] = 0;
            grad[1] = 0;
            return;
        }
        double z = (Math.log(x) - mu) / sigma;
        double phiZ = Normal.pdf(z);
        double dMu;
        double dSigma;
        double below = Normal.mass(alpha, z);
        if (below <= 0.5 * mass) {
            double f = below / mass;
            dMu = ((phiAlpha - phiZ) / sigma - f * dMassDMu) / mass;
            dSigma = ((alpha * phiAlpha - z * phiZ) / sigma - f * dMassDSigma) / mass;
        } else {
            double above = Normal.mass(z, beta);
            double g = above / mass; // 1 - F
            dMu = -((phiZ - phiBeta) / sigma - g * dMassDMu) / mass;
            dSigma = -((z * phiZ - beta * phiBeta) / sigma - g * dMassDSigma) / mass;
        }
        grad[0] = dMu * dMuDMean;
        grad[1] = dMu * dMuDCv + dSigma * dSigmaDCv;
    }

    @Override
    public void inverseCdfGradient(double u, double[] grad) {
        quantileGradient(u, inverseCdf(u), grad);
    }

    @Override
    public double inverseCdfWithGradient(double u, double[] grad) {
        double x = inverseCdf(u);
        quantileGradient(u, x, grad);
        return x;
    }

    /** The gradient of the quantile x = F⁻¹(u) (given), Å per unit of each parameter. */
    private void quantileGradient(double u, double x, double[] grad) {
        double z = (Math.log(x) - mu) / sigma;
        // Phi(z) = Phi(alpha) + u Z  =>  phi(z) dz = (1-u) phi(alpha) dalpha + u phi(beta) dbeta,
        // with the density ratios taken in log space so that far tails neither overflow nor vanish
        double ra = (1.0 - u) * Math.exp(0.5 * (z * z - alpha * alpha));
        double rb = u * Math.exp(0.5 * (z * z - beta * beta));
        double dzDMu = -(ra + rb) / sigma;
        double dzDSigma = -(ra * alpha + rb * beta) / sigma;
        double dxDMu = x * (1.0 + sigma * dzDMu);
        double dxDSigma = x * (z + sigma * dzDSigma);
        grad[0] = dxDMu * dMuDMean;
        grad[1] = dxDMu * dMuDCv + dxDSigma * dSigmaDCv;
    }

    static void checkProbability(double u) {
        if (!(u >= 0 && u <= 1)) {
            throw new IllegalArgumentException("probability u = " + u + " is outside [0, 1]");
        }
    }

    @Override
    public String toString() {
        return "truncated_lognormal(mean=" + SasDistribution.number(mean) + " Å, cv=" + SasDistribution.number(cv)
                + ", truncation=[" + SasDistribution.number(lower) + ", " + SasDistribution.number(upper) + "] Å)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TruncatedLogNormal t && t.mean == mean && t.cv == cv && t.lower == lower
                && t.upper == upper;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(mean) * 31 + Double.hashCode(cv) * 17 + Double.hashCode(lower) * 7
                + Double.hashCode(upper);
    }
}
