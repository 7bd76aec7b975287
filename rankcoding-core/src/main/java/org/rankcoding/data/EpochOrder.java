package org.rankcoding.data;

import java.util.random.RandomGenerator;
import java.util.Objects;

/**
 * Shuffled epochs over {@code size} items, shared by the finite batch sources (here and in data-set modules): each
 * epoch visits every index once, in an order drawn (Fisher-Yates) from the caller's generator when the epoch starts.
 * Its position ({@link #save()}, {@link #restore}) is what a {@link ResumableSource} over a fixed data set saves in
 * checkpoints. Not thread-safe.
 */
public final class EpochOrder {

    private final int[] order;
    private int position;
    private int start;

    /**
     * An order whose first {@link #take} starts a new shuffled epoch.
     *
     * @param size number of items, at least 1
     * @throws IllegalArgumentException for {@code size < 1}
     */
    public EpochOrder(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size = " + size + ", expected >= 1 (an epoch needs at least one item)");
        }
        this.order = new int[size];
        this.position = size; // forces a shuffle on first use
    }

    /**
     * Takes the next at most {@code maxRows} indices of the current epoch, starting a new shuffled epoch if
     * the current one is used up; the indices are {@code order()[start() .. start() + count)}.
     *
     * @param maxRows at least 1
     * @return the count taken (smaller than {@code maxRows} only at the end of an epoch)
     * @throws IllegalArgumentException if {@code maxRows < 1}
     */
    public int take(int maxRows, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows = " + maxRows + ", expected >= 1");
        }
        if (position >= order.length) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            position = 0;
        }
        int rows = Math.min(maxRows, order.length - position);
        start = position;
        position += rows;
        return rows;
    }

    /** The current epoch's order (read only by contract). */
    public int[] order() {
        return order;
    }

    /** Where the last {@link #take} started in {@link #order()}. */
    public int start() {
        return start;
    }

    /**
     * The position: {@code [size, position in the epoch, order of the epoch...]} (the order matters only while the
     * epoch is not used up).
     */
    public long[] save() {
        long[] state = new long[2 + order.length];
        state[0] = order.length;
        state[1] = position;
        for (int i = 0; i < order.length; i++) {
            state[2 + i] = order[i];
        }
        return state;
    }

    /**
     * Continues from a position {@link #save()} returned.
     *
     * @param what the source, for messages
     * @throws IllegalArgumentException if the position belongs to another number of items or is malformed
     */
    public void restore(long[] state, String what) {
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(what, "what is null");
        int n = order.length;
        if (state.length < 2 || state[0] != n || state.length != 2 + n) {
            throw new IllegalArgumentException("the saved position of " + what + " is for "
                    + (state.length < 1 ? "nothing" : state[0] + " items" + (state.length == 2 + state[0] ? ""
                    : " with " + state.length + " numbers")) + ", but this source has " + n
                    + " items (expected " + (2 + n) + " numbers: size, position, epoch order); is it the same data set?");
        }
        if (state[1] < 0 || state[1] > n) {
            throw new IllegalArgumentException("the saved position of " + what + " is " + state[1] + ", expected in [0, " + n + "]");
        }
        if (state[1] < n) {
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                long v = state[2 + i];
                if (v < 0 || v >= n || seen[(int) v]) {
                    throw new IllegalArgumentException("the saved epoch order of " + what + " is not a permutation of 0.." + (n - 1)
                            + ": entry " + i + " is " + v);
                }
                seen[(int) v] = true;
            }
            for (int i = 0; i < n; i++) {
                order[i] = (int) state[2 + i];
            }
        }
        position = (int) state[1];
    }

    /** Makes the next {@link #take} start a new shuffled epoch. */
    public void reset() {
        position = order.length;
    }
}
