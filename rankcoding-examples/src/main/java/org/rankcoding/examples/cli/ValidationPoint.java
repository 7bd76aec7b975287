package org.rankcoding.examples.cli;

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
}
