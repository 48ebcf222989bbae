package org.lnpsaxs.surrogate.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModelProvider;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * Registers {@code lnp} with {@link org.lnpsaxs.optimize.model.FitModels}: {@link LnpFitModel}
 * over the shipped default surrogate ({@link Surrogate#loadDefault()}), or over a surrogate file.
 * Found by {@link java.util.ServiceLoader}; not called directly.
 */
public final class LnpFitModelProvider implements FitModelProvider {

    @Override
    public String name() {
        return LnpFitModel.NAME;
    }

    @Override
    public String description() {
        return "the neural surrogate of the GRF core-shell simulator with a truncated log-normal outer radius "
                + "(the paper's model, simulator units)";
    }

    /**
     * {@code lnp} over the shipped surrogate.
     *
     * @throws UncheckedIOException if the default surrogate cannot be read
     */
    @Override
    public FitModel create() {
        return over(Surrogate::loadDefault);
    }

    /**
     * {@code lnp} over the surrogate in {@code modelFile}.
     *
     * @throws UncheckedIOException if the file cannot be read or is not a surrogate model file
     */
    @Override
    public FitModel create(Path modelFile) {
        return over(() -> Surrogate.load(modelFile));
    }

    /** {@code lnp} over the surrogate that {@code loader} reads; a checked I/O failure becomes unchecked. */
    private static FitModel over(Callable<Surrogate> loader) {
        try {
            return LnpFitModel.of(loader.call());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the surrogate: " + e.getMessage(), e);
        }
    }
}
