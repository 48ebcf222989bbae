package org.lnpsaxs.optimize.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Makes a {@link FitModel} known by name to {@link FitModels} (and so to the command line's model
 * option). Providers are found with {@link java.util.ServiceLoader}: a jar lists its provider
 * classes (public, with a public no-argument constructor) in
 * {@code META-INF/services/org.lnpsaxs.optimize.model.FitModelProvider}; at run time
 * {@link FitModels#register} adds one. {@code sphere} and {@code core_shell_sphere} come with this
 * module, {@code lnp} with the surrogate module.
 *
 * <pre>{@code
 * FitModels.register(FitModelProvider.of(AnalyticFitModel.of(myFormFactor, values), "my particles"));
 * FitModel m = FitModels.byName(myFormFactor.name());
 * }</pre>
 */
public interface FitModelProvider {

    /** The model's name (lower case, no blanks), as users type it. */
    String name();

    /** One line for help texts: what the model is. */
    String description();

    /** The model with its defaults (for {@code lnp}: the shipped surrogate). */
    FitModel create();

    /**
     * The model built from a model file (for {@code lnp}: a surrogate file).
     *
     * @throws IllegalArgumentException if the model takes no file (the default)
     */
    default FitModel create(Path modelFile) {
        throw new IllegalArgumentException("the fit model " + name() + " takes no model file (got " + modelFile + ")");
    }

    /** A provider of an existing model, under the model's own name. */
    static FitModelProvider of(FitModel model, String description) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(description, "description");
        return new FitModelProvider() {
            @Override
            public String name() {
                return model.name();
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public FitModel create() {
                return model;
            }

            @Override
            public String toString() {
                return "FitModelProvider[" + model.name() + ": " + description + "]";
            }
        };
    }
}
