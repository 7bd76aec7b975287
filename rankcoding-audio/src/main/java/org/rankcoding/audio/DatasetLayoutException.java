package org.rankcoding.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data set directory does not have the expected layout: a split list with a malformed line or a file named by
 * both lists, a word folder without clips, no word folders at all, a root that is not a directory.
 *
 * <p>The message starts with the offending path and says what was expected and what was found. Missing files and
 * folders (the root, a split list, a chosen word's folder, a file named by a list) are reported as
 * {@link java.nio.file.NoSuchFileException}s whose reason says what to do.
 */
public final class DatasetLayoutException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the offending file or folder (starts the message)
     * @param detail what was expected and what was found
     */
    public DatasetLayoutException(Path path, String detail) {
        super(path + ": " + detail);
        this.path = path;
    }

    /** The offending file or folder, or {@code null} after deserialization. */
    public Path path() {
        return path;
    }
}
