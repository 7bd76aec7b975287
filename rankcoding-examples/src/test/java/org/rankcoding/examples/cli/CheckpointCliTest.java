package org.rankcoding.examples.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.examples.RankCodingCli;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.train.TrainingCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --checkpoint-dir} and {@code --resume} on a toy task: a run interrupted in either model and resumed reports
 * exactly what the uninterrupted run reports (wall-clock times aside); misuse gives clear errors.
 */
class CheckpointCliTest {

    /** 16 batches per model (15 of 128 and one of 80), a checkpoint every 3 batches, all kept. */
    private static final String[] TINY = {"noise-vs-signal", "--train-sequences", "2000", "--test-sequences", "1000",
            "--validation-sequences", "500", "--validate-every", "1000", "--hidden", "8", "--threads", "1", "--no-progress",
            "--no-plots", "--checkpoint-every", "3", "--checkpoint-keep", "100"};

    private static String kernels;

    @BeforeAll
    static void deterministicKernels() {
        // the default kernels (these tests compare runs bit for bit: results must not depend on JIT warm-up)
        kernels = System.getProperty(Kernels.PROPERTY);
        System.clearProperty(Kernels.PROPERTY);
    }

    @AfterAll
    static void restoreKernels() {
        if (kernels == null) {
            System.clearProperty(Kernels.PROPERTY);
        } else {
            System.setProperty(Kernels.PROPERTY, kernels);
        }
    }

    static String[] concat(String[] base, String... args) {
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        return all;
    }

    static CliRun run(String[] base, String... args) {
        return CliRun.of(concat(base, args));
    }

