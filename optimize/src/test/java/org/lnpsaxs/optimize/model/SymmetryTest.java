package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
