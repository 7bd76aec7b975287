package org.rankcoding.examples.report;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a file that must not be lost (a trained model): to the path asked for, and when that fails anyway at the end
 * of a run (the disk filled up, the directory was removed or made read-only after the start), to a fallback file in a
 * fallback directory (the system's temporary directory), whose name is returned and then printed.
 */
public final class FallbackWriter {

    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    public interface Content {
        /** Writes the content to {@code file} (atomically, where the writer can). */
        void writeTo(Path file) throws IOException;
    }

    /**
     * Where a file went.
     *
     * @param requested the path asked for
     * @param file      the path written: {@code requested}, or the fallback file
     * @param failure   why {@code requested} could not be written, or {@code null} when it was
     */
    public record Written(Path requested, Path file, IOException failure) {

        /** Whether the file went to the fallback path instead of the one asked for. */
        public boolean fellBack() {
            return failure != null;
        }

        /**
         * Throws when the file went to the fallback path, with a message naming {@code option}, the path asked for, why
         * it failed and where the file is.
         *
         * @throws WrittenElsewhere when {@link #fellBack()}
         */
        public void requireRequested(String option, String what) throws WrittenElsewhere {
            if (fellBack()) {
                throw new WrittenElsewhere("could not write " + option + " " + requested + " (" + reason(failure) + "); " + what
                        + " was written to " + file + " instead", failure);
            }
        }
    }

    /** A file went to its fallback path: the run's result is kept, but not where it was asked for (exit status 1). */
    public static final class WrittenElsewhere extends IOException {
        private static final long serialVersionUID = 1L;

        WrittenElsewhere(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private FallbackWriter() {
    }

    /** As {@link #write(Path, Path, Content)} with the system's temporary directory as the fallback directory. */
    public static Written write(Path requested, Content content) throws IOException {
        return write(requested, Path.of(System.getProperty("java.io.tmpdir")), content);
    }

    /**
     * Writes {@code content} to {@code requested}; if that fails, to a new file in {@code fallbackDir} named after
     * {@code requested} ({@code NAME-RANDOM.EXT}).
     *
     * @throws IOException when the fallback fails too (the first failure is attached as suppressed)
     */
    public static Written write(Path requested, Path fallbackDir, Content content) throws IOException {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(fallbackDir, "fallbackDir");
        Objects.requireNonNull(content, "content");
        try {
            content.writeTo(requested);
            return new Written(requested, requested, null);
        } catch (IOException first) {
            try {
                String name = requested.getFileName() == null ? "output" : requested.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String stem = dot > 0 ? name.substring(0, dot) : name;
                String ext = dot > 0 ? name.substring(dot) : "";
                Files.createDirectories(fallbackDir);
                Path fallback = Files.createTempFile(fallbackDir, stem + "-", ext);
                content.writeTo(fallback);
                return new Written(requested, fallback, first);
            } catch (IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() == null ? f.getReason() : f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
