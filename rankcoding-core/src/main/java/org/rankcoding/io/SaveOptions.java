package org.rankcoding.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ModelFiles#save(org.rankcoding.nn.RankCodingNetwork, double, java.nio.file.Path, SaveOptions)}
 * writes a model: the element type of the tensors and extra metadata entries. Immutable; start from
 * {@link #DEFAULT} and derive with the {@code with...} methods.
 *
 * @param dtype    the stored element type: {@link TensorDType#F32} (the default, as PyTorch) or
 *                 {@link TensorDType#F64} (exact round trip)
 * @param metadata extra string entries for the file's {@code __metadata__} (for example the training settings),
 *                 written after the library's own keys in iteration order; they must not use a reserved key
 *                 ({@link ModelFiles#RESERVED_KEYS}). Copied.
 */
public record SaveOptions(TensorDType dtype, Map<String, String> metadata) {

    /** Float32 tensors, no extra metadata. */
    public static final SaveOptions DEFAULT = new SaveOptions(TensorDType.F32, Map.of());

    /**
     * Validates and copies the fields.
     *
     * @throws IllegalArgumentException if {@code dtype} or {@code metadata} is null, or a metadata key is null,
     *                                  empty or reserved, or a value is null, or a string has an unpaired surrogate
     */
    public SaveOptions {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype is null; choose F32 (default, as PyTorch) or F64 (exact round trip)");
        }
        if (metadata == null) {
            throw new IllegalArgumentException("metadata is null; pass Map.of() for none");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("metadata key " + (key == null ? "null" : "\"\"") + " is not allowed");
            }
            if (ModelFiles.RESERVED_KEYS.contains(key)) {
                throw new IllegalArgumentException("metadata key '" + key + "' is reserved for the library's own entries "
                        + ModelFiles.RESERVED_KEYS + "; choose another name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("metadata value of '" + key + "' is null; metadata values are strings");
            }
            requireWellFormed(key, "key");
            requireWellFormed(e.getValue(), "value of '" + key + "'");
            copy.put(key, e.getValue());
        }
        metadata = Collections.unmodifiableMap(copy);
    }

    /** Rejects a string with an unpaired surrogate: it has no UTF-8 encoding. */
    private static void requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("metadata " + what + " has an unpaired surrogate at index " + i
                        + " and cannot be written as UTF-8");
            }
        }
    }

    /** These options with another element type. */
    public SaveOptions withDtype(TensorDType dtype) {
        return new SaveOptions(dtype, metadata);
    }

    /** These options with {@code metadata} as the extra entries (replacing the previous ones). */
    public SaveOptions withMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata is null");
        return new SaveOptions(dtype, metadata);
    }
}
