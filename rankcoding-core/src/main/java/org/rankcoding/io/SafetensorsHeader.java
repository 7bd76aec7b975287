package org.rankcoding.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

/**
 * The header of a safetensors file, read and checked against the format's rules: an 8-byte little-endian
 * unsigned header length {@code N}, {@code N} bytes of UTF-8 JSON (an object that starts with '{', optionally
 * padded at the end with spaces), then the data buffer. The JSON maps each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data buffer) and may hold a
 * {@code "__metadata__"} object of string values.
 *
 * <p>Checked here, before anything is allocated from the values read: the header length against the file size
 * and the caller's maximum; strict UTF-8; the JSON structure (no duplicate keys, no unknown fields, integer
 * offsets and dimensions that are non-negative and fit in 63 bits); every dtype known; every tensor's byte count
 * ({@code product(shape) * dtype size}, without overflow) equal to its offset span; offsets inside the buffer;
 * and the tensors tiling the buffer exactly (no overlap, no gap, nothing after the last tensor). The counts of
 * tensors, metadata entries and dimensions are capped so that the memory used is a small multiple of the
 * header's size. Every violation is a {@link ModelFileException}.
 */
final class SafetensorsHeader {

    /** The key of the metadata object. */
    static final String METADATA_KEY = "__metadata__";

    /** Every dtype of the safetensors format, with its size in bytes. */
    static final Map<String, Integer> DTYPE_BYTES;

    static {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        m.put("BOOL", 1);
        m.put("U8", 1);
        m.put("I8", 1);
        m.put("F8_E5M2", 1);
        m.put("F8_E4M3", 1);
        m.put("I16", 2);
        m.put("U16", 2);
        m.put("F16", 2);
        m.put("BF16", 2);
        m.put("I32", 4);
        m.put("U32", 4);
        m.put("F32", 4);
        m.put("F64", 8);
        m.put("I64", 8);
        m.put("U64", 8);
        DTYPE_BYTES = Collections.unmodifiableMap(m);
    }

