package org.rankcoding.eval;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.ThresholdSchedule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Evaluator} and {@link ThresholdSweep} on several threads: every count and every double of every
 * {@link Evaluation} is bit-identical to the one-thread run, whatever the thread count.
 */
class ParallelEvaluationTest {

    private static final int INPUT = 3;
    private static final int CLASSES = 3;
    private static final double WINDOW = 7.0;
    /** Rows per batch: unequal, the first the largest (it finishes last), 7 batches (not a multiple of 2 or 3). */
    private static final int[] ROWS = {23, 4, 11, 1, 9, 16, 6};
    /** Two agreeing steps, not before step 3, a falling schedule, and class 2 abstaining. */
    private static final DecisionRuleSpec RULE = new DecisionRuleSpec(ThresholdSchedule.linear(0.75, 0.6, 12), 2, 3, List.of(2));
    private static final double[] THRESHOLDS = {0.8, 0.55, 0.62, 0.7};

    private static RankCodingNetwork network() {
        return RcTestSupport.network(INPUT, 8, 2, HeadType.SOFTMAX, CLASSES, 41, 3.0);
    }

    /** Batches of {@link #ROWS} rows of random lengths, with optimal steps for the rows of class 1 (timing metrics). */
    private static List<SequenceBatch> batches(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SequenceBatch> out = new ArrayList<>();
        for (int rows : ROWS) {
            SequenceBatch b = RcTestSupport.batch(rng, INPUT, RcTestSupport.randomLengths(rng, rows, 24), CLASSES, 1.5, 0.0);
            int[] lengths = new int[rows];
            int[] labels = new int[rows];
            int[] optimal = new int[rows];
            for (int r = 0; r < rows; r++) {
                lengths[r] = b.length(r);
                labels[r] = b.label(r);
                optimal[r] = labels[r] == 1 ? 1 + rng.nextInt(lengths[r]) : SequenceBatch.NO_OPTIMAL_STEP;
            }
            out.add(new SequenceBatch(rows, b.maxLength(), INPUT, b.inputArray(), lengths, labels, CLASSES, optimal));
        }
        return out;
    }

    static void assertSameEvaluation(Evaluation expected, Evaluation actual, String where) {
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
        // a record: its doubles are compared bit for bit
        assertEquals(expected.timing(), actual.timing(), where);
    }

    /** The setup is worth comparing: a mix of decisions, which differ from batch to batch, and timing scores. */
    private static void assertVaried(RankCodingNetwork net, List<SequenceBatch> batches, DecisionRuleSpec rule, Evaluation all) {
        assertTrue(all.noSpikeFraction() > 0 && all.noSpikeFraction() < 1, "setup: spiking and silent rows, " + all);
        assertTrue(all.accuracyFirstSpike() > 0 && all.accuracyFirstSpike() < 1, "setup: right and wrong decisions, " + all);
        long steps = java.util.Arrays.stream(all.decisionHistogram()).filter(c -> c > 0).count();
        assertTrue(steps >= 4, "setup: decisions at several steps, " + all);
        assertNotNull(all.timing(), "setup: timing metrics");
        assertTrue(all.timing().positives() > 0 && !Double.isNaN(all.timing().meanLag()), "setup: timing scores, " + all.timing());
        Set<Double> perBatch = new HashSet<>();
        for (SequenceBatch b : batches) {
            perBatch.add(Evaluator.evaluate(net, List.of(b), rule, WINDOW).earliness());
        }
        assertTrue(perBatch.size() >= batches.size() - 1, "setup: the batches decide differently, " + perBatch);
    }

    @Test
    void evaluatorGivesOneThreadsResultsOnAnyThreadCount() {
        RankCodingNetwork net = network();
        List<SequenceBatch> batches = batches(3);
        Evaluation one = Evaluator.evaluate(net, batches, RULE, WINDOW);
        assertVaried(net, batches, RULE, one);
        for (int threads = 1; threads <= 4; threads++) {
            assertSameEvaluation(one, Evaluator.evaluate(net, batches, RULE, WINDOW, threads), threads + " threads");
            // the same evaluator, asked twice, and a thread count above the number of batches
            Evaluator e = new Evaluator(net, RULE, WINDOW, threads * 3);
            e.addAll(batches.subList(0, 4));
            e.addAll(batches.subList(4, batches.size()));
            assertSameEvaluation(one, e.result(), threads * 3 + " threads, two calls");
        }
    }

