package org.rankcoding.examples.toy;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;

import java.util.random.RandomGenerator;

/**
 * A generator of fixed-length binary-labelled sequences with one input per step: the shared part of the
 * toy tasks. Subclasses draw one row at a time.
 */
abstract class ScalarBinarySource implements BatchSource {

    private final int length;
    private final boolean withOptimalSteps;

    ScalarBinarySource(int length, boolean withOptimalSteps) {
        this.length = length;
        this.withOptimalSteps = withOptimalSteps;
    }

    /** Sequence length T. */
    public int length() {
        return length;
    }

    @Override
    public final int inputSize() {
        return 1;
    }

    @Override
    public final int numClasses() {
        return 2;
    }

    @Override
    public final SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows = " + maxRows + ", expected >= 1");
        }
        int n = maxRows;
        double[] inputs = new double[length * n];
        int[] lengths = new int[n];
        int[] labels = new int[n];
        int[] optimal = withOptimalSteps ? new int[n] : null;
        for (int r = 0; r < n; r++) {
            labels[r] = fillRow(rng, inputs, r, n, optimal);
            lengths[r] = length;
        }
        return new SequenceBatch(n, length, 1, inputs, lengths, labels, 2, optimal);
    }

    /**
     * Draws row {@code r} of a batch of {@code rows}: writes its input at step {@code t} (0-based) to
     * {@code inputs[t * rows + r]}, its optimal decision step to {@code optimal[r]} when {@code optimal} is not
     * {@code null}, and returns its label (0 or 1).
     */
    abstract int fillRow(RandomGenerator rng, double[] inputs, int r, int rows, int[] optimal);
}
