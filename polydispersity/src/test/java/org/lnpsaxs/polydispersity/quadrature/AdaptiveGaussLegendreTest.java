package org.lnpsaxs.polydispersity.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.commons.math3.special.Gamma;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * {@link AdaptiveGaussLegendre}: weights sum to 1, nodes ascend inside the support, the node count
 * never exceeds {@link QuadratureRule#maxNodes()}, the moments \( E[x^k] \), k = 0…6, of the
 * untruncated families equal their closed forms (log-normal \( e^{k\mu + k^2\sigma^2/2} \), Schulz
 * \( \Gamma(a+k)/\Gamma(a)\,(c/a)^k \)) to 1e-6 — the \( x^6 \)-weighted tail is covered (a rule
 * that stops at z ≈ 3 misses 1e-3 to 0.4 of it) — and the
 * derivatives of \( A(\theta) = \sum_k w_k\,g(x_k) \) for smooth and oscillating g equal
 * Richardson-extrapolated central differences (relative 1e-6), where the steps leave the node
 * structure unchanged (a change of the number of panels or pieces is a step of the rule).
 */
class AdaptiveGaussLegendreTest {

    static SizeDistribution random(Random rnd) {
        int kind = rnd.nextInt(4);
        double c = 20 + 480 * rnd.nextDouble();
        double pd = 0.02 + 0.6 * rnd.nextDouble();
        return switch (kind) {
            case 0 -> TruncatedLogNormal.of(c, pd, 10 + 10 * rnd.nextDouble(), 600 + 2000 * rnd.nextDouble());
            case 1 -> SasDistribution.lognormal(c, pd);
            // pd ≥ 0.1 for schulz: its density carries a rounding error of about a·ln a·1e-16
            // (a = 1/pd², see Schulz), which finite differences in pd amplify by 1/h
            case 2 -> SasDistribution.schulz(c, Math.max(pd, 0.1));
            default -> SasDistribution.gaussian(c, Math.min(pd, 0.4));
        };
    }

    static QuadratureRule rule(SizeDistribution template, double qMax) {
        return AdaptiveGaussLegendre.of().adaptedTo(template, 0, Double.POSITIVE_INFINITY, qMax);
    }

    @Property(tries = 200, seed = "21")
    void weightsSumToOneAndNodesAscendInsideTheSupport(@ForAll long seed) {
        Random rnd = new Random(seed);
        SizeDistribution d = random(rnd);
        double qMax = rnd.nextDouble() * 0.5;
        QuadratureRule r = rule(d, qMax);
        Nodes n = r.nodes(d);
        assertTrue(n.size() <= r.maxNodes(), d + ": " + n.size() + " nodes, bound " + r.maxNodes());
        double sum = 0;
        double[] x = n.x();
        double[] w = n.w();
        for (int k = 0; k < n.size(); k++) {
            assertTrue(w[k] >= 0, "weight " + k + " = " + w[k]);
            assertTrue(x[k] > 0 && x[k] >= d.supportLower() && x[k] <= d.supportUpper(), "node " + k + " = " + x[k]);
            assertTrue(k == 0 || x[k] > x[k - 1], "nodes do not ascend at " + k);
            sum += w[k];
        }
        assertEquals(1.0, sum, 1e-14);
    }

    /**
     * The bound holds over the truncated log-normal's whole parameter range (CV up to 2), for
     * truncations up to 10⁴ Å wide and q up to 0.6 Å⁻¹ (wider ones may need more than
     * {@value AdaptiveGaussLegendre#MAX_NODES} nodes and are refused).
     */
    @Property(tries = 200, seed = "22")
    void truncatedLogNormalNeverExceedsTheBound(@ForAll long seed) {
        Random rnd = new Random(seed);
        double a = 1 + 100 * rnd.nextDouble();
        double b = a + Math.min(10_000, a * (0.5 + 3000 * rnd.nextDouble()));
        double mean = a + (b - a) * rnd.nextDouble();
        double cv = TruncatedLogNormal.MIN_CV + (TruncatedLogNormal.MAX_CV - TruncatedLogNormal.MIN_CV) * rnd.nextDouble();
        TruncatedLogNormal d = TruncatedLogNormal.of(mean, cv, a, b);
        QuadratureRule r = rule(d, 0.6 * rnd.nextDouble());
        assertTrue(r.nodes(d).size() <= r.maxNodes(), d + ": bound " + r.maxNodes());
        assertTrue(r.maxNodes() < AdaptiveGaussLegendre.MAX_NODES, "bound " + r.maxNodes());
    }

    /**
     * Past the limit the refusal says where (SasView's Lew_Sa3 USANS+SANS curve, q up to 1.8 Å⁻¹,
     * met by a fit start at a mean radius of 3487 Å): a {@link TooManyNodesException} with the
     * numbers a caller needs to advise a narrower q range or a smaller size.
     */
    @Example
    void aDistributionPastTheLimitIsRefusedWithWhereItWasMet() {
        TruncatedLogNormal d = TruncatedLogNormal.of(3486.98, 0.2948, 1.6667, 15000);
        QuadratureRule r = rule(d, 1.801);
        TooManyNodesException e = assertThrows(TooManyNodesException.class, () -> r.nodes(d));
        assertEquals(1.801, e.qMax(), 0.0);
        assertEquals(15000, e.upper(), 0.0);
        assertTrue(e.lower() >= 1.6667 && e.lower() < e.upper(), "lower " + e.lower());
        assertTrue(e.needed() > e.limit() && e.limit() <= AdaptiveGaussLegendre.MAX_NODES, e.getMessage());
        assertTrue(e.getMessage().contains(e.needed() + " quadrature nodes, more than " + e.limit()), e.getMessage());
        // the same distribution over a q range a tenth as wide is averaged
        QuadratureRule narrow = rule(d, 0.1801);
        assertTrue(narrow.nodes(d).size() <= AdaptiveGaussLegendre.MAX_NODES);
        // found again under a layer's wrapping, and not in an unrelated exception
        IllegalArgumentException wrapped = new IllegalArgumentException("distribution of radius: " + e.getMessage(),
                new IllegalStateException("layer", e));
        assertSame(e, TooManyNodesException.in(wrapped).orElseThrow());
        assertTrue(TooManyNodesException.in(new IllegalArgumentException("other", new RuntimeException())).isEmpty());
    }

    @Property(tries = 60, seed = "23")
    void momentsOfTheUntruncatedFamiliesMatchTheirClosedForms(@ForAll long seed) {
        Random rnd = new Random(seed);
        double c = 10 + 990 * rnd.nextDouble();
        double pd = 0.01 + 0.59 * rnd.nextDouble();
        boolean logNormal = rnd.nextBoolean();
        SizeDistribution d = logNormal ? SasDistribution.lognormal(c, pd) : SasDistribution.schulz(c, pd);
        Nodes n = rule(d, 0).nodes(d);
        for (int k = 0; k <= 6; k++) {
            int kk = k;
            double value = n.average(x -> Math.pow(x / c, kk));
            double a = 1 / (pd * pd);
            double exact = logNormal ? Math.exp(kk * kk * pd * pd / 2)
                    : Math.exp(Gamma.logGamma(a + k) - Gamma.logGamma(a) - k * Math.log(a));
            assertEquals(exact, value, 1e-6 * exact, d + ": E[(x/c)^" + k + "]");
        }
    }

    /** 100 random draws; a draw whose steps change the node structure is skipped (at most 10; 1 is, measured). */
    @Example
    void derivativesEqualFiniteDifferences() {
        Random rnd = new Random(24);
        int compared = 0;
        for (int draw = 0; draw < 100; draw++) {
            if (derivativesAgree(rnd)) {
                compared++;
            }
        }
        assertTrue(compared >= 90, "only " + compared + " of 100 draws kept their node structure under the steps");
    }

    /** Checks one random draw; false when a step changed the node structure (nothing compared). */
    static boolean derivativesAgree(Random rnd) {
        SizeDistribution d = random(rnd);
        double qMax = 0.02 + 0.3 * rnd.nextDouble();
        double center = d.parameterValues()[0];
        QuadratureRule r = rule(d, qMax);
        DoubleUnaryOperator[] tests = {
            x -> Math.pow(x / center, 3),
            x -> Math.pow(x / center, 6),
            x -> Math.cos(qMax * x) * x / center,
        };
        ParameterSpace ps = d.parameters();
        double[] theta = d.parameterValues();
        Nodes base = r.nodes(d);
        for (int j = 0; j < ps.size(); j++) {
            // the change that moves the curve by O(1) (σ or the centre by 1/(2 q_max)), at most 5 % of
            // the value itself
            double scale = j == 0 ? Math.min(0.5 / qMax, 0.05 * center)
                    : Math.min(0.5 / (qMax * center), 0.05 * theta[1]);
            double h = 1e-3 * scale;
            double[] steps = {h, -h, 2 * h, -2 * h};
            Nodes[] shifted = new Nodes[4];
            for (int s = 0; s < 4; s++) {
                double[] t = theta.clone();
                t[j] += steps[s];
                shifted[s] = r.nodes(d.withParameters(t));
                if (!sameStructure(base, shifted[s], j, steps[s])) {
                    return false;
                }
            }
            for (DoubleUnaryOperator g : tests) {
                double[] v = new double[4];
                for (int s = 0; s < 4; s++) {
                    v[s] = shifted[s].average(g);
                }
                double fd = (8 * (v[0] - v[1]) - (v[2] - v[3])) / (12 * h);
                double analytic = 0;
                double[] x = base.x();
                double[] w = base.w();
                double[] dx = base.dxdTheta();
                double[] dw = base.dwdTheta();
                int p = base.parameterCount();
                for (int k = 0; k < base.size(); k++) {
                    double gk = g.applyAsDouble(x[k]);
                    double slope = (g.applyAsDouble(x[k] + 1e-4 * scale) - g.applyAsDouble(x[k] - 1e-4 * scale))
                            / (2e-4 * scale);
                    analytic += dw[k * p + j] * gk + w[k] * slope * dx[k * p + j];
                }
                // |g| averaged: the size of the terms, whatever cancels in the average itself
                double size = Math.abs(fd) * scale;
                double norm = base.average(xx -> Math.abs(g.applyAsDouble(xx)));
                if (size >= 1e-4 * norm) {
                    assertEquals(fd, analytic, 1e-6 * Math.abs(fd) + 1e-9 * norm / scale,
                            d + ", q_max " + qMax + ": d/d" + ps.get(j).name());
                }
            }
        }
        return true;
    }

    /**
     * The same panels and pieces: the same node count, and every node where its derivative puts it
     * to within a tenth of the gap to its neighbour (a change of structure moves nodes by a
     * fraction of a piece's width, which the derivative does not predict).
     */
    static boolean sameStructure(Nodes a, Nodes b, int parameter, double step) {
        if (a.size() != b.size()) {
            return false;
        }
        double[] x = a.x();
        double[] y = b.x();
        double[] dx = a.dxdTheta();
        int p = a.parameterCount();
        for (int k = 0; k < x.length; k++) {
            double gap = Math.min(k > 0 ? x[k] - x[k - 1] : Double.POSITIVE_INFINITY,
                    k < x.length - 1 ? x[k + 1] - x[k] : Double.POSITIVE_INFINITY);
            if (Math.abs(y[k] - x[k] - step * dx[k * p + parameter]) > 0.1 * gap) {
                return false;
            }
        }
        return true;
    }

    @Example
    void pointMassIsOneNodeAndOtherFamiliesAreRefused() {
        Nodes n = rule(SasDistribution.schulz(100, 0), 0.3).nodes(SasDistribution.schulz(100, 0));
        assertEquals(1, n.size());
        assertEquals(100, n.x()[0], 0.0);
        SizeDistribution uniform = new SizeDistribution() {
            @Override public String name() {
                return "uniform";
            }
            @Override public ParameterSpace parameters() {
                return ParameterSpace.of(org.lnpsaxs.core.model.Parameter.of("center", "Å", 0, 1e9));
            }
            @Override public double[] parameterValues() {
                return new double[] {1};
            }
            @Override public SizeDistribution withParameters(double... values) {
                return this;
            }
            @Override public double supportLower() {
                return 0;
            }
            @Override public double supportUpper() {
                return 2;
            }
            @Override public double pdf(double x) {
                return 0.5;
            }
            @Override public double pdfDerivative(double x) {
                return 0;
            }
            @Override public double cdf(double x) {
                return x / 2;
            }
            @Override public double inverseCdf(double u) {
                return 2 * u;
            }
            @Override public void pdfGradient(double x, double[] grad) {
                grad[0] = 0;
            }
            @Override public void cdfGradient(double x, double[] grad) {
                grad[0] = 0;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule(uniform, 0.1).nodes(uniform));
        assertTrue(e.getMessage().contains("uniform") && e.getMessage().contains("schulz"), e.getMessage());
    }

    @Example
    void quadratureChoicesParseByName() {
        assertEquals(Quadrature.PAPER, Quadrature.parse("paper"));
        assertEquals(Quadrature.ACCURATE, Quadrature.parse(" Accurate "));
        assertTrue(Quadrature.PAPER.rule() instanceof GaussLegendreCdf);
        assertTrue(Quadrature.ACCURATE.rule() instanceof AdaptiveGaussLegendre);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quadrature.parse("fast"));
        assertTrue(e.getMessage().contains("fast") && e.getMessage().contains("paper, accurate"), e.getMessage());
    }
}
