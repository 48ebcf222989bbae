package org.lnpsaxs.polydispersity.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.apache.commons.math3.analysis.UnivariateFunction;

/**
 * The contract every {@link SizeDistribution} must pass (each distribution's test extends this
 * class and supplies random valid instances): the density integrates to 1 over the support and
 * to the cdf's increments, the cdf inverts its quantile, the density is the derivative of the cdf,
 * and every parameter derivative equals central finite differences.
 *
 * <p>Integrals use commons-math's adaptive Gauss–Legendre integrator (independent of the code
 * under test) over a range the subclass gives from its own closed-form knowledge. Finite
 * differences are Richardson-extrapolated central differences,
 * \( [8(f(\theta+h)-f(\theta-h)) - (f(\theta+2h)-f(\theta-2h))]/(12h) \), with a step of 1e-3 of
 * the parameter's natural scale; a derivative component is compared (to a relative 1e-6, plus the
 * difference's own rounding, 10 ulp of f over the step) where it is not negligible: where its size, times the parameter's scale, is at least 1e-4 of the largest
 * such product (the gradient's norm in natural units) — near a zero of a component, the finite
 * difference has only absolute accuracy. The random cases come from a fixed seed.
 */
public abstract class SizeDistributionContract {

    static final double RELATIVE = 1e-6;
    static final double NEGLIGIBLE = 1e-4;
    /**
     * The finite difference's own rounding: a value f carries about ulp(f) of rounding, which the
     * difference quotient divides by its step h, so a component is compared to within RELATIVE of
     * itself plus this many ulp(f)/h (without it a component 10⁻⁴ of the norm whose f is large,
     * such as d inverseCdf/d cv at a quantile pressed against the truncation, fails on the
     * difference's noise, not the gradient's).
     */
    static final double ROUNDING_ULPS = 10;
    /** The properties' seed: the same random cases on every run (jqwik draws new ones otherwise). */
    static final String SEED = "20261204";

    /** Random valid distributions of the family under test. */
    abstract Arbitrary<SizeDistribution> distributions();

    /** A finite range [lo, hi] holding all but ~1e-12 of the mass (from the family's closed form). */
    abstract double[] essentialRange(SizeDistribution d);

    /** The natural scale of parameter j (for steps and for comparing gradient components). */
    abstract double parameterScale(SizeDistribution d, int j);

    /**
     * The relative accuracy of the cdf's evaluation (rounding noise between neighbouring x); the
     * default 1e-13 suits distributions built on the normal cdf.
     */
    double cdfRelativeAccuracy(SizeDistribution d) {
        return 1e-13;
    }

    @net.jqwik.api.Provide
    Arbitrary<SizeDistribution> dists() {
        return distributions();
    }

    private static final org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory GAUSS =
            new org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory();

    /**
     * ∫ f over [lo, hi]: commons-math's 24-point Gauss–Legendre rule on 200 equal panels (converged
     * to ~1e-15 for the smooth densities here; no adaptive stopping rule that rounding noise can stall).
     */
    static double integrate(UnivariateFunction f, double lo, double hi) {
        int panels = 200;
        double s = 0;
        for (int i = 0; i < panels; i++) {
            double a = lo + (hi - lo) * i / panels;
            double b = i == panels - 1 ? hi : lo + (hi - lo) * (i + 1) / panels;
            s += GAUSS.legendreHighPrecision(24, a, b).integrate(f);
        }
        return s;
    }

    @Property(tries = 25, seed = SEED)
    void densityIntegratesToOne(@ForAll("dists") SizeDistribution d) {
        double[] r = essentialRange(d);
        double lo = Math.max(r[0], d.supportLower());
        double hi = Math.min(r[1], d.supportUpper());
        double total = integrate(d::pdf, lo, hi);
        assertEquals(1.0, total, 1e-9, d + ": integral of the density over [" + lo + ", " + hi + "]");
    }

