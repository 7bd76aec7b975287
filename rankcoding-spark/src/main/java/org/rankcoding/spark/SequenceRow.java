package org.rankcoding.spark;

import org.rankcoding.data.LabeledSequence;

import java.io.Serializable;
import java.util.Objects;

/**
 * One labelled sequence as Spark ships it between JVMs: the steps ({@code steps[t]} is the input vector of step
 * {@code t}) and the class. The serializable counterpart of {@link LabeledSequence}, checked the same way.
 *
 * @param steps the input vectors, at least one step, all of the same length, finite
 * @param label the class, {@code >= 0} (0 for unlabelled rows being scored)
 */
public record SequenceRow(double[][] steps, int label) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException as {@link LabeledSequence}: no steps, steps of different lengths, a negative
     *                                  label
     */
    public SequenceRow {
        Objects.requireNonNull(steps, "steps is null");
        new LabeledSequence(steps, 0);
        if (label < 0) {
            throw new IllegalArgumentException("label = " + label + ", expected a class >= 0");
        }
    }

    /** The library's sequence of this row (sharing the arrays). */
    public LabeledSequence toLabeledSequence() {
        return new LabeledSequence(steps, label);
    }

    /** The number of steps. */
    public int length() {
        return steps.length;
    }

    /** The size of each step's input vector. */
    public int inputSize() {
        return steps[0].length;
    }
}
