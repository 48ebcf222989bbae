package org.lnpsaxs.optimize.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of fit models by name: every {@link FitModelProvider} found by
 * {@link ServiceLoader} on the class path ({@code sphere}, {@code core_shell_sphere} from this
 * module; {@code lnp} when the surrogate module is present; any user jar that lists a provider),
 * plus those added with {@link #register}. Names are matched without regard to case. Thread-safe.
 */
public final class FitModels {

    private static final Map<String, FitModelProvider> REGISTERED = new TreeMap<>();
    private static Map<String, FitModelProvider> discovered;

    private FitModels() {
    }

    private static synchronized Map<String, FitModelProvider> all() {
        if (discovered == null) {
            Map<String, FitModelProvider> found = new TreeMap<>();
            for (FitModelProvider p : ServiceLoader.load(FitModelProvider.class, FitModels.class.getClassLoader())) {
                put(found, p);
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != FitModels.class.getClassLoader()) {
                for (FitModelProvider p : ServiceLoader.load(FitModelProvider.class, context)) {
                    put(found, p);
                }
            }
            discovered = found;
        }
        Map<String, FitModelProvider> m = new TreeMap<>(discovered);
        m.putAll(REGISTERED);
        return m;
    }

    private static void put(Map<String, FitModelProvider> m, FitModelProvider p) {
        String key = key(p.name());
        FitModelProvider old = m.get(key);
        if (old != null && old.getClass() != p.getClass()) {
            throw new IllegalStateException("two fit models are called " + key + ": " + old.getClass().getName() + " and "
                    + p.getClass().getName());
        }
        m.put(key, p);
    }

    private static String key(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Adds (or replaces) a provider under its name, for this JVM.
     *
     * @throws IllegalArgumentException if the name is blank or holds white space
     */
    public static synchronized void register(FitModelProvider provider) {
        String key = key(provider.name());
        if (key.isEmpty() || !key.equals(key.replaceAll("\\s", ""))) {
            throw new IllegalArgumentException("a fit model name must be non-blank without white space, got '"
                    + provider.name() + "'");
        }
        REGISTERED.put(key, provider);
    }

    /** The known names, sorted. */
    public static List<String> names() {
        return new ArrayList<>(all().keySet());
    }

    /** The known providers, sorted by name. */
    public static List<FitModelProvider> providers() {
        return new ArrayList<>(all().values());
    }

    /**
     * The provider called {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown model and listing the known ones
     */
    public static FitModelProvider provider(String name) {
        Map<String, FitModelProvider> m = all();
        FitModelProvider p = m.get(key(name));
        if (p == null) {
            throw new IllegalArgumentException("unknown fit model '" + name + "'; known models: " + String.join(", ", m.keySet()));
        }
        return p;
    }

    /** The fit model called {@code name}, with its defaults. */
    public static FitModel byName(String name) {
        return provider(name).create();
    }

    /** The fit model called {@code name}, built from {@code modelFile} (for {@code lnp}: a surrogate file). */
    public static FitModel byName(String name, Path modelFile) {
        return provider(name).create(modelFile);
    }
}