    /** The JSON without anything measured in seconds (wall-clock times differ from run to run). */
    @SuppressWarnings("unchecked")
    static Object withoutTimes(Object json) {
        if (json instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (!k.contains("seconds")) {
                    out.put(k, withoutTimes(v));
                }
            });
            return out;
        }
        if (json instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(withoutTimes(v)));
            return out;
        }
        return json;
    }

    static Object results(Path json) throws IOException {
        return withoutTimes(JsonTree.parseObject(Files.readString(json)));
    }

    /** A checkpoint directory holding copies of {@code from}'s checkpoints of the given models up to the given batches. */
    static void copyUpTo(Path from, Path to, String model, long batches) throws IOException {
        Files.createDirectories(to.resolve(model));
        for (Path f : TrainingCheckpoint.list(from.resolve(model))) {
            if (TrainingCheckpoint.load(f).progress().batches() <= batches) {
                Files.copy(f, to.resolve(model).resolve(f.getFileName()));
            }
        }
    }

    @Test
    void aRunInterruptedInEitherModelAndResumedReportsTheSame(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full");
        CliRun a = run(TINY, "--checkpoint-dir", full.toString(), "--json", tmp.resolve("full.json").toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 16L), batches(full.resolve("rc")));
        assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 16L), batches(full.resolve("eos")));

        // interrupted during RC, after its checkpoint at batch 6: RC resumes, EOS starts afresh
        Path duringRc = tmp.resolve("during-rc");
        copyUpTo(full, duringRc, "rc", 6);
        CliRun b = run(TINY, "--checkpoint-dir", duringRc.toString(), "--resume", "--json", tmp.resolve("b.json").toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("rc: resuming from " + TrainingCheckpoint.fileFor(duringRc.resolve("rc"), 6)), b.out());
        assertEquals(results(tmp.resolve("full.json")), results(tmp.resolve("b.json")));

        // interrupted during EOS: RC is finished and not trained again, EOS resumes from batch 9
        Path duringEos = tmp.resolve("during-eos");
        copyUpTo(full, duringEos, "rc", 16);
        copyUpTo(full, duringEos, "eos", 9);
        CliRun c = run(TINY, "--checkpoint-dir", duringEos.toString(), "--resume", "--json", tmp.resolve("c.json").toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("already finished, not trained again"), c.out());
        assertEquals(results(tmp.resolve("full.json")), results(tmp.resolve("c.json")));
    }

    private static List<Long> batches(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        for (Path f : TrainingCheckpoint.list(dir)) {
            out.add(TrainingCheckpoint.load(f).progress().batches());
        }
        return out;
    }

    @Test
    void misuseGivesClearErrors(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ck");
        CliRun first = run(TINY, "--checkpoint-dir", dir.toString());
        assertEquals(0, first.code(), first.err());

        CliRun again = run(TINY, "--checkpoint-dir", dir.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds") && again.err().contains("--resume"), again.err());

        CliRun otherRate = run(TINY, "--checkpoint-dir", dir.toString(), "--resume", "--lr", "1e-3");
        assertEquals(1, otherRate.code());
        assertTrue(otherRate.err().contains("learningRate = 3.0E-4 in the checkpoint, 0.001 here"), otherRate.err());

        CliRun otherData = run(TINY, "--checkpoint-dir", dir.toString(), "--resume", "--length", "30");
        assertEquals(1, otherData.code());
        assertTrue(otherData.err().contains("generator.length = 40 in the checkpoint, 30 here"), otherData.err());

        CliRun nothing = run(TINY, "--checkpoint-dir", tmp.resolve("empty").toString(), "--resume");
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().contains("no checkpoint to resume in " + tmp.resolve("empty").resolve("rc")), nothing.err());

        CliRun noDir = run(TINY, "--resume");
        assertEquals(2, noDir.code());
        assertTrue(noDir.err().contains("--resume needs --checkpoint-dir"), noDir.err());

        List<Path> files = TrainingCheckpoint.list(dir.resolve("rc"));
        Path newest = files.get(files.size() - 1);
        Files.write(newest, Arrays.copyOf(Files.readAllBytes(newest), 1000));
        CliRun truncated = run(TINY, "--checkpoint-dir", dir.toString(), "--resume");
        assertEquals(1, truncated.code());
        assertTrue(truncated.err().contains(newest.toString()), truncated.err());
        for (CliRun r : List.of(again, otherRate, otherData, nothing, truncated)) {
            assertFalse(r.err().contains("\tat "), "a message, not a stack trace: " + r.err());
        }
    }

    /** {@code base} with the value of {@code option} replaced by {@code value}. */
    static String[] with(String[] base, String option, String value) {
        String[] out = base.clone();
        int i = Arrays.asList(out).indexOf(option);
        assertTrue(i >= 0 && i + 1 < out.length, option + " is not in " + Arrays.toString(base));
        out[i + 1] = value;
        return out;
    }

    @Test
    void aResumeWithAnotherNetworkIsRefusedBeforeAnyTrainingListingEveryDifference(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full");
        assertEquals(0, run(TINY, "--checkpoint-dir", full.toString()).code());
        Path dir = tmp.resolve("interrupted");
        copyUpTo(full, dir, "rc", 6);
        List<Path> before = TrainingCheckpoint.list(dir.resolve("rc"));
        byte[] newest = Files.readAllBytes(before.get(before.size() - 1));
        Path json = tmp.resolve("report.json");

        CliRun wider = run(with(TINY, "--hidden", "16"), "--checkpoint-dir", dir.toString(), "--resume", "--json", json.toString());
        assertEquals(1, wider.code(), wider.err());
        assertTrue(wider.err().contains("cannot resume") && wider.err().contains("hiddenSize = 8 in the checkpoint, 16 here"),
                wider.err());

        CliRun deeper = run(with(TINY, "--hidden", "16"), "--layers", "2", "--lr", "1e-3", "--checkpoint-dir", dir.toString(),
                "--resume", "--json", json.toString());
        assertEquals(1, deeper.code(), deeper.err());
        assertTrue(deeper.err().contains("learningRate = 3.0E-4 in the checkpoint, 0.001 here; hiddenSize = 8 in the checkpoint, "
                + "16 here; layers = 1 in the checkpoint, 2 here"), deeper.err());

        for (CliRun r : List.of(wider, deeper)) {
            assertFalse(r.out().contains("resuming from"), r.out());
            assertFalse(r.err().contains("\tat "), "a message, not a stack trace: " + r.err());
        }
        assertFalse(Files.exists(json), "no report of a run that did not run");
        assertEquals(before, TrainingCheckpoint.list(dir.resolve("rc")), "no checkpoint written or deleted");
        assertTrue(Arrays.equals(newest, Files.readAllBytes(before.get(before.size() - 1))), "the checkpoint is unchanged");
        assertFalse(Files.exists(dir.resolve("eos")) && !TrainingCheckpoint.list(dir.resolve("eos")).isEmpty(), "EOS not started");

        CliRun same = run(TINY, "--checkpoint-dir", dir.toString(), "--resume");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("rc: resuming from"), same.out());
    }
}
