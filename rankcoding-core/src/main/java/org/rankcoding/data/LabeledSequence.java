package org.rankcoding.data;

/**
 * One labelled input sequence held in memory.
 *
 * @param steps       the input vectors, {@code steps[t]} is step {@code t + 1}; at least one step, all of
 *                    the same size; not copied (the caller must not modify them afterwards)
 * @param label       the class, in {@code [0, numClasses)}
 * @param optimalStep the optimal decision step (1-based) or {@link SequenceBatch#NO_OPTIMAL_STEP}
 */
public record LabeledSequence(double[][] steps, int label, int optimalStep) {

    /** Validates the shape; values and label range are checked when batches are built. */
    public LabeledSequence {
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("a sequence needs at least one step, got " + (steps == null ? "null" : "0 steps"));
        }
        int size = steps[0] == null ? -1 : steps[0].length;
        if (size < 1) {
            throw new IllegalArgumentException("step 1 has no values; every step needs an input vector of size >= 1");
        }
        for (int t = 1; t < steps.length; t++) {
            if (steps[t] == null || steps[t].length != size) {
                throw new IllegalArgumentException("step " + (t + 1) + " has " + (steps[t] == null ? "no" : steps[t].length)
                        + " values, expected " + size + " like step 1");
            }
        }
    }

    /** A sequence without an optimal decision step. */
    public LabeledSequence(double[][] steps, int label) {
        this(steps, label, SequenceBatch.NO_OPTIMAL_STEP);
    }

    /** Number of steps. */
    public int length() {
        return steps.length;
    }

    /** Size of each step's input vector. */
    public int inputSize() {
        return steps[0].length;
    }
}
