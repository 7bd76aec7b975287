package org.rankcoding.eval;

import java.util.Arrays;
import java.util.Objects;

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
 * @param correctHistogram       {@code correctHistogram[t]} = number of examples decided at step {@code t} whose
 *                               prediction at that step was right (same length as {@code decisionHistogram},
 *                               index 0 unused); a copy owned by the caller. With it:
 *                               {@link #accuracyByDecisionStep()}, {@link #fractionDecidedAt(int)}
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
                         long[] correctHistogram, double[] perClassMeanDecisionStep, double noSpikeFraction, double earliness,
                         double harmonicMean, long earlyExitExampleSteps, long fullExampleSteps, TimingMetrics timing) {

    /**
     * Copies the arrays.
     *
     * @throws IllegalArgumentException when the two histograms differ in length or a step has more correct
     *                                  decisions than decisions
     */
    public Evaluation {
        Objects.requireNonNull(decisionHistogram, "decisionHistogram is null");
        Objects.requireNonNull(correctHistogram, "correctHistogram is null");
        Objects.requireNonNull(perClassMeanDecisionStep, "perClassMeanDecisionStep is null");
        decisionHistogram = decisionHistogram.clone();
        correctHistogram = correctHistogram.clone();
        perClassMeanDecisionStep = perClassMeanDecisionStep.clone();
        if (correctHistogram.length != decisionHistogram.length) {
            throw new IllegalArgumentException("correctHistogram has " + correctHistogram.length + " entries, expected one per entry of "
                    + "decisionHistogram (" + decisionHistogram.length + ")");
        }
        for (int t = 0; t < correctHistogram.length; t++) {
            if (correctHistogram[t] < 0 || correctHistogram[t] > decisionHistogram[t]) {
                throw new IllegalArgumentException("step " + t + ": " + correctHistogram[t] + " correct decisions of "
                        + decisionHistogram[t] + ", expected between 0 and the number of decisions");
            }
        }
    }

    @Override
    public long[] decisionHistogram() {
        return decisionHistogram.clone();
    }

    @Override
    public long[] correctHistogram() {
        return correctHistogram.clone();
    }

    /**
     * The accuracy of the decisions made at each step: {@code [t]} = correct / decided among the examples
     * decided at step {@code t}; NaN for a step at which no example was decided, and at the unused index 0.
     *
     * @return a new array of the histograms' length, owned by the caller
     */
    public double[] accuracyByDecisionStep() {
        double[] out = new double[decisionHistogram.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = t == 0 || decisionHistogram[t] == 0 ? Double.NaN : (double) correctHistogram[t] / decisionHistogram[t];
        }
        return out;
    }

    /**
     * The fraction of all examples decided at step {@code step} (1-based); 0 beyond the last step any example
     * was decided at.
     *
     * @throws IllegalArgumentException for {@code step < 1}
     */
    public double fractionDecidedAt(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("step " + step + ", expected >= 1 (steps are 1-based)");
        }
        return step < decisionHistogram.length ? (double) decisionHistogram[step] / examples : 0.0;
    }

    /** The fraction of examples decided at the very first step: {@code fractionDecidedAt(1)}. */
    public double fractionDecidedAtFirstStep() {
        return fractionDecidedAt(1);
    }

    @Override
    public double[] perClassMeanDecisionStep() {
        return perClassMeanDecisionStep.clone();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Evaluation[n=%d, theta=%.3f, acc@spike=%.4f, acc@last=%.4f, meanStep=%.2f, medianStep=%.1f, step1=%.4f, noSpike=%.4f, "
                        + "earliness=%.3f, HM=%.4f, perClassStep=%s%s]",
                examples, threshold, accuracyFirstSpike, accuracyLastStep, meanDecisionStep, medianDecisionStep,
                examples == 0 ? Double.NaN : fractionDecidedAtFirstStep(), noSpikeFraction,
                earliness, harmonicMean, Arrays.toString(perClassMeanDecisionStep), timing == null ? "" : ", " + timing);
    }
}
