package org.rankcoding.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private final long headerLength;
    private final long dataLength;
    private final Map<String, String> metadata;
    private final List<Entry> entries;

    SafetensorsHeader(long headerLength, long dataLength, Map<String, String> metadata, List<Entry> entries) {
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
    static SafetensorsHeader read(Path file, SeekableByteChannel ch, long maxHeaderBytes, int maxTensors, int maxMetadata)
            throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new ModelFileException(file, "the file has " + size + " bytes, fewer than the 8-byte little-endian "
                    + "header length that starts a safetensors file");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        SafetensorsReader.readFully(file, ch, prefix, 0, "the header length");
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
        SafetensorsReader.readFully(file, ch, ByteBuffer.wrap(header), 8, "the header");
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
        return HeaderParser.parse(file, text, n, dataLength, maxTensors, maxMetadata);
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
}
