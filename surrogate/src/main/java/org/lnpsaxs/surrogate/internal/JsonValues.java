package org.lnpsaxs.surrogate.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads JSON text into plain values: {@link Map} (keys in document order), {@link List},
 * {@link String}, {@link Long} or {@link Double}, {@link Boolean} and {@code null}, with
 * jackson-core's streaming parser alone. Loading a model file uses it for the part of the metadata
 * that inference needs, because databind's {@code ObjectMapper} costs several hundred milliseconds
 * of start-up in a fresh JVM; numbers are parsed by the same jackson-core code as there, so they are
 * bit-identical. Not a user class.
 */
public final class JsonValues {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_DEPTH = 64;

    private JsonValues() {
    }

    /**
     * The value of a JSON document.
     *
     * @throws IOException if the text is not one well-formed JSON value (the message says where)
     */
    public static Object read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "no JSON value");
            }
            Object v = value(p, t, 0);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "text after the JSON value");
            }
            return v;
        }
    }

    private static Object value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new JsonParseException(p, "nested deeper than " + MAX_DEPTH);
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (m.containsKey(name)) {
                        throw new JsonParseException(p, "duplicate field '" + name + "'");
                    }
                    m.put(name, value(p, p.nextToken(), depth + 1));
                }
                expect(p, k, JsonToken.END_OBJECT);
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == null) {
                        throw new JsonParseException(p, "unterminated array");
                    }
                    l.add(value(p, e, depth + 1));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return Double.valueOf(p.getDoubleValue());
                }
                return Long.valueOf(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return Double.valueOf(p.getDoubleValue());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(p, "unexpected " + t);
        }
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken wanted) throws IOException {
        if (got != wanted) {
            throw new JsonParseException(p, "expected " + wanted + ", got " + got);
        }
    }
}
