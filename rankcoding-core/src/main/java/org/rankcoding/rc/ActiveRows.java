package org.rankcoding.rc;

import org.rankcoding.nn.compute.SparseRows;

/**
 * The rows still computed at each step slot of a pass: per slot, the batch rows active there (ascending) and, for
 * sparse inputs, their events in CSR form (row {@code j} of a slot's events belongs to its {@code j}-th active row).
 * Rows leave by compaction: a step's rows that stay are appended, in order, to the next slot's list, so the lists
 * stay ascending and contiguous blocks of every buffer hold exactly the rows computed. Grows, never shrinks; not
 * thread-safe.
 */
final class ActiveRows {

    private int capRows = -1;
    private int[][] rows = new int[0][];
    private int[] count = new int[0];
    private SparseRows[] events = new SparseRows[0];
    private final SparseRows selected = new SparseRows(0);
    private int nextSlot;
    private int nextCount;

    /** Makes room for {@code n} rows in {@code slots} slots (a new row capacity reallocates every slot). */
    void ensure(int n, int slots) {
        if (n > capRows) {
            capRows = Math.max(n, capRows + capRows / 2);
            rows = new int[0][];
            count = new int[0];
            events = new SparseRows[0];
            selected.ensureRows(capRows);
        }
        int have = rows.length;
        if (slots <= have) {
            return;
        }
        rows = java.util.Arrays.copyOf(rows, slots);
        count = java.util.Arrays.copyOf(count, slots);
        events = java.util.Arrays.copyOf(events, slots);
        for (int s = have; s < slots; s++) {
            rows[s] = new int[capRows];
            events[s] = new SparseRows(capRows);
        }
    }

    /** Slot {@code s} holds rows {@code [from, to)}. */
    void start(int s, int from, int to) {
        int[] first = rows[s];
        for (int r = from; r < to; r++) {
            first[r - from] = r;
        }
        count[s] = to - from;
    }

    /** Number of rows active in slot {@code s}. */
    int count(int s) {
        return count[s];
    }

    /** The rows active in slot {@code s} (the first {@link #count(int)} entries, ascending). */
    int[] rows(int s) {
        return rows[s];
    }

    /** The sparse events of slot {@code s}'s rows. */
    SparseRows events(int s) {
        return events[s];
    }

    /** Starts filling slot {@code next} with the rows that stay. */
    void beginCompaction(int next) {
        nextSlot = next;
        nextCount = 0;
    }

    /** Row {@code r} stays: appends it to the next slot and returns its position there. */
    int keep(int r) {
        rows[nextSlot][nextCount] = r;
        return nextCount++;
    }

    /** Ends the compaction; returns the number of rows that stay. */
    int endCompaction() {
        if (nextCount > 0) {
            count[nextSlot] = nextCount;
        }
        return nextCount;
    }

    /** Gathers the events of slot {@code s}'s rows at 0-based step {@code t} into the slot's CSR lists. */
    void gatherEvents(StepInputs in, int t, int s) {
        int n = count[s];
        int[] active = rows[s];
        SparseRows dst = events[s];
        int[] start = in.sparseStart();
        int total = 0;
        for (int j = 0; j < n; j++) {
            int c = in.sparseCell(t, active[j]);
            total += start[c + 1] - start[c];
        }
        dst.ensureIndices(total);
        copyCells(in, t, t, active, n, dst);
    }

    /** Gathers, for each of slot {@code s}'s rows, its events of steps {@code 0 .. t} (what an integrating front end reads). */
    void gatherEventsSoFar(StepInputs in, int t, int s) {
        int n = count[s];
        int[] active = rows[s];
        int[] start = in.sparseStart();
        int total = 0;
        for (int u = 0; u <= t; u++) {
            for (int j = 0; j < n; j++) {
                int c = in.sparseCell(u, active[j]);
                total += start[c + 1] - start[c];
            }
        }
        SparseRows dst = events[s];
        dst.ensureIndices(total);
        copyCells(in, 0, t, active, n, dst);
    }

    /** Copies, row after row, the cells of steps {@code [first, last]} of rows {@code active[0 .. n)} into {@code dst}. */
    private static void copyCells(StepInputs in, int first, int last, int[] active, int n, SparseRows dst) {
        int[] start = in.sparseStart();
        int[] idx = in.sparseIndices();
        int[] dstStart = dst.start();
        int[] dstIdx = dst.indices();
        int q = 0;
        for (int j = 0; j < n; j++) {
            dstStart[j] = q;
            for (int u = first; u <= last; u++) {
                int c = in.sparseCell(u, active[j]);
                int len = start[c + 1] - start[c];
                System.arraycopy(idx, start[c], dstIdx, q, len);
                q += len;
            }
        }
        dstStart[n] = q;
    }

    /** The events of slot {@code s}'s rows {@code sel[0 .. nb)}, in that order (a view reused by the next call). */
    SparseRows selectEvents(int s, int[] sel, int nb) {
        SparseRows src = events[s];
        int[] start = src.start();
        int total = 0;
        for (int jb = 0; jb < nb; jb++) {
            total += start[sel[jb] + 1] - start[sel[jb]];
        }
        selected.ensureIndices(total);
        int[] idx = src.indices();
        int[] dstStart = selected.start();
        int[] dst = selected.indices();
        int q = 0;
        for (int jb = 0; jb < nb; jb++) {
            int c = sel[jb];
            int len = start[c + 1] - start[c];
            dstStart[jb] = q;
            System.arraycopy(idx, start[c], dst, q, len);
            q += len;
        }
        dstStart[nb] = q;
        return selected;
    }
}
