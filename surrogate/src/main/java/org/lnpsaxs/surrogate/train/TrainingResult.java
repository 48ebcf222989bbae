package org.lnpsaxs.surrogate.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * The outcome of a training run: the best epoch's weights with the model metadata (provenance
 * included) and the per-epoch history.
 *
 * @param metadata  the model metadata
 * @param weights   the weights of the best epoch
 * @param history   one entry per epoch run
 * @param bestEpoch the 1-based epoch whose weights were kept
 */
public record TrainingResult(ModelMetadata metadata, Weights weights, List<EpochStats> history, int bestEpoch) {

    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Writes the model file. */
    public void write(Path file) throws IOException {
        ModelFile.write(file, metadata, weights);
    }

    /** The trained surrogate (without going through a file). */
    public Surrogate surrogate() {
        return Surrogate.of(new ModelFile.Contents(metadata, weights));
    }
}
