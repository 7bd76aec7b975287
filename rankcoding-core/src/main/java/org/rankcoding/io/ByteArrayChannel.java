package org.rankcoding.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A {@link SeekableByteChannel} over bytes in memory, so that model files are read from and written to byte arrays
 * with the same reader and writer as files: either a read-only view of given bytes ({@link #reading}) or a growing
 * buffer to write into ({@link #writing}, then {@link #toByteArray()}). Not thread-safe.
 */
final class ByteArrayChannel implements SeekableByteChannel {

    /** The largest array the channel grows to, as {@code ByteArrayOutputStream}. */
    private static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    private final boolean writable;
    private byte[] bytes;
    private int size;
    private int position;
    private boolean open = true;

    private ByteArrayChannel(byte[] bytes, int size, boolean writable) {
        this.bytes = bytes;
        this.size = size;
        this.writable = writable;
    }

    /** A read-only channel over {@code bytes} (not copied; the caller does not change them while reading). */
    static ByteArrayChannel reading(byte[] bytes) {
        return new ByteArrayChannel(bytes, bytes.length, false);
    }

    /** An empty channel that grows as it is written. */
    static ByteArrayChannel writing() {
        return new ByteArrayChannel(new byte[1 << 12], 0, true);
    }

    /** A copy of the bytes from 0 to {@link #size()}. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        requireOpen();
        if (position >= size) {
            return -1;
        }
        int n = Math.min(dst.remaining(), size - position);
        dst.put(bytes, position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        requireWritable();
        int n = src.remaining();
        long end = (long) position + n;
        if (end > MAX_SIZE) {
            throw new IOException("an in-memory model file holds at most " + MAX_SIZE + " bytes; writing " + n
                    + " bytes at " + position + " would exceed it (save the network to a file instead)");
        }
        if (end > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_SIZE, Math.max(end, 2L * bytes.length)));
        }
        src.get(bytes, position, n);
        position = (int) end;
        size = Math.max(size, position);
        return n;
    }

    @Override
    public long position() throws IOException {
        requireOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        requireOpen();
        if (newPosition < 0 || newPosition > MAX_SIZE) {
            throw new IllegalArgumentException("position " + newPosition + " is outside [0, " + MAX_SIZE + "]");
        }
        position = (int) newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        requireOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) throws IOException {
        requireWritable();
        if (newSize < 0) {
            throw new IllegalArgumentException("size " + newSize + " is negative");
        }
        size = (int) Math.min(size, newSize);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void requireWritable() throws ClosedChannelException {
        requireOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    private void requireOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
