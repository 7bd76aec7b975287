package org.rankcoding.eval;

/**
 * Decision-timing scores for tasks with a known optimal decision step per positive example (the
 * sequence-of-five task). Positives are examples of class 1 that have an optimal step.
 *
 * <p>The reference timing-aware loss of one example is: 1 for a wrong answer or a correct positive that
 * spiked before its optimal step (premature); {@code (spike - optimal) / window} for a correct positive that
 * spiked at or after its optimal step; {@code (length - optimal) / window} for a correct positive that never
 * spiked; 0 for a correct negative. For sequence-of-five the window is {@code 25 - 5 = 20}.
 *
 * @param meanLag           mean of {@code spike - optimal} over correct positives that spiked at or after their
 *                          optimal step (NaN if there are none)
 * @param prematureSpikes   number of positives predicted correctly by a spike before their optimal step
 * @param prematureFraction premature spikes over the number of positives
 * @param timingLoss        the mean reference timing-aware loss over all examples
 * @param positives         number of examples of class 1 with an optimal step
 */
public record TimingMetrics(double meanLag, long prematureSpikes, double prematureFraction, double timingLoss, long positives) {
}
