package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.nn.BinarySigmoidHead;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.SoftmaxHead;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * The answer of a row that ends without deciding, on hand-made probability sequences: the last step's (the default) or
 * the mean over the row's steps; how a spec names it, writes it and reads it back, and what it keeps when moved.
 */
class UndecidedAnswerTest {

    private static final OutputHead SOFTMAX = new SoftmaxHead(3);

    /** Asks {@code rule}'s tracker at every step of row 1 of 3 (as a pass does) and returns the undecided answer. */
    private static double[] answerAfter(DecisionRule rule, double[][] p) {
        DecisionRule.Tracker t = rule.newTracker();
        double[] out = new double[p[0].length];
        for (int rep = 0; rep < 2; rep++) { // begin forgets the sums of the batch before
            t.begin(3);
            for (int s = 1; s <= p.length; s++) {
                assertFalse(t.decides(1, s, p[s - 1], 0), "step " + s + " stays below the threshold");
            }
            t.undecidedAnswer(1, p[p.length - 1], 0, out);
        }
        return out;
    }

    @Test
    void theMeanAnswerAveragesEveryStepAndTheDefaultKeepsTheLast() {
        // class 0 leads for three steps, class 2 wins the last one: the mean says 0, the last step says 2
        double[][] p = {{0.8, 0.1, 0.1}, {0.7, 0.2, 0.1}, {0.6, 0.1, 0.3}, {0.2, 0.1, 0.7}};
        DecisionRuleSpec last = DecisionRuleSpec.thresholdCrossing(0.9);
        DecisionRuleSpec mean = last.withUndecided(UndecidedAnswer.MEAN_PROBABILITY);
        double[] m = answerAfter(mean.rule(SOFTMAX), p);
        assertArrayEquals(new double[]{2.3 / 4, 0.5 / 4, 1.2 / 4}, m, 1e-15);
        assertEquals(0, SOFTMAX.predict(m, 0));
        double[] l = answerAfter(last.rule(SOFTMAX), p);
        assertArrayEquals(p[3], l, 0.0);
        assertEquals(2, SOFTMAX.predict(l, 0));
        assertEquals(0, ReferenceRankCoding.answer(SOFTMAX, p, SpikeTimes.NO_SPIKE, mean));
        assertEquals(2, ReferenceRankCoding.answer(SOFTMAX, p, SpikeTimes.NO_SPIKE, last));
    }

    @Test
    void theBinaryHeadAnswersItsMeanProbabilityAgainstOneHalf() {
        OutputHead head = BinarySigmoidHead.INSTANCE;
        double[][] p = {{0.8}, {0.7}, {0.3}};
        DecisionRule rule = DecisionRuleSpec.thresholdCrossing(0.9).withUndecided(UndecidedAnswer.MEAN_PROBABILITY).rule(head);
        double[] m = answerAfter(rule, p);
        assertEquals(0.6, m[0], 1e-15);
        assertEquals(1, head.predict(m, 0));
    }

    @Test
    void theMeanWrapsEveryOtherPartOfTheRule() {
        DecisionRuleSpec spec = new DecisionRuleSpec(ThresholdSchedule.constant(0.8), 2, 3, List.of(1),
                UndecidedAnswer.MEAN_PROBABILITY);
        DecisionRule rule = spec.rule(SOFTMAX);
        MeanProbabilityAnswer outer = assertInstanceOf(MeanProbabilityAnswer.class, rule);
        assertInstanceOf(MinimumSteps.class, outer.rule());
        // it still decides as the rule it wraps: two agreeing class-0 steps from step 3 on
        double[][] p = {{0.9, 0.05, 0.05}, {0.9, 0.05, 0.05}, {0.9, 0.05, 0.05}};
        DecisionRule.Tracker t = rule.newTracker();
        t.begin(1);
        assertFalse(t.decides(0, 1, p[0], 0));
        assertFalse(t.decides(0, 2, p[1], 0));
        assertTrue(t.decides(0, 3, p[2], 0));
        assertFalse(spec.isThresholdCrossing());
        assertFalse(DecisionRuleSpec.thresholdCrossing(0.9).withUndecided(UndecidedAnswer.MEAN_PROBABILITY).isThresholdCrossing());
        assertSame(UndecidedAnswer.MEAN_PROBABILITY, spec.withThreshold(0.7).undecided(), "a sweep keeps the answer");
        assertSame(UndecidedAnswer.MEAN_PROBABILITY, spec.withConsecutive(1).undecided());
        assertSame(UndecidedAnswer.MEAN_PROBABILITY, spec.withAbstaining(List.of()).undecided());
        assertSame(UndecidedAnswer.LAST_STEP, new DecisionRuleSpec(ThresholdSchedule.constant(0.8), 1, 1).undecided());
    }

    @Test
    void theTextFormNamesTheAnswerOnlyWhenItIsNotTheLastStep() {
        for (String text : new String[]{"threshold=0.95;consecutive=1;minSteps=1;undecided=MEAN_PROBABILITY",
                "threshold=0.9;consecutive=2;minSteps=3;abstain=0,1;undecided=MEAN_PROBABILITY"}) {
            DecisionRuleSpec s = DecisionRuleSpec.parse(text);
            assertEquals(UndecidedAnswer.MEAN_PROBABILITY, s.undecided());
            assertEquals(text, s.toString());
        }
        DecisionRuleSpec explicit = DecisionRuleSpec.parse("threshold=0.95;consecutive=1;minSteps=1;undecided=LAST_STEP");
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.95), explicit);
        assertEquals("threshold=0.95;consecutive=1;minSteps=1", explicit.toString());
    }

    @Test
    void badAnswersAreRefusedWithTheAcceptedValues() {
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=1;minSteps=1;undecided=MEAN"),
                "undecided answer 'MEAN'", "LAST_STEP or MEAN_PROBABILITY");
        assertIllegalArgument(() -> DecisionRuleSpec.parse(
                "threshold=0.9;consecutive=1;minSteps=1;undecided=MEAN_PROBABILITY;abstain=0"), "then an optional ;undecided");
        assertIllegalArgument(() -> DecisionRuleSpec.parse(
                "threshold=0.9;consecutive=1;minSteps=1;undecided=LAST_STEP;undecided=LAST_STEP"), "then an optional ;undecided");
        assertIllegalArgument(() -> new DecisionRuleSpec(ThresholdSchedule.constant(0.9), 1, 1, List.of(), null),
                "undecided answer is null", "LAST_STEP");
        assertIllegalArgument(() -> new MeanProbabilityAnswer(DecisionRuleSpec.thresholdCrossing(0.9).rule(SOFTMAX), 0),
                "outputs = 0");
    }
}
