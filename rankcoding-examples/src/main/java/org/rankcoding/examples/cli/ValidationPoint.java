package org.rankcoding.examples.cli;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.train.TrainingProgress;

/**
 * One validation of a training run.
 *
 * @param sequences          sequences trained on when it was taken
 * @param accuracyFirstSpike validation accuracy at the first spike
 * @param accuracyLastStep   validation accuracy at the last step
 * @param meanDecisionStep   validation mean decision step
 * @param noSpikeFraction    fraction of validation examples that never spiked
 * @param perClassMeanDecisionStep mean decision step per true class (NaN for a class without examples; empty when not
 *                           known, as for validations restored from a checkpoint's report state)
 */
public record ValidationPoint(long sequences, double accuracyFirstSpike, double accuracyLastStep, double meanDecisionStep,
                              double noSpikeFraction, double[] perClassMeanDecisionStep) {

    /** Copies the array. */
    public ValidationPoint {
        perClassMeanDecisionStep = perClassMeanDecisionStep.clone();
    }

    /** A point without the per-class steps. */
    public ValidationPoint(long sequences, double accuracyFirstSpike, double accuracyLastStep, double meanDecisionStep, double noSpikeFraction) {
        this(sequences, accuracyFirstSpike, accuracyLastStep, meanDecisionStep, noSpikeFraction, new double[0]);
    }

    @Override
    public double[] perClassMeanDecisionStep() {
        return perClassMeanDecisionStep.clone();
    }

    /** The point of validation {@code v} made at progress {@code p}. */
    static ValidationPoint of(TrainingProgress p, Evaluation v) {
        return new ValidationPoint(p.sequences(), v.accuracyFirstSpike(), v.accuracyLastStep(), v.meanDecisionStep(),
                v.noSpikeFraction(), v.perClassMeanDecisionStep());
    }
}
