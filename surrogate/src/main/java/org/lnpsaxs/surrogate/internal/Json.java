package org.lnpsaxs.surrogate.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/** JSON helpers shared by dataset manifests and model files (not a user class). */
public final class Json {

    /** The mapper: pretty-printed, stable key order for maps. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    /**
     * One parameter as written in manifests and model files.
     *
     * @param name        the parameter name
     * @param unit        its unit ({@code ""} for dimensionless)
     * @param lower       the lower bound
     * @param upper       the upper bound
     * @param description one line saying what it means
     */
    public record ParameterJson(String name, String unit, double lower, double upper, String description) {

        /** The JSON form of a parameter. */
        public static ParameterJson of(Parameter p) {
            return new ParameterJson(p.name(), p.unit(), p.lower(), p.upper(), p.description());
        }

        /** Back to a {@link Parameter} (validates the bounds). */
        public Parameter toParameter() {
            return new Parameter(name, unit == null ? "" : unit, lower, upper, description == null ? "" : description);
        }
    }

    /** The JSON form of a parameter space (a list in order). */
    public static List<ParameterJson> toJson(ParameterSpace space) {
        List<ParameterJson> out = new ArrayList<>();
        for (Parameter p : space.asList()) {
            out.add(ParameterJson.of(p));
        }
        return out;
    }

    /** A parameter space from its JSON form. */
    public static ParameterSpace toSpace(List<ParameterJson> list) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException("the parameter list is missing or empty");
        }
        List<Parameter> ps = new ArrayList<>();
        for (ParameterJson p : list) {
            ps.add(p.toParameter());
        }
        return ParameterSpace.of(ps);
    }

    /**
     * A canonical tree of any value (serialised, then parsed back), so that two values compare
     * equal exactly when their JSON texts describe the same data (an {@code int} and a
     * {@code long} 20 compare equal).
     */
    public static JsonNode canonical(Object value) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text of a value (pretty-printed). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
