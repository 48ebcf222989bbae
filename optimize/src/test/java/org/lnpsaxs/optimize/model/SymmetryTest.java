package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SymmetryTest {

    /** (a, b) -> (-a, 1 - b), an involution written out by hand. */
    private static final Symmetry SIGN = Symmetry.of("sign", "(a, b) -> (-a, 1 - b)", "the sign is not determined",
            "a >= 0", List.of("a", "b"), v -> new double[] {-v[0], 1 - v[1]}, v -> v[0] >= 0);

    @Test
    void theCanonicalImageOfABoxIsWhatFoldingLeavesOfIt() {
        // SIGN: a -> -a, b -> 1 - b, canonical a >= 0. With a in [-2, 2] and b in [0, 1] the box maps onto
        // itself: folded, a ranges over [0, 2] (width 2, by hand) and b over all of [0, 1] (not listed)
        org.lnpsaxs.optimize.param.FitSpace sym = org.lnpsaxs.optimize.param.FitSpace.of(
                org.lnpsaxs.core.model.ParameterSpace.of(org.lnpsaxs.core.model.Parameter.of("a", "", -2, 2),
                        org.lnpsaxs.core.model.Parameter.of("b", "", 0, 1), org.lnpsaxs.core.model.Parameter.of("c", "", 0, 5)));
        Map<String, Double> w = SIGN.canonicalWidths(sym);
        assertEquals(List.of("a"), List.copyOf(w.keySet()));
        assertEquals(2.0, w.get("a"), 1e-4);
        // with a in [-1, 3]: a < 0 maps into (0, 1], inside; folded, a ranges over [0, 3]
        org.lnpsaxs.optimize.param.FitSpace shifted = org.lnpsaxs.optimize.param.FitSpace.of(
                org.lnpsaxs.core.model.ParameterSpace.of(org.lnpsaxs.core.model.Parameter.of("a", "", -1, 3),
                        org.lnpsaxs.core.model.Parameter.of("b", "", 0, 1), org.lnpsaxs.core.model.Parameter.of("c", "", 0, 5)));
        assertEquals(3.0, SIGN.canonicalWidths(shifted).get("a"), 1e-4);
        // per free parameter, the box's width where no symmetry narrows it
        double[] free = Symmetry.freeWidths(List.of(SIGN), sym);
        assertEquals(2.0, free[0], 1e-4);
        assertEquals(1.0, free[1], 0.0);
        assertEquals(5.0, free[2], 0.0);
        // a point is folded only when its mirror lies in the box: a in [-3, 1], b in [0, 1]
        double[] lo = {-3, 0};
        double[] hi = {1, 1};
        double[] canonical = {0.5, 0.2};
        assertSame(canonical, SIGN.canonicalInBox(canonical, lo, hi), "already canonical");
        assertArrayEquals(new double[] {0.5, 0.8}, SIGN.canonicalInBox(new double[] {-0.5, 0.2}, lo, hi), 0.0);
        double[] outside = {-2, 0.2};
        assertSame(outside, SIGN.canonicalInBox(outside, lo, hi), "its mirror a = 2 lies outside the box");
        // a symmetry whose parameters are not all free does not apply
        assertEquals(Map.of(), SIGN.canonicalWidths(org.lnpsaxs.optimize.param.FitSpace.of(sym.box(), Map.of("b", 0.5))));
    }

    @Test
    void imageMapsTheSymmetrysParametersAndKeepsTheOthersInOrder() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("c", 7.0);
        values.put("b", 0.25);
        values.put("a", 0.5);
        Map<String, Double> image = SIGN.image(values);
        assertEquals(List.of("c", "b", "a"), List.copyOf(image.keySet()));
        assertEquals(7.0, image.get("c"));
        assertEquals(0.75, image.get("b"));
        assertEquals(-0.5, image.get("a"));
        assertEquals(values, SIGN.image(image), "an involution: the image of the image is the original");
        assertEquals(0.5, values.get("a"), "the argument is not changed");
    }

    @Test
    void imageRefusesValuesWithoutOneOfTheParameters() {
        assertThrows(IllegalArgumentException.class, () -> SIGN.image(Map.of("a", 1.0, "c", 2.0)));
    }

    /**
     * The default Jacobian (central differences of the map) against closed forms: M(x, y) = (−x, e^{kx} y),
     * an involution with |det J| = e^{kx}, and a swap of two values (|det J| = 1). A map that is not
     * differentiable there gives NaN (a zero pivot).
     */
    @Test
    void theDefaultJacobianMatchesClosedForms() {
        double k = 0.7;
        Symmetry stretch = Symmetry.of("stretch", "(x, y) -> (-x, exp(k x) y)", "", "x >= 0", List.of("x", "y"),
                v -> new double[] {-v[0], Math.exp(k * v[0]) * v[1]}, v -> v[0] >= 0);
        for (double x : new double[] {-1.3, -0.2, 0, 0.4, 2.5}) {
            for (double y : new double[] {-3, 0.5, 10}) {
                assertEquals(k * x, stretch.logAbsJacobian(new double[] {x, y}), 1e-8, "at " + x + ", " + y);
            }
        }
        Symmetry swap = Symmetry.of("swap", "(a, b) -> (b, a)", "", "a <= b", List.of("a", "b"),
                v -> new double[] {v[1], v[0]}, v -> v[0] <= v[1]);
        assertEquals(0, swap.logAbsJacobian(new double[] {0.3, 5}), 1e-10);
        Symmetry collapse = Symmetry.of("collapse", "(a, b) -> (a, a)", "", "", List.of("a", "b"),
                v -> new double[] {v[0], v[0]}, v -> true);
        assertEquals(Double.NaN, collapse.logAbsJacobian(new double[] {1, 2}));
        // a closed form given to the factory is what it returns
        Symmetry given = Symmetry.of("given", "", "", "", List.of("x", "y"), stretch::map, stretch::isCanonical,
                v -> 42.0);
        assertEquals(42.0, given.logAbsJacobian(new double[] {1, 2}));
    }
}
