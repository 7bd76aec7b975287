package org.rankcoding.datasets.idx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a well-formed IDX file (bad magic number, impossible dimensions, data shorter or longer
 * than its header promises, corrupt gzip stream, ...), or is well-formed but not what the caller asked
 * for (for example a label file where an image file was expected).
 *
 * <p>The message starts with the file's path, then says what was expected and what was found, e.g.
 * {@code "data/mnist/train-images-idx3-ubyte.gz: expected 47040000 bytes of image data after the header
 * (60000 x 28 x 28), found 1234 (file truncated?)"}. Problems of the file system itself (missing file, no
 * permission) are reported as the plain {@link IOException}s of {@code java.nio.file}.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file   the offending file (its path starts the message)
     * @param detail what was expected and what was found
     */
    public IdxFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    /**
     * @param file   the offending file (its path starts the message)
     * @param detail what was expected and what was found
     * @param cause  the underlying exception (for example the inflater's)
     */
    public IdxFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The offending file, or {@code null} after deserialization. */
    public Path file() {
        return file;
    }
}
