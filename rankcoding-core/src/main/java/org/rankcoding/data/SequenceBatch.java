package org.rankcoding.data;

import java.util.Objects;

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
 *
 * <h2>Sparse binary inputs</h2>
 * Event data (spike rasters such as latency-coded images) is better stored as the indices of the inputs that
 * are 1 at each step: {@link #sparseBinary} builds such a batch. Its input of row {@code r} at step {@code t}
 * is 1 at the indices {@code sparseIndices()[sparseStart()[c] .. sparseStart()[c + 1])} with
 * {@code c = t * batchSize + r} ({@link #sparseCell}) and 0 elsewhere. The training and inference passes then
 * compute the input product of the first layer as a sum of the active rows of its input weights (and
 * accumulate its gradient only there) instead of a dense product. {@link #toDense()} gives the equivalent
 * dense batch; {@link #inputArray()} is only available on dense batches.
 */
public final class SequenceBatch {

    /** Marks a row without a defined optimal decision step. */
    public static final int NO_OPTIMAL_STEP = -1;

    private final int batchSize;
    private final int maxLength;
    private final int inputSize;
    private final double[] inputs;
    private final int[] sparseStart;
    private final int[] sparseIdx;
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
        this(batchSize, maxLength, inputSize, requireInputs(inputs, lengths, labels, batchSize, maxLength, inputSize), null, null,
                lengths, labels, numClasses, optimalSteps);
    }

    /**
     * Creates a batch of sparse binary inputs, validating it completely (see the class comment for the layout).
     *
     * @param start   cell starts into {@code indices}, length {@code maxLength * batchSize + 1}, non-decreasing,
     *                {@code start[0] = 0} and last element {@code indices.length}; ownership passes to the batch
     * @param indices the inputs that are 1, per cell (step-major, then row), each in {@code [0, inputSize)} and
     *                strictly ascending within a cell; ownership passes to the batch
     * @throws IllegalArgumentException on any inconsistent size, bad index (naming row, step and value), length or
     *                                  label
     */
    public static SequenceBatch sparseBinary(int batchSize, int maxLength, int inputSize, int[] start, int[] indices,
                                             int[] lengths, int[] labels, int numClasses, int[] optimalSteps) {
        requireRows(lengths, labels);
        if (indices == null) {
            throw new IllegalArgumentException("indices is null");
        }
        checkShape(batchSize, maxLength, inputSize);
        long cells = (long) maxLength * batchSize;
        if (start == null || start.length != cells + 1) {
            throw new IllegalArgumentException("start has " + (start == null ? "null" : start.length + " entries")
                    + ", expected maxLength x batchSize + 1 = " + (cells + 1));
        }
        if (indices == null) {
            throw new IllegalArgumentException("indices is null");
        }
        if (start[0] != 0 || start[(int) cells] != indices.length) {
            throw new IllegalArgumentException("start must begin at 0 and end at indices.length = " + indices.length
                    + ", found " + start[0] + " and " + start[(int) cells]);
        }
        for (int c = 0; c < cells; c++) {
            int t = c / batchSize;
            int r = c % batchSize;
            if (start[c + 1] < start[c]) {
                throw new IllegalArgumentException("start decreases at row " + r + ", step " + (t + 1) + ": " + start[c]
                        + " then " + start[c + 1]);
            }
            int prev = -1;
            for (int q = start[c]; q < start[c + 1]; q++) {
                int i = indices[q];
                if (i < 0 || i >= inputSize) {
                    throw new IllegalArgumentException("row " + r + ", step " + (t + 1) + " has active input " + i
                            + ", expected in [0, " + (inputSize - 1) + "]");
                }
                if (i <= prev) {
                    throw new IllegalArgumentException("row " + r + ", step " + (t + 1) + ": active inputs must be strictly "
                            + "ascending (each at most once), found " + prev + " then " + i);
                }
                prev = i;
            }
        }
        return new SequenceBatch(batchSize, maxLength, inputSize, null, start, indices, lengths, labels, numClasses,
                optimalSteps);
    }

    private static void checkShape(int batchSize, int maxLength, int inputSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1 (an empty batch cannot be trained or evaluated)");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength = " + maxLength + ", expected >= 1 (sequences need at least one step)");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize = " + inputSize + ", expected >= 1");
        }
    }

    /** Refuses a null per-row array, naming it, before any size is checked. */
    private static void requireRows(int[] lengths, int[] labels) {
        if (lengths == null || labels == null) {
            throw new IllegalArgumentException((lengths == null ? "lengths" : "labels") + " is null; expected one entry per row");
        }
    }

    /** {@code inputs}, checked (and the per-row arrays checked for null first, before any size). */
    private static double[] requireInputs(double[] inputs, int[] lengths, int[] labels, int batchSize, int maxLength, int inputSize) {
        requireRows(lengths, labels);
        checkShape(batchSize, maxLength, inputSize);
        if (inputs == null) {
            throw new IllegalArgumentException("inputs is null");
        }
        long expected = (long) maxLength * batchSize * inputSize;
        if (inputs.length != expected) {
            throw new IllegalArgumentException("inputs has " + inputs.length + " values, expected maxLength x batchSize x inputSize = "
                    + maxLength + " x " + batchSize + " x " + inputSize + " = " + expected);
        }
        return inputs;
    }

    private SequenceBatch(int batchSize, int maxLength, int inputSize, double[] inputs, int[] sparseStart, int[] sparseIdx,
                          int[] lengths, int[] labels, int numClasses, int[] optimalSteps) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
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
            for (int t = 0; inputs != null && t < lengths[r]; t++) {
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
        this.sparseStart = sparseStart;
        this.sparseIdx = sparseIdx;
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

    /**
     * The backing time-major input array of a dense batch (read only by contract; not copied).
     *
     * @throws IllegalStateException for a {@linkplain #isSparse() sparse} batch (use {@link #toDense()})
     */
    public double[] inputArray() {
        if (inputs == null) {
            throw new IllegalStateException("this batch stores sparse binary inputs (SequenceBatch.sparseBinary): read them with "
                    + "sparseStart()/sparseIndices(), or convert with toDense()");
        }
        return inputs;
    }

    /** Whether the inputs are stored as sparse binary events ({@link #sparseBinary}). */
    public boolean isSparse() {
        return inputs == null;
    }

    /** Cell starts of a sparse batch (read only; not copied), or {@code null} for a dense batch. */
    public int[] sparseStart() {
        return sparseStart;
    }

    /** Active input indices of a sparse batch (read only; not copied), or {@code null} for a dense batch. */
    public int[] sparseIndices() {
        return sparseIdx;
    }

    /** The cell of row {@code r} at 0-based step {@code t} in {@link #sparseStart()}: {@code t * batchSize + r}. */
    public int sparseCell(int t, int r) {
        return t * batchSize + r;
    }

    /**
     * The same batch with dense inputs (itself if already dense): 1.0 at the active inputs of a sparse batch, 0.0
     * elsewhere.
     */
    public SequenceBatch toDense() {
        if (inputs != null) {
            return this;
        }
        long size = (long) maxLength * batchSize * inputSize;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the dense form of " + this + " has " + size + " values, too many for one array");
        }
        double[] dense = new double[(int) size];
        int cells = maxLength * batchSize;
        for (int c = 0; c < cells; c++) {
            for (int q = sparseStart[c]; q < sparseStart[c + 1]; q++) {
                dense[c * inputSize + sparseIdx[q]] = 1.0;
            }
        }
        return new SequenceBatch(batchSize, maxLength, inputSize, dense, null, null, lengths, labels, Integer.MAX_VALUE,
                optimalSteps);
    }

    /**
     * The same rows (lengths, labels, optimal steps) with other dense inputs, laid out as {@link #inputArray()}: how
     * augmentation and input dropout hand over a changed copy of a batch.
     *
     * @param inputs time-major inputs, length {@code maxLength * batchSize * inputSize}, finite; ownership passes to the
     *               new batch
     * @throws IllegalArgumentException for a wrong length or a non-finite value
     */
    public SequenceBatch withDenseInputs(double[] inputs) {
        Objects.requireNonNull(inputs, "inputs is null");
        return new SequenceBatch(batchSize, maxLength, inputSize, requireInputs(inputs, lengths, labels, batchSize, maxLength, inputSize), null,
                null, lengths, labels, Integer.MAX_VALUE, optimalSteps);
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
        return "SequenceBatch[" + (inputs == null ? "sparse, " : "") + "rows=" + batchSize + ", maxLength=" + maxLength + ", inputSize=" + inputSize
                + ", lengths=" + (batchSize <= 8 ? Arrays.toString(lengths) : "...") + "]";
    }
}
