package org.rankcoding.train;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.io.TensorFile;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;
import org.rankcoding.testing.Refusals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.train.CheckpointFixtures.BUDGET;
import static org.rankcoding.train.CheckpointFixtures.NET;

/**
 * A resumed run's settings against the checkpoint's: every field of the network's shape (input size, hidden size,
 * layers, head, classes, front end) is compared like the trainer's configuration and the run information, every
 * difference is listed in one refusal, before any training; the data's fingerprint is saved and compared, and a
 * checkpoint without one (written before checkpoints held one) still resumes bit-identically, saying that the data
 * could not be compared.
 */
class ResumeSettingsTest {

    private static final TrainerConfig CONFIG = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET);
    private static final Map<String, String> RUN_INFO = Map.of("task", "noise");

    @TempDir
    static Path runs;
    /** The checkpoint after batch 5 of a run on the finite source, interrupted after batch 6. */
    private static TrainingCheckpoint checkpoint;

    @BeforeAll
    static void interruptedRun() throws IOException {
        Path dir = runs.resolve("finite");
        assertThrows(IllegalStateException.class, () -> trainer(CONFIG).train(NET, CheckpointFixtures.source("finite"),
                List.of(), stopAfter(6), CheckpointPolicy.everyBatches(dir, 5).withRunInfo(RUN_INFO)));
        checkpoint = TrainingCheckpoint.latest(dir).orElseThrow();
        assertEquals(5, checkpoint.progress().batches());
    }

    /** A listener that ends the run after batch {@code batch} (the test's stand-in for a crash). */
    private static TrainingListener stopAfter(long batch) {
        return new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress progress) {
                if (progress.batches() == batch) {
                    throw new IllegalStateException("stopped after batch " + batch);
                }
            }
        };
    }

    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config, Kernels.select("reference"));
    }

    /** Resumes {@link #checkpoint} as {@code network} with {@code config}, writing no further checkpoints. */
    private static void resume(TrainerConfig config, NetworkConfig network, BatchSource source) throws IOException {
        trainer(config).resume(checkpoint, network, source, List.of(), TrainingListener.NONE, null);
    }

    static Stream<Arguments> networkDifferences() {
        // the checkpoint's network: input size 1, hidden size 6, 1 layer, binary head, 2 classes, no front end
        return Stream.of(
                Arguments.of(NetworkConfig.binary(1, 8), "hiddenSize = 6 in the checkpoint, 8 here", 1),
                Arguments.of(new NetworkConfig(1, 6, 2, HeadType.BINARY_SIGMOID, 2), "layers = 1 in the checkpoint, 2 here", 1),
                Arguments.of(new NetworkConfig(1, 6, 1, HeadType.SOFTMAX, 2),
                        "head = BINARY_SIGMOID in the checkpoint, SOFTMAX here", 1),
                // a binary head has 2 classes: 3 classes need another head too
                Arguments.of(new NetworkConfig(1, 6, 1, HeadType.SOFTMAX, 3), "numClasses = 2 in the checkpoint, 3 here", 2),
                Arguments.of(NetworkConfig.binary(4, 6), "inputSize = 1 in the checkpoint, 4 here", 1),
                Arguments.of(NET.withFrontEnd(ConvFrontEndConfig.conv(2, 1, 1, 1, 1)),
                        "frontEnd = none in the checkpoint, conv:channels=2,kernel=1,pool=1,height=1,width=1 here", 1));
    }

    @ParameterizedTest
    @MethodSource("networkDifferences")
    void aResumeWithAnotherNetworkIsRefusedNamingTheDifference(NetworkConfig other, String difference, int count) {
        BatchSource source = CheckpointFixtures.source("finite");
        IllegalArgumentException e = Refusals.assertIllegalArgument(() -> resume(CONFIG, other, source),
                checkpoint.file().toString(), "cannot resume", difference, "start a new run in another directory");
        assertEquals(count, e.getMessage().split(" in the checkpoint, ").length - 1, "differences: " + e.getMessage());
        Refusals.assertIllegalArgument(() -> checkpoint.requireCompatible(CONFIG, other, source, RUN_INFO), difference);
    }

    @Test
    void everyDifferenceIsListedInOneRefusal(@TempDir Path tmp) {
        Path dir = tmp.resolve("resumed");
        TrainerConfig otherConfig = CONFIG.toBuilder().learningRate(3e-3).threads(2).build();
        NetworkConfig otherNetwork = new NetworkConfig(1, 8, 2, HeadType.BINARY_SIGMOID, 2);
        BatchSource otherData = NoiseSignalTask.dataset(10, 70, 3, 9, 0.2, 0.5);
        CheckpointPolicy otherRun = CheckpointPolicy.everyBatches(dir, 5).withRunInfo(Map.of("task", "signal"));
        Refusals.assertIllegalArgument(() -> trainer(otherConfig).resume(checkpoint, otherNetwork, otherData, List.of(),
                        TrainingListener.NONE, otherRun),
                "learningRate = 0.01 in the checkpoint, 0.003 here; threads = 1 in the checkpoint, 2 here; "
                        + "hiddenSize = 6 in the checkpoint, 8 here; layers = 1 in the checkpoint, 2 here; "
                        + "task = noise in the checkpoint, signal here; data = 70 sequences of input size 1 in 2 classes");
        assertFalse(Files.exists(dir), "refused before anything was written");
    }

    @Test
    void theDataFingerprintIsSavedAndAnotherDataSetIsRefused() throws IOException {
        BatchSource same = CheckpointFixtures.source("finite");
        assertEquals(same.fingerprint(), checkpoint.dataFingerprint());
        assertTrue(checkpoint.dataFingerprint().orElseThrow().startsWith("70 sequences of input size 1 in 2 classes (checksum "),
                checkpoint.dataFingerprint().toString());
        assertEquals(checkpoint.dataFingerprint().orElseThrow(),
                TensorFile.read(checkpoint.file()).metadata().get("source.fingerprint"));
        assertTrue(checkpoint.uncomparedData(same).isEmpty(), "the same data is compared");
        checkpoint.requireCompatible(CONFIG, NET, same, RUN_INFO);

        // the same size, input size and classes, other values: only the checksum tells them apart
        BatchSource other = NoiseSignalTask.dataset(10, 70, 3, 9, 0.2, 0.5);
        String saved = checkpoint.dataFingerprint().orElseThrow();
        String given = other.fingerprint().orElseThrow();
        Refusals.assertIllegalArgument(() -> resume(CONFIG, NET, other),
                "data = " + saved + " in the checkpoint, " + given + " here");
    }

    @Test
    void aGeneratorHasNoFingerprintAndNeedsNone(@TempDir Path dir) throws IOException {
        TrainerConfig config = CONFIG.toBuilder().trainSequences(16 * 3).build();
        trainer(config).train(NET, CheckpointFixtures.source("generator"), List.of(), TrainingListener.NONE,
                CheckpointPolicy.everyBatches(dir, 0));
        TrainingCheckpoint done = TrainingCheckpoint.latest(dir).orElseThrow();
        assertTrue(done.dataFingerprint().isEmpty());
        assertFalse(TensorFile.read(done.file()).metadata().containsKey("source.fingerprint"));
        assertTrue(done.uncomparedData(CheckpointFixtures.source("generator")).isEmpty(), "nothing to compare, nothing to say");
        assertTrue(done.uncomparedData(CheckpointFixtures.source("finite")).orElseThrow().contains("could not be compared"));
    }

    @Test
    void aCheckpointWithoutAFingerprintStillResumesBitIdenticallySayingTheDataCouldNotBeCompared(@TempDir Path tmp)
            throws IOException {
        TrainingResult straight = trainer(CONFIG).train(NET, CheckpointFixtures.source("finite"), List.of(),
                TrainingListener.NONE);
        Path old = CheckpointFixtures.rewrite(checkpoint.file(), tmp.resolve(checkpoint.file().getFileName().toString()),
                m -> assertTrue(m.remove("source.fingerprint") != null));
        TrainingCheckpoint c = TrainingCheckpoint.load(old);
        assertTrue(c.dataFingerprint().isEmpty());
        BatchSource source = CheckpointFixtures.source("finite");
        String why = c.uncomparedData(source).orElseThrow();
        assertTrue(why.startsWith(old + " holds no fingerprint of its training data"), why);
        assertTrue(why.contains("could not be compared with the source's (" + source.fingerprint().orElseThrow() + ")"), why);

        // even other data cannot be told apart: the run goes on (the saved position still has to fit it)
        c.requireCompatible(CONFIG, NET, NoiseSignalTask.dataset(10, 70, 3, 9, 0.2, 0.5), RUN_INFO);
        TrainingResult resumed = trainer(CONFIG).resume(c, NET, source, List.of(), TrainingListener.NONE,
                CheckpointPolicy.everyBatches(tmp.resolve("more"), 5).withRunInfo(RUN_INFO));
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()),
                "resumed weights differ from the uninterrupted run's");
        assertEquals(straight.batches(), resumed.batches());
        assertTrue(TrainingCheckpoint.latest(tmp.resolve("more")).orElseThrow().dataFingerprint().isPresent(),
                "the resumed run's checkpoints hold the fingerprint");
    }

    @Test
    void aSourceWhoseFingerprintIsNullIsRefusedNamingIt() {
        BatchSource finite = CheckpointFixtures.source("finite");
        BatchSource broken = new BatchSource() {
            @Override
            public int inputSize() {
                return finite.inputSize();
            }

            @Override
            public int numClasses() {
                return finite.numClasses();
            }

            @Override
            public SequenceBatch nextBatch(int maxRows, java.util.random.RandomGenerator rng) {
                return finite.nextBatch(maxRows, rng);
            }

            @Override
            public java.util.Optional<String> fingerprint() {
                return null;
            }
        };
        Refusals.assertIllegalArgument(() -> checkpoint.requireCompatible(CONFIG, NET, broken, RUN_INFO),
                ".fingerprint() returned null", "returns Optional.empty()");
        Refusals.assertIllegalArgument(() -> checkpoint.uncomparedData(broken), ".fingerprint() returned null");
    }
}
