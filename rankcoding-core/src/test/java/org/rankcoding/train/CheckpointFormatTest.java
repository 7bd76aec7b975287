package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.TimingMetrics;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.train.CheckpointFixtures.rewrite;

/**
 * The checkpoint format across versions: a checkpoint of format version 1 (positional validation tables, written by
 * the library before version 2; a test resource, see its README) loads with its whole history and resumes
 * bit-identically to an uninterrupted run; version 2 keeps the history as named JSON, which reads back exactly
 * (NaN and timing metrics included) and whose errors name the validation and the field; a version from the future is
 * refused with a message naming it and what to do.
 */
class CheckpointFormatTest {

    private static final String V1 = "/checkpoint-v1/checkpoint-000000000007.safetensors";
    /** The network of the version-1 checkpoint. */
    private static final NetworkConfig NET = NetworkConfig.binary(1, 3);

    /** The configuration of the version-1 checkpoint's run. */
    private static TrainerConfig config() {
        return CheckpointFixtures.config(LossMode.RANK_CODING, 1, CheckpointFixtures.BUDGET).toBuilder().timingWindow(6).build();
    }

    /** The reference kernels: plain double arithmetic, the same on every machine. */
    private static Trainer trainer() {
        return new Trainer(config(), Kernels.select("reference"));
    }

    /** The run's validation data: {@link CheckpointFixtures#validation()} with optimal steps {@code min(3, length)}. */
    private static List<SequenceBatch> validation() {
        List<SequenceBatch> out = new ArrayList<>();
        for (SequenceBatch b : CheckpointFixtures.validation()) {
            int n = b.batchSize();
            int[] lengths = new int[n];
            int[] labels = new int[n];
            int[] optimal = new int[n];
            for (int r = 0; r < n; r++) {
                lengths[r] = b.length(r);
                labels[r] = b.label(r);
                optimal[r] = Math.min(3, lengths[r]);
            }
            out.add(new SequenceBatch(n, b.maxLength(), b.inputSize(), b.inputArray().clone(), lengths, labels, 2, optimal));
        }
        return out;
    }

    /** Records the validations and saves the listener state the version-1 run saved. */
    private static final class Recorder implements TrainingListener {
        final List<ValidationRecord> validations = new ArrayList<>();

        @Override
        public void onValidation(TrainingProgress progress, Evaluation evaluation) {
            validations.add(new ValidationRecord(progress, evaluation));
        }

        @Override
        public Map<String, String> checkpointState() {
            return Map.of("epoch_loss", "0.25");
        }
    }

    private static CheckpointPolicy policy(Path dir) {
        return CheckpointPolicy.everyBatches(dir, 7).withRunInfo(Map.of("task", "noise"));
    }

