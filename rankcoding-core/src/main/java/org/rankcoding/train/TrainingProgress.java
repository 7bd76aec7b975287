package org.rankcoding.train;

/**
 * A snapshot of a training run after a batch.
 *
 * @param batches              batches trained so far
 * @param sequences            sequences trained so far
 * @param totalSequences       the budget
 * @param batchLoss            mean loss of the last batch
 * @param meanDecisionStep     mean decision step of the last batch's rows
 * @param forwardExampleSteps  example-steps computed forward so far
 * @param backwardExampleSteps example-steps computed backward so far
 * @param seconds              wall time spent training so far (validation excluded)
 */
public record TrainingProgress(long batches, long sequences, long totalSequences, double batchLoss, double meanDecisionStep,
                               long forwardExampleSteps, long backwardExampleSteps, double seconds) {
}
