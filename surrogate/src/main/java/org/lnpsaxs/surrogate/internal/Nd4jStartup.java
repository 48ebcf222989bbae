package org.lnpsaxs.surrogate.internal;

/**
 * What the surrogate module sets before ND4J first starts (not a user class).
 *
 * <p>ND4J logs about a dozen INFO lines when its native backend starts (backend, thread counts,
 * CPU optimisation level, BLAS vendor, build flags), from loggers under {@code org.nd4j}. ND4J
 * reads the system property {@value #LOG_INITIALIZATION} when it starts and skips those lines when
 * it is {@code false}; {@link #quiet()} sets it to {@code false} unless it is already set, so a user
 * who sets it (or configures the {@code org.nd4j} loggers) keeps their choice. What this cannot
 * reach is documented in {@code docs/surrogate.md} ("Logging").
 */
public final class Nd4jStartup {

    /** ND4J's switch for its start-up INFO lines ({@code ND4JSystemProperties.LOG_INITIALIZATION}). */
    public static final String LOG_INITIALIZATION = "org.nd4j.log.initialization";

    private Nd4jStartup() {
    }

    /**
     * Turns ND4J's start-up INFO lines off unless {@value #LOG_INITIALIZATION} is set. Has an effect
     * only before ND4J's first use in this JVM; cheap and idempotent.
     */
    public static void quiet() {
        if (System.getProperty(LOG_INITIALIZATION) == null) {
            System.setProperty(LOG_INITIALIZATION, "false");
        }
    }
}
