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
    void outOfFoldWithOneNetworkEverywhereIsTheSweepOfAllParts() {
        double[] thresholds = {0.9, 0.6, 0.75};
        RankCodingNetwork net = RcTestSupport.network(3, 6, 1, HeadType.SOFTMAX, 3, 4, 2.0);
        List<List<SequenceBatch>> parts = parts(new SplittableRandom(2), 3, 3);
        List<SequenceBatch> all = parts.stream().flatMap(List::stream).toList();
        List<Evaluation> expected = ThresholdSweep.sweep(net, all, thresholds, 5.0);
        for (int threads : new int[] {1, 2}) {
            List<Evaluation> pooled = ThresholdSweep.sweepOutOfFold(List.of(net, net, net), parts,
                    org.rankcoding.rc.DecisionRuleSpec.thresholdCrossing(0.9), thresholds, 5.0, threads);
            for (int k = 0; k < thresholds.length; k++) {
                assertSameEvaluation(expected.get(k), pooled.get(k), "threads " + threads + " theta " + thresholds[k]);
            }
        }
    }

    @Test
    void outOfFoldPoolsEachNetworksOwnPart() {
        double[] thresholds = {0.55, 0.7, 0.85};
        List<RankCodingNetwork> nets = List.of(RcTestSupport.network(3, 6, 1, HeadType.BINARY_SIGMOID, 2, 1, 1.5),
                RcTestSupport.network(3, 6, 1, HeadType.BINARY_SIGMOID, 2, 2, 1.5));
        List<List<SequenceBatch>> parts = parts(new SplittableRandom(9), 2, 2);
        List<Evaluation> pooled = ThresholdSweep.sweepOutOfFold(nets, parts,
                org.rankcoding.rc.DecisionRuleSpec.thresholdCrossing(0.9), thresholds, 5.0, 1);
        for (int k = 0; k < thresholds.length; k++) {
            long examples = 0;
            long exitSteps = 0;
            double correct = 0;
            double earliness = 0;
            for (int f = 0; f < 2; f++) {
                Evaluation e = Evaluator.evaluate(nets.get(f), parts.get(f), thresholds[k], 5.0);
                examples += e.examples();
                exitSteps += e.earlyExitExampleSteps();
                correct += e.accuracyFirstSpike() * e.examples();
                earliness += e.earliness() * e.examples();
            }
            Evaluation p = pooled.get(k);
            String where = "theta " + thresholds[k];
            assertEquals(examples, p.examples(), where);
            assertEquals(exitSteps, p.earlyExitExampleSteps(), where);
            assertEquals(correct / examples, p.accuracyFirstSpike(), 1e-12, where);
            assertEquals(earliness / examples, p.earliness(), 1e-12, where);
        }
        List<Evaluation> firstEverywhere = ThresholdSweep.sweep(nets.get(0), parts.stream().flatMap(List::stream).toList(),
                thresholds, 5.0);
        boolean differs = false;
        for (int k = 0; k < thresholds.length; k++) {
            differs |= firstEverywhere.get(k).accuracyFirstSpike() != pooled.get(k).accuracyFirstSpike()
                    || firstEverywhere.get(k).meanDecisionStep() != pooled.get(k).meanDecisionStep();
        }
        assertTrue(differs, "the second network decides its part differently from the first (else the check is weak)");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.sweepOutOfFold(nets, parts.subList(0, 1),
                org.rankcoding.rc.DecisionRuleSpec.thresholdCrossing(0.9), thresholds, 5.0, 1)).getMessage()
                .contains("2 networks for 1 parts"));
        RankCodingNetwork other = RcTestSupport.network(3, 7, 1, HeadType.BINARY_SIGMOID, 2, 2, 1.5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.sweepOutOfFold(List.of(nets.get(0), other),
                parts, org.rankcoding.rc.DecisionRuleSpec.thresholdCrossing(0.9), thresholds, 5.0, 1)).getMessage()
                .contains("one configuration"));
    }

    /** {@code count} parts of {@code batches} random batches each (2 to 3 classes' labels fit both heads used). */
    private static List<List<SequenceBatch>> parts(SplittableRandom rng, int count, int batches) {
        List<List<SequenceBatch>> parts = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            List<SequenceBatch> part = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                part.add(RcTestSupport.batch(rng, 3, RcTestSupport.randomLengths(rng, 15 + 5 * f, 9), 2, 1.5, Double.NaN));
            }
            parts.add(part);
        }
        return parts;
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
