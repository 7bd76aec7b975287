package org.rankcoding.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

/**
 * The one tensor writer of model files and tensor files: the 8-byte little-endian header length, the header, then
 * every tensor's values in little-endian order, contiguous ({@code double}s as {@code F32} or {@code F64},
 * {@code long}s as {@code I64}), through one buffer. Every byte written is also shown to an {@link Observer} (the
 * checksum of tensor files). Not thread-safe; the caller owns the channel.
 */
final class SafetensorsWriter {

    private static final int CHUNK = 1 << 16;

    /** Sees every byte written, in file order. */
    @FunctionalInterface
    interface Observer {
        /** Called with {@code bytes[offset .. offset + length)} just before they are written. */
        void update(byte[] bytes, int offset, int length);
    }

    /** An observer that ignores what it sees. */
    static final Observer NONE = (bytes, offset, length) -> {
    };

    /** A tensor to write: its header entry and its values. */
    sealed interface Payload permits Doubles, Longs {
        /** The tensor's header entry (name, dtype, shape). */
        HeaderEncoder.Layout layout();

        /** Writes the first {@code product(shape)} values. */
        void writeTo(SafetensorsWriter out) throws IOException;
    }

    /** {@code double} values written as {@code F32} (rounded to float) or {@code F64}, as {@code layout.dtype()} says. */
    record Doubles(HeaderEncoder.Layout layout, double[] values) implements Payload {
        @Override
        public void writeTo(SafetensorsWriter out) throws IOException {
            long n = Shapes.elements(layout.shape());
            boolean f32 = layout.dtype().equals("F32");
            for (int i = 0; i < n; i++) {
                ByteBuffer buf = out.room();
                if (f32) {
                    buf.putFloat((float) values[i]);
                } else {
                    buf.putDouble(values[i]);
                }
            }
        }
    }

    /** {@code long} values written as {@code I64}. */
    record Longs(HeaderEncoder.Layout layout, long[] values) implements Payload {
        @Override
        public void writeTo(SafetensorsWriter out) throws IOException {
            long n = Shapes.elements(layout.shape());
            for (int i = 0; i < n; i++) {
                out.room().putLong(values[i]);
            }
        }
    }

    private final SeekableByteChannel ch;
    private final Observer observer;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    private SafetensorsWriter(SeekableByteChannel ch, Observer observer) {
        this.ch = ch;
        this.observer = observer;
    }

    /**
     * Writes a whole safetensors file from the current start of {@code ch}: {@code header} (from
     * {@link HeaderEncoder#encode} with the payloads' layouts, in the same order) and the payloads' values.
     */
    static void write(SeekableByteChannel ch, byte[] header, List<? extends Payload> tensors, Observer observer) throws IOException {
        SafetensorsWriter out = new SafetensorsWriter(ch, observer);
        out.buf.putLong(header.length);
        out.flush();
        observer.update(header, 0, header.length);
        AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
        for (Payload t : tensors) {
            t.writeTo(out);
        }
        out.flush();
    }

    /** The buffer, flushed first if fewer than 8 bytes are free. */
    private ByteBuffer room() throws IOException {
        if (buf.remaining() < 8) {
            flush();
        }
        return buf;
    }

    private void flush() throws IOException {
        observer.update(buf.array(), 0, buf.position());
        AtomicFiles.flush(ch, buf);
    }
}
