package org.rankcoding.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a WAV file that {@link WavReader} accepts: not RIFF/WAVE, a malformed or missing chunk, a sample
 * format other than 16-bit integer PCM mono, the wrong sample rate, or data shorter than the header promises.
 *
 * <p>The message starts with the file's name, then says what was expected and what was found, e.g.
 * {@code "clip.wav: 2 channels, expected mono (1)"} or {@code "clip.wav: the data chunk declares 32000 bytes at
 * offset 44, but only 1000 follow (file truncated?)"}. Problems of the file system itself (missing file, no
 * permission) are the plain {@link IOException}s of {@code java.nio.file}.
 */
public final class WavFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file   the offending file (its path starts the message); may be {@code null} for data without a file
     * @param name   how the data is named in the message (the file's path, or a caller-given name)
     * @param detail what was expected and what was found
     */
    WavFormatException(Path file, String name, String detail) {
        super(name + ": " + detail);
        this.file = file;
    }

    /** The offending file, or {@code null} for data that did not come from a file (or after deserialization). */
    public Path file() {
        return file;
    }
}
