package org.lnpsaxs.surrogate.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.surrogate.TestModels;

class WeightsTest {

    private static final int Q = 17;
    private static final NetworkSpec SPEC = NetworkSpec.lnp(Q, 5.0, 1024, List.of(24, 20, 12), 6, List.of(10), 0);
    private static final Weights W = TestModels.randomWeights(SPEC, 3, 0.5);

    @Test
    void weightsAndSpecsAreChecked() {
        Map<String, float[]> m = new java.util.LinkedHashMap<>();
        for (String name : W.names()) {
            m.put(name, W.get(name));
        }
        m.put("d_w1", new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.of(SPEC, m));
        assertTrue(e.getMessage().contains("d_w1"), e.getMessage());
        m.remove("d_w1");
        e = assertThrows(IllegalArgumentException.class, () -> Weights.of(SPEC, m));
        assertTrue(e.getMessage().contains("d_w1") && e.getMessage().contains("missing"), e.getMessage());
        assertEquals(SPEC.parameterCount(), SPEC.tensors().stream().mapToLong(NetworkSpec.Tensor::size).sum());
        // multiply-adds: 9·24 + 24·20 + 20·12 + 12·6 + 6·17 and 6·10 + 10·17
        assertEquals(9 * 24 + 24 * 20 + 20 * 12 + 12 * 6 + 6 * 17 + 6 * 10 + 10 * 17, SPEC.multiplyAddsPerCurve());
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.lnp(Q, 5.0, 1024, List.of(), 4, List.of(8), 0));
        assertThrows(IllegalArgumentException.class, () -> new NetworkSpec("other", Q, 5.0, 1024, 1,
                NetworkSpec.SILU, SPEC.fluctuation(), SPEC.correction()));
        assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(NetworkSpec.LNP_MEAN_FLUCTUATION, Q, 5.0,
                1024, 1, NetworkSpec.SILU, SPEC.correction(), SPEC.fluctuation()));
    }

    /** Equality is by shape and bits; one changed value (or -0 for +0) makes weights differ. */
    @Test
    void equalityComparesEveryBit() {
        Weights same = Weights.of(SPEC, copy(W));
        assertEquals(W, same);
        assertEquals(W.hashCode(), same.hashCode());
        float[] b = W.get("e_b_out");
        b[3] = Math.nextUp(b[3]);
        assertNotEquals(W, W.with("e_b_out", b));
        float[] zero = new float[SPEC.correction().outputs()];
        float[] negativeZero = new float[zero.length];
        negativeZero[0] = -0.0f;
        assertNotEquals(W.with("e_b_out", zero), W.with("e_b_out", negativeZero));
    }

    @Test
    void toStringNamesTheTensorsAndTheirShapes() {
        String s = W.toString();
        assertTrue(s.startsWith("Weights[" + SPEC.parameterCount() + " float32 values:"), s);
        assertTrue(s.contains("d_w0 9x24") && s.contains("d_w_rank 12x6") && s.contains("e_b_out 1x17"), s);
        assertTrue(!s.contains("@"), s);
    }

    private static Map<String, float[]> copy(Weights w) {
        Map<String, float[]> m = new java.util.LinkedHashMap<>();
        for (String name : w.names()) {
            m.put(name, w.get(name));
        }
        return m;
    }
}
