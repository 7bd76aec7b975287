package org.rankcoding.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A binary spike raster of {@code steps x inputSize} stored sparsely, step by step: for each step the
 * indices of the inputs that fire at that step, in compressed-sparse-row (CSR) form.
 *
 * <p>The inputs firing at step {@code s} (1-based, {@code 1 <= s <= steps}) are
 * {@code indices()[start()[s - 1] ... start()[s])}, strictly ascending. So {@code start} has length
 * {@code steps + 1}, {@code start[0] = 0}, {@code start[steps] = spikeCount()}. The dense equivalent is the
 * {@code steps x inputSize} matrix {@code X} with {@code X[s-1][j] = 1} exactly when {@code j} fires at step
 * {@code s} ({@link #toDense()}). This is the row format of
 * {@link org.rankcoding.kernel.MatrixKernels#sparseMultAdd}: {@code sparseMultAdd(steps, m, start(), indices(), W, ...)}
 * adds to row {@code s - 1} of {@code C} the sum of the rows {@code j} of {@code W} that fire at step {@code s},
 * i.e. {@code C += X W}. To feed one step of a batch of rows to that kernel use {@link #gatherStep}; to serve rasters
 * as a training or evaluation batch use {@link #toBatch}.
 *
 * <p>Immutable by contract: the instance owns its arrays; {@link #start()} and {@link #indices()} return them
 * without copying, for reading only.
 */
public final class SparseSpikes {

    private final int steps;
    private final int inputSize;
    private final int[] start;
    private final int[] idx;

    /**
     * Creates a raster from CSR arrays, validating them completely.
     *
     * @param steps     number of steps, at least 1
     * @param inputSize number of inputs, at least 1
     * @param start     step starts, length {@code steps + 1}, non-decreasing, {@code start[0] = 0},
     *                  {@code start[steps] = idx.length}; ownership passes to the new object
     * @param idx       firing inputs per step, each in {@code [0, inputSize)}, strictly ascending within a step;
     *                  ownership passes to the new object
     * @throws IllegalArgumentException on any inconsistency, naming the step and value
     */
    public SparseSpikes(int steps, int inputSize, int[] start, int[] idx) {
        Objects.requireNonNull(idx, "idx is null");
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + ", expected >= 1");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize = " + inputSize + ", expected >= 1");
        }
        if (start == null || start.length != steps + 1) {
            throw new IllegalArgumentException("start has " + (start == null ? "null" : start.length + " entries") + ", expected steps + 1 = " + (steps + 1));
        }
        if (start[0] != 0 || start[steps] != idx.length) {
            throw new IllegalArgumentException("start[0] = " + start[0] + " and start[" + steps + "] = " + start[steps]
                    + ", expected 0 and idx.length = " + idx.length);
        }
        for (int s = 1; s <= steps; s++) {
            if (start[s] < start[s - 1]) {
                throw new IllegalArgumentException("start[" + s + "] = " + start[s] + " < start[" + (s - 1) + "] = " + start[s - 1]
                        + ", expected non-decreasing step starts");
            }
        }
        for (int s = 1; s <= steps; s++) {
            for (int k = start[s - 1]; k < start[s]; k++) {
                if (idx[k] < 0 || idx[k] >= inputSize) {
                    throw new IllegalArgumentException("step " + s + " fires input " + idx[k] + ", expected in [0, " + inputSize + ")");
                }
                if (k > start[s - 1] && idx[k] <= idx[k - 1]) {
                    throw new IllegalArgumentException("step " + s + " lists input " + idx[k] + " after " + idx[k - 1]
                            + ", expected strictly ascending indices (each input at most once per step)");
                }
            }
        }
        this.steps = steps;
        this.inputSize = inputSize;
        this.start = start;
        this.idx = idx;
    }

    /**
     * The raster in which input {@code j} fires exactly once, at step {@code spikeSteps[j]}
     * (a counting sort by step; indices ascending within each step).
     *
     * @param spikeSteps per-input spike step, each in {@code [1, steps]}, at least one input (read)
     * @param steps      number of steps, at least 1
     * @throws IllegalArgumentException for a step out of range, naming the input
     */
    public static SparseSpikes ofSpikeSteps(int[] spikeSteps, int steps) {
        Objects.requireNonNull(spikeSteps, "spikeSteps is null");
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + ", expected >= 1");
        }
        if (spikeSteps.length == 0) {
            throw new IllegalArgumentException("no inputs given; a spike raster needs at least one input");
        }
        int[] start = new int[steps + 1];
        for (int j = 0; j < spikeSteps.length; j++) {
            int s = spikeSteps[j];
            if (s < 1 || s > steps) {
                throw new IllegalArgumentException("input " + j + " has spike step " + s + ", expected in [1, " + steps + "]");
            }
            start[s]++;
        }
        for (int s = 1; s <= steps; s++) {
            start[s] += start[s - 1];
        }
        int[] fill = Arrays.copyOf(start, steps);
        int[] idx = new int[spikeSteps.length];
        for (int j = 0; j < spikeSteps.length; j++) {
            idx[fill[spikeSteps[j] - 1]++] = j;
        }
        return new SparseSpikes(steps, spikeSteps.length, start, idx);
    }

    /**
     * The held form of this raster: input {@code j} is active at every step from its
     * first spike here to the last step. For a raster in which every input fires at most once (a latency code) this is
     * the cumulative raster: step {@code s} lists every input that has fired at a step {@code <= s}.
     *
     * @return a new raster owned by the caller (this one is unchanged)
     */
    public SparseSpikes held() {
        int[] first = new int[inputSize];
        for (int s = steps; s >= 1; s--) {
            for (int k = start[s - 1]; k < start[s]; k++) {
                first[idx[k]] = s;
            }
        }
        int[] heldStart = new int[steps + 1];
        for (int j = 0; j < inputSize; j++) {
            if (first[j] > 0) {
                for (int s = first[j]; s <= steps; s++) {
                    heldStart[s]++;
                }
            }
        }
        for (int s = 1; s <= steps; s++) {
            heldStart[s] += heldStart[s - 1];
        }
        int[] fill = Arrays.copyOf(heldStart, steps);
        int[] heldIdx = new int[heldStart[steps]];
        for (int j = 0; j < inputSize; j++) {
            if (first[j] > 0) {
                for (int s = first[j]; s <= steps; s++) {
                    heldIdx[fill[s - 1]++] = j;
                }
            }
        }
        return new SparseSpikes(steps, inputSize, heldStart, heldIdx);
    }

    /** Number of steps. */
    public int steps() {
        return steps;
    }

    /** Number of inputs (the length of each dense step vector). */
    public int inputSize() {
        return inputSize;
    }

    /** Total number of spikes over all steps. */
    public int spikeCount() {
        return idx.length;
    }

    /** Step starts into {@link #indices()}, length {@code steps + 1} (not copied: read only). */
    public int[] start() {
        return start;
    }

    /** Firing input indices, step after step (not copied: read only). */
    public int[] indices() {
        return idx;
    }

    /** Number of inputs firing at step {@code step} (1-based). */
    public int count(int step) {
        checkStep(step);
        return start[step] - start[step - 1];
    }

    /** The inputs firing at step {@code step} (1-based), ascending (a new array owned by the caller). */
    public int[] firingAt(int step) {
        checkStep(step);
        return Arrays.copyOfRange(idx, start[step - 1], start[step]);
    }

    private void checkStep(int step) {
        if (step < 1 || step > steps) {
            throw new IllegalArgumentException("step " + step + ", expected in [1, " + steps + "] (steps are 1-based)");
        }
    }

    /**
     * The dense raster: {@code out[s - 1][j] = 1.0} when input {@code j} fires at step {@code s}, else 0.
     *
     * @return a new {@code steps x inputSize} array owned by the caller
     */
    public double[][] toDense() {
        double[][] out = new double[steps][inputSize];
        for (int s = 1; s <= steps; s++) {
            for (int k = start[s - 1]; k < start[s]; k++) {
                out[s - 1][idx[k]] = 1.0;
            }
        }
        return out;
    }

    /**
     * The rasters as one sparse binary batch ({@link SequenceBatch#sparseBinary}): row {@code r} is {@code rows[r]}, of
     * length {@code rows[r].steps()}, labelled {@code labels[r]}; the batch is as long as the longest raster.
     *
     * @param rows       the rasters, at least one, all with the same input size (read)
     * @param labels     one label per raster, each in {@code [0, numClasses)} (copied)
     * @param numClasses number of classes the labels are checked against
     * @return a new batch owned by the caller
     * @throws IllegalArgumentException for no rasters, a label count that differs from the raster count, mixed input
     *                                  sizes, a label out of range, or more events than one array holds
     */
    public static SequenceBatch toBatch(SparseSpikes[] rows, int[] labels, int numClasses) {
        Objects.requireNonNull(rows, "rows is null");
        if (rows.length == 0 || labels == null || labels.length != rows.length) {
            throw new IllegalArgumentException(rows.length + " rasters and "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels, expected at least one raster and one label each");
        }
        int n = rows.length;
        int maxLength = 0;
        long events = 0;
        int[] lengths = new int[n];
        for (int r = 0; r < n; r++) {
            if (rows[r].inputSize != rows[0].inputSize) {
                throw new IllegalArgumentException("raster " + r + " has input size " + rows[r].inputSize + ", expected "
                        + rows[0].inputSize + " like raster 0");
            }
            lengths[r] = rows[r].steps;
            maxLength = Math.max(maxLength, rows[r].steps);
            events += rows[r].idx.length;
        }
        if (events > Integer.MAX_VALUE - 8 || (long) maxLength * n >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " rasters of up to " + maxLength + " steps hold " + events
                    + " events, too many for one batch; use fewer rasters per batch");
        }
        int[] start = new int[maxLength * n + 1];
        int[] indices = new int[(int) events];
        int total = 0;
        for (int step = 1; step <= maxLength; step++) {
            for (int r = 0; r < n; r++) {
                SparseSpikes row = rows[r];
                if (step <= row.steps) {
                    int len = row.start[step] - row.start[step - 1];
                    System.arraycopy(row.idx, row.start[step - 1], indices, total, len);
                    total += len;
                }
                start[(step - 1) * n + r + 1] = total;
            }
        }
        return SequenceBatch.sparseBinary(n, maxLength, rows[0].inputSize, start, indices, lengths, labels.clone(),
                numClasses, null);
    }

    /** The dense raster as a labelled sequence of {@link #steps()} binary step vectors (see {@link #toDense()}). */
    public LabeledSequence toSequence(int label) {
        return new LabeledSequence(toDense(), label);
    }

    /**
     * Gathers one step of a batch into the CSR arrays that
     * {@link org.rankcoding.kernel.MatrixKernels#sparseMultAdd} takes for an {@code n}-row batch: row {@code r}'s
     * firing inputs at step {@code step} are written to {@code idxOut[startOut[r] ... startOut[r + 1])}.
     * Allocation-free; call it once per step with buffers sized once.
     *
     * @param rows     the batch's rasters, rows {@code 0 .. n-1} used, all with the same input size (read)
     * @param n        number of rows, in {@code [1, rows.length]}
     * @param step     the step, 1-based; a row with fewer steps contributes no spikes
     * @param startOut row starts, length at least {@code n + 1} (overwritten in {@code [0, n]})
     * @param idxOut   firing inputs, length at least the total count (overwritten in {@code [0, total)});
     *                 {@code n * inputSize} always suffices
     * @return the total number of firing inputs written, {@code startOut[n]}
     * @throws IllegalArgumentException for mixed input sizes, a bad {@code n} or step, or buffers too small
     */
    public static int gatherStep(SparseSpikes[] rows, int n, int step, int[] startOut, int[] idxOut) {
        Objects.requireNonNull(startOut, "startOut is null");
        Objects.requireNonNull(idxOut, "idxOut is null");
        if (rows == null || n < 1 || n > rows.length) {
            throw new IllegalArgumentException("n = " + n + ", expected in [1, " + (rows == null ? 0 : rows.length) + "] (the rows given)");
        }
        if (step < 1) {
            throw new IllegalArgumentException("step " + step + ", expected >= 1 (steps are 1-based)");
        }
        if (startOut.length < n + 1) {
            throw new IllegalArgumentException("startOut has " + startOut.length + " entries" + ", expected >= n + 1 = " + (n + 1));
        }
        int inputSize = rows[0].inputSize;
        int total = 0;
        startOut[0] = 0;
        for (int r = 0; r < n; r++) {
            SparseSpikes row = rows[r];
            if (row.inputSize != inputSize) {
                throw new IllegalArgumentException("row " + r + " has input size " + row.inputSize + ", expected " + inputSize + " like row 0");
            }
            if (step <= row.steps) {
                int from = row.start[step - 1];
                int len = row.start[step] - from;
                if (idxOut == null || total + len > idxOut.length) {
                    throw new IllegalArgumentException("idxOut has " + (idxOut == null ? "null" : idxOut.length + " entries")
                            + ", too few for step " + step + " of " + n + " rows (n x inputSize = " + ((long) n * inputSize) + " always suffices)");
                }
                System.arraycopy(row.idx, from, idxOut, total, len);
                total += len;
            }
            startOut[r + 1] = total;
        }
        return total;
    }

    /** Equal when the shapes and the firing inputs of every step are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SparseSpikes other && steps == other.steps && inputSize == other.inputSize
                && Arrays.equals(start, other.start) && Arrays.equals(idx, other.idx);
    }

    @Override
    public int hashCode() {
        return (steps * 31 + inputSize) * 31 + Arrays.hashCode(idx) * 17 + Arrays.hashCode(start);
    }

    @Override
    public String toString() {
        return "SparseSpikes[steps=" + steps + ", inputSize=" + inputSize + ", spikes=" + idx.length + "]";
    }
}