    @Test
    void sweepGivesOneThreadsResultsOnAnyThreadCount() {
        RankCodingNetwork net = network();
        List<SequenceBatch> batches = batches(4);
        List<Evaluation> one = ThresholdSweep.sweep(net, batches, RULE, THRESHOLDS, WINDOW);
        Set<Double> means = new HashSet<>();
        for (int k = 0; k < THRESHOLDS.length; k++) {
            means.add(one.get(k).meanDecisionStep());
        }
        assertTrue(means.size() >= 3, "setup: the thresholds decide differently, " + means);
        assertVaried(net, batches, RULE.withThreshold(THRESHOLDS[1]), one.get(1));
        for (int threads = 1; threads <= 3; threads++) {
            List<Evaluation> many = ThresholdSweep.sweep(net, batches, RULE, THRESHOLDS, WINDOW, threads);
            assertEquals(THRESHOLDS.length, many.size());
            for (int k = 0; k < THRESHOLDS.length; k++) {
                assertSameEvaluation(one.get(k), many.get(k), threads + " threads, theta " + THRESHOLDS[k]);
            }
        }
    }

    @Test
    void addAndAddAllMix() {
        RankCodingNetwork net = network();
        List<SequenceBatch> batches = batches(5);
        ThresholdSweep sweep = new ThresholdSweep(net, RULE, THRESHOLDS, WINDOW, 3);
        sweep.add(batches.get(0));
        sweep.addAll(batches.subList(1, 6));
        sweep.add(batches.get(6));
        List<Evaluation> one = ThresholdSweep.sweep(net, batches, RULE, THRESHOLDS, WINDOW);
        for (int k = 0; k < THRESHOLDS.length; k++) {
            assertSameEvaluation(one.get(k), sweep.results().get(k), "theta " + THRESHOLDS[k]);
        }
        assertEquals(3, sweep.threads());
        assertEquals(1, new Evaluator(net, RULE, WINDOW).threads());
    }

