package org.rankcoding.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.rankcoding.io.ModelFileException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object of named fields read from a checkpoint (through jackson-core), with typed getters whose errors name
 * the file, the object and the field. Numbers and strings are kept as their text until a getter reads them, so that a
 * double written with {@link Double#toString(double)} (or as the string {@code "NaN"}) reads back exactly.
 */
final class NamedFields {

    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(100).build())
            .build();

    private final Path file;
    private final String where;
    private final Map<String, Object> fields;

    private NamedFields(Path file, String where, Map<String, Object> fields) {
        this.file = file;
        this.where = where;
        this.fields = fields;
    }

    /**
     * The objects of the JSON array {@code json}, found under {@code what} in {@code file} (for messages).
     *
     * @throws ModelFileException if the text is not a JSON array of objects
     */
    static List<NamedFields> parseArray(Path file, String what, String json) throws ModelFileException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ModelFileException(file, what + " is not a JSON array");
            }
            List<NamedFields> out = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                String at = what + "[" + out.size() + "]";
                if (t != JsonToken.START_OBJECT) {
                    throw new ModelFileException(file, at + " is " + t + ", expected an object");
                }
                out.add(new NamedFields(file, at, readObject(file, at, p)));
            }
            if (p.nextToken() != null) {
                throw new ModelFileException(file, what + " has text after its array");
            }
            return out;
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFileException(file, what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> readObject(Path file, String at, JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Object value = v == JsonToken.START_OBJECT ? readObject(file, at + "." + name, p)
                    : v == JsonToken.START_ARRAY ? readList(file, at + "." + name, p) : p.getText();
            if (out.put(name, value) != null) {
                throw new ModelFileException(file, at + " has the field '" + name + "' twice");
            }
        }
        return out;
    }

    private static List<String> readList(Path file, String at, JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (!t.isScalarValue()) {
                throw new ModelFileException(file, at + "[" + out.size() + "] is " + t + ", expected a number");
            }
            out.add(p.getText());
        }
        return out;
    }

    /** Whether the object has the field {@code name}. */
    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Field {@code name}, a nested object. */
    NamedFields object(String name) throws ModelFileException {
        if (require(name) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) m;
            return new NamedFields(file, where + "." + name, nested);
        }
        throw new ModelFileException(file, where + "." + name + " is not an object");
    }

    /** Field {@code name}, an integer. */
    long longValue(String name) throws ModelFileException {
        return parseLong(name, scalar(name));
    }

    /** Field {@code name}, a number (or {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}). */
    double doubleValue(String name) throws ModelFileException {
        return parseDouble(name, scalar(name));
    }

    /** Field {@code name}, an array of integers. */
    long[] longs(String name) throws ModelFileException {
        List<String> items = list(name);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseLong(name + "[" + i + "]", items.get(i));
        }
        return out;
    }

    /** Field {@code name}, an array of numbers. */
    double[] doubles(String name) throws ModelFileException {
        List<String> items = list(name);
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseDouble(name + "[" + i + "]", items.get(i));
        }
        return out;
    }

    /** Where this object is, for messages: {@code "WHAT[i].name"}. */
    String where() {
        return where;
    }

    private Object require(String name) throws ModelFileException {
        Object v = fields.get(name);
        if (v == null) {
            throw new ModelFileException(file, where + " has no field '" + name + "'");
        }
        return v;
    }

    private String scalar(String name) throws ModelFileException {
        if (require(name) instanceof String s) {
            return s;
        }
        throw new ModelFileException(file, where + "." + name + " is not a number");
    }

    private List<String> list(String name) throws ModelFileException {
        if (require(name) instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) l;
            return items;
        }
        throw new ModelFileException(file, where + "." + name + " is not an array");
    }

    private long parseLong(String name, String text) throws ModelFileException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, where + "." + name + " is '" + text + "', expected an integer");
        }
    }

    private double parseDouble(String name, String text) throws ModelFileException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, where + "." + name + " is '" + text + "', expected a number");
        }
    }
}
