package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Nd4jStartupTest {

    /** ND4J's start-up lines are turned off only where the user has not chosen. */
    @Test
    void quietKeepsTheUsersChoice() {
        String before = System.getProperty(Nd4jStartup.LOG_INITIALIZATION);
        try {
            System.setProperty(Nd4jStartup.LOG_INITIALIZATION, "true");
            Nd4jStartup.quiet();
            assertEquals("true", System.getProperty(Nd4jStartup.LOG_INITIALIZATION));
            System.clearProperty(Nd4jStartup.LOG_INITIALIZATION);
            Nd4jStartup.quiet();
            assertEquals("false", System.getProperty(Nd4jStartup.LOG_INITIALIZATION));
        } finally {
            if (before == null) {
                System.clearProperty(Nd4jStartup.LOG_INITIALIZATION);
            } else {
                System.setProperty(Nd4jStartup.LOG_INITIALIZATION, before);
            }
        }
    }
}
