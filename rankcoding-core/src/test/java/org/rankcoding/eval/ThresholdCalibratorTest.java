package org.rankcoding.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

class ThresholdCalibratorTest {

    /** An evaluation of 100 examples whose full-length accuracy is 0.90. */
    private static Evaluation eval(double threshold, double accuracy, double earliness) {
        return eval(threshold, accuracy, earliness, 0.90);
    }

    private static Evaluation eval(double threshold, double accuracy, double earliness, double lastStepAccuracy) {
        double hm = 2 * accuracy * (1 - earliness) / (accuracy + 1 - earliness);
        return new Evaluation(100, threshold, accuracy, lastStepAccuracy, 1 + 19 * earliness, 1 + 19 * earliness,
                new long[]{0, 100}, new long[]{0, 0}, new double[]{1, 1}, 0, earliness, hm, 100, 2000, null);
    }

    @Test
    void withinAccuracyPicksTheEarliestCandidateAboveTheFloor() {
        List<Evaluation> c = List.of(eval(0.6, 0.80, 0.10), eval(0.8, 0.885, 0.30), eval(0.9, 0.895, 0.40), eval(0.99, 0.90, 0.80));
        ThresholdCalibrator.OperatingPoint p = ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(0.02));
        assertEquals(1, p.index(), "0.885 >= 0.90 - 0.02 and earlier than 0.9 and 0.99; 0.80 is below the floor");
        assertTrue(p.goalMet());
        assertEquals(2, ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(0.01)).index());
        assertEquals(3, ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(0)).index());
        assertEquals(0, ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(1)).index());
    }

    @Test
    void equallyEarlyCandidatesAreSplitByAccuracy() {
        List<Evaluation> c = List.of(eval(0.6, 0.86, 0.2), eval(0.7, 0.88, 0.2), eval(0.8, 0.89, 0.5));
        assertEquals(1, ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(0.05)).index());
    }

    @Test
    void anUnmetGoalFallsBackToTheMostAccurateAndSaysSo() {
        List<Evaluation> c = List.of(eval(0.6, 0.50, 0.1), eval(0.9, 0.70, 0.5), eval(0.99, 0.65, 0.9));
        ThresholdCalibrator.OperatingPoint p = ThresholdCalibrator.choose(c, OperatingGoal.withinAccuracy(0.01));
        assertEquals(1, p.index());
        assertFalse(p.goalMet());
    }

    @Test
    void withinEarlinessPicksTheMostAccurateCandidateInsideTheBudget() {
        List<Evaluation> c = List.of(eval(0.6, 0.80, 0.10), eval(0.8, 0.87, 0.35), eval(0.9, 0.88, 0.38),
                eval(0.95, 0.895, 0.41), eval(0.99, 0.90, 0.80));
        ThresholdCalibrator.OperatingPoint p = ThresholdCalibrator.choose(c, OperatingGoal.withinEarliness(0.4));
        assertEquals(2, p.index(), "0.88 at 0.38 is the most accurate at most 0.4; 0.895 at 0.41 is over the budget");
        assertTrue(p.goalMet());
        assertEquals(3, ThresholdCalibrator.choose(c, OperatingGoal.withinEarliness(0.41)).index(), "the budget is inclusive");
        assertEquals(4, ThresholdCalibrator.choose(c, OperatingGoal.withinEarliness(1)).index());
        // equally accurate inside the budget: the earlier one
        List<Evaluation> tie = List.of(eval(0.8, 0.88, 0.35), eval(0.9, 0.88, 0.30), eval(0.95, 0.85, 0.20));
        assertEquals(1, ThresholdCalibrator.choose(tie, OperatingGoal.withinEarliness(0.5)).index());
        // nothing inside the budget: the earliest, and the goal is not met
        ThresholdCalibrator.OperatingPoint none = ThresholdCalibrator.choose(c, OperatingGoal.withinEarliness(0.05));
        assertEquals(0, none.index());
        assertFalse(none.goalMet());
        assertIllegalArgument(() -> OperatingGoal.withinEarliness(0), "earliness budget = 0.0", "(0, 1]");
        assertIllegalArgument(() -> OperatingGoal.withinEarliness(1.5), "earliness budget = 1.5", "(0, 1]");
        assertIllegalArgument(() -> OperatingGoal.withinEarliness(Double.NaN), "earliness budget = NaN", "(0, 1]");
    }

    @Test
    void bestHarmonicMeanMaximisesTheHarmonicMean() {
        List<Evaluation> c = List.of(eval(0.6, 0.60, 0.05), eval(0.8, 0.85, 0.20), eval(0.95, 0.90, 0.60));
        // HM: 0.737, 0.825, 0.554
        ThresholdCalibrator.OperatingPoint p = ThresholdCalibrator.choose(c, OperatingGoal.bestHarmonicMean());
        assertEquals(1, p.index());
        assertTrue(p.goalMet());
        assertEquals(c.get(1), p.validation());
    }

    @Test
    void refusesMixedModelsOrDataAndBadGoals() {
        assertIllegalArgument(() -> ThresholdCalibrator.choose(List.of(), OperatingGoal.bestHarmonicMean()), "no candidates");
        assertIllegalArgument(() -> ThresholdCalibrator.choose(List.of(eval(0.6, 0.8, 0.1), eval(0.7, 0.8, 0.1, 0.85)),
                OperatingGoal.bestHarmonicMean()), "one network on one validation set");
        assertIllegalArgument(() -> OperatingGoal.withinAccuracy(-0.01), "[0, 1]");
        assertIllegalArgument(() -> OperatingGoal.withinAccuracy(Double.NaN), "[0, 1]");
    }
}