    private static Path copyV1(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(Path.of(V1).getFileName().toString());
        try (InputStream in = CheckpointFormatTest.class.getResourceAsStream(V1)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aVersionOneCheckpointLoadsWithItsWholeHistory(@TempDir Path tmp) throws IOException {
        Path file = copyV1(tmp);
        assertEquals("1", TensorFile.read(file).metadata().get("format_version"));
        TrainingCheckpoint c = TrainingCheckpoint.load(file);
        assertEquals(7, c.progress().batches());
        assertEquals(102, c.progress().sequences());
        assertEquals(0.6878013833345017, c.progress().batchLoss());
        assertEquals(config(), c.config());
        assertEquals(NET, c.networkConfig());
        assertEquals(Map.of("task", "noise"), c.runInfo());
        assertEquals(Map.of("epoch_loss", "0.25"), c.listenerState());
        assertEquals(1, c.validations().size());
        ValidationRecord v = c.validations().get(0);
        assertEquals(c.progress(), v.progress());
        Evaluation e = v.evaluation();
        assertEquals(40, e.examples());
        assertEquals(0.5, e.accuracyFirstSpike());
        assertEquals(237, e.earlyExitExampleSteps());
        assertArrayEquals(new long[]{0, 0, 0, 5, 6, 9, 2, 6, 9, 3}, e.decisionHistogram());
        assertArrayEquals(new long[]{0, 0, 0, 2, 2, 4, 2, 4, 4, 2}, e.correctHistogram());
        assertArrayEquals(new double[]{5.65, 6.2}, e.perClassMeanDecisionStep());
        assertEquals(new TimingMetrics(Double.NaN, 0, 0.0, 0.7666666666666666, 20), e.timing());
    }

    @Test
    void aVersionOneCheckpointResumesToTheSameRunAndGoesOnInTheCurrentVersion(@TempDir Path tmp) throws IOException {
        List<SequenceBatch> validation = validation();
        Recorder straightRecorder = new Recorder();
        Path dirA = tmp.resolve("a");
        TrainingResult straight = trainer().train(NET, CheckpointFixtures.source("finite"), validation, straightRecorder,
                policy(dirA));

        Path dirB = tmp.resolve("b");
        TrainingCheckpoint old = TrainingCheckpoint.load(copyV1(dirB));
        assertEquals(List.of(), CheckpointFixtures.recordDifferences(straightRecorder.validations.get(0).evaluation(),
                old.validations().get(0).evaluation()), "the version-1 history reads back exactly");
        assertTrue(old.dataFingerprint().isEmpty(), "version 1 held no fingerprint of the data");
        assertTrue(old.uncomparedData(CheckpointFixtures.source("finite")).orElseThrow().contains("could not be compared"));
        TrainingResult resumed = trainer().resume(old, NET, CheckpointFixtures.source("finite"), validation, new Recorder(),
                policy(dirB));

        // The version-1 file was written by an earlier build, whose backward pass added the weight gradients step by
        // step; the current one adds several steps in one product, which rounds differently (last bits), so the weights,
        // and the final checkpoints below, match the uninterrupted run's to 1e-12 rather than bit for bit. A resume
        // within one build is bit-identical (CheckpointResumeTest).
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters(), 1e-12),
                "resumed weights differ from the uninterrupted run's");
        assertEquals(straight.forwardExampleSteps(), resumed.forwardExampleSteps());
        assertEquals(List.of(), CheckpointFixtures.recordDifferences(straight.lastValidation(), resumed.lastValidation()));
        long n = straight.batches();
        Path finalA = TrainingCheckpoint.fileFor(dirA, n);
        Path finalB = TrainingCheckpoint.fileFor(dirB, n);
        assertEquals(List.of(), CheckpointFixtures.checkpointDifferences(finalA, finalB, 1e-12));
        assertEquals(String.valueOf(CheckpointCodec.FORMAT_VERSION), TensorFile.read(finalB).metadata().get("format_version"));
        assertFalse(TensorFile.read(finalB).tensors().containsKey("validations.i64"), "no positional tables any more");

        TrainingCheckpoint last = TrainingCheckpoint.load(finalB);
        assertEquals(straightRecorder.validations.size(), last.validations().size());
        for (int i = 0; i < last.validations().size(); i++) {
            ValidationRecord want = straightRecorder.validations.get(i);
            ValidationRecord got = last.validations().get(i);
            assertEquals(withoutSeconds(want.progress()), withoutSeconds(got.progress()), "validation " + i);
            assertEquals(List.of(), CheckpointFixtures.recordDifferences(want.evaluation(), got.evaluation()), "validation " + i);
            assertTrue(got.evaluation().timing() != null, "validation " + i + " has timing metrics");
        }
    }

    /** {@code p} with its wall-clock time set to 0. */
    private static TrainingProgress withoutSeconds(TrainingProgress p) {
        return new TrainingProgress(p.batches(), p.sequences(), p.totalSequences(), p.batchLoss(), p.meanDecisionStep(),
                p.forwardExampleSteps(), p.backwardExampleSteps(), 0);
    }

    /** A version-2 checkpoint of a short run of the version-1 checkpoint's settings, with one validation. */
    private static Path versionTwo(Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        TrainerConfig config = config().toBuilder().trainSequences(16 * 7).build();
        new Trainer(config, Kernels.select("reference")).train(NET, CheckpointFixtures.source("generator"), validation(),
                new Recorder(), CheckpointPolicy.everyBatches(dir, 0));
        return TrainingCheckpoint.latest(dir).orElseThrow().file();
    }

