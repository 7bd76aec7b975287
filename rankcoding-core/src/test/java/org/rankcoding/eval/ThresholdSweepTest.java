package org.rankcoding.eval;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ThresholdSweep}: one pass gives, per threshold, exactly what {@link Evaluator} gives at that threshold. */
class ThresholdSweepTest {

    private static void assertSameEvaluation(Evaluation expected, Evaluation actual, String where) {
        assertEquals(expected.examples(), actual.examples(), where);
        assertEquals(expected.threshold(), actual.threshold(), where);
        assertEquals(expected.accuracyFirstSpike(), actual.accuracyFirstSpike(), where);
        assertEquals(expected.accuracyLastStep(), actual.accuracyLastStep(), where);
        assertEquals(expected.meanDecisionStep(), actual.meanDecisionStep(), where);
        assertEquals(expected.medianDecisionStep(), actual.medianDecisionStep(), where);
        assertArrayEquals(expected.decisionHistogram(), actual.decisionHistogram(), where);
        assertArrayEquals(expected.correctHistogram(), actual.correctHistogram(), where);
        assertArrayEquals(expected.perClassMeanDecisionStep(), actual.perClassMeanDecisionStep(), where);
        assertEquals(expected.noSpikeFraction(), actual.noSpikeFraction(), where);
        assertEquals(expected.earliness(), actual.earliness(), where);
        assertEquals(expected.harmonicMean(), actual.harmonicMean(), where);
        assertEquals(expected.earlyExitExampleSteps(), actual.earlyExitExampleSteps(), where);
        assertEquals(expected.fullExampleSteps(), actual.fullExampleSteps(), where);
        assertEquals(expected.timing(), actual.timing(), where);
    }

    @Test
    void everyThresholdMatchesAnEvaluatorAtThatThreshold() {
        double[] thresholds = {0.9, 0.51, 0.6, 0.55, 0.75};
        for (HeadType head : HeadType.values()) {
            int classes = head == HeadType.BINARY_SIGMOID ? 2 : 4;
            RankCodingNetwork net = RcTestSupport.network(3, 6, 2, head, classes, 11, head == HeadType.SOFTMAX ? 2.5 : 0.9);
            SplittableRandom rng = new SplittableRandom(5);
            List<SequenceBatch> batches = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                batches.add(RcTestSupport.batch(rng, 3, RcTestSupport.randomLengths(rng, 40, 9), classes, 1.5, Double.NaN));
            }
            List<Evaluation> swept = ThresholdSweep.sweep(net, batches, thresholds, 5.0);
            assertEquals(thresholds.length, swept.size());
            int distinct = 0;
            for (int k = 0; k < thresholds.length; k++) {
                Evaluation expected = Evaluator.evaluate(net, batches, thresholds[k], 5.0);
                assertSameEvaluation(expected, swept.get(k), head + " theta " + thresholds[k]);
                distinct += k > 0 && swept.get(k).meanDecisionStep() != swept.get(k - 1).meanDecisionStep() ? 1 : 0;
            }
            assertTrue(distinct >= 2, head + ": the thresholds give different decisions (else the comparison is weak)");
        }
    }

    @Test
    void higherThresholdsNeverDecideEarlier() {
        RankCodingNetwork net = RcTestSupport.network(2, 5, 1, HeadType.SOFTMAX, 3, 3, 1.0);
        SplittableRandom rng = new SplittableRandom(8);
        List<SequenceBatch> batches = List.of(RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 200, 12), 3, 1.0, 0));
        double[] thresholds = {0.52, 0.6, 0.7, 0.8, 0.95};
        List<Evaluation> swept = ThresholdSweep.sweep(net, batches, thresholds, 1.0);
        for (int k = 1; k < thresholds.length; k++) {
            assertTrue(swept.get(k).meanDecisionStep() >= swept.get(k - 1).meanDecisionStep(), "theta " + thresholds[k]);
        }
    }

    @Test
    void badThresholdListsAreRefused() {
        RankCodingNetwork net = RcTestSupport.network(1, 2, 1, HeadType.BINARY_SIGMOID, 2, 1, 0.5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThresholdSweep(net, new double[0], 1)).getMessage()
                .contains("no thresholds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThresholdSweep(net, new double[] {0.7, 0.7}, 1)).getMessage()
                .contains("0.7 is given twice"));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSweep(net, new double[] {0.4}, 1));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSweep(net, new double[] {0.7}, 0));
        assertThrows(IllegalStateException.class, () -> new ThresholdSweep(net, new double[] {0.7}, 1).results());
    }
}
