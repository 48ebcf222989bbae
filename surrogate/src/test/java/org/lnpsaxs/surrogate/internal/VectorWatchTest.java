package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The watch's rule on a made-up clock: heavy calls during the warm-up, short bursts of them later
 * and slow one-row calls too few for the JIT to have compiled the kernels are normal; heavy calls
 * without a break for {@value VectorWatch#STRIKE_SECONDS} s and {@value VectorWatch#STRIKE_ROWS}
 * rows after the warm-up switch to the plain loops, once.
 */
class VectorWatchTest {

    private static final long S = 1_000_000_000L;
    /** What an uncompiled kernel allocates per row (measured: 90–530 kB), and a compiled one (2.4 kB). */
    private static final long HEAVY = 400_000;
    private static final long LIGHT = 2_401;

    @Test
    void theWarmUpIsNeverAStrike() {
        VectorWatch.State w = new VectorWatch.State();
        for (long t = 0; t < 9 * S; t += S / 10) {
            assertNull(w.call(t, HEAVY * 64, 64), "at " + t / 1e9 + " s");
        }
    }

    @Test
    void heavyCallsWithoutABreakForFiveSecondsAfterTheWarmUpFallBackOnce() {
        VectorWatch.State w = new VectorWatch.State();
        assertNull(w.call(0, LIGHT * 512, 512));
        String reason = null;
        long firedAt = -1;
        // a fit's chunks: 512 rows every 0.1 s, 26 112 rows in the first 5 s
        for (long t = 11 * S; t < 30 * S && reason == null; t += S / 10) {
            reason = w.call(t, HEAVY * 512, 512);
            firedAt = t;
        }
        assertNotNull(reason, "no fall-back");
        assertTrue(firedAt >= 16 * S && firedAt <= 16 * S + S / 10, "fired at " + firedAt / 1e9 + " s, not 5 s after 11 s");
        assertTrue(reason.contains("kB per row"), reason);
        // once only
        assertNull(w.call(31 * S, HEAVY * 512, 512));
    }

    @Test
    void aNormalCallEndsARunOfStrikes() {
        VectorWatch.State w = new VectorWatch.State();
        assertNull(w.call(0, LIGHT, 1));
        // four seconds of heavy calls (a deoptimisation, say), one normal call, four more seconds
        for (long t = 11 * S; t < 15 * S; t += S / 10) {
            assertNull(w.call(t, HEAVY, 1));
        }
        assertNull(w.call(15 * S, LIGHT, 1));
        for (long t = 15 * S + S / 10; t < 19 * S; t += S / 10) {
            assertNull(w.call(t, HEAVY, 1), "at " + t / 1e9 + " s");
        }
    }

    @Test
    void fewCallsDoNotFireEvenWhenSlow() {
        VectorWatch.State w = new VectorWatch.State();
        assertNull(w.call(0, LIGHT, 1));
        // four heavy calls of 8 192 rows over seven seconds: fewer than the rule's five
        int rows = 8192;
        assertNull(w.call(11 * S, HEAVY * rows, rows));
        assertNull(w.call(14 * S, HEAVY * rows, rows));
        assertNull(w.call(17 * S, HEAVY * rows, rows));
        assertNull(w.call(18 * S, HEAVY * rows, rows));
        // the fifth, eight seconds after the first
        assertNotNull(w.call(19 * S, HEAVY * rows, rows), "five strikes over 8 s");
    }

    /**
     * A finite-difference loop of one-row calls on a path the JIT has not compiled yet (as in the
     * build's test JVM: a millisecond per call) fills seconds with strikes but not the rule's rows.
     */
    @Test
    void slowOneRowCallsFireOnlyOnceTheyAddUpToTheRulesRows() {
        VectorWatch.State w = new VectorWatch.State();
        assertNull(w.call(0, LIGHT, 1));
        long t = 11 * S;
        for (int i = 1; i < VectorWatch.STRIKE_ROWS; i++, t += S / 1000) {
            assertNull(w.call(t, HEAVY, 1), "call " + i + " at " + t / 1e9 + " s");
        }
        assertNotNull(w.call(t, HEAVY, 1), VectorWatch.STRIKE_ROWS + " one-row strikes over 20 s");
    }
}
