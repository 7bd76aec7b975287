package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end training on a tiny noise-vs-signal task: rank coding learns to answer early and correctly,
 * and computes fewer example-steps than the end-of-sequence baseline with the same budget.
 */
class TrainerSmokeTest {

    private static final int T = 10;
    private static final int BUDGET = 3000;

    private static TrainerConfig config(LossMode mode) {
        return TrainerConfig.builder().lossMode(mode).threshold(0.95).learningRate(1e-2).batchSize(32)
                .trainSequences(BUDGET).seed(5).validateEverySequences(1_000_000).build();
    }

    @Test
    void rankCodingLearnsToDecideEarlyAndComputesLessThanEndOfSequence() {
        InMemorySequences train = NoiseSignalTask.dataset(1, 4000, T, T, 0.3, 0.1);
        List<SequenceBatch> test = NoiseSignalTask.dataset(2, 1000, T, T, 0.3, 0.1).batches(100);
        NetworkConfig net = NetworkConfig.binary(1, 8);

        TrainingResult rc = new Trainer(config(LossMode.RANK_CODING)).train(net, train, List.of(), TrainingListener.NONE);
        Evaluation e = Evaluator.evaluate(rc.network(), test, 0.95, 1.0);
        assertEquals(1000, e.examples());
        assertTrue(e.accuracyFirstSpike() > 0.9, "accuracy at the first spike: " + e);
        assertTrue(e.meanDecisionStep() < T, "decisions before the end: " + e);
        assertTrue(e.earlyExitExampleSteps() < e.fullExampleSteps(), e.toString());

        TrainingResult eos = new Trainer(config(LossMode.END_OF_SEQUENCE)).train(net, new InMemorySequences(
                NoiseSignalTask.sequences(1, 4000, T, T, 0.3, 0.1), 2), List.of(), TrainingListener.NONE);
        assertEquals(BUDGET, rc.sequences());
        assertEquals(BUDGET, eos.sequences());
        assertEquals((long) BUDGET * T, eos.forwardExampleSteps(), "the baseline computes every step of every sequence");
        assertTrue(rc.forwardExampleSteps() < eos.forwardExampleSteps(),
                "rank coding forward " + rc.forwardExampleSteps() + " vs end-of-sequence " + eos.forwardExampleSteps());
        assertTrue(rc.backwardExampleSteps() < eos.backwardExampleSteps(),
                "rank coding backward " + rc.backwardExampleSteps() + " vs end-of-sequence " + eos.backwardExampleSteps());
    }

    @Test
    void variableLengthSequencesTrainWithoutError() {
        List<LabeledSequence> seqs = NoiseSignalTask.sequences(3, 500, 1, 12, 0.2, 0.5);
        long sumLengths = seqs.stream().mapToLong(LabeledSequence::length).sum();
        List<SequenceBatch> validation = NoiseSignalTask.dataset(4, 200, 1, 12, 0.2, 0.5).batches(64);
        for (int layers = 1; layers <= 2; layers++) {
            for (LossMode mode : LossMode.values()) {
                NetworkConfig net = new NetworkConfig(1, 5, layers, layers == 1 ? HeadType.BINARY_SIGMOID : HeadType.SOFTMAX, 2);
                // exactly one epoch, so the example-steps of the baseline are known
                TrainerConfig cfg = TrainerConfig.builder().lossMode(mode).threshold(0.9).learningRate(1e-2).batchSize(48)
                        .trainSequences(seqs.size()).seed(layers).beta(0.1).horizon(layers == 2 ? 4 : Integer.MAX_VALUE)
                        .validateEverySequences(250).build();
                List<Evaluation> seen = new ArrayList<>();
                TrainingResult r = new Trainer(cfg).train(net, new InMemorySequences(seqs, 2), validation, new TrainingListener() {
                    @Override
                    public void onValidation(TrainingProgress progress, Evaluation validation) {
                        seen.add(validation);
                    }
                });
                String where = mode + " layers " + layers;
                assertEquals(seqs.size(), r.sequences(), where);
                assertEquals((seqs.size() + 47) / 48, r.batches(), where);
                assertTrue(r.network().parameters().allFinite(), where);
                if (mode == LossMode.END_OF_SEQUENCE) {
                    assertEquals(sumLengths, r.forwardExampleSteps(), where + ": one epoch computes every step once");
                } else {
                    assertTrue(r.forwardExampleSteps() <= sumLengths, where);
                }
                assertTrue(r.backwardExampleSteps() <= r.forwardExampleSteps(), where);
                Evaluation last = r.lastValidation();
                assertNotNull(last, where);
                assertEquals(200, last.examples(), where);
                assertTrue(seen.size() >= 2, where + ": validations at 250 and at the end, got " + seen.size());
                assertTrue(last.earlyExitExampleSteps() <= last.fullExampleSteps(), where);
                assertTrue(Double.isFinite(last.accuracyFirstSpike()) && Double.isFinite(last.meanDecisionStep()), where);
            }
        }
    }
}
