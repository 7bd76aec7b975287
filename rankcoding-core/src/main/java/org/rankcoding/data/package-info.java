/**
 * The generic data API: what the training, evaluation and inference code consumes, independent of any file format or
 * data set. {@link org.rankcoding.data.SequenceBatch} is a validated batch of labelled sequences (dense, or sparse
 * binary for event data); {@link org.rankcoding.data.BatchSource} serves batches to the trainer, and a
 * {@link org.rankcoding.data.ResumableSource} saves its position in checkpoints.
 * {@link org.rankcoding.data.InMemorySequences} is the source over a list of
 * {@link org.rankcoding.data.LabeledSequence}s, {@link org.rankcoding.data.EpochOrder} the shuffled epochs of every
 * finite source, {@link org.rankcoding.data.SparseSpikes} the spike raster of one sequence.
 *
 * <p>Loaders of data sets live outside the core: {@code rankcoding-datasets} (IDX, MNIST, latency coding of images)
 * and {@code rankcoding-audio} (WAV, log-mel features, Speech Commands) produce these types.
 */
package org.rankcoding.data;
