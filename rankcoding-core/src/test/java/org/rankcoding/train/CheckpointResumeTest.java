package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.Parameters;
import org.rankcoding.rc.LossMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.train.CheckpointFixtures.BUDGET;
import static org.rankcoding.train.CheckpointFixtures.NET;

/**
 * Training checkpoints: a run interrupted after a checkpoint and resumed by a new trainer with a new source object
 * ends bit-identical to the run that was never interrupted (weights, Adam's moments, generator, source position,
 * counters, validation history), for RC and EOS, one and two threads, a finite source (epoch order) and a generator;
 * the cadence and retention of checkpoint files; refusals of mismatched resumes; corrupt and truncated files; and a
 * diverging run, which must leave the last good checkpoint intact.
 */
class CheckpointResumeTest {

    /** Thrown by a listener to interrupt a run, as a crash would. */
    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(long batch) {
            super("simulated crash after batch " + batch);
        }
    }

    /** A listener that crashes the run after batch {@code batch} and records what it is told on resume. */
    private static final class Recorder implements TrainingListener {
        final long crashAfter;
        final List<ValidationRecord> resumedWith = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        TrainingProgress resumedAt;

        Recorder(long crashAfter) {
            this.crashAfter = crashAfter;
        }

        @Override
        public void onBatch(TrainingProgress progress) {
            if (progress.batches() == crashAfter) {
                throw new SimulatedCrash(crashAfter);
            }
        }

        @Override
        public void onCheckpoint(TrainingProgress progress, Path file) {
            checkpoints.add(progress.batches());
        }

        @Override
        public void onResume(TrainingProgress progress, List<ValidationRecord> validations, Map<String, String> state) {
            resumedAt = progress;
            resumedWith.addAll(validations);
        }
    }

    /** The default kernels ({@code float32} with the Vector API): what users train with. */
    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config, Kernels.best());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LossMode mode : LossMode.values()) {
            for (int threads : new int[]{1, 2}) {
                for (String source : new String[]{"finite", "generator"}) {
                    out.add(Arguments.of(mode, threads, source));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} thread(s), {2} source")
    @MethodSource("cases")
    void anInterruptedAndResumedRunEndsBitIdenticalToAnUninterruptedOne(LossMode mode, int threads, String kind,
                                                                         @TempDir Path tmp) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(mode, threads, BUDGET);
        List<SequenceBatch> validation = CheckpointFixtures.validation();

        // N batches straight, without and with checkpoints (writing them must not change anything)
        TrainingResult straight = trainer(config).train(NET, CheckpointFixtures.source(kind), validation, TrainingListener.NONE);
        Path dirA = tmp.resolve("a");
        TrainingResult straightWithCheckpoints = trainer(config).train(NET, CheckpointFixtures.source(kind), validation,
                TrainingListener.NONE, CheckpointPolicy.everyBatches(dirA, 4));
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(),
                straightWithCheckpoints.network().parameters()), "checkpointing changed the weights");

        // K = 7 batches, a checkpoint, 2 more batches, a crash; then a new trainer and a new source resume from batch 7
        Path dirB = tmp.resolve("b");
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dirB, 7);
        Recorder crashing = new Recorder(9);
        assertThrows(SimulatedCrash.class, () -> trainer(config).train(NET, CheckpointFixtures.source(kind), validation,
                crashing, policy));
        assertEquals(List.of(7L), crashing.checkpoints);
        TrainingCheckpoint checkpoint = TrainingCheckpoint.latest(dirB).orElseThrow();
        assertEquals(7, checkpoint.progress().batches());
        // the finite source's epochs end with a batch of 6: 16 * 4 + 6 + 16 * 2 sequences after 7 batches
        assertEquals(kind.equals("finite") ? 102 : 112, checkpoint.progress().sequences());
        assertFalse(checkpoint.complete());
        assertEquals(1, checkpoint.validations().size(), "one validation after 100 sequences, at batch 7");

        Recorder resumed = new Recorder(-1);
        TrainingResult result = trainer(config).resume(checkpoint, NET, CheckpointFixtures.source(kind), validation, resumed, policy);

        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), result.network().parameters()),
                "resumed weights differ from the uninterrupted run's");
        assertEquals(straight.batches(), result.batches());
        assertEquals(straight.sequences(), result.sequences());
        assertEquals(straight.forwardExampleSteps(), result.forwardExampleSteps());
        assertEquals(straight.backwardExampleSteps(), result.backwardExampleSteps());
        assertEquals(List.of(), CheckpointFixtures.recordDifferences(straight.lastValidation(), result.lastValidation()));
        assertEquals(7, resumed.resumedAt.batches());
        assertEquals(1, resumed.resumedWith.size());
        long n = straight.batches(); // 22 (generator) or 25 (finite: smaller batches at the ends of epochs)
        assertEquals(List.of(14L, 21L, n), resumed.checkpoints);

        // the final checkpoints agree in everything but wall-clock times: moments, generator, source position, history
        Path finalA = TrainingCheckpoint.fileFor(dirA, n);
        Path finalB = TrainingCheckpoint.fileFor(dirB, n);
        assertEquals(List.of(), CheckpointFixtures.checkpointDifferences(finalA, finalB));
        TrainingCheckpoint last = TrainingCheckpoint.load(finalB);
        assertTrue(last.complete());
        assertEquals(4, last.validations().size(), "validations after 100, 200, 300 sequences and at the end");
        assertEquals(kind.equals("finite"), Files.readString(finalB, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("\"source.position\""));
    }

    @Test
    void resumingAFinishedRunReturnsItsWeightsAndHistory(@TempDir Path dir) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET);
        List<SequenceBatch> validation = CheckpointFixtures.validation();
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dir, 0);
        TrainingResult done = trainer(config).train(NET, CheckpointFixtures.source("generator"), validation, TrainingListener.NONE,
                policy);
        assertEquals(List.of(TrainingCheckpoint.fileFor(dir, 22)), TrainingCheckpoint.list(dir), "only the final checkpoint");
        TrainingCheckpoint checkpoint = TrainingCheckpoint.latest(dir).orElseThrow();
        assertTrue(checkpoint.complete());
        TrainingResult again = trainer(config).resume(checkpoint, NET, CheckpointFixtures.source("generator"), validation,
                TrainingListener.NONE, policy);
        assertNull(CheckpointFixtures.firstDifference(done.network().parameters(), again.network().parameters()));
        assertNull(CheckpointFixtures.firstDifference(done.network().parameters(), checkpoint.network().parameters()));
        assertEquals(done.forwardExampleSteps(), again.forwardExampleSteps());
        assertEquals(List.of(), CheckpointFixtures.recordDifferences(done.lastValidation(), again.lastValidation()));
        assertEquals(List.of(TrainingCheckpoint.fileFor(dir, 22)), TrainingCheckpoint.list(dir), "nothing new written");
    }

    private static List<Long> batchesOf(List<Path> files) {
        return files.stream().map(p -> Long.parseLong(p.getFileName().toString().replaceAll("\\D", ""))).toList();
    }

    @Test
    void writesAtTheCadenceAndKeepsTheNewest(@TempDir Path tmp) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.END_OF_SEQUENCE, 1, BUDGET);
        Recorder byBatches = new Recorder(-1);
        trainer(config).train(NET, CheckpointFixtures.source("generator"), List.of(), byBatches,
                CheckpointPolicy.everyBatches(tmp.resolve("b"), 3));
        assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 18L, 21L, 22L), byBatches.checkpoints);
        assertEquals(List.of(21L, 22L), batchesOf(TrainingCheckpoint.list(tmp.resolve("b"))), "the newest two are kept");

        Recorder bySequences = new Recorder(-1);
        trainer(config).train(NET, CheckpointFixtures.source("generator"), List.of(), bySequences,
                CheckpointPolicy.everySequences(tmp.resolve("s"), 100).withKeep(10));
        // 16 rows a batch: the multiples of 100 are crossed by batches 7 (112), 13 (208) and 19 (304); then the end
        assertEquals(List.of(7L, 13L, 19L, 22L), bySequences.checkpoints);
        assertEquals(List.of(7L, 13L, 19L, 22L), batchesOf(TrainingCheckpoint.list(tmp.resolve("s"))));
    }

    @Test
    void refusesToResumeWithAnotherConfigurationRunOrSource(@TempDir Path dir) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET);
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dir, 5).withRunInfo(Map.of("task", "noise", "length", "8"));
        assertThrows(SimulatedCrash.class, () -> trainer(config).train(NET, CheckpointFixtures.source("finite"), List.of(),
                new Recorder(6), policy));
        TrainingCheckpoint checkpoint = TrainingCheckpoint.latest(dir).orElseThrow();
        BatchSource finite = CheckpointFixtures.source("finite");

        TrainerConfig other = config.toBuilder().threads(2).learningRate(3e-3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(other).resume(checkpoint, NET, finite, List.of(), TrainingListener.NONE, policy));
        assertTrue(e.getMessage().contains("learningRate = 0.01 in the checkpoint, 0.003 here"), e.getMessage());
        assertTrue(e.getMessage().contains("threads = 1 in the checkpoint, 2 here"), e.getMessage());
        assertTrue(e.getMessage().startsWith(checkpoint.file().toString()), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> trainer(config).resume(checkpoint, NET, finite, List.of(),
                TrainingListener.NONE, policy.withRunInfo(Map.of("task", "noise", "length", "9"))));
        assertTrue(e.getMessage().contains("length = 8 in the checkpoint, 9 here"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> trainer(config).resume(checkpoint, NET,
                CheckpointFixtures.source("generator"), List.of(), TrainingListener.NONE, policy));
        assertTrue(e.getMessage().contains("is not a ResumableSource"), e.getMessage());

        // a smaller data set: its fingerprint differs, so it is refused before its position is tried
        InMemorySequences smaller = NoiseSignalTask.dataset(9, 60, 3, 9, 0.2, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> trainer(config).resume(checkpoint, NET, smaller, List.of(),
                TrainingListener.NONE, policy));
        assertTrue(e.getMessage().contains("data = 70 sequences of input size 1 in 2 classes (checksum "), e.getMessage());
        assertTrue(e.getMessage().contains(" in the checkpoint, 60 sequences of input size 1 in 2 classes (checksum "),
                e.getMessage());
        // and the saved position does not fit it either
        long[] position = checkpoint.data().sourcePosition().orElseThrow().clone();
        e = assertThrows(IllegalArgumentException.class, () -> smaller.restorePosition(position));
        assertTrue(e.getMessage().contains("this source has 60 items"), e.getMessage());

        IllegalStateException fresh = assertThrows(IllegalStateException.class, () -> trainer(config).train(NET,
                CheckpointFixtures.source("finite"), List.of(), TrainingListener.NONE, policy));
        assertTrue(fresh.getMessage().contains("already holds 1 checkpoint"), fresh.getMessage());
        assertTrue(TrainingCheckpoint.latest(dir.resolve("missing")).isEmpty());
    }

    @Test
    void aCorruptOrTruncatedCheckpointFailsNamingTheFile(@TempDir Path dir) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET);
        trainer(config).train(NET, CheckpointFixtures.source("generator"), CheckpointFixtures.validation(), TrainingListener.NONE,
                CheckpointPolicy.everyBatches(dir, 10).withKeep(5));
        List<Path> files = TrainingCheckpoint.list(dir);
        assertEquals(List.of(10L, 20L, 22L), batchesOf(files));
        Path newest = files.get(2);
        byte[] good = Files.readAllBytes(newest);

        byte[] flipped = good.clone();
        flipped[good.length - 100] ^= 0x10; // a bit of the data buffer
        Files.write(newest, flipped);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(newest));
        assertTrue(e.getMessage().startsWith(newest + ": checksum mismatch"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.latest(dir));
        assertTrue(e.getMessage().startsWith(newest.toString()) && e.getMessage().contains("checkpoint-000000000020.safetensors"),
                "names the bad file and the older ones: " + e.getMessage());

        String header = new String(good, 8, 2000, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = header.indexOf("\"progress.sequences\":\"") + "\"progress.sequences\":\"".length();
        byte[] edited = good.clone();
        edited[8 + at] = (byte) (edited[8 + at] == '1' ? '2' : '1'); // another sequence count, same length
        Files.write(newest, edited);
        e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(newest));
        assertTrue(e.getMessage().contains("checksum mismatch"), "the checksum covers the header too: " + e.getMessage());

        for (int length : new int[]{good.length - 1, good.length / 2, 100, 7, 0}) {
            Files.write(newest, Arrays.copyOf(good, length));
            e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(newest), "truncated to " + length);
            assertTrue(e.getMessage().startsWith(newest.toString()), e.getMessage());
        }
        Files.write(newest, good);
        assertEquals(22, TrainingCheckpoint.load(newest).progress().batches());
    }

    @Test
    void aDivergingRunStopsNamingTheBatchAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        // A learning rate of 1e307 throws the weights to about 1e307 in the first update: the next forward pass
        // overflows, and the loss or the weights become infinite or NaN.
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET).toBuilder().learningRate(1e307)
                .clipNorm(0).build();
        Recorder recorder = new Recorder(-1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer(config).train(NET,
                CheckpointFixtures.source("finite"), List.of(), recorder, CheckpointPolicy.everyBatches(dir, 1).withKeep(3)));
        assertTrue(e.getMessage().startsWith("training diverged at batch "), e.getMessage());
        long diverged = Long.parseLong(e.getMessage().replaceAll("^training diverged at batch (\\d+).*$", "$1"));
        assertFalse(recorder.checkpoints.isEmpty(), "a good checkpoint before the divergence: " + e.getMessage());
        long lastGood = recorder.checkpoints.get(recorder.checkpoints.size() - 1);
        assertEquals(diverged - 1, lastGood, e.getMessage());
        List<Path> files = TrainingCheckpoint.list(dir);
        assertEquals(TrainingCheckpoint.fileFor(dir, lastGood), files.get(files.size() - 1), "nothing of the diverged state");
        TrainingCheckpoint good = TrainingCheckpoint.load(files.get(files.size() - 1));
        Parameters weights = good.network().parameters();
        assertNull(weights.firstNonFinite());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(files, left.sorted().toList(), "no temporary files");
        }
        System.out.println("DRILL divergence: " + e.getMessage() + "; last good checkpoint " + files.get(files.size() - 1).getFileName()
                + " intact and loadable");
    }

    @Test
    void aFiniteSourceRefusesAPositionOfOtherData() {
        InMemorySequences a = NoiseSignalTask.dataset(9, 70, 3, 9, 0.2, 0.5);
        a.nextBatch(16, new SplitMix64(1));
        long[] saved = a.savePosition();
        assertEquals(72, saved.length);
        assertEquals(16, saved[1]);
        InMemorySequences b = NoiseSignalTask.dataset(9, 70, 3, 9, 0.2, 0.5);
        b.restorePosition(saved);
        assertArrayEquals(saved, b.savePosition());
        long[] bad = saved.clone();
        bad[5] = bad[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.restorePosition(bad));
        assertTrue(e.getMessage().contains("not a permutation"), e.getMessage());
        assertArrayEquals(saved, b.savePosition(), "unchanged after a refused position");
        e = assertThrows(IllegalArgumentException.class, () -> NoiseSignalTask.dataset(9, 60, 3, 9, 0.2, 0.5).restorePosition(saved));
        assertTrue(e.getMessage().contains("is for 70 items") && e.getMessage().contains("this source has 60 items"), e.getMessage());
    }
}
