package org.rankcoding.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every output path of one run of a command, registered before any data is loaded or any training starts and checked
 * together by {@link #check()}: so that a bad output path costs seconds, not a trained model.
 *
 * <p>The rules: a file option ({@code --json}, {@code --save-model}, {@code --csv}) must not name an existing
 * directory, a directory option ({@code --plots}, {@code --checkpoint-dir}) must not name an existing file; the
 * directory a file goes into, or a directory itself, must exist or be creatable, and must be writable (tried by creating
 * and deleting a file there); no two options may name the same path. An existing output the user named is replaced only
 * when the plan {@link Existing#REPLACE replaces} ({@code --overwrite}); outputs at their default place under
 * {@code target/} are scratch and always replaced. For a plot directory, "existing output" means a file in it whose name
 * starts with the run's prefix ({@code TASK-}). A checkpoint directory may hold checkpoints (they are resumed or
 * refused by the trainer); its model subdirectories must be writable when they exist.
 *
 * <p>{@link #check()} creates the missing directories only once every output has passed, so a refused run leaves
 * nothing behind.
 */
public final class OutputPlan {

    /** What to do with an output that already exists. */
    public enum Existing {
        /** Refuse the run: the user passes {@code --overwrite} or chooses another path. */
        REFUSE,
        /** Replace it ({@code --overwrite}). */
        REPLACE
    }

    private enum Kind { FILE, DIRECTORY, CHECKPOINTS }

    private record Output(String option, Path path, Kind kind, boolean scratch, String prefix, List<String> subdirectories) {
    }

    private final Existing existing;
    private final List<Output> outputs = new ArrayList<>();

    /** An empty plan treating existing outputs as {@code existing} says. */
    public OutputPlan(Existing existing) {
        this.existing = Objects.requireNonNull(existing, "existing");
    }

    /** The plan for a command line: existing outputs are replaced when {@code --overwrite} was given, else refused. */
    public static OutputPlan overwriting(boolean overwrite) {
        return new OutputPlan(overwrite ? Existing.REPLACE : Existing.REFUSE);
    }

    /** Registers a file the user named with {@code option}, e.g. {@code --json FILE}; {@code null} registers nothing. */
    public OutputPlan file(String option, Path file) {
        return add(option, file, Kind.FILE, false, null, List.of());
    }

    /** Registers a file at its default place (scratch, replaced if it exists), e.g. {@code target/sweep-TASK.csv}. */
    public OutputPlan defaultFile(String option, Path file) {
        return add(option, file, Kind.FILE, true, null, List.of());
    }

    /**
     * Registers a directory the user named with {@code option}, into which files named {@code prefix...} are written;
     * {@code null} registers nothing.
     */
    public OutputPlan directory(String option, Path dir, String prefix) {
        return add(option, dir, Kind.DIRECTORY, false, Objects.requireNonNull(prefix, "prefix"), List.of());
    }

    /** Registers a directory at its default place (scratch: files in it are replaced), e.g. {@code target/plots}. */
    public OutputPlan defaultDirectory(String option, Path dir) {
        return add(option, dir, Kind.DIRECTORY, true, null, List.of());
    }

    /**
     * Registers a checkpoint directory holding one subdirectory per model ({@code models}); {@code null} registers
     * nothing. Existing checkpoints are not outputs to refuse (resuming reads them, the trainer refuses a foreign run).
     */
    public OutputPlan checkpoints(String option, Path dir, List<String> models) {
        return add(option, dir, Kind.CHECKPOINTS, false, null, List.copyOf(models));
    }

    private OutputPlan add(String option, Path path, Kind kind, boolean scratch, String prefix, List<String> subdirectories) {
        Objects.requireNonNull(option, "option");
        if (path != null) {
            outputs.add(new Output(option, path, kind, scratch, prefix, subdirectories));
        }
        return this;
    }

    /**
     * Checks every registered output (see the class comment), then creates the missing directories.
     *
     * @throws IllegalArgumentException naming the option, its path and what to do, for the first output refused;
     *                                  nothing is created then
     */
    public void check() {
        Map<Path, Output> seen = new HashMap<>();
        for (Output o : outputs) {
            Output before = seen.putIfAbsent(key(o.path()), o);
            if (before != null) {
                throw new IllegalArgumentException(before.option() + " and " + o.option() + " name the same path " + o.path()
                        + "; give each output its own path");
            }
        }
        for (Output o : outputs) {
            if (o.kind() == Kind.FILE) {
                checkFile(o);
            } else {
                checkDirectory(o);
            }
        }
        for (Output o : outputs) {
            Path dir = o.kind() == Kind.FILE ? o.path().toAbsolutePath().getParent() : o.path();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalArgumentException(o.option() + " " + o.path() + ": cannot create the directory " + dir + " ("
                        + reason(e) + "); choose another path", e);
            }
        }
    }

    private void checkFile(Output o) {
        Path file = o.path();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(o.option() + " " + file + " is a directory; name a file, e.g. "
                    + file.resolve(exampleName(o.option())));
        }
        Path parent = file.toAbsolutePath().getParent();
        requireWritableDirectory(o, parent);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!o.scratch() && existing == Existing.REFUSE) {
                throw new IllegalArgumentException(o.option() + " " + file + " already exists; pass --overwrite to replace it, "
                        + "or choose another path");
            }
            if (!Files.isWritable(file) && !Files.isWritable(parent)) {
                throw new IllegalArgumentException(o.option() + " " + file + " cannot be replaced: neither it nor its directory "
                        + "is writable; choose another path");
            }
        }
    }

    private void checkDirectory(Output o) {
        Path dir = o.path();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(o.option() + " " + dir + " is a file, not a directory; name a directory");
        }
        requireWritableDirectory(o, dir);
        for (String model : o.subdirectories()) {
            Path sub = dir.resolve(model);
            if (Files.exists(sub) && !Files.isDirectory(sub)) {
                throw new IllegalArgumentException(o.option() + " " + dir + ": " + sub + " is a file, not a directory; "
                        + "choose another directory");
            }
            if (Files.isDirectory(sub)) {
                requireWritableDirectory(o, sub);
            }
        }
        if (o.prefix() != null && !o.scratch() && existing == Existing.REFUSE && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().startsWith(o.prefix())).sorted().findFirst().ifPresent(f -> {
                    throw new IllegalArgumentException(o.option() + " " + dir + " already holds " + f.getFileName()
                            + " (files named " + o.prefix() + "* are replaced); pass --overwrite to replace them, "
                            + "or choose another directory");
                });
            } catch (IOException e) {
                throw new IllegalArgumentException(o.option() + " " + dir + " cannot be listed (" + reason(e) + "); choose another directory", e);
            }
        }
    }

    /**
     * Requires that {@code dir}, or the nearest existing directory above it (where it would be created), be a writable
     * directory: tried by creating and deleting a file, which also sees read-only file systems.
     */
    private static void requireWritableDirectory(Output o, Path dir) {
        Path existingDir = dir.toAbsolutePath();
        while (existingDir != null && !Files.exists(existingDir)) {
            existingDir = existingDir.getParent();
        }
        if (existingDir == null) {
            throw new IllegalArgumentException(o.option() + " " + o.path() + ": no part of " + dir + " exists; choose another path");
        }
        if (!Files.isDirectory(existingDir)) {
            throw new IllegalArgumentException(o.option() + " " + o.path() + ": " + existingDir + " is a file, not a directory; "
                    + "choose another path");
        }
        try {
            Path probe = Files.createTempFile(existingDir, ".rankcoding-write-test-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(o.option() + " " + o.path() + ": cannot write into " + existingDir + " ("
                    + reason(e) + "); choose a writable place", e);
        }
    }

    private static Path key(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        try {
            return abs.toRealPath(); // the same file under two names (a link, "a/../a")
        } catch (IOException e) {
            return abs;
        }
    }

    private static String exampleName(String option) {
        return switch (option) {
            case "--save-model" -> "model.safetensors";
            case "--csv" -> "sweep.csv";
            default -> "results.json";
        };
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
