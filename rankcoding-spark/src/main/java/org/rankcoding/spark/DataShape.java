package org.rankcoding.spark;

import java.io.Serializable;

/**
 * The size of a data set before training: rows, the steps' input size and the largest label, merged over rows.
 *
 * @param rows      the number of rows
 * @param inputSize the input size of every step
 * @param maxLabel  the largest label
 */
record DataShape(long rows, int inputSize, int maxLabel) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The shape of one row. */
    static DataShape of(SequenceRow r) {
        return new DataShape(1, r.inputSize(), r.label());
    }

    /**
     * The shape of both parts.
     *
     * @throws IllegalArgumentException if their input sizes differ
     */
    static DataShape merge(DataShape a, DataShape b) {
        if (a.inputSize != b.inputSize) {
            throw new IllegalArgumentException("the sequences have steps of " + a.inputSize + " and of " + b.inputSize
                    + " values; every sequence needs the same input size (set inputSize to refuse the odd rows by name)");
        }
        return new DataShape(a.rows + b.rows, a.inputSize, Math.max(a.maxLabel, b.maxLabel));
    }
}
