package org.rankcoding.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checksummed safetensors file of named {@code F64} and {@code I64} tensors with string metadata: the container of
 * training checkpoints ({@code org.rankcoding.train.TrainingCheckpoint}), written and read with the same tensor writer
 * and reader as {@link ModelFiles} ({@code SafetensorsWriter}, {@code SafetensorsReader}); this class adds the checksum.
 *
 * <h2>The file</h2>
 * A safetensors file (8-byte little-endian header length, JSON header, then the tensors' little-endian bytes,
 * contiguous in the order given to {@link #write}). The header's {@code __metadata__} holds the caller's entries and
 * {@value #KEY_CHECKSUM} = {@code "sha256:"} followed by 64 lowercase hex digits: the SHA-256 of the whole file as
 * it is on disk except that those 64 digits are replaced by ASCII {@code '0'}s. It covers every byte, header and
 * data alike, so a truncated, partially written or modified file fails to {@link #read}.
 *
 * <h2>Writing is atomic</h2>
 * As for model files: a temporary file in the same directory, forced to the device, renamed over the target, and the
 * directory forced; on failure the temporary file is deleted and the target is unchanged.
 *
 * <h2>Reading is strict</h2>
 * The header is checked as for model files (length, UTF-8, JSON structure, tiling of the data buffer; see
 * {@link ModelFiles}), then the checksum, then every tensor must be {@code F64} or {@code I64}. Every problem is a
 * {@link ModelFileException} whose message starts with the file's path.
 *
 * <p>Instances are immutable apart from the tensors' arrays, which are not copied.
 */
public final class TensorFile {

    /** The metadata key of the checksum; reserved (the caller's metadata must not use it). */
    public static final String KEY_CHECKSUM = "checksum";

    private static final String CHECKSUM_PREFIX = "sha256:";
    private static final int DIGEST_HEX = 64;
    private static final String PLACEHOLDER = "0".repeat(DIGEST_HEX);
    private static final int CHUNK = 1 << 16;

    /**
     * One tensor: a name, a shape and its values in row-major order, either {@code double}s ({@code F64}) or
     * {@code long}s ({@code I64}). The arrays are not copied.
     *
     * @param name    any non-empty name but {@code "__metadata__"}
     * @param shape   non-negative dimensions whose product is the number of values
     * @param doubles the values of an {@code F64} tensor, or {@code null}
     * @param longs   the values of an {@code I64} tensor, or {@code null} (exactly one of the two is given)
     */
    public record Tensor(String name, long[] shape, double[] doubles, long[] longs) {

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException for a bad name, not exactly one array, or a shape that does not fit it
         */
        public Tensor {
            if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + (name == null ? "null" : "'" + name + "'")
                        + " is not allowed; use a non-empty name other than " + SafetensorsHeader.METADATA_KEY);
            }
            if (shape == null) {
                throw new IllegalArgumentException("tensor '" + name + "' has no shape");
            }
            if ((doubles == null) == (longs == null)) {
                throw new IllegalArgumentException("tensor '" + name + "' needs exactly one of doubles and longs");
            }
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                            + ", expected non-negative dimensions");
                }
                n = Math.multiplyExact(n, d);
            }
            int length = doubles != null ? doubles.length : longs.length;
            if (n != length) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                        + n + " values) but " + length + " values");
            }
            shape = shape.clone();
        }

        /** An {@code F64} tensor of shape {@code shape} ({@code [values.length]} when none is given). */
        public static Tensor of(String name, double[] values, long... shape) {
            Objects.requireNonNull(values, "values is null");
            Objects.requireNonNull(shape, "shape is null");
            return new Tensor(name, shape.length == 0 ? new long[]{values.length} : shape, values, null);
        }

        /** An {@code I64} tensor of shape {@code shape} ({@code [values.length]} when none is given). */
        public static Tensor ofLongs(String name, long[] values, long... shape) {
            Objects.requireNonNull(values, "values is null");
            Objects.requireNonNull(shape, "shape is null");
            return new Tensor(name, shape.length == 0 ? new long[]{values.length} : shape, null, values);
        }

        /** The shape (a copy). */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The safetensors dtype, {@code "F64"} or {@code "I64"}. */
        public String dtype() {
            return doubles != null ? "F64" : "I64";
        }

        private int length() {
            return doubles != null ? doubles.length : longs.length;
        }
    }

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    private TensorFile(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    /** The metadata, checksum included, in file order (unmodifiable). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors by name, in file order (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The metadata entry {@code key}.
     *
     * @throws ModelFileException if the file has none
     */
    public String require(String key) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        String v = metadata.get(key);
        if (v == null) {
            throw new ModelFileException(file, "metadata '" + key + "' is missing");
        }
        return v;
    }

    /**
     * The values of {@code F64} tensor {@code name}, which must have exactly shape {@code shape} (any shape when none
     * is given).
     *
     * @throws ModelFileException if there is no such tensor, or it has another dtype or shape
     */
    public double[] doubles(String name, long... shape) throws ModelFileException {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(shape, "shape is null");
        return check(name, "F64", shape).doubles();
    }

    /**
     * The values of {@code I64} tensor {@code name}, which must have exactly shape {@code shape} (any shape when none
     * is given).
     *
     * @throws ModelFileException if there is no such tensor, or it has another dtype or shape
     */
    public long[] longs(String name, long... shape) throws ModelFileException {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(shape, "shape is null");
        return check(name, "I64", shape).longs();
    }

    private Tensor check(String name, String dtype, long[] shape) throws ModelFileException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFileException(file, "tensor '" + name + "' is missing");
        }
        if (!t.dtype().equals(dtype)) {
            throw new ModelFileException(file, "tensor '" + name + "' has dtype " + t.dtype() + ", expected " + dtype);
        }
        if (shape.length > 0 && !Arrays.equals(t.shape, shape)) {
            throw new ModelFileException(file, "tensor '" + name + "' has shape " + Shapes.toString(t.shape) + ", expected "
                    + Shapes.toString(shape));
        }
        return t;
    }

    // ------------------------------------------------------------------ write

    /**
     * Writes {@code tensors} (in this order) and {@code metadata} (in iteration order, followed by the checksum) to
     * {@code file}, atomically (see the class comment). An existing file is replaced.
     *
     * @throws IllegalArgumentException if a name repeats, or the metadata uses {@value #KEY_CHECKSUM} or holds a
     *                                  null key or value
     * @throws IOException              if writing fails (the target is then unchanged)
     */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        Objects.requireNonNull(metadata, "metadata is null");
        Objects.requireNonNull(tensors, "tensors is null");
        if (file == null || file.getFileName() == null) {
            throw new IllegalArgumentException("file '" + file + "' has no file name");
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getKey().equals(KEY_CHECKSUM)) {
                throw new IllegalArgumentException("metadata entry " + e.getKey() + " = " + e.getValue()
                        + " is not allowed (null, or the reserved key '" + KEY_CHECKSUM + "')");
            }
            meta.put(e.getKey(), e.getValue());
        }
        meta.put(KEY_CHECKSUM, CHECKSUM_PREFIX + PLACEHOLDER);
        List<SafetensorsWriter.Payload> payloads = new ArrayList<>(tensors.size());
        List<HeaderEncoder.Layout> layout = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (layout.stream().anyMatch(l -> l.name().equals(t.name()))) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is given twice");
            }
            HeaderEncoder.Layout entry = new HeaderEncoder.Layout(t.name(), t.dtype(), t.shape);
            layout.add(entry);
            payloads.add(t.doubles() != null ? new SafetensorsWriter.Doubles(entry, t.doubles())
                    : new SafetensorsWriter.Longs(entry, t.longs()));
        }
        byte[] header = HeaderEncoder.encode(meta, layout);
        int placeholder = indexOf(header, (CHECKSUM_PREFIX + PLACEHOLDER).getBytes(StandardCharsets.US_ASCII))
                + CHECKSUM_PREFIX.length();
        MessageDigest digest = sha256();
        AtomicFiles.write(file, ch -> {
            SafetensorsWriter.write(ch, header, payloads, digest::update);
            byte[] hex = HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(hex), 8L + placeholder);
        });
    }

    /**
     * If {@code fileName} names a temporary file that {@link #write} (or {@link ModelFiles#save}) creates next to its
     * target, {@code .NAME.RANDOM.tmp}, the target's name {@code NAME}; otherwise {@code null}. A process killed while
     * writing leaves such a file behind; it is never a complete file and may be deleted when no write is running.
     */
    public static String temporaryTarget(String fileName) {
        Objects.requireNonNull(fileName, "fileName is null");
        return AtomicFiles.temporaryTarget(fileName);
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads and checks a tensor file (see the class comment).
     *
     * @throws ModelFileException if the file is malformed, truncated, fails its checksum or holds a tensor that is
     *                            not {@code F64} or {@code I64}
     * @throws IOException        if it cannot be read
     */
    public static TensorFile read(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsReader reader = SafetensorsReader.open(file, ch);
            SafetensorsHeader header = reader.header();
            Map<String, String> meta = header.metadata() == null ? Map.of() : header.metadata();
            verifyChecksum(reader, meta.get(KEY_CHECKSUM));
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                tensors.put(e.name(), readTensor(reader, e));
            }
            return new TensorFile(file, new LinkedHashMap<>(meta), tensors);
        }
    }

    private static void verifyChecksum(SafetensorsReader reader, String stored) throws IOException {
        Path file = reader.file();
        SafetensorsHeader header = reader.header();
        if (stored == null) {
            throw new ModelFileException(file, "metadata '" + KEY_CHECKSUM + "' is missing; a checksummed tensor file has "
                    + KEY_CHECKSUM + " = " + CHECKSUM_PREFIX + "<64 hex digits>");
        }
        if (!stored.startsWith(CHECKSUM_PREFIX) || stored.length() != CHECKSUM_PREFIX.length() + DIGEST_HEX
                || !stored.substring(CHECKSUM_PREFIX.length()).matches("[0-9a-f]+")) {
            throw new ModelFileException(file, "metadata '" + KEY_CHECKSUM + "' is '" + shorten(stored) + "', expected "
                    + CHECKSUM_PREFIX + " followed by 64 lowercase hex digits");
        }
        byte[] headerBytes = new byte[(int) header.headerLength()];
        reader.readBytes(ByteBuffer.wrap(headerBytes), 8, "the header");
        byte[] hex = stored.substring(CHECKSUM_PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(headerBytes, hex);
        if (at < 0 || indexOf(Arrays.copyOfRange(headerBytes, at + 1, headerBytes.length), hex) >= 0) {
            throw new ModelFileException(file, "the checksum's digits occur " + (at < 0 ? "nowhere" : "more than once")
                    + " in the header bytes, expected exactly once (was the header rewritten by another tool?)");
        }
        MessageDigest digest = sha256();
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.headerLength());
        digest.update(prefix.array());
        Arrays.fill(headerBytes, at, at + DIGEST_HEX, (byte) '0');
        digest.update(headerBytes);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = header.dataStart();
        long end = header.dataStart() + header.dataLength();
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(CHUNK, end - pos));
            reader.readBytes(buf, pos, "the data");
            digest.update(buf.array(), 0, buf.limit());
            pos += buf.limit();
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(stored.substring(CHECKSUM_PREFIX.length()))) {
            throw new ModelFileException(file, "checksum mismatch: the header says " + stored + " but the content hashes to "
                    + CHECKSUM_PREFIX + actual + "; the file is corrupt (modified, or damaged on the storage device)");
        }
    }

    private static Tensor readTensor(SafetensorsReader reader, SafetensorsHeader.Entry e) throws IOException {
        if (e.dtype().equals("F64")) {
            double[] values = new double[reader.length(e)];
            reader.readDoubles(e, values);
            return new Tensor(e.name(), e.shape(), values, null);
        }
        if (e.dtype().equals("I64")) {
            return new Tensor(e.name(), e.shape(), null, reader.readLongs(e));
        }
        throw new ModelFileException(reader.file(), "tensor '" + e.name() + "' has dtype " + e.dtype() + ", expected F64 or I64");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /** The first index of {@code needle} in {@code hay}, or -1. */
    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
