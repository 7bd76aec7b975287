package org.rankcoding.eval;

import java.util.Arrays;

/**
 * What an evaluation measured. Steps are 1-based; the decision step of an example is its first spike or,
 * if it never spiked, its last step.
 *
 * @param examples               number of examples
 * @param threshold              the spike threshold used
 * @param accuracyFirstSpike     accuracy of the prediction at each example's decision step
 * @param accuracyLastStep       accuracy of the prediction at each example's last step
 * @param meanDecisionStep       mean decision step
 * @param medianDecisionStep     median decision step
 * @param decisionHistogram      {@code decisionHistogram[t]} = number of examples decided at step {@code t}
 *                               (index 0 unused); the array is a copy owned by the caller
 * @param perClassMeanDecisionStep mean decision step by true class (NaN for a class without examples)
 * @param noSpikeFraction        fraction of examples that never crossed the threshold
 * @param earliness              mean over examples of decision step / length
 * @param harmonicMean           {@code 2 a (1 - e) / (a + 1 - e)} of accuracy at first spike {@code a} and earliness {@code e}
 * @param earlyExitExampleSteps  example-steps an early-exit inference computes (sum of decision steps)
 * @param fullExampleSteps       example-steps a full-sequence inference computes (sum of lengths)
 * @param timing                 timing scores, or {@code null} when the data has no optimal steps
 */
public record Evaluation(long examples, double threshold, double accuracyFirstSpike, double accuracyLastStep,
                         double meanDecisionStep, double medianDecisionStep, long[] decisionHistogram,
                         double[] perClassMeanDecisionStep, double noSpikeFraction, double earliness, double harmonicMean,
                         long earlyExitExampleSteps, long fullExampleSteps, TimingMetrics timing) {

    /** Copies the arrays. */
    public Evaluation {
        decisionHistogram = decisionHistogram.clone();
        perClassMeanDecisionStep = perClassMeanDecisionStep.clone();
    }

    @Override
    public long[] decisionHistogram() {
        return decisionHistogram.clone();
    }

    @Override
    public double[] perClassMeanDecisionStep() {
        return perClassMeanDecisionStep.clone();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Evaluation[n=%d, theta=%.3f, acc@spike=%.4f, acc@last=%.4f, meanStep=%.2f, medianStep=%.1f, noSpike=%.4f, "
                        + "earliness=%.3f, HM=%.4f, perClassStep=%s%s]",
                examples, threshold, accuracyFirstSpike, accuracyLastStep, meanDecisionStep, medianDecisionStep, noSpikeFraction,
                earliness, harmonicMean, Arrays.toString(perClassMeanDecisionStep), timing == null ? "" : ", " + timing);
    }
}
