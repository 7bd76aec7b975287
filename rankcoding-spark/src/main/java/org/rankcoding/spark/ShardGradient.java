package org.rankcoding.spark;

import java.io.Serializable;

/**
 * What one shard computed for one batch: the gradient of its rows' share of the batch's mean loss (rows weighted by
 * {@code 1 / batchRows}), that share of the loss, and the work done.
 *
 * @param shard            the shard (the Spark partition index)
 * @param gradient         the gradient, flat in the parameters' layout order
 * @param loss             the shard's rows' losses, summed and divided by the batch's rows
 * @param forwardSteps     example-steps computed forward
 * @param backwardSteps    example-steps back-propagated
 * @param decisionStepSum  the rows' decision steps, summed
 * @param rows             the rows of the shard's share
 * @param fullSteps        the example-steps of running those rows to their end (what early exit saves from)
 */
record ShardGradient(int shard, double[] gradient, double loss, long forwardSteps, long backwardSteps,
                     long decisionStepSum, int rows, long fullSteps) implements Serializable {
    private static final long serialVersionUID = 1L;
}
