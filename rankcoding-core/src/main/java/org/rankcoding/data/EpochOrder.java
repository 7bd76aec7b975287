package org.rankcoding.data;

import java.util.random.RandomGenerator;

/**
 * Shuffled epochs over {@code size} items, shared by the finite batch sources: each epoch visits every
 * index once, in an order drawn (Fisher-Yates) from the caller's generator when the epoch starts. Not
 * thread-safe.
 */
final class EpochOrder {

    private final int[] order;
    private int position;
    private int start;

    /** @param size number of items, at least 1 (callers validate) */
    EpochOrder(int size) {
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
    int take(int maxRows, RandomGenerator rng) {
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
    int[] order() {
        return order;
    }

    /** Where the last {@link #take} started in {@link #order()}. */
    int start() {
        return start;
    }

    /** Makes the next {@link #take} start a new shuffled epoch. */
    void reset() {
        position = order.length;
    }
}
