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
 */
public record ValidationPoint(long sequences, double accuracyFirstSpike, double accuracyLastStep, double meanDecisionStep,
                              double noSpikeFraction) {

    /** The point of validation {@code v} made at progress {@code p}. */
    static ValidationPoint of(TrainingProgress p, Evaluation v) {
        return new ValidationPoint(p.sequences(), v.accuracyFirstSpike(), v.accuracyLastStep(), v.meanDecisionStep(),
                v.noSpikeFraction());
    }
}
