package org.lnpsaxs.surrogate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.lnpsaxs.surrogate.data.DatasetManifest;
import org.lnpsaxs.surrogate.internal.Json;

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

    /**
     * Equal when the JSON forms describe the same data (the dataset manifest's q grid compared by
     * value, an {@code int} and a {@code long} 20 alike).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Provenance p && Json.canonical(this).equals(Json.canonical(p));
    }

    @Override
    public int hashCode() {
        return Json.canonical(this).hashCode();
    }

    /**
     * A summary a person can read: the training set (split, count, seed), the curves trained and
     * validated on, the training seed, the best epoch with its validation error, the library
     * version and date.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Provenance[");
        if (dataset != null) {
            sb.append(dataset.split()).append(" set of ").append(dataset.count()).append(" curves, seed ")
                    .append(dataset.seed()).append("; ");
        }
        sb.append("trained on ").append(trainingCurves).append(", validated on ").append(validationCurves);
        if (training.containsKey("seed")) {
            sb.append(", training seed ").append(training.get("seed"));
        }
        if (metrics.containsKey("bestEpoch")) {
            sb.append("; best epoch ").append(metrics.get("bestEpoch"));
        }
        if (metrics.containsKey("validationMedianAbsLog10")) {
            sb.append(", validation median mean|dlog10 I| ").append(metrics.get("validationMedianAbsLog10"));
        }
        if (libraryVersion != null) {
            sb.append("; lnpsaxs ").append(libraryVersion);
        }
        if (created != null) {
            sb.append(", ").append(created);
        }
        return sb.append(']').toString();
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
