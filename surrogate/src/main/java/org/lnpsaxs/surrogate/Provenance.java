package org.lnpsaxs.surrogate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.lnpsaxs.surrogate.data.DatasetManifest;

/**
 * Where a trained model came from: enough to train it again (the dataset's manifest with its
 * seeds, count and simulator settings; every training setting including the seed) and what it
 * achieved.
 *
 * @param dataset        the manifest of the training set (null only for hand-made models)
 * @param trainingCurves the number of curves trained on (after the validation split)
 * @param validationCurves the number of curves held back for validation and early stopping
 * @param training       the training settings (seed, epochs, learning rates, batch size, …)
 * @param metrics        what training measured (validation losses, mean |Δlog₁₀ I|, epochs run, …)
 * @param libraryVersion the lnpsaxs version that trained it
 * @param created        when training finished (UTC, ISO-8601)
 * @param environment    Java and ND4J versions, thread count
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(DatasetManifest dataset, int trainingCurves, int validationCurves,
                         Map<String, Object> training, Map<String, Object> metrics, String libraryVersion,
                         String created, Map<String, Object> environment) {

    /** Copies the maps. */
    public Provenance {
        training = copy(training);
        metrics = copy(metrics);
        environment = copy(environment);
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
