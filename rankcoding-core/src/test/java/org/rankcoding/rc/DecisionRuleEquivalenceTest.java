package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One decision rule, the same decisions everywhere: for threshold crossing, k consecutive steps, a minimum number of
 * steps, a per-step schedule, abstaining classes, the mean-probability answer of undecided rows and their combination,
 * the training pass (its decision steps, loss and gradients), batch
 * inference (early exit and run to the end), a frozen model's {@code classify}, streaming sessions, the evaluator and a
 * threshold sweep all decide as the written-out reference ({@link ReferenceRankCoding}) does.
 */
class DecisionRuleEquivalenceTest {

    private static List<DecisionRuleSpec> rules(double theta) {
        ThresholdSchedule decay = ThresholdSchedule.linear(Math.min(0.999, theta + 0.5 * (1 - theta)), theta, 6);
        return List.of(
                DecisionRuleSpec.thresholdCrossing(theta),
                new DecisionRuleSpec(ThresholdSchedule.constant(theta), 2, 1),
                new DecisionRuleSpec(ThresholdSchedule.constant(theta), 3, 1),
                new DecisionRuleSpec(ThresholdSchedule.constant(theta), 1, 4),
                new DecisionRuleSpec(decay, 1, 1),
                new DecisionRuleSpec(decay, 2, 3),
                new DecisionRuleSpec(ThresholdSchedule.constant(theta), 1, 1, List.of(0)),
                new DecisionRuleSpec(ThresholdSchedule.constant(theta), 2, 1, List.of(1)),
                new DecisionRuleSpec(decay, 1, 3, List.of(0)),
                DecisionRuleSpec.thresholdCrossing(theta).withUndecided(UndecidedAnswer.MEAN_PROBABILITY),
                new DecisionRuleSpec(decay, 2, 3, List.of(1), UndecidedAnswer.MEAN_PROBABILITY));
    }

