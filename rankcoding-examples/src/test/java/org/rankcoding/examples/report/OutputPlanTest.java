package org.rankcoding.examples.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** The pre-flight of a run's outputs: every rule of {@link OutputPlan}, and that a refused plan creates nothing. */
class OutputPlanTest {

    private static OutputPlan refusing() {
        return new OutputPlan(OutputPlan.Existing.REFUSE);
    }

    @Test
    void missingParentsAreCreatedOnlyWhenEveryOutputPasses(@TempDir Path tmp) {
        Path model = tmp.resolve("missing/dir/m.safetensors");
        Path plots = tmp.resolve("plots/deeper");
        refusing().file("--save-model", model).directory("--plots", plots, "task-").check();
        assertTrue(Files.isDirectory(model.getParent()));
        assertTrue(Files.isDirectory(plots));
        assertFalse(Files.exists(model), "the pre-flight writes no output file");

        Path other = tmp.resolve("other/m.safetensors");
        assertIllegalArgument(() -> refusing().file("--save-model", other).file("--json", tmp).check(), "--json", "is a directory");
        assertFalse(Files.exists(other.getParent()), "a refused plan creates no directory");
    }

    @Test
    void aFileOptionNamingADirectoryIsRefused(@TempDir Path tmp) {
        assertIllegalArgument(() -> refusing().file("--save-model", tmp).check(), "--save-model " + tmp, "is a directory",
                "name a file");
    }

    @Test
    void aDirectoryOptionNamingAFileIsRefused(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertIllegalArgument(() -> refusing().directory("--plots", file, "task-").check(), "--plots " + file, "is a file");
        assertIllegalArgument(() -> refusing().checkpoints("--checkpoint-dir", file, List.of("rc")).check(), "--checkpoint-dir",
                "is a file");
        assertIllegalArgument(() -> refusing().file("--json", file.resolve("r.json")).check(), "--json", "is a file, not a directory");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void theSamePathTwiceIsRefused(@TempDir Path tmp) {
        Path x = tmp.resolve("x");
        assertIllegalArgument(() -> refusing().file("--json", x).file("--save-model", tmp.resolve("a/../x")).check(),
                "--json and --save-model name the same path");
        assertIllegalArgument(() -> refusing().file("--json", x).checkpoints("--checkpoint-dir", x, List.of("rc")).check(),
                "--json and --checkpoint-dir name the same path");
        assertFalse(Files.exists(x));
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenAskedOrAtItsDefaultPlace(@TempDir Path tmp) throws IOException {
        Path json = Files.writeString(tmp.resolve("r.json"), "old");
        assertIllegalArgument(() -> refusing().file("--json", json).check(), "--json " + json, "already exists", "--overwrite",
                "choose another path");
        new OutputPlan(OutputPlan.Existing.REPLACE).file("--json", json).check();
        OutputPlan.overwriting(true).file("--json", json).check();
        refusing().defaultFile("--csv", json).check(); // scratch
        assertEquals("old", Files.readString(json), "the pre-flight never touches an existing file");
    }

    @Test
    void aNamedPlotDirectoryHoldingThisRunsPlotsNeedsOverwrite(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("other.png"), "x");
        refusing().directory("--plots", tmp, "task-").check(); // files of others are not ours
        Files.writeString(tmp.resolve("task-training.png"), "x");
        assertIllegalArgument(() -> refusing().directory("--plots", tmp, "task-").check(), "--plots " + tmp,
                "task-training.png", "--overwrite");
        OutputPlan.overwriting(true).directory("--plots", tmp, "task-").check();
        refusing().defaultDirectory("--plots", tmp).check();
    }

    @Test
    void aCheckpointDirectoryMayHoldCheckpoints(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("rc"));
        Files.writeString(tmp.resolve("rc/checkpoint-000000000003.safetensors"), "x");
        refusing().checkpoints("--checkpoint-dir", tmp, List.of("rc", "eos")).check();
        Files.writeString(tmp.resolve("eos"), "x");
        assertIllegalArgument(() -> refusing().checkpoints("--checkpoint-dir", tmp, List.of("rc", "eos")).check(),
                "--checkpoint-dir", "eos is a file");
    }

    /** Whether {@code dir}, made read-only, really refuses a new file (not so for root). */
    static boolean readOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        } catch (UnsupportedOperationException e) {
            return false;
        }
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A directory no one may create files in, root included: /proc on Linux. */
    static Path unwritable() {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc), "no /proc here");
        try {
            Files.delete(Files.createTempFile(proc, "probe", ".tmp"));
            assumeTrue(false, "/proc is writable here");
        } catch (IOException e) {
            // unwritable, as expected
        }
        return proc;
    }

    @Test
    void aDirectoryNoOneCanWriteIsRefusedEvenForRoot() {
        Path proc = unwritable();
        assertIllegalArgument(() -> refusing().checkpoints("--checkpoint-dir", proc.resolve("rankcoding-ckpt"), List.of("rc")).check(),
                "--checkpoint-dir " + proc.resolve("rankcoding-ckpt"), "cannot write into /proc", "choose a writable place");
        assertIllegalArgument(() -> refusing().file("--json", proc.resolve("r.json")).check(), "--json", "cannot write into /proc");
    }

    @Test
    void aReadOnlyDirectoryIsRefused(@TempDir Path tmp) throws IOException {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.createDirectories(tmp.resolve("ckpt/rc"));
        boolean lockedReadOnly = readOnly(locked);
        boolean rcReadOnly = readOnly(tmp.resolve("ckpt/rc"));
        try {
            assumeTrue(lockedReadOnly && rcReadOnly, "directories made read-only stay writable here (running as root?)");
            assertIllegalArgument(() -> refusing().file("--json", locked.resolve("r.json")).check(), "--json", "cannot write into "
                    + locked);
            assertIllegalArgument(() -> refusing().file("--save-model", locked.resolve("new/m.safetensors")).check(),
                    "--save-model", "cannot write into " + locked);
            assertIllegalArgument(() -> refusing().checkpoints("--checkpoint-dir", locked, List.of("rc")).check(),
                    "--checkpoint-dir", "cannot write into");
            assertIllegalArgument(() -> refusing().checkpoints("--checkpoint-dir", tmp.resolve("ckpt"), List.of("rc")).check(),
                    "--checkpoint-dir", "cannot write into " + tmp.resolve("ckpt/rc"));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(tmp.resolve("ckpt/rc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
