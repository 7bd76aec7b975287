package org.rankcoding.nn.compute;

/**
 * The buffers of one forward step of one {@link Lstm} layer for up to {@link #rows()} rows: what the step reads
 * (its input {@code x} and the previous state {@code hPrev}, {@code cPrev}) and what the backward step needs of it
 * (the gate activations and {@code tanh(c)}). A training tape keeps one per layer and time step; inference keeps two
 * per layer and alternates. At the first step of a sequence the previous state is zero and is not read
 * ({@link #startFromZeroState()}).
 *
 * <p>Arrays are row-major, row {@code j} of the step at offset {@code j * size}. Not thread-safe.
 */
public final class LstmStep {

    private final int rows;
    final double[] x;
    final double[] hPrev;
    final double[] cPrev;
    final double[] gates;
    final double[] tanhC;
    private boolean hasPrevious;

    /**
     * Buffers for up to {@code rows} rows of a layer with input size {@code inputSize} and hidden size {@code hiddenSize}.
     */
    public LstmStep(int rows, int inputSize, int hiddenSize) {
        this.rows = rows;
        this.x = new double[rows * inputSize];
        this.hPrev = new double[rows * hiddenSize];
        this.cPrev = new double[rows * hiddenSize];
        this.gates = new double[rows * 4 * hiddenSize];
        this.tanhC = new double[rows * hiddenSize];
    }

    /** The row capacity. */
    public int rows() {
        return rows;
    }

    /** The step's input, {@code rows x I} (written by the caller before the forward step). */
    public double[] x() {
        return x;
    }

    /** The previous hidden state, {@code rows x H} (written by the caller; not read at a sequence's first step). */
    public double[] hPrev() {
        return hPrev;
    }

    /** The previous cell state, {@code rows x H} (written by the caller; not read at a sequence's first step). */
    public double[] cPrev() {
        return cPrev;
    }

    /** The gate activations {@code i | f | g | o} after their nonlinearities, {@code rows x 4H} (written by the step). */
    public double[] gates() {
        return gates;
    }

    /** {@code tanh(c)}, {@code rows x H} (written by the step). */
    public double[] tanhC() {
        return tanhC;
    }

    /** Marks this step as the first of its sequence: the previous state is zero and {@code hPrev}, {@code cPrev} are not read. */
    public void startFromZeroState() {
        hasPrevious = false;
    }

    /** Marks this step as continuing its sequence from {@code hPrev}, {@code cPrev}. */
    public void continueFromPreviousState() {
        hasPrevious = true;
    }

    /** Whether the step reads a previous state (false at a sequence's first step). */
    public boolean hasPreviousState() {
        return hasPrevious;
    }
}
