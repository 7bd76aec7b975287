package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.nn.BinarySigmoidHead;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.SoftmaxHead;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Each decision rule's decision on hand-made probability sequences: threshold crossing, k consecutive agreeing steps,
 * a minimum number of steps, a per-step threshold schedule and abstaining classes, alone and combined; each through a tracker (as the passes
 * ask it) and through the written-out reference of {@link ReferenceRankCoding#firstDecision}.
 */
class DecisionRulesTest {

    private static final OutputHead SOFTMAX = new SoftmaxHead(3);
    private static final OutputHead BINARY = BinarySigmoidHead.INSTANCE;
    private static final int NONE = SpikeTimes.NO_SPIKE;

    /** A softmax trace whose step t puts {@code conf[t]} on class {@code cls[t]} and the rest evenly on the others. */
    private static double[][] trace(int[] cls, double[] conf) {
        double[][] p = new double[cls.length][3];
        for (int t = 0; t < cls.length; t++) {
            for (int q = 0; q < 3; q++) {
                p[t][q] = q == cls[t] ? conf[t] : (1 - conf[t]) / 2;
            }
        }
        return p;
    }

    private static double[][] binary(double... p) {
        double[][] out = new double[p.length][];
        for (int t = 0; t < p.length; t++) {
            out[t] = new double[]{p[t]};
        }
        return out;
    }

    /** The decision of {@code spec} on one row, as the passes ask the rule, checked against the reference. */
    private static int decide(OutputHead head, DecisionRuleSpec spec, double[][] p) {
        DecisionRule.Tracker tracker = spec.rule(head).newTracker();
        int got = NONE;
        for (int rep = 0; rep < 2; rep++) { // a tracker forgets everything at begin
            tracker.begin(3);
            got = NONE;
            for (int t = 1; t <= p.length; t++) {
                if (tracker.decides(1, t, p[t - 1], 0)) {
                    got = t;
                    break;
                }
            }
        }
        assertEquals(ReferenceRankCoding.firstDecision(head, p, spec), got, "reference of " + spec);
        return got;
    }

    private static DecisionRuleSpec spec(double theta, int k, int m) {
        return new DecisionRuleSpec(ThresholdSchedule.constant(theta), k, m);
    }

    @Test
    void thresholdCrossingDecidesAtTheFirstCrossing() {
        double[][] p = trace(new int[]{0, 1, 2, 2}, new double[]{0.5, 0.85, 0.95, 0.99});
        assertEquals(2, decide(SOFTMAX, DecisionRuleSpec.thresholdCrossing(0.8), p));
        assertEquals(3, decide(SOFTMAX, DecisionRuleSpec.thresholdCrossing(0.9), p));
        assertEquals(NONE, decide(SOFTMAX, DecisionRuleSpec.thresholdCrossing(0.995), p));
        assertInstanceOf(FirstSpikeDetector.class, DecisionRuleSpec.thresholdCrossing(0.9).rule(SOFTMAX),
                "plain threshold crossing is today's rule");
        assertTrue(DecisionRuleSpec.thresholdCrossing(0.9).isThresholdCrossing());
    }

    @Test
    void consecutiveStepsMustCrossAndAgreeOnTheClass() {
        // crosses at 1 (class 0), 2 (class 1: disagrees), 3 and 4 (class 1), 5 (class 1)
        double[][] p = trace(new int[]{0, 1, 1, 1, 1}, new double[]{0.9, 0.9, 0.9, 0.9, 0.9});
        assertEquals(1, decide(SOFTMAX, spec(0.8, 1, 1), p), "k = 1 is threshold crossing");
        assertEquals(3, decide(SOFTMAX, spec(0.8, 2, 1), p), "the change of class at step 2 starts the count again");
        assertEquals(4, decide(SOFTMAX, spec(0.8, 3, 1), p));
        assertEquals(NONE, decide(SOFTMAX, spec(0.8, 5, 1), p), "only four agreeing steps");
        // a step below the threshold breaks the run even with the same class
        double[][] q = trace(new int[]{2, 2, 2, 2, 2}, new double[]{0.9, 0.9, 0.6, 0.9, 0.9});
        assertEquals(NONE, decide(SOFTMAX, spec(0.8, 3, 1), q));
        assertEquals(2, decide(SOFTMAX, spec(0.8, 2, 1), q));
        assertEquals(5, decide(SOFTMAX, spec(0.8, 2, 3), q), "from step 3 on, only steps 4-5 agree");
        // the binary head is two-sided: 0.95 (class 1) then 0.03 (class 0) cross but disagree
        double[][] b = binary(0.95, 0.03, 0.02, 0.5, 0.97, 0.99);
        assertEquals(1, decide(BINARY, spec(0.9, 1, 1), b));
        assertEquals(3, decide(BINARY, spec(0.9, 2, 1), b));
        assertEquals(6, decide(BINARY, spec(0.9, 2, 4), b));
        assertEquals(NONE, decide(BINARY, spec(0.9, 3, 1), b));
    }

    @Test
    void aMinimumNumberOfStepsHoldsEveryDecisionBack() {
        double[][] p = trace(new int[]{1, 1, 0, 1, 1, 1}, new double[]{0.99, 0.99, 0.99, 0.6, 0.99, 0.99});
        assertEquals(1, decide(SOFTMAX, spec(0.9, 1, 1), p));
        assertEquals(3, decide(SOFTMAX, spec(0.9, 1, 3), p), "step 3 crosses (another class: k = 1 does not care)");
        assertEquals(5, decide(SOFTMAX, spec(0.9, 1, 4), p), "step 4 does not cross, step 5 does");
        assertEquals(2, decide(SOFTMAX, spec(0.9, 2, 2), p), "steps 1 and 2 agree; agreeing steps before m count");
        assertEquals(6, decide(SOFTMAX, spec(0.9, 2, 3), p), "at 3 the class changed, at 4 no crossing, 5-6 agree");
        assertEquals(NONE, decide(SOFTMAX, spec(0.9, 1, 7), p), "no decision before step 7 in a row of 6 steps");
        assertInstanceOf(MinimumSteps.class, spec(0.9, 1, 3).rule(SOFTMAX));
        assertFalse(spec(0.9, 1, 3).isThresholdCrossing());
    }

    @Test
    void aPerStepScheduleReadsEachStepsThreshold() {
        double[][] p = trace(new int[]{0, 0, 0, 0, 0}, new double[]{0.9, 0.9, 0.85, 0.85, 0.85});
        ThresholdSchedule list = ThresholdSchedule.perStep(0.95, 0.95, 0.8);
        assertEquals(3, decide(SOFTMAX, new DecisionRuleSpec(list, 1, 1), p), "0.9 < 0.95 at steps 1-2, 0.85 > 0.8 at 3");
        assertEquals(4, decide(SOFTMAX, new DecisionRuleSpec(list, 2, 1), p), "the last value holds after the list");
        ThresholdSchedule linear = ThresholdSchedule.linear(0.99, 0.83, 5); // 0.99, 0.95, 0.91, 0.87, 0.83
        assertEquals(0.91, linear.at(3), 1e-15);
        assertEquals(0.83, linear.at(5), 0.0);
        assertEquals(0.83, linear.at(500), 0.0);
        assertEquals(0.99, linear.at(1), 0.0);
        assertEquals(5, decide(SOFTMAX, new DecisionRuleSpec(linear, 1, 1), p));
        assertEquals(NONE, decide(SOFTMAX, new DecisionRuleSpec(linear, 2, 1), p));
        assertInstanceOf(ConsecutiveAgreement.class, new DecisionRuleSpec(linear, 1, 1).rule(SOFTMAX));
        // the binary head's two sides move with the step's threshold
        double[][] b = binary(0.07, 0.07, 0.07);
        assertEquals(3, decide(BINARY, new DecisionRuleSpec(ThresholdSchedule.perStep(0.95, 0.95, 0.9), 1, 1), b));
    }

    @Test
    void anAbstainingClassNeverDecidesAndTheRowGoesOn() {
        // class 0 plays _silence_: confident at steps 1-2 (the noise before the word), then the word's class 2
        double[][] p = trace(new int[]{0, 0, 2, 2, 2}, new double[]{0.99, 0.99, 0.7, 0.95, 0.97});
        DecisionRuleSpec plain = spec(0.9, 1, 1);
        DecisionRuleSpec silent = plain.withAbstaining(List.of(0));
        assertEquals(1, decide(SOFTMAX, plain, p), "without abstaining, the silence decides at once");
        assertEquals(4, decide(SOFTMAX, silent, p), "class 0 abstains: step 4 is the first crossing by another class");
        assertEquals(5, decide(SOFTMAX, spec(0.9, 2, 1).withAbstaining(List.of(0)), p), "two agreeing class-2 steps");
        assertEquals(NONE, decide(SOFTMAX, spec(0.9, 1, 1).withAbstaining(List.of(0, 2)), p), "only class 1 may decide");
        assertEquals(5, decide(SOFTMAX, spec(0.9, 1, 5).withAbstaining(List.of(0)), p), "with m = 5");
        assertFalse(silent.isThresholdCrossing());
        assertInstanceOf(AbstainingClasses.class, silent.rule(SOFTMAX));
        assertEquals(List.of(0, 2), spec(0.9, 1, 1).withAbstaining(List.of(2, 0, 2)).abstaining(), "sorted, repeats dropped");
        assertEquals(silent, silent.withThreshold(0.8).withThreshold(0.9), "a sweep keeps the abstaining classes");
        assertEquals(List.of(0), silent.withConsecutive(3).abstaining());
        // the binary head: class 0 (p below 1 - theta) abstains, class 1 decides
        double[][] b = binary(0.02, 0.03, 0.5, 0.97);
        assertEquals(1, decide(BINARY, spec(0.9, 1, 1), b));
        assertEquals(4, decide(BINARY, spec(0.9, 1, 1).withAbstaining(List.of(0)), b));
    }

    @Test
    void abstainingClassesOutsideTheHeadOrEveryClassAreRefused() {
        assertIllegalArgument(() -> spec(0.9, 1, 1).withAbstaining(List.of(3)).rule(SOFTMAX), "abstaining class 3",
                "[0, 2]", "3 classes");
        assertIllegalArgument(() -> spec(0.9, 1, 1).withAbstaining(List.of(0, 1, 2)).rule(SOFTMAX), "every one of the head's 3");
        assertIllegalArgument(() -> spec(0.9, 1, 1).withAbstaining(List.of(-1)), "abstaining class -1", "0 to 65535");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=1;minSteps=1;abstain=a"), "abstain = 'a'");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=1;minSteps=1;abstain="), "abstain = ''");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=1;minSteps=1;other=1"), "optional ;abstain");
    }

    @Test
    void aRuleAskedAfterItFiredAnswersWhetherItHoldsThere() {
        // how MinimumSteps uses the rule it wraps: the count goes on after k
        double[][] p = trace(new int[]{1, 1, 1, 1, 2}, new double[]{0.9, 0.9, 0.9, 0.9, 0.9});
        DecisionRule.Tracker t = new ConsecutiveAgreement(SOFTMAX, ThresholdSchedule.constant(0.8), 2).newTracker();
        t.begin(1);
        boolean[] want = {false, true, true, true, false};
        for (int s = 1; s <= p.length; s++) {
            assertEquals(want[s - 1], t.decides(0, s, p[s - 1], 0), "step " + s);
        }
    }

    @Test
    void textFormsReadBackExactly() {
        for (String text : new String[]{"threshold=0.95;consecutive=1;minSteps=1", "threshold=0.99,0.97,0.9;consecutive=3;minSteps=2",
                "threshold=linear:0.99:0.9:20;consecutive=2;minSteps=5", "threshold=0.5000000000001;consecutive=100000;minSteps=100000",
                "threshold=0.95;consecutive=1;minSteps=1;abstain=0,1", "threshold=0.9;consecutive=2;minSteps=3;abstain=65535"}) {
            DecisionRuleSpec s = DecisionRuleSpec.parse(text);
            assertEquals(text, s.toString());
            assertEquals(s, DecisionRuleSpec.parse(s.toString()));
        }
        assertEquals(ThresholdSchedule.constant(0.9), ThresholdSchedule.parse(" 0.9 "));
        assertEquals(ThresholdSchedule.perStep(0.99, 0.9), ThresholdSchedule.parse("0.99, 0.9"));
        assertEquals(ThresholdSchedule.linear(0.99, 0.9, 20), ThresholdSchedule.parse("LINEAR:0.99:0.9:20"));
        assertEquals("0.9", ThresholdSchedule.constant(0.9).toString());
    }

    @Test
    void badRulesAreRefusedWithTheirRange() {
        assertIllegalArgument(() -> spec(0.9, 0, 1), "consecutive steps k = 0", "expected 1 to 100000");
        assertIllegalArgument(() -> spec(0.9, 100_001, 1), "k = 100001");
        assertIllegalArgument(() -> spec(0.9, 1, 0), "minimum steps m = 0", "expected 1 to 100000");
        assertIllegalArgument(() -> spec(1.0, 1, 1), "theta = 1.0", "(0.5, 1)");
        assertIllegalArgument(() -> ThresholdSchedule.perStep(0.9, 0.5), "step 2 = 0.5", "(0.5, 1)");
        assertIllegalArgument(() -> ThresholdSchedule.perStep(), "0 values", "1 to 100000");
        assertIllegalArgument(() -> ThresholdSchedule.perStep(new double[100_001]), "100001 values");
        assertIllegalArgument(() -> ThresholdSchedule.linear(0.9, Double.NaN, 10), "theta1 = NaN");
        assertIllegalArgument(() -> ThresholdSchedule.linear(0.99, 0.9, 1), "over 1 steps", "2 to 100000");
        assertIllegalArgument(() -> ThresholdSchedule.parse("linear:0.99:0.9"), "linear:theta0:theta1:steps");
        assertIllegalArgument(() -> ThresholdSchedule.parse("linear:0.99:0.9:x"), "steps 'x'");
        assertIllegalArgument(() -> ThresholdSchedule.parse("0.9,abc"), "'abc' is not a number");
        assertIllegalArgument(() -> ThresholdSchedule.parse(""), "empty");
        assertIllegalArgument(() -> ThresholdSchedule.parse("0.9,".repeat(100_001)), "at most 100000");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9"), "threshold=S;consecutive=K;minSteps=M");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=-1;minSteps=1"), "consecutive = '-1'");
        assertIllegalArgument(() -> DecisionRuleSpec.parse("threshold=0.9;consecutive=1;minSteps=99999999999"), "minSteps");
        assertIllegalArgument(() -> new DecisionRuleSpec(null, 1, 1), "threshold schedule is null");
    }

    @Test
    void aSweptScheduleStartsAtTheThresholdAndKeepsItsShape() {
        DecisionRuleSpec base = new DecisionRuleSpec(ThresholdSchedule.linear(0.99, 0.9, 10), 3, 2);
        for (double theta : new double[]{0.51, 0.7, 0.9, 0.999999}) {
            DecisionRuleSpec moved = base.withThreshold(theta);
            assertEquals(theta, moved.startThreshold(), 0.0);
            assertEquals(3, moved.consecutive());
            assertEquals(2, moved.minSteps());
            double prev = 1;
            for (int t = 1; t <= 12; t++) {
                double v = moved.threshold().at(t);
                assertTrue(v > 0.5 && v < 1 && v <= prev, "step " + t + " at " + theta + ": " + v);
                prev = v;
            }
            assertTrue(moved.threshold().at(10) < theta, "a decreasing schedule stays decreasing");
        }
        assertSame(base, base.withThreshold(0.99));
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.8), DecisionRuleSpec.thresholdCrossing(0.9).withThreshold(0.8));
        ThresholdSchedule list = ThresholdSchedule.perStep(0.95, 0.95, 0.9).startingAt(0.8);
        assertEquals(0.8, list.at(2), 0.0, "values equal to the start move to the threshold exactly");
        assertIllegalArgument(() -> base.withThreshold(0.5), "theta = 0.5");
    }
}