    @Test
    void theNamedHistoryReadsEveryDoubleBackBitForBit() throws ModelFileException {
        double[] awkward = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                Double.MAX_VALUE, 0.1 + 0.2, 1e-300, -123456.789e10};
        List<ValidationRecord> history = new ArrayList<>();
        for (int i = 0; i < awkward.length; i++) {
            double x = awkward[i];
            TimingMetrics timing = i % 2 == 0 ? null : new TimingMetrics(x, i, x, x, 2L * i);
            Evaluation e = new Evaluation(i, x, x, x, x, x, new long[]{0, i, Long.MAX_VALUE}, new long[]{0, 0, 1},
                    new double[]{x, -x}, x, x, x, Long.MIN_VALUE, i, timing);
            history.add(new ValidationRecord(new TrainingProgress(i, i, 9, x, x, i, i, x), e));
        }
        String json = ValidationHistoryJson.write(history);
        List<ValidationRecord> back = ValidationHistoryJson.read(Path.of("f"), "validations", json);
        assertEquals(history.size(), back.size());
        for (int i = 0; i < history.size(); i++) {
            assertEquals(history.get(i).progress(), back.get(i).progress(), json);
            assertEquals(List.of(), CheckpointFixtures.recordDifferences(history.get(i).evaluation(), back.get(i).evaluation()),
                    json);
        }
        assertEquals(List.of(), ValidationHistoryJson.read(Path.of("f"), "validations", ValidationHistoryJson.write(List.of())));
    }

    @Test
    void aFutureVersionIsRefusedNamingItAndWhatToDo(@TempDir Path tmp) throws IOException {
        String newer = String.valueOf(CheckpointCodec.FORMAT_VERSION + 1);
        Path future = rewrite(versionTwo(tmp), tmp.resolve("future.safetensors"), m -> m.put("format_version", newer));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(future));
        assertTrue(e.getMessage().startsWith(future + ": checkpoint format version " + newer
                + ": written by a newer library"), e.getMessage());
        assertTrue(e.getMessage().contains("reads checkpoint format versions 1 to " + CheckpointCodec.FORMAT_VERSION),
                e.getMessage());
        assertTrue(e.getMessage().contains("Resume with the library version that wrote it or a newer one"), e.getMessage());

        Path zero = rewrite(future, tmp.resolve("zero.safetensors"), m -> m.put("format_version", "0"));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(zero));
        assertTrue(e.getMessage().contains("metadata 'format_version' is 0, expected >= 1"), e.getMessage());
    }

    @Test
    void aBadNumberInTheSettingsIsRefusedNamingTheFileTheKeyTheValueAndTheKind(@TempDir Path tmp) throws IOException {
        Path file = versionTwo(tmp);
        Path text = rewrite(file, tmp.resolve("text.safetensors"), m -> m.put("config.batchSize", "abc"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(text));
        assertEquals(text + ": metadata 'config.batchSize' is 'abc', expected a 32-bit integer written in decimal digits",
                e.getMessage());
        Path hex = rewrite(file, tmp.resolve("hex.safetensors"), m -> m.put("config.learningRate", "0x1p-3"));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(hex));
        assertTrue(e.getMessage().startsWith(hex + ": metadata 'config.learningRate' is '0x1p-3', expected a number"), e.getMessage());
    }

    @Test
    void theNamedHistoryRefusesAMissingOrMalformedFieldNamingIt(@TempDir Path tmp) throws IOException {
        Path file = versionTwo(tmp);
        String history = TensorFile.read(file).metadata().get("validations");
        assertTrue(history.startsWith("[{\"progress\":{\"batches\":7,\"sequences\":112,"), history);
        assertTrue(history.contains("\"timing\":{\"mean_lag\":"), history);

        Path text = rewrite(file, tmp.resolve("text.safetensors"),
                m -> m.put("validations", history.replace("\"examples\":40", "\"examples\":\"forty\"")));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(text));
        assertTrue(e.getMessage().startsWith(text + ": metadata 'validations'[0].evaluation.examples is 'forty', expected "
                + "an integer"), e.getMessage());

        Path missing = rewrite(file, tmp.resolve("missing.safetensors"),
                m -> m.put("validations", history.replace("\"earliness\":", "\"lateness\":")));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(missing));
        assertTrue(e.getMessage().contains("metadata 'validations'[0].evaluation has no field 'earliness'"), e.getMessage());

        Path broken = rewrite(file, tmp.resolve("broken.safetensors"), m -> m.put("validations", history.substring(1)));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(broken));
        assertTrue(e.getMessage().contains("metadata 'validations' is not a JSON array"), e.getMessage());

        Path invalid = rewrite(file, tmp.resolve("invalid.safetensors"), m -> m.put("validations",
                history.replaceFirst("\"correct_histogram\":\\[[^]]*]", "\"correct_histogram\":[1]")));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(invalid));
        assertTrue(e.getMessage().contains("metadata 'validations'[0] is not a valid validation: correctHistogram has 1"),
                e.getMessage());

        Path dropped = rewrite(file, tmp.resolve("dropped.safetensors"), m -> m.remove("validations"));
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(dropped));
        assertTrue(e.getMessage().contains("metadata 'validations' is missing"), e.getMessage());
    }
}
