package org.rankcoding.examples.bench;

import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.IdxBytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.datasets.idx.IdxImages;
import org.rankcoding.datasets.latency.LatencyCodedImages;
import org.rankcoding.datasets.latency.LatencyEncoder;
import org.rankcoding.datasets.mnist.Mnist;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.examples.report.JsonTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench-frontend subcommand end to end on 12 made-up 28 x 28 digits in MNIST's file format, with a tiny network, and
 * its batch cutting.
 */
class FrontEndBenchCommandTest {

    private static final int SIDE = Mnist.SIDE;
    private static final int DIGITS = 12;

    /** The figures and settings the JSON shares with bench/pytorch_frontend.py. */
    private static final List<String> SHARED_KEYS = List.of("benchmark", "implementation", "hidden", "layers", "channels", "channels2",
            "kernel", "pool", "integrate", "features", "bins", "batch", "steps", "batches", "distinct_batches", "warmup", "repetitions",
            "threads", "learning_rate", "seed", "example_steps_per_rep", "train_us_per_example_step", "train_us_per_example_step_median",
            "infer_us_per_example_step", "infer_us_per_example_step_median", "loadavg_start", "loadavg_end", "total_seconds");

    @TempDir
    static Path dataDir;

    private static IdxImages images;
    private static int[] labels;

