package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TrainingGrid}: each point is the model a single training with that beta and theta gives, tested at its theta. */
class TrainingGridTest {

    private static final NetworkConfig NET = new NetworkConfig(1, 6, 1, HeadType.BINARY_SIGMOID, 2);

    private static TrainerConfig base() {
        return TrainerConfig.builder().lossMode(LossMode.END_OF_SEQUENCE).learningRate(3e-3).batchSize(16).trainSequences(640)
                .validateEverySequences(320).seed(4).build();
    }

    @Test
    void pointsEqualSeparateTrainingsBitForBit() {
        List<SequenceBatch> test = List.of(NoiseSignalTask.dataset(99, 120, 4, 10, 0.2, 1.0).batches(120).get(0));
        List<SequenceBatch> validation = List.of(NoiseSignalTask.dataset(98, 60, 4, 10, 0.2, 1.0).batches(60).get(0));
        double[] betas = {0.0, 0.3};
        double[] thetas = {0.8, 0.9};
        List<String> events = new ArrayList<>();
        List<TrainingGrid.Point> points = TrainingGrid.run(base(), NET, betas, thetas,
                () -> NoiseSignalTask.dataset(7, 200, 4, 10, 0.2, 1.0), validation, test, new TrainingGrid.Listener() {
                    @Override
                    public TrainingListener starting(int index, int total, TrainerConfig config) {
                        events.add("start " + index + "/" + total);
                        return TrainingListener.NONE;
                    }

                    @Override
                    public void finished(int index, int total, TrainingGrid.Point point) {
                        events.add("done " + index);
                    }
                });
        assertEquals(List.of("start 0/4", "done 0", "start 1/4", "done 1", "start 2/4", "done 2", "start 3/4", "done 3"), events);
        assertEquals(4, points.size());
        int i = 0;
        for (double b : betas) {
            for (double t : thetas) {
                TrainingGrid.Point p = points.get(i++);
                assertEquals(b, p.beta());
                assertEquals(t, p.threshold());
                assertEquals(LossMode.RANK_CODING, p.training().config().lossMode());
                TrainerConfig alone = base().toBuilder().lossMode(LossMode.RANK_CODING).beta(b).threshold(t).build();
                TrainingResult r = new Trainer(alone).train(NET, NoiseSignalTask.dataset(7, 200, 4, 10, 0.2, 1.0), validation,
                        TrainingListener.NONE);
                for (int k = 0; k < r.network().parameters().tensors().size(); k++) {
                    assertArrayEquals(r.network().parameters().tensors().get(k).data, p.training().network().parameters().tensors().get(k).data,
                            "beta " + b + " theta " + t);
                }
                assertEquals(Evaluator.evaluate(r.network(), test, t, 1.0).accuracyFirstSpike(), p.test().accuracyFirstSpike());
                assertEquals(t, p.test().threshold());
            }
        }
    }

    @Test
    void badGridsAreRefused() {
        List<SequenceBatch> test = List.of(NoiseSignalTask.dataset(99, 10, 4, 4, 0.2, 1.0).batches(10).get(0));
        InMemorySequences src = NoiseSignalTask.dataset(7, 20, 4, 4, 0.2, 1.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingGrid.run(base(), NET, new double[0], new double[] {0.9},
                () -> src, List.of(), test, null)).getMessage().contains("no betas"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingGrid.run(base(), NET, new double[] {0.1, 0.1},
                new double[] {0.9}, () -> src, List.of(), test, null)).getMessage().contains("given twice"));
        assertThrows(IllegalArgumentException.class, () -> TrainingGrid.run(base(), NET, new double[] {-1}, new double[] {0.9},
                () -> src, List.of(), test, null));
        assertThrows(IllegalArgumentException.class, () -> TrainingGrid.run(base(), NET, new double[] {0}, new double[] {1.2},
                () -> src, List.of(), test, null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingGrid.run(base(), NET, new double[] {0}, new double[] {0.9},
                () -> src, List.of(), List.of(), null)).getMessage().contains("no test batches"));
    }
}