    /** As on one thread: the batches before the first failing one are added, none after, and its exception is thrown. */
    @Test
    void aFailingBatchStopsWhereOneThreadStops() {
        RankCodingNetwork net = network();
        List<SequenceBatch> batches = new ArrayList<>(batches(6));
        SplittableRandom rng = new SplittableRandom(1);
        batches.set(3, RcTestSupport.batch(rng, 5, new int[] {4, 2}, CLASSES, 1.0, 0.0));
        batches.set(5, RcTestSupport.batch(rng, 4, new int[] {3}, CLASSES, 1.0, 0.0));
        Evaluation before = Evaluator.evaluate(net, batches.subList(0, 3), RULE, WINDOW);
        List<Evaluation> sweptBefore = ThresholdSweep.sweep(net, batches.subList(0, 3), RULE, THRESHOLDS, WINDOW);
        for (int threads = 1; threads <= 3; threads++) {
            Evaluator e = new Evaluator(net, RULE, WINDOW, threads);
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> e.addAll(batches));
            assertTrue(thrown.getMessage().contains("5"), "the first failing batch's error: " + thrown.getMessage());
            assertSameEvaluation(before, e.result(), threads + " threads");
            ThresholdSweep s = new ThresholdSweep(net, RULE, THRESHOLDS, WINDOW, threads);
            thrown = assertThrows(IllegalArgumentException.class, () -> s.addAll(batches));
            assertTrue(thrown.getMessage().contains("5"), "the first failing batch's error: " + thrown.getMessage());
            for (int k = 0; k < THRESHOLDS.length; k++) {
                assertSameEvaluation(sweptBefore.get(k), s.results().get(k), threads + " threads, theta " + THRESHOLDS[k]);
            }
        }
        List<SequenceBatch> withNull = new ArrayList<>(batches.subList(0, 3));
        withNull.add(1, null);
        assertThrows(NullPointerException.class, () -> Evaluator.evaluate(net, withNull, RULE, WINDOW, 2));
    }

    @Test
    void badThreadCountsAreRefused() {
        RankCodingNetwork net = network();
        List<SequenceBatch> batches = batches(7);
        for (int threads : new int[] {0, -2, 1025}) {
            String want = "threads = " + threads + ", expected in [1, 1024]";
            for (Runnable call : List.<Runnable>of(
                    () -> new Evaluator(net, RULE, WINDOW, threads),
                    () -> Evaluator.evaluate(net, batches, RULE, WINDOW, threads),
                    () -> new ThresholdSweep(net, RULE, THRESHOLDS, WINDOW, threads),
                    () -> ThresholdSweep.sweep(net, batches, RULE, THRESHOLDS, WINDOW, threads))) {
                String message = assertThrows(IllegalArgumentException.class, call::run).getMessage();
                assertTrue(message.contains(want), message);
            }
        }
    }

    /**
     * Batches finishing out of order are still tallied in batch order: the first batch's worker is held back until
     * every other batch is done, and the sums, which depend on the order (checked), are one thread's.
     */
    @Test
    void batchesAreTalliedInBatchOrderNotInCompletionOrder() {
        int[] lengths = {3, 7, 11, 13, 17, 19, 23, 29, 31, 37};
        SplittableRandom rng = new SplittableRandom(9);
        List<SequenceBatch> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(RcTestSupport.batch(rng, 1, RcTestSupport.randomLengths(rng, 6 + i, 37), 2, 1.0, 0.0));
        }
        batches.set(0, RcTestSupport.batch(rng, 1, lengths, 2, 1.0, 0.0));
        ParallelBatches.Worker decide = (b, into) -> {
            into.begin(b.batchSize());
            for (int r = 0; r < b.batchSize(); r++) {
                int step = 1 + (r * 5 + b.batchSize()) % b.length(r);
                if (r % 4 != 3) {
                    into.spike(0, r, step, r % 2);
                }
                into.last(r, (r / 2) % 2);
            }
        };
        EvaluationTally[] inOrder = tally(batches, decide);
        List<SequenceBatch> firstLast = new ArrayList<>(batches.subList(1, batches.size()));
        firstLast.add(batches.get(0));
        assertNotEquals(Double.doubleToLongBits(inOrder[0].result(0.9).earliness()),
                Double.doubleToLongBits(tally(firstLast, decide)[0].result(0.9).earliness()),
                "setup: the sum of the rows' earliness depends on the order of the batches");
        java.util.concurrent.CountDownLatch othersDone = new java.util.concurrent.CountDownLatch(batches.size() - 1);
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        int[] firstFinishedAs = new int[1];
        ParallelBatches.Worker heldBack = (b, into) -> {
            if (b == batches.get(0)) {
                try {
                    assertTrue(othersDone.await(30, java.util.concurrent.TimeUnit.SECONDS), "the other batches finish");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                decide.run(b, into);
                firstFinishedAs[0] = finished.getAndIncrement();
            } else {
                decide.run(b, into);
                finished.getAndIncrement();
                othersDone.countDown();
            }
        };
        EvaluationTally[] parallel = {new EvaluationTally(2, WINDOW)};
        ParallelBatches.run(batches, 2, i -> heldBack, parallel);
        assertEquals(batches.size() - 1, firstFinishedAs[0], "setup: the first batch finished last");
        assertSameEvaluation(inOrder[0].result(0.9), parallel[0].result(0.9), "first batch finished last");
    }

    private static EvaluationTally[] tally(List<SequenceBatch> batches, ParallelBatches.Worker worker) {
        EvaluationTally[] t = {new EvaluationTally(2, WINDOW)};
        RowDecisions d = new RowDecisions(1, 0);
        for (SequenceBatch b : batches) {
            worker.run(b, d);
            d.tally(b, t);
        }
        return t;
    }

    @Test
    void rowDecisionsWithoutASpikeUseTheRulesAnswer() {
        SequenceBatch b = RcTestSupport.batch(new SplittableRandom(2), 1, new int[] {4, 4}, 2, 1.0, 0.0);
        RowDecisions d = new RowDecisions(1, 0);
        d.begin(2);
        d.spike(0, 0, 2, 1);
        d.last(0, 0);
        d.last(1, 1 - b.label(1));
        d.undecided(0, 1, b.label(1));
        assertTrue(d.spiked(0, 0));
        assertFalse(d.spiked(0, 1));
        EvaluationTally[] t = {new EvaluationTally(2, 1.0)};
        d.tally(b, t);
        Evaluation e = t[0].result(0.9);
        assertEquals(0.5, e.noSpikeFraction());
        assertEquals((2 + 4) / 2.0, e.meanDecisionStep());
        assertEquals((b.label(0) == 1 ? 1 : 0) + 1, e.accuracyFirstSpike() * 2, 1e-12, "row 1 answers its rule's answer");
        assertEquals((b.label(0) == 0 ? 1 : 0), e.accuracyLastStep() * 2, 1e-12, "not the last step's prediction");
    }
}
