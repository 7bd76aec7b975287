package org.rankcoding.data;

/**
 * A {@link BatchSource} that keeps a position of its own (an epoch order and the place in it, a file offset) and
 * can save and restore it, so that a training run resumed from a checkpoint sees exactly the batches the
 * uninterrupted run would have seen.
 *
 * <p>Which sources need it: everything a source draws at random must come from the trainer's generator, which the
 * trainer saves itself; a source whose batches depend only on that generator (a generator of fresh sequences, like
 * the toy tasks') has nothing else to save and need not implement this interface. A source that remembers anything
 * between {@link #nextBatch} calls must implement it, or a resumed run would restart it from its
 * {@link #reset() initial state} and differ from the uninterrupted run. A source over a fixed data set served in
 * shuffled epochs implements it through {@link EpochSource} (its position is an {@link EpochOrder}), as
 * {@link InMemorySequences} and the finite sources of the data-set module (rankcoding-datasets) do.
 *
 * <p>Contract: after {@link #reset()} followed by {@code restorePosition(p)}, where {@code p} was returned by
 * {@link #savePosition()} of a source over the same data, the source serves the same batches, given the same
 * generator states, as the source that saved {@code p} would have served next.
 */
public interface ResumableSource extends BatchSource {

    /**
     * The source's current position as numbers that {@link #restorePosition} understands (for example the size of the
     * data set, the place in the current epoch and the epoch's order). A new array owned by the caller, stored as it
     * is in checkpoints.
     */
    long[] savePosition();

    /**
     * Continues from a position {@link #savePosition()} returned.
     *
     * @throws IllegalArgumentException if {@code position} cannot come from a source over this data (another size,
     *                                  a malformed array), saying what was expected; the source is then unchanged
     */
    void restorePosition(long[] position);
}
