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

    /** True when the vector kernels are used (decided once, when the class loads). */
    public static final boolean ENABLED = decide();

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

    /**
     * Which kernels the surrogate's loops use in this JVM: {@code "vector (N doubles)"} or
     * {@code "plain loops"}.
     */
    public static String kernel() {
        return ENABLED ? "vector (" + VectorKernels.lanes() + " doubles)" : "plain loops";
    }
}
