package org.rankcoding.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Atomic replacement of a file, shared by {@link ModelFiles} and {@link TensorFile}: the content goes to a new
 * temporary file {@code .NAME.RANDOM.tmp} in the target's directory, which is forced to the storage device
 * ({@link FileChannel#force}), renamed over the target in one atomic step, and the directory is forced too (where
 * the platform can open a directory). A crash leaves either the old file or the complete new one under the target
 * name, never a partial one (at worst a stray temporary file, see {@link #temporaryTarget}); a failed write deletes
 * its temporary file and leaves the target unchanged.
 */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.[0-9a-f]{1,16}\\.tmp");

    /** Writes the body of a file through a channel, with {@link #writeFully} for every byte. */
    @FunctionalInterface
    interface Body {
        void write(FileChannel ch) throws IOException;
    }

    /**
     * A fault injected into file writes, for the failure drills of the tests (a full disk, a directory that became
     * read-only). Package-private on purpose: production code never sets it.
     */
    interface Fault {
        /** Called before the temporary file {@code tmp} is created; throw to simulate a directory one cannot write. */
        default void beforeCreate(Path tmp) throws IOException {
        }

        /** Called before {@code bytes} bytes are written at {@code position}; throw to simulate a full disk. */
        default void beforeWrite(long position, int bytes) throws IOException {
        }
    }

    /** The injected fault, or {@code null} (always, outside the drills). */
    static volatile Fault fault;

    private AtomicFiles() {
    }

    /**
     * Writes {@code file} atomically (see the class comment).
     *
     * @throws IOException if any step fails; the target is then unchanged and the temporary file deleted
     */
    static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            Path candidate = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Fault f = fault;
                if (f != null) {
                    f.beforeCreate(candidate);
                }
                ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel c = ch) {
                body.write(c);
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("Could not delete the temporary file {}: {}", tmp, e.toString());
                }
            }
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory (Windows cannot); the rename itself is still atomic.
            LOG.debug("Could not force directory {} to the device: {}", dir, e.toString());
        }
    }

    /**
     * The name of the target a temporary file {@code .NAME.RANDOM.tmp} of {@link #write} was for, or {@code null} if
     * {@code fileName} is not such a name.
     */
    static String temporaryTarget(String fileName) {
        Matcher m = TEMPORARY.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }

    /** Writes {@code buf}'s remaining bytes at the channel's position, then clears it for refilling. */
    static void flush(SeekableByteChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(ch, buf);
        buf.clear();
    }

    /** Writes all of {@code buf}'s remaining bytes at the channel's position. */
    static void writeFully(SeekableByteChannel ch, ByteBuffer buf) throws IOException {
        Fault f = fault;
        if (f != null) {
            f.beforeWrite(ch.position(), buf.remaining());
        }
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Writes all of {@code buf}'s remaining bytes at file position {@code position} (the channel's position is kept). */
    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        Fault f = fault;
        if (f != null) {
            f.beforeWrite(position, buf.remaining());
        }
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }
}