    @Property(tries = 25, seed = SEED)
    void densityIntegratesToCdfIncrements(@ForAll("dists") SizeDistribution d,
                                          @ForAll @Scale(12) @DoubleRange(min = 0.01, max = 0.49) double u1,
                                          @ForAll @Scale(12) @DoubleRange(min = 0.51, max = 0.99) double u2) {
        double a = d.inverseCdf(u1);
        double b = d.inverseCdf(u2);
        double integral = integrate(d::pdf, a, b);
        double increment = d.cdf(b) - d.cdf(a);
        assertEquals(increment, integral, 1e-10, d + ": ∫pdf over [" + a + ", " + b + "]");
    }

    @Property(tries = 50, seed = SEED)
    void cdfInvertsQuantile(@ForAll("dists") SizeDistribution d,
                            @ForAll @Scale(12) @DoubleRange(min = 1e-9, max = 1 - 1e-9) double u) {
        double x = d.inverseCdf(u);
        assertTrue(x >= d.supportLower() && x <= d.supportUpper(), d + ": quantile outside the support");
        double back = d.cdf(x);
        // limits of double precision: near u = 1 the cdf holds 1 - u only to an absolute 1e-16,
        // and the quantile is a double, whose last bit moves the cdf by pdf(x)·ulp(x)
        double conditioning = 8 * d.pdf(x) * Math.ulp(x);
        assertEquals(u, back, cdfRelativeAccuracy(d) * Math.min(u, 1 - u) + conditioning + 4e-16, d + ": cdf(inverseCdf(" + u + "))");
    }

    @Property(tries = 50, seed = SEED)
    void cdfIsMonotone(@ForAll("dists") SizeDistribution d,
                       @ForAll @Scale(12) @DoubleRange(min = 0.001, max = 0.999) double u) {
        double x = d.inverseCdf(u);
        double h = 1e-3 * parameterScale(d, 0);
        assertTrue(d.cdf(x + h) >= d.cdf(x) && d.cdf(x) >= d.cdf(x - h), d + ": cdf not monotone at " + x);
    }

    @Property(tries = 50, seed = SEED)
    void densityIsDerivativeOfCdf(@ForAll("dists") SizeDistribution d,
                                  @ForAll @Scale(12) @DoubleRange(min = 0.005, max = 0.995) double u) {
        double x = d.inverseCdf(u);
        double h = 2e-4 * spread(d);
        double fd = richardson(t -> d.cdf(t), x, h);
        assertEquals(fd, d.pdf(x), RELATIVE * d.pdf(x), d + ": pdf at " + x);
    }

    @Property(tries = 50, seed = SEED)
    void densitySlopeIsDerivativeOfDensity(@ForAll("dists") SizeDistribution d,
                                           @ForAll @Scale(12) @DoubleRange(min = 0.005, max = 0.995) double u) {
        double x = d.inverseCdf(u);
        double h = 2e-4 * spread(d);
        double fd = richardson(d::pdf, x, h);
        // the slope vanishes at the mode: compare relative to the density's own scale there
        double scale = d.pdf(x) / spread(d);
        if (Math.abs(fd) >= NEGLIGIBLE * scale) {
            assertEquals(fd, d.pdfDerivative(x), RELATIVE * Math.abs(fd), d + ": pdf' at " + x);
        } else {
            assertEquals(fd, d.pdfDerivative(x), 1e-9 * scale, d + ": pdf' at " + x);
        }
    }

    @Property(tries = 40, seed = SEED)
    void pdfGradientIsFiniteDifference(@ForAll("dists") SizeDistribution d,
                                       @ForAll @Scale(12) @DoubleRange(min = 0.005, max = 0.995) double u) {
        double x = d.inverseCdf(u);
        double[] grad = new double[d.parameters().size()];
        d.pdfGradient(x, grad);
        compare(d, grad, e -> e.pdf(x), "pdf at x = " + x);
    }

    @Property(tries = 40, seed = SEED)
    void cdfGradientIsFiniteDifference(@ForAll("dists") SizeDistribution d,
                                       @ForAll @Scale(12) @DoubleRange(min = 0.005, max = 0.995) double u) {
        double x = d.inverseCdf(u);
        double[] grad = new double[d.parameters().size()];
        d.cdfGradient(x, grad);
        compare(d, grad, e -> e.cdf(x), "cdf at x = " + x);
    }

