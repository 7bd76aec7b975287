package org.rankcoding.train;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;

import java.util.List;

/**
 * The small two-layer task of the regularisation and weight-averaging tests: noise vs signal, 120 training and 40
 * validation sequences of 4 to 9 steps, a 2 x 6 LSTM with a softmax head, and a trainer that validates every 3 batches.
 */
final class SmallTaskFixture {

    static final NetworkConfig NET2 = new NetworkConfig(1, 6, 2, HeadType.SOFTMAX, 2);

    private SmallTaskFixture() {
    }

    static TrainerConfig.Builder base() {
        return TrainerConfig.builder().threshold(0.8).learningRate(1e-2).batchSize(16).trainSequences(480).seed(7)
                .threads(1).validateEverySequences(48);
    }

    static InMemorySequences train() {
        return NoiseSignalTask.dataset(21, 120, 4, 9, 0.3, 0.4);
    }

    static List<SequenceBatch> validation() {
        return NoiseSignalTask.dataset(22, 40, 4, 9, 0.3, 0.4).batches(20);
    }

    /** A listener that throws (a simulated crash) once the run has trained batch {@code batch}. */
    static TrainingListener crashingAt(long batch) {
        return new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress p) {
                if (p.batches() == batch) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
    }
}
