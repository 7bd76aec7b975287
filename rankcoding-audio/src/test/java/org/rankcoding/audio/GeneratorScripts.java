package org.rankcoding.audio;

import org.rankcoding.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the data generators of the project's {@code scripts/} from the tests, and reads what they write: the scripts'
 * tools are looked up on the {@code PATH} (a test skips where one is missing: the scripts themselves would install
 * them as root, a unit test does not), their CSV label files are split into rows, and two output directories are
 * compared file by file.
 */
final class GeneratorScripts {

    private GeneratorScripts() {
    }

    /** Skips the calling test unless every one of {@code tools} is on the {@code PATH}. */
    static void assumeTools(String... tools) {
        for (String tool : tools) {
            assumeTrue(Tools.onPath(tool), tool + " is not installed (Debian package: see .ci/run)");
        }
    }

    /** The script {@code scripts/NAME} of the project; fails when it is missing or not executable. */
    static Path script(String name) {
        // Maven runs the tests in the module's directory; the scripts are in the project's scripts/.
        Path p = Path.of("..", "scripts", name).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(p), "scripts/" + name + " not found (or not executable) at " + p);
        return p;
    }

    /** Runs {@code bash scripts/NAME ARGS...} and returns its exit status and output (standard output and error). */
    static Result run(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script(name).toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish in 5 minutes");
        return new Result(p.exitValue(), output);
    }

    /** Runs the script like {@link #run} and fails unless it exits with status 0; returns its output. */
    static String runOk(String name, String... args) throws IOException, InterruptedException {
        Result r = run(name, args);
        assertEquals(0, r.status(), r.output());
        return r.output();
    }

    /** The rows of a CSV file without commas inside fields; checks and drops the header. */
    static List<String[]> csvRows(Path file, String header) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(!lines.isEmpty(), file + " is empty (no header)");
        assertEquals(header, lines.get(0), file + ": header");
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            assertEquals(3, fields.length, file + ": '" + line + "'");
            rows.add(fields);
        }
        return rows;
    }

    /** Mean of the squared samples in [from, to); 0 for an empty range. */
    static double meanSquare(float[] samples, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return to > from ? sum / (to - from) : 0;
    }

    /** Asserts that both directories hold the same files with the same bytes. */
    static void assertSameFiles(Path a, Path b) throws IOException {
        List<Path> filesA = relativeFiles(a);
        assertEquals(filesA, relativeFiles(b), "files of " + a + " and " + b);
        for (Path f : filesA) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " differs");
        }
    }

    /** Every regular file under {@code root}, relative to it, sorted. */
    static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    /**
     * Checks {@code DIR/word_bounds.csv} of a clip data set: one row per clip of the given word folders and no other,
     * 0 <= start < end <= 16000, and the clip's mean energy inside the bounds at least {@code minRatio} times the mean
     * energy outside them (where at least 10 ms are outside). Returns the number of rows.
     */
    static int assertWordBoundsOfEveryClip(Path dir, List<String> words, double minRatio) throws IOException {
        List<String> clips = new ArrayList<>();
        for (String w : words) {
            try (Stream<Path> s = Files.list(dir.resolve(w))) {
                s.map(f -> w + "/" + f.getFileName()).filter(f -> f.endsWith(".wav")).forEach(clips::add);
            }
        }
        List<String[]> rows = csvRows(dir.resolve("word_bounds.csv"), "file,start_sample,end_sample");
        assertEquals(clips.stream().sorted().toList(), rows.stream().map(r -> r[0]).toList(),
                "word_bounds.csv lists every clip once, sorted by file");
        for (String[] row : rows) {
            int start = Integer.parseInt(row[1]);
            int end = Integer.parseInt(row[2]);
            assertTrue(0 <= start && start < end && end <= 16_000, String.join(",", row));
            float[] x = WavReader.read(dir.resolve(row[0]), 16_000).samples();
            assertEquals(16_000, x.length, row[0]);
            int outside = x.length - (end - start);
            if (outside >= 160) {
                double out = (meanSquare(x, 0, start) * start + meanSquare(x, end, x.length) * (x.length - end)) / outside;
                double in = meanSquare(x, start, end);
                assertTrue(in >= minRatio * out, String.join(",", row) + ": energy inside " + in + ", outside " + out);
            }
        }
        return rows.size();
    }

    /** A script's exit status and output. */
    record Result(int status, String output) {
    }
}
