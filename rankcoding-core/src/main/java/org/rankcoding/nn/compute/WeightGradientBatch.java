package org.rankcoding.nn.compute;

import org.rankcoding.kernel.MatrixKernels;

/**
 * One LSTM layer's weight-gradient products deferred over several backward steps: each step
 * ({@link LstmSteps#backward(MatrixKernels, LstmStep, LstmBackwardStep, LstmWeights, LstmGradients, WeightGradientBatch)})
 * appends its rows (its input, its previous hidden state and its gate gradients), and {@link #flush} adds
 * {@code H^T dGates} to the gradient of {@code weight_hh^T} and {@code X^T dGates} to that of {@code weight_ih^T} as
 * one product each over every row collected, instead of one per step. The caller flushes when a step does not
 * {@link #fits fit} and before the gradients are read.
 *
 * <p>Why: a step's product has a shared dimension of only its rows (a batch's share, e.g. 64) and reads and writes
 * the whole gradient matrix ({@code H x 4H} doubles, 8 MB at {@code H = 512}) to add them; collected over steps, the
 * gradient is read and written once per {@link #capacity()} rows and the kernel runs long inner loops. The sums are
 * the same up to the order of rounding.
 *
 * <p>Rows of a sequence's first step have no previous hidden state and contribute to the input-weight gradient only;
 * they are kept after the rows that have one (a row with a previous state that follows them flushes first). A batch
 * made with {@link #forSparseInput} collects no input: the caller adds the input-weight gradient of sparse rows per
 * step. Allocates nothing after construction. Not thread-safe.
 */
public final class WeightGradientBatch {

    /**
     * Rows the training pass collects before the products run (or a batch, if larger): long enough for the kernels'
     * inner loops, and a gradient matrix read and written once per this many rows instead of once per step.
     */
    public static final int ROWS = 512;

    private final int capacity;
    private final int inputSize;
    private final int hiddenSize;
    private final double[] inputs;
    private final double[] hidden;
    private final double[] dGates;
    /** Rows collected. */
    private int count;
    /** Leading rows that have a previous hidden state. */
    private int recurrent;

    private WeightGradientBatch(int capacity, int inputSize, int hiddenSize, int inputColumns) {
        if (capacity < 1 || hiddenSize < 1 || inputSize < 1) {
            throw new IllegalArgumentException("WeightGradientBatch(capacity " + capacity + ", input " + inputSize
                    + ", hidden " + hiddenSize + "): every size must be >= 1");
        }
        this.capacity = capacity;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.inputs = new double[Math.multiplyExact(capacity, inputColumns)];
        this.hidden = new double[Math.multiplyExact(capacity, hiddenSize)];
        this.dGates = new double[Math.multiplyExact(capacity, 4 * hiddenSize)];
    }

    /** Collects up to {@code capacity} rows of a layer with dense input of size {@code inputSize}. */
    public static WeightGradientBatch forDenseInput(int capacity, int inputSize, int hiddenSize) {
        return new WeightGradientBatch(capacity, inputSize, hiddenSize, inputSize);
    }

    /** Collects up to {@code capacity} rows of a layer whose input-weight gradient the caller adds per step (sparse input). */
    public static WeightGradientBatch forSparseInput(int capacity, int inputSize, int hiddenSize) {
        return new WeightGradientBatch(capacity, inputSize, hiddenSize, 0);
    }

    /** The most rows collected before the products run. */
    public int capacity() {
        return capacity;
    }

    /** Rows collected and not yet added to the gradients. */
    public int pending() {
        return count;
    }

    /** Drops the rows collected without adding them (after a pass that failed part way). */
    public void clear() {
        count = 0;
        recurrent = 0;
    }

    /**
     * Whether a step of {@code n} rows ({@code hasPreviousState}: whether its forward step had one) can be appended
     * without a {@link #flush} first: it fits, and it does not put rows with a previous state after rows without one.
     */
    public boolean fits(int n, boolean hasPreviousState) {
        return count + n <= capacity && !(hasPreviousState && recurrent < count);
    }

    /**
     * Appends the {@code b.size()} rows of the backward step just computed ({@code hasPreviousState}: whether its
     * forward step had one). The caller flushes first when they do not {@link #fits fit} (kept out of this method so
     * that the products run at the caller's depth of inlining, where the JIT keeps the kernels' vector code intrinsic).
     *
     * @throws IllegalStateException if the rows do not fit
     */
    void add(LstmBackwardStep b, boolean hasPreviousState) {
        int n = b.n;
        if (!fits(n, hasPreviousState)) {
            throw new IllegalStateException("a backward step of " + n + " rows does not fit a weight-gradient batch holding "
                    + count + " of " + capacity + " rows (" + recurrent + " with a previous state): flush it first");
        }
        if (inputs.length > 0) {
            System.arraycopy(b.x, 0, inputs, count * inputSize, n * inputSize);
        }
        int g4 = 4 * hiddenSize;
        System.arraycopy(b.dGates, 0, dGates, count * g4, n * g4);
        if (hasPreviousState) {
            System.arraycopy(b.hPrev, 0, hidden, count * hiddenSize, n * hiddenSize);
            recurrent += n;
        }
        count += n;
    }

    /**
     * Adds the products of every row collected to {@code g} and empties the batch: {@code whhT += H^T dG} over the
     * rows with a previous state and, for dense input, {@code wihT += X^T dG} over all.
     */
    public void flush(MatrixKernels kernels, LstmGradients g) {
        int g4 = 4 * hiddenSize;
        if (recurrent > 0) {
            kernels.multTransAAdd(recurrent, hiddenSize, g4, hidden, 0, dGates, 0, g.whhT, 0);
        }
        if (inputs.length > 0 && count > 0) {
            kernels.multTransAAdd(count, inputSize, g4, inputs, 0, dGates, 0, g.wihT, 0);
        }
        clear();
    }
}
