package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.kernel.impl.ConvWeightOrder;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.train.CheckpointFixtures.BUDGET;
import static org.rankcoding.train.CheckpointFixtures.rewrite;

/**
 * Training checkpoints of a network with a convolutional front end: an interrupted run resumed from a checkpoint
 * ends bit-identical to the uninterrupted one (front-end weights and their Adam moments included); the checkpoint
 * records the front end as {@code network.frontEnd}, refuses a malformed one naming the key, and reads checkpoints
 * written before front ends existed (no such key) as networks without one.
 */
class FrontEndCheckpointTest {

    /** A 3 x 4 image, 3 filters of 3 x 3, pooled 2 x 2: 3 x 1 x 2 = 6 features. */
    private static final ConvFrontEndConfig FRONT = ConvFrontEndConfig.conv(3, 3, 2, 3, 4);
    private static final NetworkConfig NET = new NetworkConfig(12, 6, 1, HeadType.BINARY_SIGMOID, 2, FRONT);

    /** Class 1: a bright top row, class 0: a bright bottom row, in noise with a third of the pixels exactly 0. */
    private static InMemorySequences images(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<LabeledSequence> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double[][] steps = new double[3 + rng.nextInt(7)][12];
            for (double[] x : steps) {
                for (int p = 0; p < 12; p++) {
                    int row = p / 4;
                    double mean = (label == 1 && row == 0) || (label == 0 && row == 2) ? 0.4 : 0.0;
                    x[p] = rng.nextDouble() < 0.33 ? 0.0 : mean + 0.5 * RcTestSupport.gaussian(rng);
                }
            }
            out.add(new LabeledSequence(steps, label));
        }
        return new InMemorySequences(out, 2);
    }

    private static InMemorySequences source() {
        return images(9, 70);
    }

    private static List<SequenceBatch> validation() {
        return images(11, 40).batches(20);
    }

    /** A listener that crashes the run after batch {@code crashAfter}. */
    private static TrainingListener crashAfter(long batch) {
        return new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress progress) {
                if (progress.batches() == batch) {
                    throw new IllegalStateException("simulated crash after batch " + batch);
                }
            }
        };
    }

    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config, Kernels.best());
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void anInterruptedAndResumedRunEndsBitIdenticalToAnUninterruptedOne(int threads, @TempDir Path tmp) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, threads, BUDGET);
        List<SequenceBatch> validation = validation();
        Path dirA = tmp.resolve("a");
        TrainingResult straight = trainer(config).train(NET, source(), validation, TrainingListener.NONE,
                CheckpointPolicy.everyBatches(dirA, 7));

        Path dirB = tmp.resolve("b");
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dirB, 7);
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> trainer(config).train(NET, source(), validation, crashAfter(9), policy));
        assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.latest(dirB).orElseThrow();
        assertEquals(7, checkpoint.progress().batches());
        assertEquals(NET, checkpoint.network().config(), "the checkpoint's network has the front end");
        assertTrue(checkpoint.network().hasFrontEnd());

        TrainingResult resumed = trainer(config).resume(checkpoint, NET, source(), validation, TrainingListener.NONE, policy);
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()),
                "resumed weights differ from the uninterrupted run's");
        assertEquals(straight.batches(), resumed.batches());
        assertEquals(straight.forwardExampleSteps(), resumed.forwardExampleSteps());
        assertEquals(straight.backwardExampleSteps(), resumed.backwardExampleSteps());
        assertEquals(List.of(), CheckpointFixtures.recordDifferences(straight.lastValidation(), resumed.lastValidation()));
        long n = straight.batches();
        assertEquals(List.of(), CheckpointFixtures.checkpointDifferences(TrainingCheckpoint.fileFor(dirA, n),
                TrainingCheckpoint.fileFor(dirB, n)), "the final checkpoints (weights, moments, metadata) agree");

        // the front end was trained: its weights moved from the initial ones and from those at batch 7
        double[] initial = new RankCodingNetwork(NET, config.seed()).frontEnd().weight().data;
        double[] atSeven = checkpoint.network().frontEnd().weight().data;
        double[] last = resumed.network().frontEnd().weight().data;
        assertFalse(Arrays.equals(initial, atSeven), "the front end's weights change in training");
        assertFalse(Arrays.equals(atSeven, last), "the front end's weights change after the resume");
        assertTrue(resumed.network().hasFrontEnd());
    }

    @Test
    void theCheckpointRecordsTheFrontEndAndRefusesAMalformedOne(@TempDir Path tmp) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.END_OF_SEQUENCE, 1, 16 * 3);
        Path dir = tmp.resolve("run");
        trainer(config).train(NET, source(), List.of(), TrainingListener.NONE, CheckpointPolicy.everyBatches(dir, 0));
        Path file = TrainingCheckpoint.latest(dir).orElseThrow().file();
        TensorFile tf = TensorFile.read(file);
        assertEquals(FRONT.toString(), tf.metadata().get("network.frontEnd"));
        assertArrayEquals(new long[]{3, 9}, tf.tensors().get("weights.frontend.weight").shape());
        assertArrayEquals(new long[]{1, 3}, tf.tensors().get("adam.v.frontend.bias").shape());

        // an unchanged rewrite loads: the edits below are what fails
        TrainingCheckpoint same = TrainingCheckpoint.load(rewrite(file, tmp.resolve("same.safetensors"), m -> { }));
        assertEquals(NET, same.network().config());
        for (String bad : new String[]{"conv:channels=3,kernel=2,pool=2,height=3,width=4", "conv:channels=3,kernel=3,pool=4,"
                + "height=3,width=4", "conv(3,3,2,3,4)", ""}) {
            Path edited = rewrite(file, tmp.resolve("bad.safetensors"), m -> m.put("network.frontEnd", bad));
            ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(edited), bad);
            assertTrue(e.getMessage().startsWith(edited.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("network.frontEnd"), "names the key: " + e.getMessage());
        }
        // an image that does not fit the input size
        Path mismatch = rewrite(file, tmp.resolve("mismatch.safetensors"),
                m -> m.put("network.frontEnd", "conv:channels=3,kernel=3,pool=2,height=4,width=4"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(mismatch));
        assertTrue(e.getMessage().contains("inputSize = 12"), e.getMessage());
        // without the key the network has no front end, and the front end's tensors do not fit it
        Path dropped = rewrite(file, tmp.resolve("dropped.safetensors"), m -> m.remove("network.frontEnd"));
        assertThrows(ModelFileException.class, () -> TrainingCheckpoint.load(dropped));
    }

    @Test
    void aCheckpointWrittenBeforeFrontEndsLoadsWithoutOne(@TempDir Path tmp) throws IOException {
        TrainerConfig config = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET);
        Path dir = tmp.resolve("run");
        Path policyDir = tmp.resolve("resumed");
        TrainingResult straight = trainer(config).train(CheckpointFixtures.NET, CheckpointFixtures.source("finite"), List.of(),
                TrainingListener.NONE);
        assertThrows(IllegalStateException.class, () -> trainer(config).train(CheckpointFixtures.NET,
                CheckpointFixtures.source("finite"), List.of(), crashAfter(6), CheckpointPolicy.everyBatches(dir, 5)));
        Path file = TrainingCheckpoint.latest(dir).orElseThrow().file();
        assertEquals("none", TensorFile.read(file).metadata().get("network.frontEnd"));
        Path old = rewrite(file, Files.createDirectory(tmp.resolve("old")).resolve(file.getFileName().toString()),
                m -> m.remove("network.frontEnd"));
        TrainingCheckpoint checkpoint = TrainingCheckpoint.load(old);
        assertEquals(CheckpointFixtures.NET, checkpoint.network().config());
        assertEquals(ConvFrontEndConfig.NONE, checkpoint.network().config().frontEnd());
        TrainingResult resumed = trainer(config).resume(checkpoint, CheckpointFixtures.NET, CheckpointFixtures.source("finite"), List.of(),
                TrainingListener.NONE, CheckpointPolicy.everyBatches(policyDir, 5));
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()),
                "an old checkpoint resumes bit-identically");
    }
    @Test
    void aVersion2CheckpointOfATwoStageFrontEndIsReadWithItsFormerWeightOrder(@TempDir Path tmp) throws IOException {
        ConvFrontEndConfig two = ConvFrontEndConfig.conv(3, 3, 1, 3, 4).withSecondStage(2);
        NetworkConfig net = new NetworkConfig(12, 6, 1, HeadType.BINARY_SIGMOID, 2, two);
        TrainerConfig config = CheckpointFixtures.config(LossMode.END_OF_SEQUENCE, 1, 16 * 3);
        Path dir = tmp.resolve("run");
        trainer(config).train(net, source(), List.of(), TrainingListener.NONE, CheckpointPolicy.everyBatches(dir, 0));
        Path file = TrainingCheckpoint.latest(dir).orElseThrow().file();
        TensorFile tf = TensorFile.read(file);
        assertEquals(String.valueOf(CheckpointCodec.FORMAT_VERSION), tf.metadata().get("format_version"));
        TrainingCheckpoint current = TrainingCheckpoint.load(file);
        // the same checkpoint as version 2 wrote it: every frontend.weight2 tensor as [C2, K, K, C]
        Map<String, String> meta = new LinkedHashMap<>(tf.metadata());
        meta.remove(TensorFile.KEY_CHECKSUM);
        meta.put("format_version", "2");
        List<TensorFile.Tensor> tensors = new ArrayList<>();
        int converted = 0;
        for (TensorFile.Tensor t : tf.tensors().values()) {
            if (t.name().endsWith("frontend.weight2")) {
                double[] patch = new double[t.doubles().length];
                ConvWeightOrder.toPatchOrder(t.doubles(), 2, 3, 9, patch);
                assertFalse(Arrays.equals(patch, t.doubles()), t.name());
                t = TensorFile.Tensor.of(t.name(), patch, t.shape());
                converted++;
            }
            tensors.add(t);
        }
        assertEquals(3, converted, "weights, first and second moments");
        Path old = tmp.resolve("v2.safetensors");
        TensorFile.write(old, meta, tensors);
        TrainingCheckpoint legacy = TrainingCheckpoint.load(old);
        assertNull(CheckpointFixtures.firstDifference(current.network().parameters(), legacy.network().parameters()),
                "read back in PyTorch's order");
    }
}
