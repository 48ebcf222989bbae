package org.lnpsaxs.surrogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lnpsaxs.surrogate.internal.Json.ParameterJson;
import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.NetworkSpec;

/**
 * The metadata of a model file without its provenance, from the plain JSON values of the
 * metadata entry: format, version, description, parameter space, q grid, intensity unit and
 * network shape, everything a surrogate needs to evaluate. Reading this much by hand spares
 * loading the start-up of Jackson databind (several hundred milliseconds in a fresh JVM); the full
 * record, provenance included, is read with databind when it is asked for. Unknown fields are
 * refused, as databind refuses them.
 */
final class MetadataHeader {

    private MetadataHeader() {
    }

    /**
     * The metadata from its JSON values, without the provenance: what a surrogate needs at once.
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong kind
     */
    static ModelMetadata read(Map<String, Object> json) {
        only(json, "the metadata", "format", "formatVersion", "description", "parameters", "q", "intensityUnit",
                "network", "provenance");
        List<ParameterJson> parameters = new ArrayList<>();
        for (Object o : list(json, "parameters")) {
            Map<String, Object> p = object(o, "a parameter");
            only(p, "a parameter", "name", "unit", "lower", "upper", "description");
            parameters.add(new ParameterJson(text(p, "name"), optionalText(p, "unit"), number(p, "lower"),
                    number(p, "upper"), optionalText(p, "description")));
        }
        List<Object> qs = list(json, "q");
        double[] q = new double[qs.size()];
        for (int k = 0; k < q.length; k++) {
            if (!(qs.get(k) instanceof Number n)) {
                throw new IllegalArgumentException(ModelFile.METADATA + ": q[" + k + "] is not a number");
            }
            q[k] = n.doubleValue();
        }
        Map<String, Object> n = object(json.get("network"), "network");
        only(n, "network", "architecture", "outputs", "voxel", "plane", "refine", "activation", "fluctuation",
                "correction");
        NetworkSpec network = new NetworkSpec(text(n, "architecture"), integer(n, "outputs"), number(n, "voxel"),
                integer(n, "plane"), integer(n, "refine"), text(n, "activation"), mlp(n, "fluctuation"),
                mlp(n, "correction"));
        return new ModelMetadata(text(json, "format"), integer(json, "formatVersion"), optionalText(json, "description"),
                parameters, q, optionalText(json, "intensityUnit"), network, null);
    }

    private static MlpSpec mlp(Map<String, Object> network, String key) {
        Map<String, Object> m = object(network.get(key), "network." + key);
        only(m, "network." + key, "prefix", "inputs", "hidden", "rank", "outputs");
        List<Integer> hidden = new ArrayList<>();
        for (Object h : list(m, "hidden")) {
            if (!(h instanceof Long v) || v != v.intValue()) {
                throw new IllegalArgumentException(ModelFile.METADATA + ": network." + key + ".hidden holds " + h
                        + ", not a whole number");
            }
            hidden.add(v.intValue());
        }
        return new MlpSpec(text(m, "prefix"), integer(m, "inputs"), hidden, integer(m, "rank"), integer(m, "outputs"));
    }

    private static void only(Map<String, Object> m, String what, String... keys) {
        List<String> allowed = List.of(keys);
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(ModelFile.METADATA + ": " + what + " has the unknown field '" + k
                        + "' (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(ModelFile.METADATA + ": " + what + " is missing or not an object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List)) {
            throw new IllegalArgumentException(ModelFile.METADATA + ": " + key + " is missing or not a list");
        }
        return (List<Object>) m.get(key);
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException(ModelFile.METADATA + ": " + key + " is missing or not text");
        }
        return s;
    }

    private static String optionalText(Map<String, Object> m, String key) {
        return m.get(key) == null ? null : text(m, key);
    }

    private static double number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(ModelFile.METADATA + ": " + key + " is missing or not a number");
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Long v) || v != v.intValue()) {
            throw new IllegalArgumentException(ModelFile.METADATA + ": " + key + " is missing or not a whole number");
        }
        return v.intValue();
    }

    /**
     * Consistency of metadata and network shape: the same shape, a network output per q point,
     * a valid q grid, and LNP parameters whose box allows the features (the simulator settings
     * are checked where the radial operator is built).
     *
     * @throws IllegalArgumentException saying what does not fit
     */
}
