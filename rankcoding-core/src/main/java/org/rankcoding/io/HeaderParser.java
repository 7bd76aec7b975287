package org.rankcoding.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.rankcoding.io.SafetensorsHeader.Entry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.rankcoding.io.SafetensorsHeader.DTYPE_BYTES;
import static org.rankcoding.io.SafetensorsHeader.MAX_RANK;
import static org.rankcoding.io.SafetensorsHeader.METADATA_KEY;

/**
 * Parses and checks the JSON text of a safetensors header (see {@link SafetensorsHeader} for the rules): the
 * structure, the metadata object, each tensor entry, and the tiling of the data buffer by the entries.
 */
final class HeaderParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(100)
                    .maxStringLength((int) ModelFiles.MAX_HEADER_BYTES)
                    .maxNameLength((int) ModelFiles.MAX_HEADER_BYTES)
                    .build())
            .build();

    private HeaderParser() {
    }

    /** Parses {@code text}, the header of a file whose data buffer has {@code dataLength} bytes. */
    static SafetensorsHeader parse(Path file, String text, long headerLength, long dataLength, int maxTensors,
                                   int maxMetadata) throws IOException {
        Map<String, String> metadata = null;
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new ModelFileException(file, "the header must be a JSON object, found " + t);
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (METADATA_KEY.equals(name)) {
                    if (metadata != null) {
                        throw new ModelFileException(file, "the header has two '" + METADATA_KEY + "' objects, expected at most one");
                    }
                    metadata = parseMetadata(file, p, maxMetadata);
                } else {
                    if (!names.add(name)) {
                        throw new ModelFileException(file, "tensor '" + name + "' appears twice in the header, expected unique names");
                    }
                    if (entries.size() >= maxTensors) {
                        throw new ModelFileException(file, "the header lists more than " + maxTensors
                                + " tensors, the most this library reads");
                    }
                    entries.add(parseEntry(file, p, name, dataLength));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new ModelFileException(file, "the header object ends with " + t + ", expected '}'");
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new ModelFileException(file, "the header has content after its JSON object: " + after);
            }
        } catch (JsonProcessingException e) {
            throw new ModelFileException(file, "the header is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (header line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        }
        checkTiling(file, entries, dataLength);
        return new SafetensorsHeader(headerLength, dataLength,
                metadata == null ? null : Collections.unmodifiableMap(metadata), Collections.unmodifiableList(entries));
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p, int maxMetadata) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ModelFileException(file, "'" + METADATA_KEY + "' must be an object of string values, found "
                    + p.currentToken());
        }
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw new ModelFileException(file, "'" + METADATA_KEY + "' entry '" + key + "' must be a string, found " + v);
            }
            if (m.containsKey(key)) {
                throw new ModelFileException(file, "'" + METADATA_KEY + "' has key '" + key + "' twice, expected unique keys");
            }
            if (m.size() >= maxMetadata) {
                throw new ModelFileException(file, "'" + METADATA_KEY + "' has more than " + maxMetadata
                        + " entries, the most this library reads");
            }
            m.put(key, p.getText());
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ModelFileException(file, "'" + METADATA_KEY + "' ends with " + t + ", expected '}'");
        }
        return m;
    }

    private static Entry parseEntry(Path file, JsonParser p, String name, long dataLength) throws IOException {
        String what = "tensor '" + name + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ModelFileException(file, what + " must be an object {\"dtype\", \"shape\", \"data_offsets\"}, found "
                    + p.currentToken());
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) {
                        throw new ModelFileException(file, what + " has 'dtype' twice");
                    }
                    if (v != JsonToken.VALUE_STRING) {
                        throw new ModelFileException(file, what + ": 'dtype' must be a string, found " + v);
                    }
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (shape != null) {
                        throw new ModelFileException(file, what + " has 'shape' twice");
                    }
                    shape = readLongArray(file, p, what + ": 'shape'", -1);
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw new ModelFileException(file, what + " has 'data_offsets' twice");
                    }
                    offsets = readLongArray(file, p, what + ": 'data_offsets'", 2);
                }
                default -> throw new ModelFileException(file, what + " has an unknown field '" + field
                        + "', expected only dtype, shape and data_offsets");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ModelFileException(file, what + " ends with " + t + ", expected '}'");
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new ModelFileException(file, what + " lacks " + (dtype == null ? "'dtype'" : shape == null ? "'shape'"
                    : "'data_offsets'") + "; expected dtype, shape and data_offsets");
        }
        return checkEntry(file, new Entry(name, dtype, shape, offsets[0], offsets[1]), dataLength);
    }

    /** Checks an entry's dtype, byte count and offsets against the data buffer of {@code dataLength} bytes. */
    private static Entry checkEntry(Path file, Entry entry, long dataLength) throws ModelFileException {
        String what = "tensor '" + entry.name() + "'";
        String dtype = entry.dtype();
        long[] shape = entry.shape();
        Integer size = DTYPE_BYTES.get(dtype);
        if (size == null) {
            throw new ModelFileException(file, what + " has dtype '" + dtype + "', expected one of the safetensors dtypes "
                    + DTYPE_BYTES.keySet());
        }
        long elements = 1;
        long bytes;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) size);
        } catch (ArithmeticException e) {
            throw new ModelFileException(file, what + " has shape " + Arrays.toString(shape) + " of dtype " + dtype
                    + ", whose byte count overflows 63 bits");
        }
        long begin = entry.begin();
        long end = entry.end();
        if (begin > end) {
            throw new ModelFileException(file, what + " has data_offsets [" + begin + ", " + end + "], expected begin <= end");
        }
        if (end > dataLength) {
            throw new ModelFileException(file, what + " has data_offsets [" + begin + ", " + end + "] beyond the data buffer, "
                    + "which has " + dataLength + " bytes");
        }
        if (end - begin != bytes) {
            throw new ModelFileException(file, what + " (dtype " + dtype + ", shape " + Arrays.toString(shape) + ") needs "
                    + bytes + " bytes, but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return entry;
    }

    /** Reads an array of non-negative integers ({@code expectedLength} of them, or up to {@link #MAX_RANK} if -1). */
    private static long[] readLongArray(Path file, JsonParser p, String what, int expectedLength) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ModelFileException(file, what + " must be an array of non-negative integers, found " + p.currentToken());
        }
        int cap = expectedLength < 0 ? MAX_RANK : expectedLength;
        long[] values = new long[cap];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new ModelFileException(file, what + " must hold non-negative integers, found " + t
                        + (t == JsonToken.VALUE_NUMBER_FLOAT ? " " + p.getText() : ""));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new ModelFileException(file, what + " holds " + p.getText() + ", larger than 2^63 - 1");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new ModelFileException(file, what + " holds " + v + ", expected a non-negative integer");
            }
            if (n == cap) {
                throw new ModelFileException(file, what + (expectedLength < 0 ? " has more than " + MAX_RANK
                        + " dimensions" : " has more than " + expectedLength + " values"));
            }
            values[n++] = v;
        }
        if (expectedLength >= 0 && n != expectedLength) {
            throw new ModelFileException(file, what + " has " + n + " values, expected " + expectedLength);
        }
        return Arrays.copyOf(values, n);
    }

    /** Checks that the entries' byte ranges tile {@code [0, dataLength)}: sorted by begin, each starts where the last ended. */
    private static void checkTiling(Path file, List<Entry> entries, long dataLength) throws ModelFileException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw new ModelFileException(file, "tensor '" + e.name() + "' with data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlaps tensor '" + previous.name() + "' with data_offsets [" + previous.begin() + ", "
                        + previous.end() + "]; expected non-overlapping ranges");
            }
            if (e.begin() > covered) {
                throw new ModelFileException(file, "bytes [" + covered + ", " + e.begin() + ") of the data buffer belong to no "
                        + "tensor (a gap before tensor '" + e.name() + "'); expected the tensors to cover the buffer contiguously");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength) {
            throw new ModelFileException(file, "the tensors cover bytes [0, " + covered + ") of the " + dataLength
                    + "-byte data buffer; the remaining " + (dataLength - covered) + " bytes belong to no tensor");
        }
    }
}