    @BeforeAll
    static void writeTinyData() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        byte[] px = new byte[DIGITS * SIDE * SIDE];
        labels = new int[DIGITS];
        byte[] labelBytes = new byte[DIGITS];
        for (int i = 0; i < DIGITS; i++) {
            labels[i] = i % 10;
            labelBytes[i] = (byte) labels[i];
            for (int k = 0; k < 120; k++) {
                px[i * SIDE * SIDE + 4 * SIDE + rng.nextInt(20 * SIDE)] = (byte) rng.nextInt(256);
            }
        }
        images = new IdxImages(DIGITS, SIDE, SIDE, px);
        Files.write(dataDir.resolve(Mnist.TRAIN_IMAGES), IdxBytes.of(new int[] {DIGITS, SIDE, SIDE}, px));
        Files.write(dataDir.resolve(Mnist.TRAIN_LABELS), IdxBytes.of(new int[] {DIGITS}, labelBytes));
    }

    /**
     * Runs {@code bench-frontend} through the CLI on the tiny digits with a tiny network and {@code args}, which replace the
     * tiny settings of the options they name.
     */
    private static CliRun tiny(String... args) {
        String[] base = {"--data", dataDir.toString(), "--hidden", "8", "--channels", "4", "--channels2", "4", "--batch", "4",
                "--warmup", "1"};
        List<String> all = new ArrayList<>(List.of(FrontEndBenchCommand.NAME));
        for (int i = 0; i < base.length; i += 2) {
            if (!List.of(args).contains(base[i])) {
                all.add(base[i]);
                all.add(base[i + 1]);
            }
        }
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(new String[0]));
    }

    private static Map<String, Object> json(Path file) throws IOException {
        return JsonTree.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static void assertPositiveFigures(Map<String, Object> j) {
        for (String key : SHARED_KEYS) {
            assertTrue(j.containsKey(key), "JSON lacks " + key + ": " + j.keySet());
        }
        for (String key : List.of("train_us_per_example_step", "train_us_per_example_step_median", "infer_us_per_example_step",
                "infer_us_per_example_step_median")) {
            double v = (Double) j.get(key);
            assertTrue(v > 0 && Double.isFinite(v), key + " = " + v);
        }
        assertTrue((Double) j.get("train_us_per_example_step") <= (Double) j.get("train_us_per_example_step_median"));
        assertTrue((Double) j.get("infer_us_per_example_step") <= (Double) j.get("infer_us_per_example_step_median"));
        assertEquals("rankcoding", j.get("implementation"));
    }

    @Test
    void measuresTrainingAndInferencePerExampleStep(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("out/java.json");
        CliRun r = tiny("--steps", "3", "--batches", "2", "--repetitions", "2", "--json", file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("training, per example-step (best)"), r.out());
        assertTrue(r.out().contains("inference, per example-step (best)"), r.out());
        assertTrue(r.out().contains("4 + 4 filters") && r.out().contains("196 features") && r.out().contains("T = 3 steps"), r.out());
        assertTrue(r.out().matches("(?s).*training, per example-step \\(best\\)\\s+[0-9,.]+ us\\s+median [0-9,.]+; 2 reps.*"), r.out());
        Map<String, Object> j = json(file);
        assertPositiveFigures(j);
        assertEquals(196.0, j.get("features"), "4 channels x 7 x 7 after two 2 x 2 poolings");
        assertEquals(3.0, j.get("steps"));
        assertEquals(2.0, j.get("layers"));
        assertEquals(20.0, j.get("bins"));
        assertEquals(2.0 * 4 * 3, j.get("example_steps_per_rep"), "batches x batch x T");
        assertEquals(false, j.get("integrate"));
        assertEquals(0.001, j.get("learning_rate"));
    }

    @Test
    void integratingSingleStageOnTwoThreadsReusesBatches(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("java.json");
        CliRun r = tiny("--threads", "2", "--integrate", "--channels2", "0", "--layers", "1", "--steps", "2", "--batches", "5",
                "--repetitions", "1", "--json", file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("3 distinct batches, reused cyclically"), r.out());
        assertTrue(r.out().contains("integrating"), r.out());
        Map<String, Object> j = json(file);
        assertPositiveFigures(j);
        assertEquals(true, j.get("integrate"));
        assertEquals(4.0 * 14 * 14, j.get("features"));
        assertEquals(3.0, j.get("distinct_batches"), "12 digits make 3 batches of 4");
        assertEquals(5.0 * 4 * 2, j.get("example_steps_per_rep"));
    }

    @Test
    void badValuesAreNamedWithTheirRange() {
        CliRun steps = tiny("--steps", "21");
        assertEquals(2, steps.code(), steps.out() + steps.err());
        assertTrue(steps.err().contains("--steps = 21, expected a value in [1, 20] (the steps of the latency code)"), steps.err());
        CliRun several = tiny("--hidden", "0", "--repetitions", "0");
        assertEquals(2, several.code());
        assertTrue(several.err().contains("--hidden = 0, expected a value in [1, 65536]")
                        && several.err().contains("--repetitions = 0, expected a value in [1, 100000]"),
                several.err());
        CliRun batch = tiny("--batch", "13");
        assertEquals(2, batch.code());
        assertTrue(batch.err().contains("--batch = 13") && batch.err().contains("holds only 12 training digits"), batch.err());
    }

    @Test
    void missingDataSaysWhatToRun(@TempDir Path empty) {
        Path nowhere = empty.resolve("mnist");
        CliRun r = CliRun.of(FrontEndBenchCommand.NAME, "--data", nowhere.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("scripts/fetch-mnist " + nowhere) && r.err().contains("does not exist"), r.err());
        assertTrue(!r.err().contains("Exception"), "a message, not a stack trace: " + r.err());
    }

    @Test
    void cutKeepsTheRowsAndFirstStepsOfASparseBatch() {
        LatencyCodedImages source = new LatencyCodedImages(images, labels, Mnist.NUM_CLASSES, new LatencyEncoder());
        SequenceBatch full = source.batch(0, 6);
        SequenceBatch cut = FrontEndBenchCommand.cut(full, 2, 5, 4);
        assertTrue(cut.isSparse());
        assertEquals(3, cut.batchSize());
        assertEquals(4, cut.maxLength());
        double[] in = full.toDense().inputArray();
        double[] got = cut.toDense().inputArray();
        int size = full.inputSize();
        for (int r = 0; r < 3; r++) {
            assertEquals(4, cut.length(r));
            assertEquals(full.label(2 + r), cut.label(r));
            for (int t = 0; t < 4; t++) {
                assertArrayEquals(Arrays.copyOfRange(in, full.inputOffset(t, 2 + r), full.inputOffset(t, 2 + r) + size),
                        Arrays.copyOfRange(got, cut.inputOffset(t, r), cut.inputOffset(t, r) + size), "row " + r + ", step " + t);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FrontEndBenchCommand.cut(full, 0, 2, 21));
        assertThrows(IllegalArgumentException.class, () -> FrontEndBenchCommand.cut(full, 3, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> FrontEndBenchCommand.cut(full.toDense(), 0, 2, 2));
    }
}
