package org.rankcoding.examples.cli;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.OperatingGoal;
import org.rankcoding.eval.ThresholdCalibrator;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.train.TrainerConfig;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A read-out threshold chosen on validation data for an {@link OperatingGoal} ({@code --goal}), and the test result at
 * it: the trained network is swept over the candidate thresholds on the validation batches, {@link ThresholdCalibrator}
 * picks one, and the test evaluation at that threshold (from the test sweep over the same candidates) is the reported
 * result. The test set plays no part in the choice.
 *
 * @param threshold  the chosen threshold (the rule's threshold at step 1)
 * @param point      the calibrator's choice, with its validation evaluation
 * @param test       the test evaluation at the chosen threshold
 */
record ChosenThreshold(double threshold, ThresholdCalibrator.OperatingPoint point, Evaluation test) {

    /**
     * Chooses among {@code thresholds} on {@code validation} for {@code goal}.
     *
     * @param testCurve the test evaluations at {@code thresholds}, in the same order
     */
    static ChosenThreshold choose(RankCodingNetwork network, List<SequenceBatch> validation, TrainerConfig config,
                                  double[] thresholds, OperatingGoal goal, List<Evaluation> testCurve) {
        List<Evaluation> candidates = ThresholdSweep.sweep(network, validation, config.decisionRule(), thresholds, 1.0,
                config.threads());
        ThresholdCalibrator.OperatingPoint p = ThresholdCalibrator.choose(candidates, goal);
        return new ChosenThreshold(thresholds[p.index()], p, testCurve.get(p.index()));
    }

    /** Prints the choice and its test result. */
    void print(PrintWriter out, int validationSize) {
        Evaluation v = point.validation();
        out.println();
        out.printf(Locale.ROOT, "operating point chosen on the %,d held-out validation items for the goal \"%s\": threshold %s%s%n",
                validationSize, point.goal().describe(), threshold, point.goalMet() ? "" : " (no threshold met the goal)");
        out.printf(Locale.ROOT, "  validation: accuracy %.4f at mean step %.2f (earliness %.3f)%n", v.accuracyFirstSpike(),
                v.meanDecisionStep(), v.earliness());
        out.printf(Locale.ROOT, "  test:       accuracy %.4f at mean step %.2f (earliness %.3f), decided at step 1 %.4f%n",
                test.accuracyFirstSpike(), test.meanDecisionStep(), test.earliness(), test.fractionDecidedAtFirstStep());
    }

    /** The choice for the results JSON: goal, threshold, whether the goal was met, validation and test points. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", point.goal().describe());
        m.put("threshold", threshold);
        m.put("goal_met_on_validation", point.goalMet());
        m.put("validation", ResultJson.thresholdPoint(point.validation()));
        Map<String, Object> t = ResultJson.thresholdPoint(test);
        t.put("fraction_decided_step_1", test.fractionDecidedAtFirstStep());
        m.put("test", t);
        return m;
    }
}
