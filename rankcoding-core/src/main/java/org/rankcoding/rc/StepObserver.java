package org.rankcoding.rc;

/**
 * Sees the head's output probabilities of each example at each step an inference pass computes
 * ({@link InferencePass#runToEnd(org.rankcoding.data.SequenceBatch, DecisionRule, StepObserver)}): what a threshold
 * sweep needs to find the first spike at many thresholds from one pass.
 */
@FunctionalInterface
public interface StepObserver {

    /** The observer that looks at nothing. */
    StepObserver NONE = (step, row, p, off) -> { };

    /**
     * One computed example-step.
     *
     * @param step 1-based step
     * @param row  the example's row in the batch
     * @param p    the probabilities, {@code head.outputs()} values from {@code off}; valid only during the call, read only
     * @param off  offset of the row's values in {@code p}
     */
    void step(int step, int row, double[] p, int off);
}
