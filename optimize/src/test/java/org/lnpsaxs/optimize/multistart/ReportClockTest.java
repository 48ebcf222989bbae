package org.lnpsaxs.optimize.multistart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Slow iterations still report: at the optimiser's rhythm, and after 10 s of silence (fake clock). */
class ReportClockTest {

    @Test
    void reportsOnScheduleAndAfterTenSecondsOfSilence() {
        AtomicLong now = new AtomicLong(1_000);
        ReportClock clock = new ReportClock(now::get);
        assertFalse(clock.due(false), "nothing to say yet");
        assertTrue(clock.due(true), "the optimiser's own rhythm");
        now.addAndGet(9_999_999_999L);
        assertFalse(clock.due(false), "just under 10 s since the last report");
        now.addAndGet(1);
        assertTrue(clock.due(false), "10 s of silence");
        assertFalse(clock.due(false), "the report resets the silence");
    }
}
