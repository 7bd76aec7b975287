package org.rankcoding.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * The one tensor reader of model files and tensor files: the checked {@link SafetensorsHeader} of a file open for
 * reading, or of bytes in memory ({@link ByteArrayChannel}), with the library's limits, and the values of its tensors, {@code F32} or {@code F64} into {@code double}s
 * and {@code I64} into {@code long}s, read in chunks through one buffer. Every problem is a
 * {@link ModelFileException} naming the file. Not thread-safe; the caller owns and closes the channel.
 */
final class SafetensorsReader {

    /** The most values a tensor may have: the largest Java array. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 16;

    private final Path file;
    private final SeekableByteChannel ch;
    private final SafetensorsHeader header;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    private SafetensorsReader(Path file, SeekableByteChannel ch, SafetensorsHeader header) {
        this.file = file;
        this.ch = ch;
        this.header = header;
    }

    /**
     * Reads and checks the header of {@code file}, open in {@code ch}, with the limits of {@link ModelFiles}
     * ({@link ModelFiles#MAX_HEADER_BYTES}, {@link ModelFiles#MAX_TENSORS}, {@link ModelFiles#MAX_METADATA_ENTRIES}).
     *
     * @throws ModelFileException if the header breaks a rule
     * @throws IOException        if reading fails
     */
    static SafetensorsReader open(Path file, SeekableByteChannel ch) throws IOException {
        return new SafetensorsReader(file, ch, SafetensorsHeader.read(file, ch, ModelFiles.MAX_HEADER_BYTES,
                ModelFiles.MAX_TENSORS, ModelFiles.MAX_METADATA_ENTRIES));
    }

    /** The file, for messages. */
    Path file() {
        return file;
    }

    /** The checked header. */
    SafetensorsHeader header() {
        return header;
    }

    /**
     * The number of values of {@code e}.
     *
     * @throws ModelFileException if they do not fit in a Java array
     */
    int length(SafetensorsHeader.Entry e) throws ModelFileException {
        long count = e.elements();
        if (count > MAX_ARRAY) {
            throw new ModelFileException(file, "tensor '" + e.name() + "' has " + count + " elements, more than a Java array "
                    + "holds (" + MAX_ARRAY + ")");
        }
        return (int) count;
    }

    /**
     * Reads the values of {@code F32} or {@code F64} tensor {@code e} into {@code target[0 .. length(e))}.
     *
     * @throws IllegalArgumentException if {@code e} has another dtype or {@code target} is too short (callers check)
     * @throws ModelFileException       if the file ends first
     */
    void readDoubles(SafetensorsHeader.Entry e, double[] target) throws IOException {
        int size = switch (e.dtype()) {
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException("tensor '" + e.name() + "' is " + e.dtype() + ", not F32 or F64");
        };
        int count = length(e);
        if (target.length < count) {
            throw new IllegalArgumentException("tensor '" + e.name() + "' has " + count + " values, the target only "
                    + target.length);
        }
        long pos = header.dataStart() + e.begin();
        int i = 0;
        while (i < count) {
            int n = fill(e, pos, Math.min(CHUNK / size, count - i), size);
            pos += (long) n * size;
            for (int j = 0; j < n; j++, i++) {
                target[i] = size == 4 ? buf.getFloat() : buf.getDouble();
            }
        }
    }

    /**
     * The values of {@code I64} tensor {@code e}.
     *
     * @throws IllegalArgumentException if {@code e} has another dtype (callers check)
     * @throws ModelFileException       if they do not fit in an array or the file ends first
     */
    long[] readLongs(SafetensorsHeader.Entry e) throws IOException {
        if (!e.dtype().equals("I64")) {
            throw new IllegalArgumentException("tensor '" + e.name() + "' is " + e.dtype() + ", not I64");
        }
        long[] values = new long[length(e)];
        long pos = header.dataStart() + e.begin();
        int i = 0;
        while (i < values.length) {
            int n = fill(e, pos, Math.min(CHUNK / 8, values.length - i), 8);
            pos += (long) n * 8;
            for (int j = 0; j < n; j++, i++) {
                values[i] = buf.getLong();
            }
        }
        return values;
    }

    /** Reads {@code n} values of {@code size} bytes at {@code pos} into the buffer, ready to get; returns {@code n}. */
    private int fill(SafetensorsHeader.Entry e, long pos, int n, int size) throws IOException {
        buf.clear();
        buf.limit(n * size);
        readFully(file, ch, buf, pos, "tensor '" + e.name() + "'");
        buf.flip();
        return n;
    }

    /**
     * Fills {@code into} (from its position to its limit) from absolute file position {@code position}.
     *
     * @throws ModelFileException if the file ends first
     */
    void readBytes(ByteBuffer into, long position, String what) throws IOException {
        readFully(file, ch, into, position, what);
    }

    /**
     * Fills {@code buf} (from its position to its limit) from {@code ch} starting at file position {@code position}
     * (the channel's position is moved; readers own their channel).
     *
     * @throws ModelFileException if the file ends first (it shrank while being read)
     */
    static void readFully(Path file, SeekableByteChannel ch, ByteBuffer buf, long position, String what) throws IOException {
        long pos = position;
        ch.position(pos);
        while (buf.hasRemaining()) {
            int r = ch.read(buf);
            if (r < 0) {
                throw new ModelFileException(file, "the file ended at byte " + pos + " while reading " + what
                        + " (was it truncated or modified while being read?)");
            }
            pos += r;
        }
    }
}
