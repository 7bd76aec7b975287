package org.rankcoding.io;

/**
 * The element types a model file's tensors may be stored in, with their safetensors names. Both are read;
 * {@link #F32} is written by default (what PyTorch uses; the file is half the size), {@link #F64} gives an exact
 * round trip of the library's {@code double} weights.
 */
public enum TensorDType {
    /** IEEE 754 single precision, little-endian, 4 bytes ({@code "F32"}, {@code torch.float32}). */
    F32(4),
    /** IEEE 754 double precision, little-endian, 8 bytes ({@code "F64"}, {@code torch.float64}). */
    F64(8);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name in a safetensors header ({@code "F32"} or {@code "F64"}). */
    public String safetensorsName() {
        return name();
    }
}
