package org.rankcoding.train;

import com.fasterxml.jackson.core.JsonFactory;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.io.TensorFile;
import org.rankcoding.rc.LossMode;
import org.rankcoding.testing.Slow;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIGKILL drill: a child JVM ({@link CheckpointDrillMain}) trains with a checkpoint every 2 batches and is killed
 * with {@link Process#destroyForcibly()} (SIGKILL on Linux) at a random moment 0 to 300 ms after it reported its first
 * checkpoint, several times, each time resumed from the newest checkpoint. After every kill each checkpoint file on disk must load, the newest must be at least the last one
 * the child reported complete (nothing reported is lost), and the resumed child must start from it. At the end the
 * final checkpoint must equal that of an uninterrupted child run in everything but wall-clock times (weights, Adam's
 * moments, generator, epoch order, counters, validation history), bit for bit.
 *
 * <p>The children compute with the default kernels ({@code float32}); every resumed child starts with nothing compiled,
 * so the drill also shows that results do not depend on JIT warm-up.
 */
@Slow
class CheckpointKillDrillTest {

    private static final int KILLS = 5;
    private static final int EVERY = 2;
    private static final long BUDGET = 32 * 120;
    private static final String THREADS = "2";

    /** A running child with its output lines. */
    private record Child(Process process, BlockingQueue<String> lines, Thread reader) {
    }

    private static Child start(Path dir, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xshare:auto", "-cp", classPath(),
                CheckpointDrillMain.class.getName(), dir.toString(), LossMode.RANK_CODING.name(), THREADS,
                Integer.toString(EVERY), Long.toString(BUDGET)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child was killed: its output simply ends
            }
            lines.add("eof");
        }, "drill-child-reader");
        reader.setDaemon(true);
        reader.start();
        return new Child(p, lines, reader);
    }

    /** The classes of this build and the core's dependencies, for a child JVM on the class path. */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (Path p : List.of(Path.of("target", "test-classes"), Path.of("target", "classes"))) {
            assertTrue(Files.isDirectory(p), p.toAbsolutePath() + " is missing; run the drill from rankcoding-core with Maven");
            parts.add(p.toAbsolutePath().toString());
        }
        for (Class<?> c : List.of(DMatrixRMaj.class, CommonOps_DDRM.class, LoggerFactory.class, JsonFactory.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /** Waits for the next line of the child (or "eof"). */
    private static String next(Child c) throws InterruptedException {
        String line = c.lines().poll(60, TimeUnit.SECONDS);
        assertNotNull(line, "the child printed nothing for 60 s");
        return line;
    }

    private static long number(String line) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1));
    }

    /** Runs a child to its end; returns the number of batches it reported. */
    private static long runToEnd(Child c, List<String> seen) throws InterruptedException {
        for (String line; !(line = next(c)).equals("eof"); ) {
            seen.add(line);
        }
        assertTrue(c.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, c.process().exitValue(), "child output " + seen);
        String done = seen.get(seen.size() - 1);
        assertTrue(done.startsWith("done "), done);
        return number(done);
    }

    private static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> TensorFile.temporaryTarget(p.getFileName().toString()) != null).toList();
        }
    }

    @Test
    void killedAtRandomMomentsAndResumedEndsBitIdentical(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("children.log");
        Path reference = tmp.resolve("reference");
        long started = System.nanoTime();
        Child uninterrupted = start(reference, log); // runs alongside the interrupted ones

        Path dir = tmp.resolve("interrupted");
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int kills = 0;
        int verified = 0;
        int strayTemporaries = 0;
        long expectedStart = 0;
        List<String> report = new ArrayList<>();
        long finalBatches = -1;
        while (finalBatches < 0) {
            Child c = start(dir, log);
            String first = next(c);
            assertEquals("start " + expectedStart, first, "the child resumes from the newest checkpoint on disk");
            if (kills == KILLS) {
                List<String> seen = new ArrayList<>(List.of(first));
                finalBatches = runToEnd(c, seen);
                break;
            }
            String firstCheckpoint = next(c); // the first checkpoint of this incarnation: it is training for sure now
            assertTrue(firstCheckpoint.startsWith("checkpoint "), firstCheckpoint);
            long delay = random.nextInt(300);
            Thread.sleep(delay);
            c.process().destroyForcibly();
            assertTrue(c.process().waitFor(60, TimeUnit.SECONDS));
            c.reader().join(60_000);
            long reported = number(firstCheckpoint);
            boolean done = false;
            for (String line : c.lines()) {
                if (line.startsWith("checkpoint ")) {
                    reported = Math.max(reported, number(line));
                }
                done |= line.startsWith("done ");
            }
            if (done) { // it finished before the kill landed
                finalBatches = number(c.lines().stream().filter(l -> l.startsWith("done ")).findFirst().orElseThrow());
                break;
            }
            kills++;
            List<Path> files = TrainingCheckpoint.list(dir);
            for (Path f : files) {
                TrainingCheckpoint.load(f); // every checkpoint on disk must be complete and valid
                verified++;
            }
            long newest = files.isEmpty() ? 0 : TrainingCheckpoint.load(files.get(files.size() - 1)).progress().batches();
            assertTrue(newest >= reported, "the newest checkpoint on disk (batch " + newest + ") is older than the last one the "
                    + "child reported complete (batch " + reported + ")");
            assertTrue(newest <= Math.max(reported, expectedStart) + EVERY, "at most one checkpoint beyond the last reported");
            List<Path> stray = temporaries(dir);
            strayTemporaries += stray.size();
            report.add("kill " + kills + " " + delay + " ms after the first checkpoint of a child resumed at batch " + expectedStart
                    + ": last checkpoint it reported batch " + reported + ", newest on disk batch "
                    + newest + ", " + files.size() + " checkpoint files loaded, " + stray.size() + " partial temporary file(s)");
            expectedStart = newest;
        }
        assertTrue(temporaries(dir).isEmpty(), "the last resume deleted the partial temporary files");
        long referenceBatches = runToEnd(uninterrupted, new ArrayList<>());

        assertEquals(referenceBatches, finalBatches);
        Path mine = TrainingCheckpoint.fileFor(dir, finalBatches);
        Path theirs = TrainingCheckpoint.fileFor(reference, referenceBatches);
        assertNull(CheckpointFixtures.firstDifference(TrainingCheckpoint.load(theirs).network().parameters(),
                TrainingCheckpoint.load(mine).network().parameters()), "final weights");
        assertEquals(List.of(), CheckpointFixtures.checkpointDifferences(theirs, mine));
        report.forEach(line -> System.out.println("DRILL " + line));
        System.out.printf("DRILL SIGKILL: %d kills (random delays, seed %d), %d checkpoint files verified loadable, %d partial "
                        + "temporary files found after kills (deleted on resume), final weights after %d batches bit-identical to "
                        + "the uninterrupted run; %.1f s%n", kills, seed, verified, strayTemporaries, finalBatches,
                (System.nanoTime() - started) / 1e9);
        assertTrue(kills >= 1, "at least one kill landed before the end");
    }
}
