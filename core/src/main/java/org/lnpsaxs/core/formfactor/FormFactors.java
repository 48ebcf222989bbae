package org.lnpsaxs.core.formfactor;

import java.util.List;
import java.util.Locale;

/**
 * The registry of the built-in form factors by their sasmodels names ({@code sphere},
 * {@code core_shell_sphere}), with sasmodels' default kernel parameter values and the names of the
 * parameters that sasmodels lets vary over a size distribution (its "volume" parameters: lengths
 * in Å).
 */
public final class FormFactors {

    private record Entry(FormFactor formFactor, double[] defaults, List<String> polydisperse) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(new Sphere(), new Sphere().defaults(), List.of(Sphere.RADIUS)),
            new Entry(new CoreShellSphere(), new CoreShellSphere().defaults(),
                    List.of(CoreShellSphere.RADIUS, CoreShellSphere.THICKNESS)));

    private FormFactors() {
    }

    /** The sasmodels names of the built-in form factors, in a fixed order. */
    public static List<String> names() {
        return ENTRIES.stream().map(e -> e.formFactor().name()).toList();
    }

    /**
     * The form factor called {@code name} ({@code sphere} or {@code core_shell_sphere}; case is
     * ignored).
     *
     * @throws IllegalArgumentException naming the unknown model and listing the known ones
     */
    public static FormFactor byName(String name) {
        return entry(name).formFactor();
    }

    /** sasmodels' default kernel parameter values of model {@code name}, in parameter order (a fresh array). */
    public static double[] defaults(String name) {
        return entry(name).defaults().clone();
    }

    /**
     * The kernel parameters of model {@code name} that sasmodels can make polydisperse
     * ({@code radius}; and {@code thickness} for {@code core_shell_sphere}).
     */
    public static List<String> polydisperseParameters(String name) {
        return entry(name).polydisperse();
    }

    private static Entry entry(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (Entry e : ENTRIES) {
                if (e.formFactor().name().equals(key)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                + String.join(", ", names()));
    }
}