    @Test
    void everyPassDecidesAsTheReference() {
        int fired = 0;
        int unfired = 0;
        int meanDiffers = 0;
        for (HeadType headType : HeadType.values()) {
            int classes = headType == HeadType.BINARY_SIGMOID ? 2 : 3;
            SplittableRandom rng = new SplittableRandom(70 + classes);
            RankCodingNetwork net = RcTestSupport.network(2, 5, 2, headType, classes, 23, 1.2);
            SequenceBatch batch = RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 14, 12), classes, 1.0, 0.0);
            double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
            double[][][] probs = ReferenceRankCoding.probabilities(net, batch);
            for (DecisionRuleSpec spec : rules(theta)) {
                String where = headType + ", " + spec;
                int[] want = new int[batch.batchSize()];
                for (int r = 0; r < want.length; r++) {
                    want[r] = ReferenceRankCoding.firstDecision(net.head(), probs[r], spec);
                    if (want[r] == SpikeTimes.NO_SPIKE) {
                        unfired++;
                    } else {
                        fired++;
                    }
                }
                int[] answers = new int[want.length];
                for (int r = 0; r < want.length; r++) {
                    answers[r] = ReferenceRankCoding.answer(net.head(), probs[r], want[r], spec);
                    double[][] trace = probs[r];
                    meanDiffers += want[r] == SpikeTimes.NO_SPIKE
                            && answers[r] != ReferenceRankCoding.predict(net.head(), trace[trace.length - 1]) ? 1 : 0;
                }
                trainingPass(net, batch, spec, want, where);
                batchInference(net, batch, spec, want, answers, where);
                model(net, batch, spec, want, probs, where);
                evaluation(net, batch, spec, want, probs, where);
            }
        }
        assertTrue(fired > 30 && unfired > 30, "rows that decide and rows that do not: " + fired + ", " + unfired);
        assertTrue(meanDiffers > 3, "undecided rows whose mean-probability answer is not their last step's: " + meanDiffers);
    }

    private static void trainingPass(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec spec, int[] want, String where) {
        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.2);
        TrainingSettings settings = new TrainingSettings(spec.rule(net.head()), loss, RankCodingPass.UNLIMITED_HORIZON,
                Integer.MAX_VALUE);
        Parameters grads = net.parameters().zerosLike();
        int b = batch.batchSize();
        double got = pass.gradients(batch, 0, b, 1.0 / b, settings, grads);
        ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, spec, LossMode.RANK_CODING, 0.2,
                RankCodingPass.UNLIMITED_HORIZON);
        for (int r = 0; r < b; r++) {
            assertEquals(want[r], pass.firstSpike(r), "training, row " + r + "; " + where);
            assertEquals(ref.decisionStep[r], pass.decisionStep(r), "training decision, row " + r + "; " + where);
            assertEquals(ref.predictionAtDecision[r], pass.predictionAtDecision(r), "training answer, row " + r + "; " + where);
        }
        assertEquals(ref.loss, got, 1e-12, "training loss; " + where);
        String diff = RcTestSupport.compare(ref.gradients, grads, 1e-9);
        assertNull(diff, "training gradients; " + where);
    }

    private static void batchInference(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec spec, int[] want,
                                       int[] answers, String where) {
        InferencePass pass = new InferencePass(net, ReferenceKernels.INSTANCE);
        DecisionRule rule = spec.rule(net.head());
        for (int rep = 0; rep < 2; rep++) {
            RowOutcomes early = pass.earlyExit(batch, rule);
            for (int r = 0; r < batch.batchSize(); r++) {
                assertEquals(want[r], early.firstSpike(r), "early exit, row " + r + "; " + where);
                assertEquals(SpikeTimes.decisionStep(want[r], batch.length(r)), early.decisionStep(r), "row " + r + "; " + where);
                assertEquals(answers[r], early.predictionAtDecision(r), "early exit answer, row " + r + "; " + where);
            }
            RowOutcomes full = pass.runToEnd(batch, rule, StepObserver.NONE);
            for (int r = 0; r < batch.batchSize(); r++) {
                assertEquals(want[r], full.firstSpike(r), "run to end, row " + r + "; " + where);
                if (want[r] == SpikeTimes.NO_SPIKE) {
                    assertEquals(answers[r], full.predictionAtDecision(r), "run to end answer, row " + r + "; " + where);
                }
            }
        }
    }

    private static void model(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec spec, int[] want,
                              double[][][] probs, String where) {
        RankCodingModel model = new RankCodingModel(net, spec, ReferenceKernels.INSTANCE, "test");
        assertEquals(spec, model.decisionRule());
        BatchDecisions decisions = model.classify(batch);
        StreamingSession session = model.newSession();
        int in = batch.inputSize();
        for (int r = 0; r < batch.batchSize(); r++) {
            Decision d = decisions.get(r);
            assertEquals(SpikeTimes.decisionStep(want[r], batch.length(r)), d.step(), "classify, row " + r + "; " + where);
            assertEquals(want[r] != SpikeTimes.NO_SPIKE, d.spiked(), "classify, row " + r + "; " + where);
            if (want[r] == SpikeTimes.NO_SPIKE) {
                assertArrayEquals(ReferenceRankCoding.undecidedProbabilities(probs[r], spec), d.probabilities(), 1e-12,
                        "classify's undecided answer, row " + r + "; " + where);
            }
            session.reset();
            Decision streamed = null;
            for (int t = 0; t < batch.length(r) && streamed == null; t++) {
                int off = batch.inputOffset(t, r);
                streamed = session.feed(Arrays.copyOfRange(batch.inputArray(), off, off + in));
            }
            if (streamed == null) {
                streamed = session.finish();
            }
            assertTrue(d.sameOutcome(streamed), "stream vs classify, row " + r + ": " + streamed + " vs " + d + "; " + where);
        }
    }

    private static void evaluation(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec spec, int[] want,
                                   double[][][] probs, String where) {
        Evaluation e = Evaluator.evaluate(net, List.of(batch), spec, 1.0);
        int b = batch.batchSize();
        double steps = 0;
        int correct = 0;
        int none = 0;
        for (int r = 0; r < b; r++) {
            int s = SpikeTimes.decisionStep(want[r], batch.length(r));
            steps += s;
            correct += ReferenceRankCoding.answer(net.head(), probs[r], want[r], spec) == batch.label(r) ? 1 : 0;
            none += want[r] == SpikeTimes.NO_SPIKE ? 1 : 0;
        }
        assertEquals(steps / b, e.meanDecisionStep(), 1e-12, "evaluator; " + where);
        assertEquals((double) correct / b, e.accuracyFirstSpike(), 1e-12, "evaluator; " + where);
        assertEquals((double) none / b, e.noSpikeFraction(), 1e-12, "evaluator; " + where);
        assertEquals(spec.startThreshold(), e.threshold(), 0.0);
        // a sweep moves the rule to each threshold and keeps k and m: each result is the evaluator's at the moved rule
        double[] thetas = {spec.startThreshold(), 0.6, 0.75};
        List<Evaluation> swept = ThresholdSweep.sweep(net, List.of(batch), spec, thetas, 1.0);
        for (int i = 0; i < thetas.length; i++) {
            Evaluation one = Evaluator.evaluate(net, List.of(batch), spec.withThreshold(thetas[i]), 1.0);
            assertSame(one, swept.get(i), "sweep at " + thetas[i] + "; " + where);
        }
        assertSame(e, swept.get(0), "sweep at the rule's own threshold; " + where);
    }

    private static void assertSame(Evaluation expected, Evaluation actual, String where) {
        assertEquals(expected.threshold(), actual.threshold(), where);
        assertEquals(expected.accuracyFirstSpike(), actual.accuracyFirstSpike(), where);
        assertEquals(expected.meanDecisionStep(), actual.meanDecisionStep(), where);
        assertEquals(expected.noSpikeFraction(), actual.noSpikeFraction(), where);
        assertArrayEquals(expected.decisionHistogram(), actual.decisionHistogram(), where);
        assertArrayEquals(expected.correctHistogram(), actual.correctHistogram(), where);
    }
}