    /** Most dimensions a tensor's shape may have. */
    static final int MAX_RANK = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(100)
                    .maxStringLength((int) ModelFiles.MAX_HEADER_BYTES)
                    .maxNameLength((int) ModelFiles.MAX_HEADER_BYTES)
                    .build())
            .build();

    /** One tensor's entry. {@code begin} and {@code end} are relative to the start of the data buffer. */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {

        /** The number of elements (checked not to overflow when the entry was read). */
        long elements() {
            return Shapes.elements(shape);
        }

        /** The shape as {@code [a, b]}. */
        String shapeString() {
            return Shapes.toString(shape);
        }
    }

    /**
     * One tensor of a header being written ({@link #encode}): its name, safetensors dtype (a key of
     * {@link #DTYPE_BYTES}) and shape.
     */
    record Layout(String name, String dtype, long[] shape) {

        /** The tensor's size in bytes. */
        long bytes() {
            return Shapes.elements(shape) * DTYPE_BYTES.get(dtype);
        }
    }

    private static final JsonFactory JSON_OUT = new JsonFactory();

    /**
     * The bytes of a header (without the 8-byte length prefix): a JSON object with {@code metadata} as its
     * {@value #METADATA_KEY} (in iteration order), then the tensors in the given order, stored contiguously from
     * offset 0 of the data buffer; padded with spaces so that {@code 8 + length} is a multiple of 8.
     */
    static byte[] encode(Map<String, String> metadata, List<Layout> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON_OUT.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeFieldName(METADATA_KEY);
            g.writeStartObject();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            long offset = 0;
            for (Layout t : tensors) {
                long bytes = t.bytes();
                g.writeFieldName(t.name());
                g.writeStartObject();
                g.writeStringField("dtype", t.dtype());
                g.writeFieldName("shape");
                g.writeStartArray();
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeFieldName("data_offsets");
                g.writeStartArray();
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        while (out.size() % 8 != 0) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    private final long headerLength;
    private final long dataLength;
    private final Map<String, String> metadata;
    private final List<Entry> entries;

    private SafetensorsHeader(long headerLength, long dataLength, Map<String, String> metadata, List<Entry> entries) {
        this.headerLength = headerLength;
        this.dataLength = dataLength;
        this.metadata = metadata;
        this.entries = entries;
    }

    /** The JSON header's length in bytes (N). */
    long headerLength() {
        return headerLength;
    }

    /** Absolute file position of the data buffer: {@code 8 + N}. */
    long dataStart() {
        return 8 + headerLength;
    }

    /** Length of the data buffer in bytes. */
    long dataLength() {
        return dataLength;
    }

    /** The {@code __metadata__} entries in file order, or {@code null} if the header has no metadata object. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor entries in file order. */
    List<Entry> entries() {
        return entries;
    }

    /**
     * Reads and checks the header of the safetensors file open in {@code ch}.
     *
     * @param file            the file's path, for messages
     * @param maxHeaderBytes  the largest header length accepted (at most {@code Integer.MAX_VALUE - 8})
     * @param maxTensors      the most tensor entries accepted
     * @param maxMetadata     the most metadata entries accepted
     * @throws ModelFileException if the header breaks a rule
     * @throws IOException        if reading fails
     */
    static SafetensorsHeader read(Path file, FileChannel ch, long maxHeaderBytes, int maxTensors, int maxMetadata)
            throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new ModelFileException(file, "the file has " + size + " bytes, fewer than the 8-byte little-endian "
                    + "header length that starts a safetensors file");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, prefix, 0, "the header length");
        long n = prefix.getLong(0);
        long available = size - 8;
        if (Long.compareUnsigned(n, available) > 0) {
            throw new ModelFileException(file, "the header length is " + Long.toUnsignedString(n) + " bytes, but only "
                    + available + " bytes follow the 8-byte length prefix (truncated file, or not a safetensors file?)");
        }
        if (n > maxHeaderBytes) {
            throw new ModelFileException(file, "the header length is " + n + " bytes, more than the maximum of "
                    + maxHeaderBytes + " bytes this library reads (ModelFiles.MAX_HEADER_BYTES)");
        }
        if (n < 2) {
            throw new ModelFileException(file, "the header length is " + n + " bytes, expected at least 2 (the smallest "
                    + "header is the JSON object '{}')");
        }
        byte[] header = new byte[(int) n];
        readFully(file, ch, ByteBuffer.wrap(header), 8, "the header");
        long dataLength = available - n;
        int end = header.length;
        while (end > 0 && header[end - 1] == ' ') {
            end--;
        }
        if (header[0] != '{') {
            throw new ModelFileException(file, "the header must start with '{' (a JSON object), found byte 0x"
                    + String.format("%02x", header[0] & 0xff) + " at offset 8");
        }
        if (header[end - 1] != '}') {
            throw new ModelFileException(file, "the header must end with '}' followed only by space padding (0x20), "
                    + "found byte 0x" + String.format("%02x", header[end - 1] & 0xff) + " at offset " + (8 + end - 1));
        }
        String text = decodeUtf8(file, header, end);
        return parse(file, text, n, dataLength, maxTensors, maxMetadata);
    }

    private static String decodeUtf8(Path file, byte[] header, int length) throws ModelFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header, 0, length);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, "the header is not valid UTF-8: malformed bytes at offset "
                    + (8 + in.position()) + " (" + e.getMessage() + ")", e);
        }
    }

    private static SafetensorsHeader parse(Path file, String text, long headerLength, long dataLength, int maxTensors,
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
        long begin = offsets[0];
        long end = offsets[1];
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
        return new Entry(name, dtype, shape, begin, end);
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

    /**
     * Fills {@code buf} (from its position to its limit) from {@code ch} starting at file position {@code position}.
     *
     * @throws ModelFileException if the file ends first (it shrank while being read)
     */
    static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position, String what) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new ModelFileException(file, "the file ended at byte " + pos + " while reading " + what
                        + " (was it truncated or modified while being read?)");
            }
            pos += r;
        }
    }
}
