package org.lnpsaxs.surrogate.internal;

/**
 * Whether the surrogate's hot loops run their {@link VectorKernels} (the JDK's vector API) in this
 * JVM: when the JVM has the module ({@code --add-modules jdk.incubator.vector}, which the
 * {@code lnpsaxs} launcher gives and the build's tests use), its vectors hold at least four
 * doubles (AVX2 or AVX-512; where they hold fewer the API is not worth it), and the system property
 * {@code lnpsaxs.vector} is not {@code false}. Either way the numbers are the same bit for bit; only
 * the time differs. This class does not touch the vector API itself, so it loads without the
 * module. Not a user class.
 */
public final class Vectors {

    /** True when the vector kernels are available and chosen (decided once, when the class loads). */
    public static final boolean ENABLED = decide();

    /**
     * True while the kernels run: {@link #ENABLED} until {@link #fallBack(String)} (the JIT left
     * them uncompiled, {@link VectorWatch}); from then on this JVM runs the plain loops.
     */
    private static volatile boolean active = ENABLED;
    private static volatile String fallBackReason;

    private Vectors() {
    }

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getProperty("lnpsaxs.vector"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.lanes() >= 4;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether the surrogate's loops run the vector kernels now (the same numbers either way). */
    public static boolean active() {
        return active;
    }

    /**
     * Switches this JVM to the plain loops for good (the same numbers bit for bit; only the time
     * differs), for the reason given.
     */
    public static void fallBack(String reason) {
        fallBackReason = reason;
        active = false;
    }

    /**
     * Which kernels the surrogate's loops use in this JVM: {@code "vector (N doubles)"},
     * {@code "plain loops"}, or the plain loops after a fall-back, with its reason.
     */
    public static String kernel() {
        if (active) {
            return "vector (" + VectorKernels.lanes() + " doubles)";
        }
        return ENABLED ? "plain loops (vector kernels left: " + fallBackReason + ")" : "plain loops";
    }
}
