package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every command checks its output paths before it loads or generates any data or trains: a bad output path is a usage
 * error (exit code 2) naming the option and the path, in well under the time any training takes, with nothing printed
 * about training and nothing written.
 */
class OutputPreflightCliTest {

    /** A toy run big enough that its training would take many seconds, so that a quick refusal shows none started. */
    private static final String[] SLOW_TOY = {"noise-vs-signal", "--train-sequences", "5000000", "--test-sequences", "200000",
            "--no-progress"};
    /** A toy run that trains in a moment. */
    private static final String[] QUICK_TOY = {"noise-vs-signal", "--train-sequences", "256", "--test-sequences", "200",
            "--validation-sequences", "0", "--hidden", "4", "--threads", "1", "--no-progress", "--no-plots"};

    private static String[] concat(String[] base, String... args) {
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        return all;
    }

    /** Runs {@code args}, asserts a quick usage error whose first line contains every fragment, and nothing on standard output. */
    private static CliRun refused(String[] args, String... fragments) {
        long start = System.nanoTime();
        CliRun r = CliRun.of(args);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, r.code(), r.err() + r.out());
        String first = r.err().lines().findFirst().orElse("");
        for (String f : fragments) {
            assertTrue(first.contains(f), "the message should contain '" + f + "': " + r.err());
        }
        assertEquals("", r.out(), "nothing about data or training is printed");
        assertTrue(seconds < 10, "refused after " + seconds + " s: the data or the training started first");
        return r;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aJsonFileThatIsADirectoryIsRefusedBeforeTraining(@TempDir Path tmp) throws IOException {
        refused(concat(SLOW_TOY, "--json", tmp.toString(), "--no-plots"), "--json " + tmp, "is a directory");
        assertEquals(List.of(""), listing(tmp));
    }

    @Test
    void aPlotDirectoryThatIsAFileIsRefusedBeforeTraining(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("plots"), "not a directory");
        refused(concat(SLOW_TOY, "--plots", file.toString()), "--plots " + file, "is a file");
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aModelFileThatIsADirectoryIsRefusedBeforeTheDataAreLoaded(@TempDir Path tmp) {
        // the MNIST files are missing too: the output is checked first
        refused(new String[] {"temporal-mnist", "--data", tmp.resolve("no-mnist").toString(), "--save-model", tmp.toString(),
                "--no-plots"}, "--save-model " + tmp, "is a directory");
        refused(new String[] {"keyword-spotting", "--data", tmp.resolve("no-speech").toString(), "--save-model", tmp.toString(),
                "--no-plots"}, "--save-model " + tmp, "is a directory");
    }

    @Test
    void theSamePathForTwoOutputsIsRefused(@TempDir Path tmp) throws IOException {
        Path x = tmp.resolve("x");
        refused(new String[] {"temporal-mnist", "--data", tmp.resolve("no-mnist").toString(), "--json", x.toString(), "--save-model",
                x.toString(), "--no-plots"}, "--json and --save-model name the same path " + x);
        refused(new String[] {"sweep", "--csv", x.toString(), "noise-vs-signal", "--json", x.toString(), "--no-plots"},
                "--json and --csv name the same path");
        refused(concat(SLOW_TOY, "--json", x.toString(), "--checkpoint-dir", x.toString(), "--no-plots"),
                "--json and --checkpoint-dir name the same path");
        assertEquals(List.of(""), listing(tmp));
    }

    @Test
    void sweepCsvThatIsADirectoryIsRefusedBeforeTraining(@TempDir Path tmp) {
        refused(new String[] {"sweep", "--csv", tmp.toString(), "noise-vs-signal", "--train-sequences", "5000000", "--no-plots"},
                "--csv " + tmp, "is a directory");
        Path json = tmp.resolve("r.json");
        refused(new String[] {"sweep", "noise-vs-signal", "--json", json.toString(), "--plots", json.toString()},
                "--json and --plots name the same path");
    }

    @Test
    void anExistingOutputIsReplacedOnlyWithOverwrite(@TempDir Path tmp) throws IOException {
        Path json = Files.writeString(tmp.resolve("r.json"), "earlier results");
        refused(concat(SLOW_TOY, "--json", json.toString(), "--no-plots"), "--json " + json, "already exists",
                "pass --overwrite to replace it, or choose another path");
        assertEquals("earlier results", Files.readString(json));

        CliRun r = CliRun.of(concat(QUICK_TOY, "--json", json.toString(), "--overwrite"));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.readString(json).contains("\"task\": \"noise-vs-signal\""), "replaced with --overwrite");
        assertEquals(List.of("", "r.json"), listing(tmp), "no temporary file left");
    }

    @Test
    void aNamedPlotDirectoryWithThisTasksPlotsNeedsOverwrite(@TempDir Path tmp) throws IOException {
        Path plots = Files.createDirectories(tmp.resolve("plots"));
        Files.writeString(plots.resolve("noise-vs-signal-training.png"), "earlier");
        refused(concat(SLOW_TOY, "--plots", plots.toString()), "--plots " + plots, "noise-vs-signal-training.png", "--overwrite");
        assertEquals("earlier", Files.readString(plots.resolve("noise-vs-signal-training.png")));
    }

    @Test
    void missingDirectoriesOfAnOutputAreCreated(@TempDir Path tmp) {
        Path json = tmp.resolve("missing/dir/r.json");
        CliRun r = CliRun.of(concat(QUICK_TOY, "--json", json.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.isRegularFile(json));
    }

    @Test
    void anUnwritableCheckpointDirectoryIsRefusedAtStart() {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc) && !canCreateIn(proc), "no unwritable /proc here");
        refused(concat(SLOW_TOY, "--checkpoint-dir", proc.resolve("ckpt").toString(), "--no-plots"), "--checkpoint-dir",
                "cannot write into /proc");
    }

    @Test
    void aReadOnlyCheckpointDirectoryIsRefusedAtStart(@TempDir Path tmp) throws IOException {
        Path ckpt = Files.createDirectories(tmp.resolve("ckpt/rc"));
        try {
            Files.setPosixFilePermissions(ckpt, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            assumeTrue(!canCreateIn(ckpt), "a read-only directory stays writable here (running as root?)");
            refused(concat(SLOW_TOY, "--checkpoint-dir", tmp.resolve("ckpt").toString(), "--no-plots"), "--checkpoint-dir",
                    "cannot write into " + ckpt);
        } finally {
            Files.setPosixFilePermissions(ckpt, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void benchJsonIsCheckedBeforeMeasuring(@TempDir Path tmp) throws IOException {
        refused(new String[] {"bench", "--json", tmp.toString()}, "--json " + tmp, "is a directory");
        Path json = Files.writeString(tmp.resolve("b.json"), "earlier");
        refused(new String[] {"bench", "--json", json.toString()}, "--json " + json, "already exists", "--overwrite");
        refused(new String[] {"bench-frontend", "--data", tmp.resolve("none").toString(), "--json", json.toString()}, "--json " + json,
                "already exists");
        assertEquals("earlier", Files.readString(json));
    }

    private static boolean canCreateIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
