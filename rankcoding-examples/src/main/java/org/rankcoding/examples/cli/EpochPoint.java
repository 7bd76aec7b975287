package org.rankcoding.examples.cli;

/**
 * One training epoch of an epoch-based run (temporal MNIST).
 *
 * @param epoch              the epoch, 1-based
 * @param sequences          sequences trained on at its end
 * @param seconds            its wall time: building and encoding batches, gradients and updates (the validation after
 *                           it excluded)
 * @param computeSeconds     the part of it the trainer spent computing gradients and updates
 * @param meanLoss           mean training loss over its examples
 * @param meanDecisionStep   mean decision step of its training examples
 * @param validation         the validation after it, or {@code null} without a validation set
 * @param validationStep1    fraction of validation examples decided at step 1 (NaN without validation)
 * @param validationSeconds  wall time of that validation (0 without)
 */
public record EpochPoint(int epoch, long sequences, double seconds, double computeSeconds, double meanLoss, double meanDecisionStep,
                         ValidationPoint validation, double validationStep1, double validationSeconds) {
}
