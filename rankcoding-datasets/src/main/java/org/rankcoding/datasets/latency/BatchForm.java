package org.rankcoding.datasets.latency;

/**
 * How {@link LatencyCodedImages} stores the spikes of a batch. Both forms hold the same inputs
 * ({@code batch.toDense()} of a sparse batch equals the dense batch); they differ in memory and in the work of the
 * network's first layer.
 */
public enum BatchForm {
    /**
     * Sparse binary batches ({@link org.rankcoding.data.SequenceBatch#sparseBinary}): per step and row, the pixels
     * that fire. The first layer adds up the input-weight rows of those pixels. The default.
     */
    SPARSE,
    /** Dense batches of 0/1 step vectors ({@code steps x rows x pixels} doubles), for comparison. */
    DENSE
}
