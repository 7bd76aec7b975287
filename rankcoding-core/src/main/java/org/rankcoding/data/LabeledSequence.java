package org.rankcoding.data;

import java.util.Objects;

/**
 * One labelled input sequence held in memory.
 *
 * @param steps       the input vectors, {@code steps[t]} is step {@code t + 1}; at least one step, all of
 *                    the same size; not copied (the caller must not modify them afterwards)
 * @param label       the class, in {@code [0, numClasses)}
 * @param optimalStep the optimal decision step (1-based) or {@link SequenceBatch#NO_OPTIMAL_STEP}
 */
public record LabeledSequence(double[][] steps, int label, int optimalStep) {

    /**
     * Validates the shape; the values are checked by {@link #requireFinite} when a data set is built
     * ({@link InMemorySequences}) and the label range when it is given its number of classes.
     */
    public LabeledSequence {
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("steps = " + (steps == null ? "null" : "[] (0 steps)")
                    + ", expected at least one step");
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
        Objects.requireNonNull(steps, "steps is null");
    }

    /**
     * Checks that every value is finite.
     *
     * @param name what messages call this sequence, with its index in its source ({@code "sequence 20000"})
     * @throws IllegalArgumentException at the first non-finite value: {@code "NAME, step T, input I is NaN, expected a
     *                                  finite value ..."} (steps 1-based, inputs 0-based)
     */
    public void requireFinite(String name) {
        Objects.requireNonNull(name, "name is null");
        for (int t = 0; t < steps.length; t++) {
            double[] step = steps[t];
            for (int i = 0; i < step.length; i++) {
                if (!Double.isFinite(step[i])) {
                    throw new IllegalArgumentException(name + ", step " + (t + 1) + ", input " + i + " is " + step[i]
                            + ", expected a finite value (check the data source for missing values or overflow)");
                }
            }
        }
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
