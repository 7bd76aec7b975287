package org.rankcoding.data;

import java.util.Objects;

/**
 * A {@link ResumableSource} over a fixed data set whose whole position is an {@link EpochOrder}: the shuffled order
 * of the current epoch and the place in it. {@link #reset()}, {@link #savePosition()} and {@link #restorePosition}
 * are the order's; an implementation draws each batch's rows with {@link EpochOrder#take} and names itself in its
 * {@link Object#toString()}, which messages about a bad saved position quote.
 */
public interface EpochSource extends ResumableSource {

    /** The order the source serves its items in (live: the source's own). */
    EpochOrder epochOrder();

    /** Starts a new shuffled epoch at the next {@link #nextBatch} call. */
    @Override
    default void reset() {
        epochOrder().reset();
    }

    /** {@code [size, position in the current epoch, the epoch's order...]}: the order's {@link EpochOrder#save()}. */
    @Override
    default long[] savePosition() {
        return epochOrder().save();
    }

    @Override
    default void restorePosition(long[] position) {
        Objects.requireNonNull(position, "position is null");
        epochOrder().restore(position, toString());
    }
}
