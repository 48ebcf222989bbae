package org.lnpsaxs.polydispersity.distribution;

import java.util.Locale;
import java.util.Objects;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A sasmodels size distribution of a "volume" parameter (radius, thickness): a centre value c
 * (Å) and a relative width pd, with \( \sigma = \mathrm{pd}\cdot c \) as in sasmodels' {@code
 * weights.py} for relative (size) parameters. The parameters are {@code center} (Å, ≥ 0) and
 * {@code pd} (dimensionless, ≥ 0).
 *
 * <p>{@code pd = 0} is a point mass at c (sasmodels' monodisperse case): {@link #cdf} is a step,
 * {@link #inverseCdf} returns c, {@link #inverseCdfGradient} returns the limit
 * \( (1,\ c\,\Phi^{-1}(u)) \) of pd → 0⁺ (the same for all three families), and the density
 * methods throw {@link ArithmeticException}.
 *
 * <p>The three families ({@link Type}) are sasmodels' {@code gaussian} (normal, mean c, standard
 * deviation pd·c), {@code lognormal} (median c, standard deviation pd of ln x) and {@code schulz}
 * (gamma, mean c, standard deviation pd·c); create them with {@link #gaussian}, {@link #lognormal},
 * {@link #schulz}, by sasmodels name with {@link #of(String, double, double)} or with
 * {@link Type#create}. {@code toString} reads e.g. {@code schulz(center=250 Å, pd=0.1)}.
 */
public abstract sealed class SasDistribution implements SizeDistribution permits Gaussian, LogNormal, Schulz {

    /** sasmodels' lower limit of the grid for the log-normal and Schulz distributions, Å. */
    public static final double POSITIVE_GRID_LOWER_LIMIT = 1e-8;

    /** The sasmodels distribution types supported here. */
    public enum Type {
        /** {@code gaussian}: normal with mean c and standard deviation pd·c. */
        GAUSSIAN("gaussian"),
        /** {@code lognormal}: log-normal with median c and log-scale width pd. */
        LOGNORMAL("lognormal"),
        /** {@code schulz}: gamma distribution with mean c and standard deviation pd·c. */
        SCHULZ("schulz");

        private final String sasName;

        Type(String sasName) {
            this.sasName = sasName;
        }

        /** The sasmodels name ({@code gaussian}, {@code lognormal}, {@code schulz}). */
        public String sasName() {
            return sasName;
        }

        /** A distribution of this type. */
        public SasDistribution create(double center, double pd) {
            switch (this) {
                case GAUSSIAN:
                    return new Gaussian(center, pd);
                case LOGNORMAL:
                    return new LogNormal(center, pd);
                default:
                    return new Schulz(center, pd);
            }
        }

        /**
         * The type called {@code name} (case-insensitive).
         *
         * @throws IllegalArgumentException listing the allowed names
         */
        public static Type parse(String name) {
            String n = Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT);
            for (Type t : values()) {
                if (t.sasName.equals(n)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown distribution type '" + name
                    + "'; allowed: gaussian, lognormal, schulz");
        }
    }

    private static final ParameterSpace SPACE = ParameterSpace.of(
            new Parameter("center", "Å", 0, Double.POSITIVE_INFINITY, "centre of the distribution"),
            new Parameter("pd", "", 0, Double.POSITIVE_INFINITY, "relative width: sigma = pd * center"));

    /** The centre, Å. */
    final double center;
    /** The relative width. */
    final double pd;
    /** The absolute width pd·c, Å. */
    final double sigma;

    SasDistribution(double center, double pd) {
        if (!(center > 0) || !Double.isFinite(center)) {
            throw new IllegalArgumentException(typeName() + " distribution: center = " + center
                    + " is not allowed; need a finite value > 0 (Å)");
        }
        if (!(pd >= 0) || !Double.isFinite(pd)) {
            throw new IllegalArgumentException(typeName() + " distribution: pd = " + pd
                    + " is not allowed; need a finite value >= 0");
        }
        this.center = center;
        this.pd = pd;
        this.sigma = pd * center;
    }

    /** A sasmodels distribution by name: {@code gaussian}, {@code lognormal} or {@code schulz}. */
    public static SasDistribution of(String type, double center, double pd) {
        return Type.parse(type).create(center, pd);
    }

    /** sasmodels' {@code gaussian}: normal with mean {@code center} (Å) and standard deviation pd·center. */
    public static SasDistribution gaussian(double center, double pd) {
        return Type.GAUSSIAN.create(center, pd);
    }

    /** sasmodels' {@code lognormal}: median {@code center} (Å), standard deviation pd of ln x. */
    public static SasDistribution lognormal(double center, double pd) {
        return Type.LOGNORMAL.create(center, pd);
    }

    /** sasmodels' {@code schulz}: gamma with mean {@code center} (Å) and standard deviation pd·center. */
    public static SasDistribution schulz(double center, double pd) {
        return Type.SCHULZ.create(center, pd);
    }

    /** The type of this distribution. */
    public abstract Type type();

    private String typeName() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return type().sasName();
    }

    @Override
    public ParameterSpace parameters() {
        return SPACE;
    }

    @Override
    public double[] parameterValues() {
        return new double[] {center, pd};
    }

    @Override
    public SasDistribution withParameters(double... values) {
        if (values.length != 2) {
            throw new IllegalArgumentException(name() + " distribution takes 2 parameters (center, pd), got "
                    + values.length);
        }
        return type().create(values[0], values[1]);
    }

    /** The centre c, Å (the mean for gaussian and schulz, the median for lognormal). */
    public double center() {
        return center;
    }

    /** The relative width pd. */
    public double pd() {
        return pd;
    }

    /** The absolute width \( \sigma = \mathrm{pd}\cdot c \), Å. */
    public double sigma() {
        return sigma;
    }

    /** Whether this is a point mass (pd = 0). */
    public boolean isPointMass() {
        return pd == 0;
    }

    /**
     * The lower limit sasmodels applies to the grid: {@code lb} for gaussian, {@code max(lb, 1e-8)}
     * for lognormal and schulz (whose densities need x &gt; 0).
     */
    public double gridLowerLimit(double lb) {
        return lb;
    }

    @Override
    public final double pdf(double x) {
        requireWidth();
        return density(x);
    }

    @Override
    public final double pdfDerivative(double x) {
        requireWidth();
        return densityDerivative(x);
    }

    @Override
    public final void pdfGradient(double x, double[] grad) {
        requireWidth();
        densityGradient(x, grad);
    }

    @Override
    public final double cdf(double x) {
        if (pd == 0) {
            return x >= center ? 1 : 0;
        }
        return distribution(x);
    }

    @Override
    public final void cdfGradient(double x, double[] grad) {
        if (pd == 0) {
            throw new ArithmeticException(name() + " distribution with pd = 0 is a step: no derivative of the cdf");
        }
        distributionGradient(x, grad);
    }

    @Override
    public final double inverseCdf(double u) {
        TruncatedLogNormal.checkProbability(u);
        if (pd == 0) {
            return center;
        }
        return quantile(u);
    }

    @Override
    public final void inverseCdfGradient(double u, double[] grad) {
        TruncatedLogNormal.checkProbability(u);
        if (pd == 0) {
            grad[0] = 1;
            grad[1] = center * Normal.quantile(u);
            return;
        }
        quantileGradient(u, grad);
    }

    abstract double density(double x);

    abstract double densityDerivative(double x);

    abstract void densityGradient(double x, double[] grad);

    abstract double distribution(double x);

    abstract void distributionGradient(double x, double[] grad);

    abstract double quantile(double u);

    abstract void quantileGradient(double u, double[] grad);

    private void requireWidth() {
        if (pd == 0) {
            throw new ArithmeticException(name() + " distribution with pd = 0 is a point mass at "
                    + center + " Å: it has no density");
        }
    }

    @Override
    public String toString() {
        return name() + "(center=" + number(center) + " Å, pd=" + number(pd) + ")";
    }

    /** A number as a person writes it: {@code 250} rather than {@code 250.0}. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SasDistribution d && d.type() == type() && d.center == center && d.pd == pd;
    }

    @Override
    public int hashCode() {
        return type().hashCode() * 31 + Double.hashCode(center) * 17 + Double.hashCode(pd);
    }
}
