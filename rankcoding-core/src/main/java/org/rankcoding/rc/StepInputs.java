package org.rankcoding.rc;

/**
 * Where a forward pass reads its rows' inputs step by step: a batch ({@link BatchInputs}) or a stream fed one vector
 * at a time ({@link StreamStepper}). Dense inputs are read as {@code inputSize} values of {@link #dense()} from
 * {@link #denseOffset}; sparse binary inputs as CSR cells ({@link #sparseStart()}, {@link #sparseIndices()},
 * {@link #sparseCell}).
 */
interface StepInputs {

    /** The number of steps row {@code r} runs ({@link Integer#MAX_VALUE} for a stream that has no end yet). */
    int length(int r);

    /** Whether the inputs are sparse binary events rather than dense vectors. */
    boolean isSparse();

    /** The dense values (dense inputs only). */
    double[] dense();

    /** Offset in {@link #dense()} of row {@code r}'s input at 0-based step {@code t}. */
    int denseOffset(int t, int r);

    /** CSR cell starts of the sparse inputs (sparse inputs only). */
    int[] sparseStart();

    /** CSR active-input indices of the sparse inputs (sparse inputs only). */
    int[] sparseIndices();

    /** The CSR cell of row {@code r} at 0-based step {@code t} (sparse inputs only). */
    int sparseCell(int t, int r);
}
