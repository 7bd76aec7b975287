package org.rankcoding.data;

import java.util.Arrays;

/**
 * A batch of labelled input sequences, possibly of different lengths, stored time-major.
 *
 * <p>The input of row {@code r} at step {@code t} (0-based, {@code t < length(r)}) is the vector
 * {@code inputs[(t * batchSize + r) * inputSize ... + inputSize)}. Steps at or beyond a row's length are
 * padding and are never read. Every value a row can see must be finite, every length is in
 * {@code [1, maxLength]} and every label in {@code [0, numClasses)}; the constructor checks all of it once,
 * so the training and inference code never re-validates.
 *
 * <p>A batch owns its arrays (the constructor copies nothing: callers hand over ownership) and is
 * immutable by contract: code that receives a batch never modifies it. Optional per-row
 * {@code optimalSteps} (1-based, {@link #NO_OPTIMAL_STEP} where undefined) let task-specific metrics, such
 * as the sequence-of-five timing loss, score decision times.
 */
public final class SequenceBatch {

    /** Marks a row without a defined optimal decision step. */
    public static final int NO_OPTIMAL_STEP = -1;

    private final int batchSize;
    private final int maxLength;
    private final int inputSize;
    private final double[] inputs;
    private final int[] lengths;
    private final int[] labels;
    private final int[] optimalSteps;

    /**
     * Creates a batch, validating it completely.
     *
     * @param batchSize    number of rows, at least 1
     * @param maxLength    number of stored steps, at least 1
     * @param inputSize    size of each step's input vector, at least 1
     * @param inputs       time-major inputs, length {@code maxLength * batchSize * inputSize}; ownership passes to the batch
     * @param lengths      per-row lengths in {@code [1, maxLength]}; ownership passes to the batch
     * @param labels       per-row labels in {@code [0, numClasses)}; ownership passes to the batch
     * @param numClasses   number of classes the labels are checked against (2 for a binary task)
     * @param optimalSteps per-row optimal decision steps (1-based) or {@code null}
     * @throws IllegalArgumentException on any inconsistent size, non-finite input, bad length or label
     */
    public SequenceBatch(int batchSize, int maxLength, int inputSize, double[] inputs, int[] lengths,
                         int[] labels, int numClasses, int[] optimalSteps) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1 (an empty batch cannot be trained or evaluated)");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength = " + maxLength + ", expected >= 1 (sequences need at least one step)");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize = " + inputSize + ", expected >= 1");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        long expected = (long) maxLength * batchSize * inputSize;
        if (inputs.length != expected) {
            throw new IllegalArgumentException("inputs has " + inputs.length + " values, expected maxLength x batchSize x inputSize = "
                    + maxLength + " x " + batchSize + " x " + inputSize + " = " + expected);
        }
        requireLength("lengths", lengths, batchSize);
        requireLength("labels", labels, batchSize);
        if (optimalSteps != null) {
            requireLength("optimalSteps", optimalSteps, batchSize);
        }
        for (int r = 0; r < batchSize; r++) {
            if (lengths[r] < 1 || lengths[r] > maxLength) {
                throw new IllegalArgumentException("row " + r + " has length " + lengths[r] + ", expected in [1, " + maxLength + "]");
            }
            if (labels[r] < 0 || labels[r] >= numClasses) {
                throw new IllegalArgumentException("row " + r + " has label " + labels[r] + ", expected in [0, " + (numClasses - 1)
                        + "] for " + numClasses + " classes (binary tasks use labels 0 and 1)");
            }
            for (int t = 0; t < lengths[r]; t++) {
                int off = (t * batchSize + r) * inputSize;
                for (int i = 0; i < inputSize; i++) {
                    double v = inputs[off + i];
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("row " + r + ", step " + (t + 1) + ", input " + i + " is " + v
                                + ", expected a finite value (check the data source for missing values or overflow)");
                    }
                }
            }
        }
        this.batchSize = batchSize;
        this.maxLength = maxLength;
        this.inputSize = inputSize;
        this.inputs = inputs;
        this.lengths = lengths;
        this.labels = labels;
        this.optimalSteps = optimalSteps;
    }

    private static void requireLength(String name, int[] array, int batchSize) {
        if (array == null || array.length != batchSize) {
            throw new IllegalArgumentException(name + " has " + (array == null ? "null" : array.length + " entries")
                    + ", expected one per row (" + batchSize + ")");
        }
    }

    /** Number of rows. */
    public int batchSize() {
        return batchSize;
    }

    /** Number of stored steps (the longest row's length or more). */
    public int maxLength() {
        return maxLength;
    }

    /** Size of each step's input vector. */
    public int inputSize() {
        return inputSize;
    }

    /** Length of row {@code r}. */
    public int length(int r) {
        return lengths[r];
    }

    /** Label of row {@code r}. */
    public int label(int r) {
        return labels[r];
    }

    /** Optimal decision step (1-based) of row {@code r}, or {@link #NO_OPTIMAL_STEP}. */
    public int optimalStep(int r) {
        return optimalSteps == null ? NO_OPTIMAL_STEP : optimalSteps[r];
    }

    /** Whether optimal decision steps were given. */
    public boolean hasOptimalSteps() {
        return optimalSteps != null;
    }

    /** The backing time-major input array (read only by contract; not copied). */
    public double[] inputArray() {
        return inputs;
    }

    /** Offset of the input vector of row {@code r} at 0-based step {@code t} in {@link #inputArray()}. */
    public int inputOffset(int t, int r) {
        return (t * batchSize + r) * inputSize;
    }

    /** The longest row length actually present. */
    public int longestRow() {
        int max = 0;
        for (int len : lengths) {
            max = Math.max(max, len);
        }
        return max;
    }

    @Override
    public String toString() {
        return "SequenceBatch[rows=" + batchSize + ", maxLength=" + maxLength + ", inputSize=" + inputSize
                + ", lengths=" + (batchSize <= 8 ? Arrays.toString(lengths) : "...") + "]";
    }
}
