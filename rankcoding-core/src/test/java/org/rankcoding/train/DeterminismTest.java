package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.rc.LossMode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trainer is reusable configuration: two {@link Trainer#train} calls with the same seed, settings and
 * source give bit-identical weights; another seed gives other weights.
 */
class DeterminismTest {

    private static final NetworkConfig NET = NetworkConfig.binary(1, 6);

    private static TrainerConfig.Builder base() {
        return TrainerConfig.builder().lossMode(LossMode.RANK_CODING).threshold(0.9).learningRate(1e-2).batchSize(32)
                .trainSequences(1000).seed(42).beta(0.05);
    }

    private static String firstDifference(Parameters a, Parameters b) {
        return CheckpointFixtures.firstDifference(a, b);
    }

    private static int differingValues(Parameters a, Parameters b) {
        int n = 0;
        for (String name : a.names()) {
            DMatrixRMaj x = a.get(name);
            DMatrixRMaj y = b.get(name);
            for (int i = 0; i < x.getNumElements(); i++) {
                if (Double.doubleToRawLongBits(x.data[i]) != Double.doubleToRawLongBits(y.data[i])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static TrainingResult train(TrainerConfig config, BatchSource source) {
        return new Trainer(config).train(NET, source, List.of(), TrainingListener.NONE);
    }

    @Test
    void sameSeedSameSourceGivesBitIdenticalWeights() {
        BatchSource source = NoiseSignalTask.generator(8, 0.2, 0.5);
        for (int threads : new int[]{1, 2, 3}) {
            TrainerConfig config = base().threads(threads).build();
            TrainingResult a = train(config, source);
            TrainingResult b = train(config, source);
            assertTrue(a.network() != b.network(), "each call builds its own network");
            assertNull(firstDifference(a.network().parameters(), b.network().parameters()), "threads " + threads);
            assertEquals(a.forwardExampleSteps(), b.forwardExampleSteps());
            assertEquals(a.backwardExampleSteps(), b.backwardExampleSteps());
            assertEquals(a.batches(), b.batches());
        }
    }

    @Test
    void endOfSequenceTrainingWithAHorizonIsDeterministicToo() {
        BatchSource source = NoiseSignalTask.generator(6, 0.2, 0.5);
        TrainerConfig config = base().lossMode(LossMode.END_OF_SEQUENCE).horizon(3).clipNorm(0.5).build();
        assertNull(firstDifference(train(config, source).network().parameters(), train(config, source).network().parameters()));
    }

    @Test
    void aDifferentSeedGivesDifferentWeights() {
        BatchSource source = NoiseSignalTask.generator(8, 0.2, 0.5);
        Parameters a = train(base().seed(42).build(), source).network().parameters();
        Parameters b = train(base().seed(43).build(), source).network().parameters();
        int differing = differingValues(a, b);
        assertTrue(differing > 0.9 * a.count(), "almost every weight differs with another seed: " + differing + " of " + a.count());
    }

    @Test
    void freshCopiesOfAnInMemoryDataSetGiveBitIdenticalWeights() {
        TrainerConfig config = base().trainSequences(700).build();
        InMemorySequences first = NoiseSignalTask.dataset(9, 300, 3, 9, 0.2, 0.5);
        InMemorySequences second = NoiseSignalTask.dataset(9, 300, 3, 9, 0.2, 0.5);
        assertNull(firstDifference(train(config, first).network().parameters(), train(config, second).network().parameters()));
    }

    @Test
    void theSameInMemoryDataSetTwiceGivesBitIdenticalWeights() {
        // Trainer's contract: "two calls with the same seed, settings and source give bit-identical weights".
        // 700 sequences over a data set of 300 ends in the middle of an epoch.
        TrainerConfig config = base().trainSequences(700).build();
        InMemorySequences source = NoiseSignalTask.dataset(9, 300, 3, 9, 0.2, 0.5);
        Parameters a = train(config, source).network().parameters();
        Parameters b = train(config, source).network().parameters();
        assertNull(firstDifference(a, b), "the second run must not continue the first run's epoch");
    }
}
