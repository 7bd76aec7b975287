package org.rankcoding.train;

import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory a run writes its {@link TrainingCheckpoint}s to: one file per checkpoint,
 * {@code checkpoint-BBBBBBBBBBBB.safetensors} (the batch count, 12 digits, so that names sort by age), each written
 * atomically by {@link CheckpointCodec} (temporary file in the same directory, forced to the device, atomic rename,
 * directory forced) and checksummed. After a new checkpoint is complete, the oldest ones beyond the policy's
 * {@link CheckpointPolicy#keep() keep} are deleted, so the last good checkpoint is never removed before its successor
 * exists. {@link #latest} finds the newest checkpoint and checks it.
 */
public final class CheckpointDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);
    private static final Pattern FILE_NAME = Pattern.compile("checkpoint-(\\d{12})\\.safetensors");

    private final Path directory;

    /** The checkpoints in {@code directory} (which need not exist yet). */
    public CheckpointDirectory(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("directory is null; give the directory of the checkpoints");
        }
        this.directory = directory;
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The file of the checkpoint after batch {@code batches}. */
    public Path fileFor(long batches) {
        return directory.resolve(String.format(Locale.ROOT, "checkpoint-%012d.safetensors", batches));
    }

    /**
     * The checkpoint files, oldest (fewest batches) first; empty if the directory does not exist.
     *
     * @throws IOException if the directory cannot be listed
     */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    /**
     * Loads the newest checkpoint, if there is one.
     *
     * @return empty if the directory does not exist or holds no checkpoint file
     * @throws ModelFileException if the newest checkpoint is not valid (the message names it and any older ones)
     * @throws IOException        if the directory or the file cannot be read
     */
    public Optional<TrainingCheckpoint> latest() throws IOException {
        List<Path> files = list();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path newest = files.get(files.size() - 1);
        try {
            return Optional.of(CheckpointCodec.read(newest));
        } catch (ModelFileException e) {
            String prefix = newest + ": ";
            String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new ModelFileException(newest, detail
                    + (files.size() > 1 ? "; older checkpoints in the directory: " + files.subList(0, files.size() - 1)
                    .stream().map(p -> p.getFileName().toString()).toList() + " (delete the invalid one to resume from the "
                    + "one before it)" : ""), e);
        }
    }

    /**
     * Makes the directory ready for a new run: creates it if missing, deletes temporary files that a killed writer
     * left behind, and refuses a directory that already holds checkpoints.
     *
     * @throws IllegalStateException if the directory holds checkpoints
     * @throws IOException           if the directory cannot be created or listed
     */
    void prepareForNewRun() throws IOException {
        prepare();
        List<Path> existing = list();
        if (!existing.isEmpty()) {
            throw new IllegalStateException("the checkpoint directory " + directory + " already holds " + existing.size()
                    + " checkpoint" + (existing.size() == 1 ? "" : "s") + " of a run (latest: "
                    + existing.get(existing.size() - 1).getFileName() + "); resume that run (Trainer.resume, or --resume), "
                    + "or give an empty directory");
        }
    }

    /**
     * Makes the directory ready for more checkpoints (of a resumed run): creates it if missing and deletes temporary
     * files that a killed writer left behind.
     *
     * @throws IOException if the directory cannot be created or listed
     */
    void prepare() throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IOException("the checkpoint directory " + directory + " exists but is not a directory");
        }
        Files.createDirectories(directory);
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                String target = TensorFile.temporaryTarget(p.getFileName().toString());
                if (target != null && FILE_NAME.matcher(target).matches()) {
                    LOG.info("deleting {}, a partial checkpoint left by an interrupted write", p);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes {@code checkpoint} as the file of its batch count, then deletes the oldest checkpoints beyond the newest
     * {@code keep}.
     *
     * @return the file written
     * @throws IOException if writing fails (the checkpoints written before are intact; the message names the file, the
     *                     cause and the newest intact checkpoint)
     */
    Path write(TrainingCheckpoint checkpoint, int keep) throws IOException {
        long batches = checkpoint.progress().batches();
        Path file = fileFor(batches);
        try {
            CheckpointCodec.write(file, checkpoint);
        } catch (IOException e) {
            List<Path> before = list();
            throw new IOException("could not write the checkpoint " + file + " after batch " + batches + ": " + e
                    + " (is the directory writable, and is there space left on its device?); training stopped. "
                    + (before.isEmpty() ? "No earlier checkpoint exists." : "The earlier checkpoints are intact, latest: "
                    + before.get(before.size() - 1)), e);
        }
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                LOG.warn("could not delete the old checkpoint {}: {}", all.get(i), e.toString());
            }
        }
        LOG.debug("wrote checkpoint {} ({} batches, {} sequences)", file, batches, checkpoint.progress().sequences());
        return file;
    }
}
