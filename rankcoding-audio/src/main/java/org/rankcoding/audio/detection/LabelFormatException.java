package org.rankcoding.audio.detection;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A label file ({@code word_bounds.csv}, {@code NAME.labels.csv}) that does not have its documented format. The message
 * starts with the file and the line, names the field when one is at fault, and says what was expected and what was
 * found, e.g. {@code "clips/word_bounds.csv: line 7: field end_sample: 16400, expected at most 16000 (the clip's
 * length)"}.
 */
public final class LabelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /**
     * @param file   the label file
     * @param line   the 1-based line at fault
     * @param detail what was expected and what was found (after {@code "FILE: line N: "})
     */
    public LabelFormatException(Path file, int line, String detail) {
        super(file + ": line " + line + ": " + detail);
        this.file = file;
        this.line = line;
    }

    /** The label file, or {@code null} after deserialization. */
    public Path file() {
        return file;
    }

    /** The 1-based line at fault. */
    public int line() {
        return line;
    }
}
