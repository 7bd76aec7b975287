package org.rankcoding.train;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.NetworkConfig;

/**
 * The heap a training run may use, checked against the run's {@link MemoryEstimate}: once before the network, the
 * optimizer and the passes are allocated ({@link #requireBeforeStart()}), and again at each batch longer than every
 * batch before it ({@link #admit}), since the forward tape grows with the number of steps and the trainer learns the
 * sequences' length only from its batches. Checking a batch that is not longer costs a pass over its row lengths and
 * allocates nothing. Not thread-safe; one per run.
 */
final class MemoryBudget {

    private final long heapBytes;
    private final NetworkConfig network;
    private final TrainerConfig config;
    private int checkedSteps;

    /**
     * @param heapBytes the heap the run may use, {@code >= 1}
     */
    MemoryBudget(long heapBytes, NetworkConfig network, TrainerConfig config) {
        this.heapBytes = heapBytes;
        this.network = network;
        this.config = config;
    }

    /**
     * Refuses a run whose parameters, optimizer state and per-thread buffers alone do not fit the heap.
     *
     * @throws IllegalArgumentException with the estimate, the heap, the largest terms and what to do
     */
    void requireBeforeStart() {
        MemoryEstimate.of(network, config, 0).requireFits(heapBytes);
    }

    /**
     * Refuses {@code batch} if it is longer (cut at {@code stepLimit} steps) than every batch admitted before and the run's
     * estimate for its length does not fit the heap.
     *
     * @throws IllegalArgumentException with the estimate, the heap, the largest terms and what to do
     */
    void admit(SequenceBatch batch, int stepLimit) {
        int steps = Math.min(batch.longestRow(), stepLimit);
        if (steps > checkedSteps) {
            MemoryEstimate.of(network, config, steps).requireFits(heapBytes);
            checkedSteps = steps;
        }
    }
}
