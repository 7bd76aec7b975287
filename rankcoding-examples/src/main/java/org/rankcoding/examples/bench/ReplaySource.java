package org.rankcoding.examples.bench;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A {@link BatchSource} serving batches generated beforehand, in order and cyclically, so that a timed training
 * run spends no time generating data. {@link #reset()} (which a trainer calls at the start of every run)
 * starts again from the first batch, so every run sees the same batches.
 *
 * <p>Batches are handed out as they are (they are immutable by contract), not cut to {@code maxRows}: the
 * caller must ask for exactly the stored batch size, which a trainer does when its budget is a multiple of it.
 * Not thread-safe.
 */
final class ReplaySource implements BatchSource {

    private final List<SequenceBatch> batches;
    private final int inputSize;
    private final int numClasses;
    private int next;

    /**
     * @param batches    at least one batch, all of the same size and input size
     * @param numClasses number of classes of the labels
     */
    ReplaySource(List<SequenceBatch> batches, int numClasses) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no batches to replay");
        }
        this.batches = List.copyOf(batches);
        this.inputSize = batches.get(0).inputSize();
        this.numClasses = numClasses;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        SequenceBatch b = batches.get(next);
        if (b.batchSize() != maxRows) {
            throw new IllegalStateException("replayed batches have " + b.batchSize() + " rows but " + maxRows
                    + " were asked for; make the training budget a multiple of the batch size");
        }
        next = (next + 1) % batches.size();
        return b;
    }

    @Override
    public void reset() {
        next = 0;
    }
}
