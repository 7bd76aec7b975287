package org.rankcoding.examples.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Result files as JSON, written with jackson-core's streaming generator: maps (insertion order kept, use a
 * {@code LinkedHashMap}), lists, {@code int[]}, {@code long[]}, {@code double[]}, numbers, booleans, strings and
 * {@code null}. Non-finite doubles (NaN, infinities) are written as {@code null}, since JSON has no such numbers;
 * finite doubles in their shortest round-trip form ({@link Double#toString}).
 */
public final class JsonOutput {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonOutput() {
    }

    /**
     * Renders {@code value} as indented JSON (two spaces), ending without a newline.
     *
     * @throws IllegalArgumentException for a map key that is not a string or a value of an unsupported type
     */
    public static String toJson(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.setPrettyPrinter(prettyPrinter());
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string failed: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /**
     * Writes {@code value} as indented JSON and a final newline to {@code file} atomically ({@link TextFiles}), creating
     * its directory.
     *
     * @throws IllegalArgumentException for a map key that is not a string or a value of an unsupported type
     */
    public static void write(Path file, Object value) throws IOException {
        TextFiles.write(file, toJson(value) + "\n");
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(new DefaultIndenter("  ", "\n"));
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Double || value instanceof Float) {
            number(g, ((Number) value).doubleValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            object(g, map);
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof long[] a) {
            g.writeArray(a, 0, a.length);
        } else if (value instanceof int[] a) {
            g.writeArray(a, 0, a.length);
        } else if (value instanceof double[] a) {
            g.writeStartArray();
            for (double d : a) {
                number(g, d);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON; use a Map, List, array, "
                    + "Number, Boolean or String");
        }
    }

    private static void object(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            g.writeFieldName(key);
            write(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }
}
