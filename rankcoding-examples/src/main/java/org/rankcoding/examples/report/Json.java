package org.rankcoding.examples.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for result files: maps (insertion order kept, use a {@code LinkedHashMap}),
 * lists, {@code int[]}, {@code long[]}, {@code double[]}, numbers, booleans, strings and {@code null}.
 * Non-finite doubles (NaN, infinities) are written as {@code null}, since JSON has no such numbers.
 * Strings are escaped per RFC 8259.
 */
public final class Json {

    private Json() {
    }

    /**
     * Renders {@code value} as indented JSON (two spaces), ending without a newline.
     *
     * @throws IllegalArgumentException for a map key that is not a string or a value of an unsupported type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            number(sb, ((Number) value).doubleValue());
        } else if (value instanceof Number n) {
            sb.append(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            object(sb, map, indent);
        } else if (value instanceof List<?> list) {
            array(sb, list.iterator(), list.isEmpty(), indent);
        } else if (value instanceof long[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(a[i]);
            }
            sb.append(']');
        } else if (value instanceof int[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(a[i]);
            }
            sb.append(']');
        } else if (value instanceof double[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ");
                number(sb, a[i]);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON; use a Map, List, array, "
                    + "Number, Boolean or String");
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            sb.append(first ? "\n" : ",\n");
            first = false;
            newline(sb, indent + 1);
            quote(sb, key);
            sb.append(": ");
            write(sb, e.getValue(), indent + 1);
        }
        sb.append('\n');
        newline(sb, indent);
        sb.append('}');
    }

    private static void array(StringBuilder sb, Iterator<?> it, boolean empty, int indent) {
        if (empty) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        while (it.hasNext()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            newline(sb, indent + 1);
            write(sb, it.next(), indent + 1);
        }
        sb.append('\n');
        newline(sb, indent);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    private static void number(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            sb.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d).append(".0");
        } else {
            sb.append(d); // Double.toString: shortest round-trip form, valid JSON (e.g. 1.0E-5)
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
