package org.rankcoding.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * A 64-bit checksum of a data set, for a {@link BatchSource#fingerprint() fingerprint}: fast (one multiply-rotate per
 * 8 bytes, tens of milliseconds for MNIST's 47 MB) and not cryptographic; it tells data sets apart by accident, not
 * against an adversary. The result depends on every value added and on their order; arrays are added with their length,
 * so that {@code [1, 2], [3]} and {@code [1], [2, 3]} differ. Doubles are added by their bits ({@code -0.0} differs
 * from {@code 0.0}; every NaN is the same). Not thread-safe; one per computation.
 */
public final class DataChecksum {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final long SCRAMBLE = 0xBF58476D1CE4E5B9L;

    private long state = 0x243F6A8885A308D3L;
    private long words;

    /** Adds one number. */
    public DataChecksum add(long value) {
        state = Long.rotateLeft(state ^ (value * MULTIPLIER), 29) * SCRAMBLE;
        words++;
        return this;
    }

    /** Adds one double, by its bits. */
    public DataChecksum add(double value) {
        return add(Double.doubleToLongBits(value));
    }

    /**
     * Adds the length and the values of an array.
     *
     * @throws IllegalArgumentException for a null array
     */
    public DataChecksum add(double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        add((long) requireArray(values).length);
        for (double v : values) {
            add(v);
        }
        return this;
    }

    /**
     * Adds the length and the values of an array.
     *
     * @throws IllegalArgumentException for a null array
     */
    public DataChecksum add(int[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        add((long) requireArray(values).length);
        for (int v : values) {
            add(v);
        }
        return this;
    }

    /**
     * Adds the length and the bytes {@code [offset, offset + length)} of {@code bytes}, eight at a time.
     *
     * @throws IllegalArgumentException for a null array or a range outside it
     */
    public DataChecksum add(byte[] bytes, int offset, int length) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes is null");
        }
        requireArray(bytes);
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + offset + " + " + length + ") are outside the array of "
                    + bytes.length + " bytes");
        }
        add((long) length);
        int end = offset + length;
        int i = offset;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            add((long) LONGS.get(bytes, i));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (bytes[i] & 0xFFL) << shift;
        }
        return add(tail);
    }

    /** The checksum of everything added so far, as 16 hexadecimal digits. */
    public String hex() {
        long z = state ^ words;
        z = (z ^ (z >>> 30)) * SCRAMBLE;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return String.format(Locale.ROOT, "%016x", z);
    }

    private static <T> T requireArray(T array) {
        if (array == null) {
            throw new IllegalArgumentException("the array to add to the checksum is null");
        }
        return array;
    }
}
