package org.rankcoding.examples.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonOutputTest {

    @Test
    void roundTripsThroughAStrictParser() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é");
        m.put("int", 42);
        m.put("long", 1L << 40);
        m.put("double", 0.125);
        m.put("tiny", 1e-7);
        m.put("whole", 3.0);
        m.put("nan", Double.NaN);
        m.put("bool", true);
        m.put("none", null);
        m.put("longs", new long[] {1, 2, 3});
        m.put("doubles", new double[] {0.5, Double.POSITIVE_INFINITY});
        m.put("list", List.of(Map.of("a", 1), List.of()));
        m.put("empty", Map.of());
        Map<String, Object> parsed = JsonTree.parseObject(JsonOutput.toJson(m));
        assertEquals(m.get("text"), parsed.get("text"));
        assertEquals(42.0, parsed.get("int"));
        assertEquals((double) (1L << 40), parsed.get("long"));
        assertEquals(0.125, parsed.get("double"));
        assertEquals(1e-7, parsed.get("tiny"));
        assertEquals(3.0, parsed.get("whole"));
        assertEquals(null, parsed.get("nan"));
        assertEquals(true, parsed.get("bool"));
        assertEquals(List.of(1.0, 2.0, 3.0), parsed.get("longs"));
        java.util.ArrayList<Object> doubles = new java.util.ArrayList<>();
        doubles.add(0.5);
        doubles.add(null);
        assertEquals(doubles, parsed.get("doubles"));
        assertEquals(List.of(Map.of("a", 1.0), List.of()), parsed.get("list"));
        assertEquals(Map.of(), parsed.get("empty"));
        assertEquals(List.copyOf(m.keySet()), List.copyOf(parsed.keySet()), "key order is kept");
    }

    @Test
    void rejectsUnsupportedValues() {
        assertThrows(IllegalArgumentException.class, () -> JsonOutput.toJson(new Object()));
        assertThrows(IllegalArgumentException.class, () -> JsonOutput.toJson(Map.of(1, 2)));
    }

    @Test
    void numbersAreWrittenInTheirShortestRoundTripForm() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 0.001);
        m.put("b", 3.0);
        m.put("c", 7L);
        m.put("d", Double.NaN);
        String json = JsonOutput.toJson(m).replaceAll("\\s+", "");
        assertEquals("{\"a\":0.001,\"b\":3.0,\"c\":7,\"d\":null}", json);
    }
}