    @Property(tries = 40, seed = SEED)
    void inverseCdfGradientIsFiniteDifference(@ForAll("dists") SizeDistribution d,
                                              @ForAll @Scale(12) @DoubleRange(min = 0.001, max = 0.999) double u) {
        double[] grad = new double[d.parameters().size()];
        d.inverseCdfGradient(u, grad);
        compare(d, grad, e -> e.inverseCdf(u), "inverseCdf(" + u + ")");
    }

    /** The quantile-and-gradient call gives both halves bit for bit as the separate calls do. */
    @Property(tries = 40, seed = SEED)
    void inverseCdfWithGradientIsBothCalls(@ForAll("dists") SizeDistribution d,
                                           @ForAll @Scale(12) @DoubleRange(min = 0.001, max = 0.999) double u) {
        double[] grad = new double[d.parameters().size()];
        double[] both = new double[d.parameters().size()];
        d.inverseCdfGradient(u, grad);
        double x = d.inverseCdfWithGradient(u, both);
        assertEquals(Double.doubleToLongBits(d.inverseCdf(u)), Double.doubleToLongBits(x), "quantile at u = " + u);
        for (int j = 0; j < grad.length; j++) {
            assertEquals(Double.doubleToLongBits(grad[j]), Double.doubleToLongBits(both[j]),
                    "gradient " + j + " at u = " + u);
        }
    }

    @Property(tries = 20, seed = SEED)
    void withParametersRoundTrips(@ForAll("dists") SizeDistribution d) {
        SizeDistribution e = d.withParameters(d.parameterValues());
        assertEquals(d, e);
        assertEquals(d.cdf(d.inverseCdf(0.3)), e.cdf(e.inverseCdf(0.3)));
    }

    /** A length scale of the distribution: the distance between its 16 % and 84 % quantiles. */
    static double spread(SizeDistribution d) {
        return d.inverseCdf(0.84) - d.inverseCdf(0.16);
    }

    interface Functional {
        double apply(SizeDistribution d);
    }

    private void compare(SizeDistribution d, double[] grad, Functional f, String what) {
        double[] v = d.parameterValues();
        int p = v.length;
        double rounding = ROUNDING_ULPS * Math.ulp(Math.abs(f.apply(d)));
        double[] fd = new double[p];
        double[] scale = new double[p];
        double norm = 0;
        for (int j = 0; j < p; j++) {
            scale[j] = parameterScale(d, j);
            int jj = j;
            fd[j] = richardson(t -> {
                double[] w = v.clone();
                w[jj] = t;
                return f.apply(d.withParameters(w));
            }, v[j], 1e-3 * scale[j]);
            norm = Math.max(norm, Math.abs(fd[j]) * scale[j]);
        }
        int compared = 0;
        for (int j = 0; j < p; j++) {
            String name = d.parameters().get(j).name();
            if (Math.abs(fd[j]) * scale[j] >= NEGLIGIBLE * norm) {
                assertEquals(fd[j], grad[j], RELATIVE * Math.abs(fd[j]) + rounding / (1e-3 * scale[j]),
                        d + ": d " + what + " / d " + name);
                compared++;
            } else {
                assertEquals(fd[j], grad[j], 1e-8 * norm / scale[j], d + ": d " + what + " / d " + name + " (small)");
            }
        }
        assertTrue(compared > 0 || norm == 0, d + ": nothing compared for " + what);
    }

    static double richardson(java.util.function.DoubleUnaryOperator f, double x, double h) {
        double p1 = f.applyAsDouble(x + h);
        double m1 = f.applyAsDouble(x - h);
        double p2 = f.applyAsDouble(x + 2 * h);
        double m2 = f.applyAsDouble(x - 2 * h);
        return (8.0 * (p1 - m1) - (p2 - m2)) / (12.0 * h);
    }
}
