package org.rankcoding.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file is not a valid rankcoding model file: not safetensors at all (impossible header length, malformed or
 * non-UTF-8 JSON header, offsets that do not tile the data buffer, ...), or a well-formed safetensors file that
 * does not describe a rankcoding network (missing or invalid configuration metadata, missing, extra or
 * wrongly shaped tensors, unsupported dtypes, non-finite weights). See {@link ModelFiles} for the rules. Also thrown for
 * a {@link TensorFile} or training checkpoint ({@code org.rankcoding.train.TrainingCheckpoint}) that is malformed,
 * truncated, fails its checksum or lacks an entry.
 *
 * <p>The message starts with the file's path, then says what was expected and what was found, e.g.
 * {@code "model.safetensors: tensor 'lstm.weight_ih_l0' has shape [500, 3], expected [500, 784]
 * (4 * hidden_size x input_size, from the metadata: input_size = 784, hidden_size = 125)"}. Problems of the
 * file system itself (missing file, no permission) are reported as the plain {@link IOException}s of
 * {@code java.nio.file}.
 */
public final class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String detail;

    /**
     * @param file   the offending file (its path starts the message)
     * @param detail what was expected and what was found
     */
    public ModelFileException(Path file, String detail) {
        super(file + ": " + detail);
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(detail, "detail is null");
        this.file = file;
        this.detail = detail;
    }

    /**
     * @param file   the offending file (its path starts the message)
     * @param detail what was expected and what was found
     * @param cause  the underlying exception (for example the JSON parser's)
     */
    public ModelFileException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(detail, "detail is null");
        this.file = file;
        this.detail = detail;
    }

    /** The offending file, or {@code null} after deserialization. */
    public Path file() {
        return file;
    }

    /** The same problem with {@code note} appended in parentheses (this exception as the cause). */
    ModelFileException withNote(String note) {
        return new ModelFileException(file, detail + " (" + note + ")", this);
    }
}
