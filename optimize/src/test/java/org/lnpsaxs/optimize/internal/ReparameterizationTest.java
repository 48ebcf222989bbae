package org.lnpsaxs.optimize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;

class ReparameterizationTest {

    /** A space like the LNP one: a plain parameter, an ordered pair with equal boxes, a fixed one. */
    static FitSpace lnpLike() {
        return FitSpace.of(ParameterSpace.of(
                        Parameter.of("R", "Å", 150, 320),
                        Parameter.of("m1", "1/Å", 0.05, 0.15),
                        Parameter.of("w", "", 0.01, 0.99),
                        Parameter.of("m2", "1/Å", 0.05, 0.15),
                        Parameter.of("t", "Å", 40, 70)))
                .withOrderedPair("m1", "m2")
                .withFixed("t", 55);
    }

    /** A pair with different boxes whose ranges overlap (the max(θa, lb) kink is reachable). */
    static FitSpace unequalBoxes() {
        return FitSpace.of(ParameterSpace.of(
                        Parameter.of("a", "", 0, 2),
                        Parameter.of("b", "", 1, 3)))
                .withOrderedPair("a", "b");
    }

    /** A smooth scalar test function of θ (of order 1) with a nonzero gradient in every component. */
    static double f(FitSpace space, double[] theta) {
        double s = 0;
        for (int j = 0; j < theta.length; j++) {
            double x = scaled(space, theta, j);
            s += Math.sin(1.3 * (j + 1) * x) + 0.1 * (j + 1) * x * x;
        }
        return s;
    }

    static double scaled(FitSpace space, double[] theta, int j) {
        Parameter p = space.box().get(j);
        return (theta[j] - p.lower()) / (p.upper() - p.lower());
    }

