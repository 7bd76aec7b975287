package org.rankcoding.infer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.NonFiniteOutputException;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.StepObserver;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertRefusal;

/**
 * A network whose output is not a probability (a NaN weight, or finite weights so large that the computation
 * overflows) makes every inference path throw {@link NonFiniteOutputException} naming the row (or the stream), the step
 * and the network's source: classify, a streaming session, an inference pass, the evaluator and the threshold sweep.
 * None returns NaN as a result.
 */
class NonFiniteOutputTest {

    private static final int INPUTS = 3;
    private static final int LENGTH = 5;

    /** A trained-looking network with one NaN in the readout's bias (or, for {@code overflow}, a huge readout weight). */
    private static RankCodingNetwork broken(HeadType head, double readoutValue) {
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        RankCodingNetwork net = RcTestSupport.network(INPUTS, 4, 1, head, classes, 3, 0.5);
        if (Double.isNaN(readoutValue)) {
            net.readout().bias().data[0] = readoutValue;
        } else {
            Arrays.fill(net.readout().weight().data, readoutValue);
        }
        return net;
    }

    private static SequenceBatch batch(HeadType head, int rows) {
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        int[] lengths = new int[rows];
        Arrays.fill(lengths, LENGTH);
        return RcTestSupport.batch(new SplittableRandom(1), INPUTS, lengths, classes, 1.0, 0.0);
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void classifyThrowsNamingTheRowTheStepAndTheSource(HeadType head) {
        RankCodingModel model = new RankCodingModel(broken(head, Double.NaN), 0.9, Kernels.best(), "model file 'm.safetensors'");
        NonFiniteOutputException e = assertRefusal(NonFiniteOutputException.class, () -> model.classify(batch(head, 4)),
                "row 0", "step " + LENGTH, "NaN", "model file 'm.safetensors'", "input features");
        assertEquals(LENGTH, e.step());
        assertEquals(0, e.row());
        assertTrue(Double.isNaN(e.value()));
        assertEquals("model file 'm.safetensors'", e.source());
    }

    @Test
    void finiteValuesThatOverflowAreCaughtToo() {
        // finite weights and inputs whose products overflow to +inf and -inf, which sum to NaN
        RankCodingNetwork net = RcTestSupport.network(INPUTS, 4, 1, HeadType.SOFTMAX, 3, 3, 0.5);
        Arrays.fill(net.parameters().get(RankCodingNetwork.LSTM_PREFIX + "weight_ih_l0").data, 10.0);
        double[] x = {1e308, -1e308, 0};
        double[] in = new double[2 * LENGTH * INPUTS];
        for (int j = 0; j < 2 * LENGTH; j++) {
            System.arraycopy(x, 0, in, j * INPUTS, INPUTS);
        }
        SequenceBatch b = new SequenceBatch(2, LENGTH, INPUTS, in, new int[] {LENGTH, 2}, new int[] {0, 1}, 3, null);
        RankCodingModel model = new RankCodingModel(net, 0.9);
        NonFiniteOutputException e = assertRefusal(NonFiniteOutputException.class, () -> model.classify(b),
                "row 1 at step 2", "the weights of the network", "overflows");
        assertEquals(NonFiniteOutputException.UNKNOWN_SOURCE, e.source());
        assertRefusal(NonFiniteOutputException.class, () -> model.newSession().feed(x), "the stream at step 1");
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void aStreamThrowsAtTheFirstStep(HeadType head) {
        StreamingSession session = new RankCodingModel(broken(head, Double.NaN), 0.9, Kernels.best(), "model file 's.safetensors'")
                .newSession();
        NonFiniteOutputException e = assertRefusal(NonFiniteOutputException.class, () -> session.feed(new double[INPUTS]),
                "the stream", "step 1", "model file 's.safetensors'");
        assertEquals(1, e.step());
    }

    @Test
    void aModelOfAGoodNetworkStillAnswers() {
        RankCodingNetwork net = RcTestSupport.network(INPUTS, 4, 1, HeadType.SOFTMAX, 3, 3, 0.5);
        BatchDecisions d = new RankCodingModel(net, 0.9).classify(batch(HeadType.SOFTMAX, 4));
        for (Decision x : d) {
            for (double p : x.probabilities()) {
                assertTrue(Double.isFinite(p));
            }
        }
        StreamingSession s = new RankCodingModel(net, 0.9).newSession();
        s.feed(new double[INPUTS]);
        assertEquals(1, s.steps());
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void inferencePassesThrowInsteadOfReturningNaN(HeadType head) {
        InferencePass pass = new InferencePass(broken(head, Double.NaN), Kernels.best());
        SequenceBatch b = batch(head, 3);
        assertRefusal(NonFiniteOutputException.class, () -> pass.earlyExit(b, 0.9), "row 0", "step " + LENGTH);
        assertRefusal(NonFiniteOutputException.class, () -> pass.runToEnd(b, 0.9, StepObserver.NONE), "row 0", "step " + LENGTH);
    }

    @Test
    void theEvaluatorAndTheSweepThrowInsteadOfCountingNaN() {
        RankCodingNetwork net = broken(HeadType.SOFTMAX, Double.NaN);
        List<SequenceBatch> batches = List.of(batch(HeadType.SOFTMAX, 3));
        assertRefusal(NonFiniteOutputException.class, () -> Evaluator.evaluate(net, batches, 0.9, 1.0), "row 0", "step " + LENGTH);
        Evaluator evaluator = new Evaluator(net, 0.9, 1.0);
        assertThrows(NonFiniteOutputException.class, () -> evaluator.add(batches.get(0)));
        assertThrows(IllegalStateException.class, evaluator::result, "nothing of the failed batch was counted");
        assertRefusal(NonFiniteOutputException.class, () -> ThresholdSweep.sweep(net, batches, new double[] {0.6, 0.9}, 1.0),
                "step " + LENGTH);
    }
}
