package org.lnpsaxs.optimize.model;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.lnpsaxs.core.model.DifferentiableModel;

/**
 * The fit models by name: {@code lnp} (the surrogate with the paper's radius distribution),
 * {@code sphere} and {@code core_shell_sphere} (analytic, with the same kind of distribution).
 */
public final class FitModels {

    private FitModels() {
    }

    /** The names, in a fixed order. */
    public static List<String> names() {
        return List.of(LnpFitModel.NAME, "sphere", "core_shell_sphere");
    }

    /**
     * The fit model called {@code name}.
     *
     * @param name      {@code lnp}, {@code sphere} or {@code core_shell_sphere} (case ignored)
     * @param surrogate supplies the monodisperse LNP model (called only for {@code lnp})
     * @throws IllegalArgumentException naming the unknown model and listing the known ones
     */
    public static FitModel byName(String name, Supplier<DifferentiableModel> surrogate) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case LnpFitModel.NAME:
                return LnpFitModel.of(surrogate.get());
            case "sphere":
                return AnalyticFitModel.sphere();
            case "core_shell_sphere":
                return AnalyticFitModel.coreShellSphere();
            default:
                throw new IllegalArgumentException("unknown fit model '" + name + "'; known models: " + String.join(", ", names()));
        }
    }
}
