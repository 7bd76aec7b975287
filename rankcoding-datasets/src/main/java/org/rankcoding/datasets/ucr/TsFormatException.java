package org.rankcoding.datasets.ucr;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a well-formed {@code .ts} file of the UCR/UEA archive (a value that is not a number, a series with
 * another number of dimensions or another length than its header declares, an undeclared class label, a line or a
 * size beyond the reader's {@link TsLimits}, binary data, ...), or uses a feature this reader does not support.
 *
 * <p>The message is one line: the file's path, the line number, the field where that helps, then what was expected
 * and what was found, e.g. {@code "data/GunPoint_TRAIN.ts line 57, dimension 1, value 23: 'abc' is not a number"}.
 * Problems of the file system itself (missing file, no permission) are the plain {@link IOException}s of
 * {@code java.nio.file}.
 */
public final class TsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /**
     * @param file   the offending file (its path starts the message)
     * @param line   the 1-based line number of the defect
     * @param detail the field, then what was expected and what was found
     */
    public TsFormatException(Path file, int line, String detail) {
        super(file + " line " + line + (detail.startsWith(",") ? "" : ": ") + detail);
        this.file = file;
        this.line = line;
    }

    /**
     * A defect of the file as a whole rather than of one line (for example a test file whose classes differ from its
     * training file's); {@link #line()} is then 0.
     *
     * @param file   the offending file (its path starts the message)
     * @param detail what was expected and what was found
     */
    public TsFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
        this.line = 0;
    }

    /** The offending file, or {@code null} after deserialization. */
    public Path file() {
        return file;
    }

    /** The 1-based number of the offending line, or 0 for a defect of the file as a whole. */
    public int line() {
        return line;
    }
}