    static double[] dfdTheta(FitSpace space, double[] theta) {
        double[] g = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            Parameter p = space.box().get(j);
            double x = scaled(space, theta, j);
            double c = 1.3 * (j + 1);
            g[j] = (c * Math.cos(c * x) + 0.2 * (j + 1) * x) / (p.upper() - p.lower());
        }
        return g;
    }

    static void checkChainRule(FitSpace space, double[] u, double[] base) {
        Reparameterization r = new Reparameterization(space);
        int p = r.size();
        double[] theta = new double[p];
        r.toPhysical(u, base, 1, theta);
        double[] g = new double[r.freeSize()];
        r.gradientToFree(u, base, 1, dfdTheta(space, theta), g);
        for (int k = 0; k < u.length; k++) {
            double h = 1e-4;
            double fd = (8 * (fAt(space, r, u, base, k, h) - fAt(space, r, u, base, k, -h))
                    - (fAt(space, r, u, base, k, 2 * h) - fAt(space, r, u, base, k, -2 * h))) / (12 * h);
            assertEquals(fd, g[k], 1e-7 + 1e-6 * Math.abs(fd), "coordinate " + k + " at u " + java.util.Arrays.toString(u));
        }
    }

    private static double fAt(FitSpace space, Reparameterization r, double[] u, double[] base, int k, double h) {
        double[] v = u.clone();
        v[k] += h;
        double[] t = new double[r.size()];
        r.toPhysical(v, base, 1, t);
        return f(space, t);
    }

    @Property(tries = 300, seed = "20261204")
    void chainRuleEqualsFiniteDifferences(@ForAll long seed) {
        Random rnd = new Random(seed);
        double[] u = new double[4];
        for (int k = 0; k < u.length; k++) {
            u[k] = 3 * rnd.nextGaussian();
        }
        checkChainRule(lnpLike(), u, null);
        double[] v = {3 * rnd.nextGaussian(), 3 * rnd.nextGaussian()};
        Reparameterization r = new Reparameterization(unequalBoxes());
        double[] th = new double[2];
        r.toPhysical(v, null, 1, th);
        if (Math.abs(th[0] - 1) > 1e-2) { // away from the kink at θa = lb
            checkChainRule(unequalBoxes(), v, null);
        }
    }

    @Property(tries = 200, seed = "20261204")
    void chainRuleWithOneMemberOfThePairFixedPerSet(@ForAll long seed) {
        Random rnd = new Random(seed);
        // m2 fixed per set (as in a profile of m2): m1 lives in [0.05, min(0.15, m2)]
        FitSpace s1 = lnpLike().withFixed("m2", 0.1);
        double[] base = {0, 0, 0, 0.05 + 0.1 * rnd.nextDouble(), 55};
        double[] u = {rnd.nextGaussian() * 3, rnd.nextGaussian() * 3, rnd.nextGaussian() * 3};
        checkChainRule(s1, u, base);
        double[] th = new double[5];
        new Reparameterization(s1).toPhysical(u, base, 1, th);
        assertTrue(th[1] <= base[3] && th[1] >= 0.05);
        // m1 fixed per set: m2 lives in [max(m1, 0.05), 0.15]
        FitSpace s2 = lnpLike().withFixed("m1", 0.1);
        double[] base2 = {0, 0.05 + 0.1 * rnd.nextDouble(), 0, 0, 55};
        checkChainRule(s2, u, base2);
        new Reparameterization(s2).toPhysical(u, base2, 1, th);
        assertTrue(th[3] >= base2[1] && th[3] <= 0.15);
    }

    @Property(tries = 300, seed = "20261204")
    void boxesAndOrderingAlwaysHoldAndTheInverseRoundTrips(@ForAll long seed) {
        Random rnd = new Random(seed);
        Reparameterization r = new Reparameterization(lnpLike());
        int batch = 5;
        double[] u = new double[batch * 4];
        for (int k = 0; k < u.length; k++) {
            u[k] = 6 * rnd.nextGaussian();
        }
        double[] theta = new double[batch * 5];
        r.toPhysical(u, null, batch, theta);
        double[] back = new double[u.length];
        r.toFree(theta, batch, back);
        for (int b = 0; b < batch; b++) {
            int o = b * 5;
            assertTrue(theta[o] >= 150 && theta[o] <= 320);
            assertTrue(theta[o + 1] >= 0.05 && theta[o + 1] <= theta[o + 3] && theta[o + 3] <= 0.15);
            assertEquals(55.0, theta[o + 4], 0.0);
        }
        double[] again = new double[theta.length];
        r.toPhysical(back, null, batch, again);
        for (int k = 0; k < theta.length; k++) {
            assertEquals(theta[k], again[k], 1e-12 * Math.abs(theta[k]));
        }
        // and u itself where the sigmoid is far from saturation
        double[] u2 = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            u2[k] = Math.max(-4, Math.min(4, u[k]));
        }
        r.toPhysical(u2, null, batch, theta);
        r.toFree(theta, batch, back);
        for (int k = 0; k < u.length; k++) {
            assertEquals(u2[k], back[k], 1e-8);
        }
    }

    @Test
    void saturatedCoordinatesStayInsideTheBox() {
        // lo + (hi - lo) * 1 can exceed hi by an ulp: the map must clamp
        FitSpace s = FitSpace.of(ParameterSpace.of(Parameter.of("x", "", 0.1, 0.3)));
        Reparameterization r = new Reparameterization(s);
        double[] theta = new double[1];
        r.toPhysical(new double[] {800}, null, 1, theta);
        assertTrue(theta[0] <= 0.3, "" + theta[0]);
        r.toPhysical(new double[] {-800}, null, 1, theta);
        assertTrue(theta[0] >= 0.1, "" + theta[0]);
    }

    @Test
    void invalidSpacesAreRefusedWithAClearMessage() {
        ParameterSpace ps = ParameterSpace.of(Parameter.of("a", "", 0, 2), Parameter.of("b", "", 1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitSpace.of(ps).withOrderedPair("b", "a"));
        assertTrue(e.getMessage().contains("ordering"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FitSpace.of(ParameterSpace.of(Parameter.of("x", "", 0, Double.POSITIVE_INFINITY))));
        assertThrows(IllegalArgumentException.class, () -> FitSpace.of(ps).withBounds("a", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> FitSpace.of(ps).withFixed("nope", 1));
        Reparameterization r = new Reparameterization(unequalBoxes());
        assertThrows(IllegalArgumentException.class, () -> r.toFree(new double[] {1.8, 1.2}, 1, new double[2]));
    }

    @Test
    void checkInsideNamesTheParameter() {
        ParameterSpace domain = ParameterSpace.of(Parameter.of("R", "Å", 100, 500));
        FitSpace s = FitSpace.of(domain).withBounds("R", 90, 300);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.checkInside(domain));
        assertTrue(e.getMessage().contains("R") && e.getMessage().contains("[100, 500]"), e.getMessage());
    }

    /** A space with a size searched on a log scale over three decades, beside a plain parameter. */
    static FitSpace logScaled() {
        return FitSpace.of(ParameterSpace.of(
                        Parameter.of("radius_mean", "Å", 6, 3000),
                        Parameter.of("cv", "", 0.01, 0.6)))
                .withLogScale("radius_mean");
    }

    @Property(tries = 300, seed = "20261204")
    void logScaleChainRuleEqualsFiniteDifferencesAndRoundTrips(@ForAll long seed) {
        Random rnd = new Random(seed);
        double[] u = {3 * rnd.nextGaussian(), 3 * rnd.nextGaussian()};
        checkChainRule(logScaled(), u, null);
        Reparameterization r = new Reparameterization(logScaled());
        double[] theta = new double[2];
        r.toPhysical(u, null, 1, theta);
        assertTrue(theta[0] >= 6 && theta[0] <= 3000, "" + theta[0]);
        // the log map: theta = l (h/l)^s(u)
        double s = 1 / (1 + Math.exp(-u[0]));
        assertEquals(6 * Math.pow(500, s), theta[0], 1e-12 * theta[0]);
        double[] back = new double[2];
        r.toFree(theta, 1, back);
        if (Math.abs(u[0]) < 8) {
            assertEquals(u[0], back[0], 1e-8);
        }
    }

    @Test
    void logScaleNeedsAPositiveBoxAndNoPair() {
        ParameterSpace ps = ParameterSpace.of(Parameter.of("a", "", 0, 2), Parameter.of("b", "", 1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitSpace.of(ps).withLogScale("a"));
        assertTrue(e.getMessage().contains("log scale"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FitSpace.of(ps).withBounds("a", 0.5, 2).withLogScale("a").withOrderedPair("a", "b"));
        // the flag survives other edits
        FitSpace s = logScaled().withBounds("cv", 0.1, 0.4).withFixed("cv", 0.2);
        assertTrue(s.isLogScale(0));
    }
}
