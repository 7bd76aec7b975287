package org.rankcoding.kernel.impl;

/**
 * Per-thread buffers of {@link Float32Kernels}: the {@code float} copy of an unprepared right operand, the packed
 * {@code float} copy of the left operand, one tile, and the LSTM cell's rounded pre-activations and state row. Those sized by the product grow
 * to the largest size seen and are then reused, so that steady-state calls allocate nothing.
 */
final class Float32Scratch {

    private static final ThreadLocal<Float32Scratch> SCRATCH = ThreadLocal.withInitial(Float32Scratch::new);

    private float[] operand = new float[0];
    private float[] left = new float[0];
    private float[] sums = new float[0];
    /**
     * The result block of {@link Float32Gemm}'s one-row kernels (the register tiles keep theirs in the {@link #sums}
     * buffer) or one block of row sums.
     */
    final float[] tile = new float[Float32Gemm.ROW_TILE];
    private float[] cellRow = new float[0];
    private float[] preActivations = new float[0];

    private Float32Scratch() {
    }

    /** The current thread's buffers. */
    static Float32Scratch get() {
        return SCRATCH.get();
    }

    /** A buffer of at least {@code size} values for the {@code float} copy of a right operand. */
    float[] operand(int size) {
        if (operand.length < size) {
            operand = new float[size];
        }
        return operand;
    }

    /** A buffer of at least {@code size} values for the accumulators of a column of tiles of {@link Float32Gemm}. */
    float[] sums(int size) {
        if (sums.length < size) {
            sums = new float[size];
        }
        return sums;
    }

    /** A buffer of at least {@code size} values for a row of the LSTM cell rounded to {@code float} ({@link Float32LstmCell}). */
    float[] cellRow(int size) {
        if (cellRow.length < size) {
            cellRow = new float[size];
        }
        return cellRow;
    }

    /** A buffer of at least {@code size} values for the LSTM gates' pre-activations rounded to {@code float}. */
    float[] preActivations(int size) {
        if (preActivations.length < size) {
            preActivations = new float[size];
        }
        return preActivations;
    }

    /** A buffer of at least {@code size} values for the packed left operand. */
    float[] left(int size) {
        if (left.length < size) {
            left = new float[size];
        }
        return left;
    }
}
