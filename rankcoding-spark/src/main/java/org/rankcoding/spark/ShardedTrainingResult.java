package org.rankcoding.spark;

import org.rankcoding.nn.RankCodingNetwork;

/**
 * The outcome of a data-parallel run.
 *
 * @param network                 the trained network (the driver's copy)
 * @param batches                 batches trained, in all (a resumed run counts the batches before the resume)
 * @param sequences               sequences trained on
 * @param forwardExampleSteps     example-steps computed forward in all partitions
 * @param backwardExampleSteps    example-steps back-propagated in all partitions
 * @param fullExampleSteps        the example-steps of running every training row to its end: what early exit saved from
 * @param seconds                 wall time of the batches (the driver's view: jobs, collection and updates)
 * @param lastLoss                the last batch's mean loss
 * @param lastMeanDecisionStep    the last batch's mean decision step
 * @param resumedFromBatch        the batch count of the checkpoint the run resumed from, 0 for a fresh run
 */
public record ShardedTrainingResult(RankCodingNetwork network, long batches, long sequences, long forwardExampleSteps,
                                    long backwardExampleSteps, long fullExampleSteps, double seconds, double lastLoss,
                                    double lastMeanDecisionStep, long resumedFromBatch) {

    /** Forward example-steps computed, as a fraction of running every row to its end. */
    public double forwardFraction() {
        return fullExampleSteps == 0 ? 0 : (double) forwardExampleSteps / fullExampleSteps;
    }
}
