package org.rankcoding.nn;

import java.util.Arrays;

/**
 * The non-zero pixels of one input row of a {@link ConvFrontEnd}, as the first stage reads them: indices
 * ({@code y * width + x}) and values. Filled from a binary row given by its active indices (value 1 each; a pixel
 * named {@code k} times, as integrated spikes can be, counts {@code k} times) or from a dense row (its non-zero
 * values). The arrays grow to the longest row seen and are then reused.
 */
final class ActivePixels {

    private int[] index;
    private double[] value;
    private int count;

    /** Room for {@code capacity} pixels before the first growth. */
    ActivePixels(int capacity) {
        this.index = new int[capacity];
        this.value = new double[capacity];
    }

    /** Takes the binary row whose active pixels are {@code idx[from .. to)}. */
    void setBinary(int[] idx, int from, int to) {
        int m = to - from;
        if (m > index.length) { // only until the longest row has been seen
            index = new int[Math.max(m, 2 * index.length)];
            value = new double[index.length];
        }
        System.arraycopy(idx, from, index, 0, m);
        Arrays.fill(value, 0, m, 1.0);
        count = m;
    }

    /** Takes the non-zero values of the dense row {@code x[off .. off + size)} ({@code size} at most the capacity). */
    void setDense(double[] x, int off, int size) {
        int m = 0;
        for (int i = 0; i < size; i++) {
            double v = x[off + i];
            if (v != 0.0) {
                index[m] = i;
                value[m] = v;
                m++;
            }
        }
        count = m;
    }

    /** Number of pixels of the current row. */
    int count() {
        return count;
    }

    /** Pixel indices; the first {@link #count()} are the current row's (live, not to be modified). */
    int[] indices() {
        return index;
    }

    /** Pixel values, parallel to {@link #indices()} (live, not to be modified). */
    double[] values() {
        return value;
    }
}
