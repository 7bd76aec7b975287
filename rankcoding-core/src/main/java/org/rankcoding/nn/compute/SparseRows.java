package org.rankcoding.nn.compute;

import java.util.Arrays;

/**
 * Lists of indices, one list per row, in compressed sparse row form: row {@code j}'s indices are
 * {@code indices()[start()[j] .. start()[j + 1])}. Used for sparse binary inputs (row = example, index = active
 * input) and for their transpose (row = input, index = example). The arrays grow on demand and are reused;
 * not thread-safe.
 */
public final class SparseRows {

    private int[] start;
    private int[] indices = new int[0];

    /** Lists for up to {@code rows} rows. */
    public SparseRows(int rows) {
        this.start = new int[rows + 1];
    }

    /** Row starts into {@link #indices()}, length at least rows + 1. */
    public int[] start() {
        return start;
    }

    /** The indices of all rows, row after row. */
    public int[] indices() {
        return indices;
    }

    /** Makes room for {@code rows} rows (keeps nothing if it grows). */
    public void ensureRows(int rows) {
        if (start.length < rows + 1) {
            start = new int[rows + 1];
        }
    }

    /** Makes room for {@code count} indices in total (keeps nothing if it grows, by at least half its size). */
    public void ensureIndices(int count) {
        if (indices.length < count) {
            indices = new int[Math.max(count, indices.length + indices.length / 2)];
        }
    }

    /**
     * Writes the transpose of rows {@code [0, n)} into {@code out}: for each column {@code i} of {@code [0, columns)},
     * the rows whose lists hold {@code i}, ascending (a counting sort). {@code out}'s starts then run over
     * {@code columns + 1} entries.
     */
    public void transposeInto(int n, int columns, SparseRows out) {
        int total = start[n];
        out.ensureIndices(total);
        if (out.start.length < columns + 2) {
            out.start = new int[columns + 2];
        }
        int[] bs = out.start;
        int[] rows = out.indices;
        Arrays.fill(bs, 0, columns + 2, 0);
        for (int q = 0; q < total; q++) {
            bs[indices[q] + 2]++;
        }
        for (int i = 2; i <= columns + 1; i++) {
            bs[i] += bs[i - 1];
        }
        // bs[i + 1] is now the start of column i; filling advances it to the start of column i + 1
        for (int j = 0; j < n; j++) {
            for (int q = start[j]; q < start[j + 1]; q++) {
                rows[bs[indices[q] + 1]++] = j;
            }
        }
    }
}
