package org.rankcoding.rc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * A {@link SequenceBatch} as {@link StepInputs}, checked against a network; one reusable view per pass (re-pointed
 * at each batch without allocating).
 */
final class BatchInputs implements StepInputs {

    private final int inputSize;
    private final int classes;
    private SequenceBatch batch;

    BatchInputs(RankCodingNetwork network) {
        this.inputSize = network.config().inputSize();
        this.classes = network.head().numClasses();
    }

    /**
     * Points this view at {@code batch}.
     *
     * @throws IllegalArgumentException if the batch's input size is not the network's or a label is not one of its classes
     */
    BatchInputs of(SequenceBatch batch) {
        if (batch.inputSize() != inputSize) {
            throw new IllegalArgumentException("batch input size is " + batch.inputSize() + " but the network expects " + inputSize
                    + " (NetworkConfig.inputSize)");
        }
        for (int r = 0; r < batch.batchSize(); r++) {
            int label = batch.label(r);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("row " + r + " has label " + label + ", but the network's head has " + classes
                        + " classes (labels 0.." + (classes - 1) + "); was the batch built for another task?");
            }
        }
        this.batch = batch;
        return this;
    }

    /** The batch viewed. */
    SequenceBatch batch() {
        return batch;
    }

    /** Row {@code r}'s label. */
    int label(int r) {
        return batch.label(r);
    }

    @Override
    public int length(int r) {
        return batch.length(r);
    }

    @Override
    public boolean isSparse() {
        return batch.isSparse();
    }

    @Override
    public double[] dense() {
        return batch.inputArray();
    }

    @Override
    public int denseOffset(int t, int r) {
        return batch.inputOffset(t, r);
    }

    @Override
    public int[] sparseStart() {
        return batch.sparseStart();
    }

    @Override
    public int[] sparseIndices() {
        return batch.sparseIndices();
    }

    @Override
    public int sparseCell(int t, int r) {
        return batch.sparseCell(t, r);
    }
}
