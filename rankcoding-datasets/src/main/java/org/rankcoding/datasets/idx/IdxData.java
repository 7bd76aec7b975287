package org.rankcoding.datasets.idx;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The contents of an IDX file of any element type and rank: its element type, its dimension sizes and
 * its data, kept exactly as stored (big-endian, row-major: the last dimension varies fastest).
 *
 * <p>Element {@code (i_0, ..., i_{d-1})} has the flat index {@code ((i_0 * n_1 + i_1) * n_2 + ...) + i_{d-1}}
 * where {@code n_k} is {@link #dimension(int) dimension(k)}; its bytes are
 * {@code rawData()[flat * type().bytesPerElement() ...]}. Immutable by contract: the instance owns its arrays
 * and {@link #rawData()} exposes the data array without copying, for reading only.
 *
 * @see IdxReader#read(java.nio.file.Path)
 */
public final class IdxData {

    /**
     * The element types an IDX file can hold: the third byte of the magic number.
     * All multi-byte types are big-endian, as the IDX format prescribes.
     */
    public enum Type {
        /** {@code 0x08}: unsigned byte, 0 to 255 (MNIST images and labels). */
        UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
        /** {@code 0x09}: signed byte, -128 to 127. */
        SIGNED_BYTE(0x09, 1, "signed byte"),
        /** {@code 0x0B}: signed 16-bit integer. */
        SHORT(0x0B, 2, "16-bit integer"),
        /** {@code 0x0C}: signed 32-bit integer. */
        INT(0x0C, 4, "32-bit integer"),
        /** {@code 0x0D}: IEEE 754 32-bit float. */
        FLOAT(0x0D, 4, "32-bit float"),
        /** {@code 0x0E}: IEEE 754 64-bit double. */
        DOUBLE(0x0E, 8, "64-bit float");

        private final int code;
        private final int bytesPerElement;
        private final String description;

        Type(int code, int bytesPerElement, String description) {
            this.code = code;
            this.bytesPerElement = bytesPerElement;
            this.description = description;
        }

        /** The type byte of the magic number, e.g. {@code 0x08}. */
        public int code() {
            return code;
        }

        /** Size of one element in the file, in bytes. */
        public int bytesPerElement() {
            return bytesPerElement;
        }

        /** A human-readable name, e.g. "unsigned byte". */
        public String description() {
            return description;
        }

        /** Whether the elements are integers (every type but {@link #FLOAT} and {@link #DOUBLE}). */
        public boolean isInteger() {
            return this != FLOAT && this != DOUBLE;
        }

        /** The type with the given type byte, or {@code null} for an unknown one. */
        public static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        /** "0x08 (unsigned byte), 0x09 (signed byte), ...": the known type bytes, for error messages. */
        static String known() {
            StringJoiner j = new StringJoiner(", ");
            for (Type t : values()) {
                j.add(String.format("0x%02X (%s)", t.code, t.description));
            }
            return j.toString();
        }
    }

    private final Type type;
    private final int[] dims;
    private final byte[] data;

    /**
     * @param type data element type
     * @param dims dimension sizes, each at least 1, at least one dimension (copied)
     * @param data the elements as stored in the file, length {@code product(dims) * type.bytesPerElement()};
     *             ownership passes to the new object
     * @throws IllegalArgumentException for a null type, a bad dimension or a data length that does not match
     */
    public IdxData(Type type, int[] dims, byte[] data) {
        if (type == null) {
            throw new IllegalArgumentException("type is null, expected one of " + Type.known());
        }
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException("IDX data needs at least one dimension, got " + (dims == null ? "null" : "none"));
        }
        long count = 1;
        for (int k = 0; k < dims.length; k++) {
            if (dims[k] < 1) {
                throw new IllegalArgumentException("dimension " + k + " is " + dims[k] + ", expected >= 1");
            }
            count *= dims[k];
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " hold more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        long bytes = count * type.bytesPerElement();
        if (data == null || data.length != bytes) {
            throw new IllegalArgumentException("data has " + (data == null ? "null" : data.length + " bytes") + ", expected "
                    + bytes + " for " + IdxReader.shape(dims) + " elements of " + type.description());
        }
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
    }

    /** The element type. */
    public Type type() {
        return type;
    }

    /** The number of dimensions (1 for a label file, 3 for an image file). */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code k} (0-based). */
    public int dimension(int k) {
        return dims[k];
    }

    /** The dimension sizes (a new array owned by the caller). */
    public int[] dimensions() {
        return dims.clone();
    }

    /** The number of elements, the product of the dimension sizes. */
    public int elementCount() {
        return data.length / type.bytesPerElement();
    }

    /** The data as stored (big-endian), not copied: read only by contract. */
    public byte[] rawData() {
        return data;
    }

    /**
     * Element {@code i} (flat index, see the class comment) as a double: exact for every type
     * (unsigned bytes give 0 to 255).
     *
     * @throws IndexOutOfBoundsException for {@code i} outside {@code [0, elementCount())}
     */
    public double getDouble(int i) {
        if (i < 0 || i >= elementCount()) {
            throw new IndexOutOfBoundsException("element " + i + ", expected in [0, " + elementCount() + ")");
        }
        int off = i * type.bytesPerElement();
        return switch (type) {
            case UNSIGNED_BYTE -> data[off] & 0xFF;
            case SIGNED_BYTE -> data[off];
            case SHORT -> (short) ((data[off] << 8) | (data[off + 1] & 0xFF));
            case INT -> int32(off);
            case FLOAT -> Float.intBitsToFloat(int32(off));
            case DOUBLE -> Double.longBitsToDouble(((long) int32(off) << 32) | (int32(off + 4) & 0xFFFFFFFFL));
        };
    }

    private int int32(int off) {
        return (data[off] << 24) | ((data[off + 1] & 0xFF) << 16) | ((data[off + 2] & 0xFF) << 8) | (data[off + 3] & 0xFF);
    }

    /** All elements as doubles, in flat order (a new array owned by the caller). */
    public double[] toDoubleArray() {
        double[] out = new double[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /**
     * All elements as ints, in flat order (a new array owned by the caller); unsigned bytes give 0 to 255.
     *
     * @throws IllegalStateException for float or double data
     */
    public int[] toIntArray() {
        if (!type.isInteger()) {
            throw new IllegalStateException("the data are " + type.description() + "s, expected an integer type; use toDoubleArray()");
        }
        int[] out = new int[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) getDouble(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxData[" + type.description() + ", " + IdxReader.shape(dims) + "]";
    }
}
