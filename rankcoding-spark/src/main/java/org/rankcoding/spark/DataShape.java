package org.rankcoding.spark;

import java.util.List;

/**
 * The size of a data set before training, from its partitions' {@link ShardStats}: rows, the steps' input size and the
 * largest label.
 *
 * @param rows      the number of rows
 * @param inputSize the input size of every step
 * @param maxLabel  the largest label
 */
record DataShape(long rows, int inputSize, int maxLabel) {

    /**
     * The shape of the data whose partitions have {@code stats}.
     *
     * @throws IllegalArgumentException if the data is empty or two partitions have different input sizes
     */
    static DataShape of(List<ShardStats> stats) {
        long rows = 0;
        int inputSize = -1;
        int maxLabel = -1;
        for (ShardStats s : stats) {
            if (s.rows() == 0) {
                continue;
            }
            if (inputSize >= 0 && s.inputSize() != inputSize) {
                throw new IllegalArgumentException("the sequences have steps of " + inputSize + " and of " + s.inputSize()
                        + " values; every sequence needs the same input size (set inputSize to refuse the odd rows by "
                        + "name)");
            }
            inputSize = s.inputSize();
            rows += s.rows();
            maxLabel = Math.max(maxLabel, s.maxLabel());
        }
        if (rows == 0) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        return new DataShape(rows, inputSize, maxLabel);
    }
}
