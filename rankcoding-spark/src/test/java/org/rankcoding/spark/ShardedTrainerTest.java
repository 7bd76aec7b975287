package org.rankcoding.spark;

import org.apache.spark.api.java.JavaRDD;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data-parallel training on a local[2] Spark equals the single-JVM trainer on the same batches. */
class ShardedTrainerTest {

    @TempDir
    Path dir;

    static final List<SequenceRow> ROWS = ToyData.rows(90, 3, 7);
    static final NetworkConfig NETWORK = new NetworkConfig(3, 12, 2, HeadType.SOFTMAX, 2);

    static TrainerConfig config(int shards) {
        // 12 batches of 16 rows, the last of 4; clipping and a cosine schedule to exercise the shared update
        return TrainerConfig.builder().batchSize(16).trainSequences(180).learningRate(5e-3).seed(3).threads(shards)
                .decisionRule(DecisionRuleSpec.thresholdCrossing(0.9)).clipNorm(1.0).schedule(org.rankcoding.train.LearningRateSchedule.COSINE).build();
    }

    static JavaRDD<SequenceRow> data() {
        return SparkTestSession.context().parallelize(ROWS, 3);
    }

    static void assertSame(Parameters expected, Parameters actual, double tolerance) {
        assertEquals(expected.names(), actual.names());
        for (String name : expected.names()) {
            DMatrixRMaj a = expected.get(name);
            DMatrixRMaj b = actual.get(name);
            assertArrayEquals(java.util.Arrays.copyOf(a.data, a.getNumElements()),
                    java.util.Arrays.copyOf(b.data, b.getNumElements()), tolerance, name);
        }
    }

    static TrainingResult singleJvm(int shards, String kernels) {
        TrainerConfig c = config(shards);
        ShardedBatchSource source = new ShardedBatchSource(ROWS, shards, 2, c.batchSize(), c.trainSequences(), c.seed());
        return new Trainer(c, Kernels.select(kernels)).train(NETWORK, source, List.of(), TrainingListener.NONE);
    }

    @Test
    void equalsTheSingleJvmTrainerBitForBitWithDoubleKernels() throws IOException {
        for (int shards : new int[]{1, 3}) {
            ShardedTrainingResult spark = new ShardedTrainer(config(shards), shards).withKernels("blocked")
                    .train(NETWORK, data());
            TrainingResult local = singleJvm(shards, "blocked");
            assertEquals(12, spark.batches());
            assertEquals(local.sequences(), spark.sequences());
            assertEquals(local.forwardExampleSteps(), spark.forwardExampleSteps(), "shards " + shards);
            assertEquals(local.backwardExampleSteps(), spark.backwardExampleSteps(), "shards " + shards);
            assertSame(local.network().parameters(), spark.network().parameters(), 0.0);
        }
    }

    @Test
    void equalsTheSingleJvmTrainerWithFloatKernelsAndIsDeterministic() throws IOException {
        ShardedTrainingResult a = new ShardedTrainer(config(2), 2).withKernels("float32").train(NETWORK, data());
        ShardedTrainingResult b = new ShardedTrainer(config(2), 2).withKernels("float32").train(NETWORK, data());
        assertSame(a.network().parameters(), b.network().parameters(), 0.0);
        assertSame(singleJvm(2, "float32").network().parameters(), a.network().parameters(), 1e-9);
    }

    @Test
    void earlyExitWorkIsCountedAndSmallerThanRunningToTheEnd() throws IOException {
        TrainerConfig early = config(2).toBuilder().decisionRule(DecisionRuleSpec.thresholdCrossing(0.52)).learningRate(3e-2).build();
        ShardedTrainingResult rc = new ShardedTrainer(early, 2).train(NETWORK, data());
        assertTrue(rc.forwardExampleSteps() < rc.fullExampleSteps(), rc.toString());
        assertTrue(rc.backwardExampleSteps() <= rc.forwardExampleSteps(), rc.toString());
        TrainerConfig eos = early.toBuilder().lossMode(LossMode.END_OF_SEQUENCE).build();
        ShardedTrainingResult full = new ShardedTrainer(eos, 2).train(NETWORK, data());
        assertEquals(full.fullExampleSteps(), full.forwardExampleSteps());
    }

    @Test
    void aResumedRunIsBitIdenticalToAnUninterruptedOne() throws IOException {
        ShardedTrainingResult whole = new ShardedTrainer(config(2), 2).withKernels("float32").train(NETWORK, data());
        Path checkpoints = dir.resolve("checkpoints");
        ShardedTrainer interrupted = new ShardedTrainer(config(2), 2).withKernels("float32")
                .withCheckpoints(checkpoints, 3)
                .withListener((batches, loss, step) -> {
                    if (batches == 7) {
                        throw new IllegalStateException("simulated driver crash after batch 7");
                    }
                });
        IllegalStateException crash = assertThrows(IllegalStateException.class, () -> interrupted.train(NETWORK, data()));
        assertTrue(crash.getMessage().contains("simulated"));
        assertEquals(ShardedCheckpoint.fileFor(checkpoints, 6), ShardedCheckpoint.latest(checkpoints).orElseThrow());
        ShardedTrainingResult resumed = new ShardedTrainer(config(2), 2).withKernels("float32")
                .withCheckpoints(checkpoints, 3).train(NETWORK, data());
        assertEquals(6, resumed.resumedFromBatch());
        assertEquals(12, resumed.batches());
        assertEquals(whole.forwardExampleSteps(), resumed.forwardExampleSteps());
        assertSame(whole.network().parameters(), resumed.network().parameters(), 0.0);

        TrainerConfig other = config(2).toBuilder().learningRate(1e-3).build();
        Exception refused = assertThrows(Exception.class,
                () -> new ShardedTrainer(other, 2).withCheckpoints(checkpoints, 3).train(NETWORK, data()));
        assertTrue(refused.getMessage().contains("the checkpoint is of another run"), refused.getMessage());
    }

    @Test
    void unsupportedSettingsAndMismatchedDataAreRefused() {
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class,
                () -> new ShardedTrainer(config(2).toBuilder().dropout(0.2).build(), 2));
        assertTrue(dropout.getMessage().contains("dropout"), dropout.getMessage());
        IllegalArgumentException average = assertThrows(IllegalArgumentException.class,
                () -> new ShardedTrainer(config(2).toBuilder().averageDecay(0.99).build(), 2));
        assertTrue(average.getMessage().contains("averageDecay = 0.99"), average.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> new ShardedTrainer(config(2), 2)
                .train(new NetworkConfig(4, 8, 1, HeadType.SOFTMAX, 2), data()));
        assertTrue(size.getMessage().contains("the network's input size is 4"), size.getMessage());
        IllegalArgumentException shards = assertThrows(IllegalArgumentException.class, () -> new ShardedTrainer(config(2),
                200).train(NETWORK, data()));
        assertTrue(shards.getMessage().contains("use at most 90 shards"), shards.getMessage());
    }
}
