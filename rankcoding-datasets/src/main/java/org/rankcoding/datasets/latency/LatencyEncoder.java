package org.rankcoding.datasets.latency;

import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.SparseSpikes;

import java.util.Objects;

/**
 * Latency (time-to-first-spike) coding: turns intensities in {@code [0, 1]} into spike times over
 * {@code N} steps, brightest first. Each input fires exactly once.
 *
 * <h2>Definition</h2>
 * The interval {@code [0, 1]} is cut into {@code N} equal bins; bin {@code k} ({@code k = 0 .. N-1}) is
 * {@code [k/N, (k+1)/N)}, except the last, {@code [(N-1)/N, 1]}, which is closed. An input in bin {@code k}
 * fires at step {@code N - k} (steps are 1-based). In one formula:
 * <pre>
 *   step(v) = N - min(N - 1, floor(v * N + EDGE_TOLERANCE))
 * </pre>
 * so intensity 1.0 fires at step 1, intensity 0.0 (background) at step {@code N}, and a value exactly on a
 * bin edge {@code k/N} belongs to the upper (brighter, earlier) bin. {@link #EDGE_TOLERANCE} absorbs the
 * rounding of edges computed in floating point (e.g. {@code (15 / 22.0) * 22 = 14.999999999999998}): any value
 * within {@code 1e-9 / N} below an edge counts as on it. For pixel values {@code v = p / 255} this agrees
 * exactly with the integer formula {@code N - min(N - 1, (p * N) / 255)}.
 *
 * <p>With the default {@code N = 20} (temporal MNIST), an MNIST image becomes 20 binary vectors of 784: a
 * pixel of intensity {@code v >= 0.95} fires at step 1, {@code [0.90, 0.95)} at step 2, ..., {@code [0, 0.05)}
 * at step 20. Note that the background (intensity 0, about 80% of an MNIST image) all fires at the last step,
 * so steps 1 to {@code N-1} are sparse and step {@code N} is not.
 *
 * <h2>Representations</h2>
 * {@link #spikeSteps} gives each input's step; {@link #encodeSparse} the per-step firing indices in CSR form
 * ({@link SparseSpikes}, the input of the sparse kernel); {@link #encodeDense}, {@link #encode} and
 * {@link #writeSpikes} the dense binary step vectors of the dense pipeline.
 *
 * <p>Immutable and thread-safe.
 */
public final class LatencyEncoder {

    /** Number of steps of temporal MNIST. */
    public static final int DEFAULT_STEPS = 20;

    /** Values this close below a bin edge (times {@code N}) count as on the edge; see the class comment. */
    public static final double EDGE_TOLERANCE = 1e-9;

    private final int steps;

    /** An encoder over {@link #DEFAULT_STEPS} steps. */
    public LatencyEncoder() {
        this(DEFAULT_STEPS);
    }

    /**
     * @param steps number of steps {@code N}, at least 1 (with 1, everything fires at step 1)
     * @throws IllegalArgumentException for {@code steps < 1}
     */
    public LatencyEncoder(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + ", expected >= 1 (the number of time steps of the code)");
        }
        this.steps = steps;
    }

    /** Number of steps {@code N}. */
    public int steps() {
        return steps;
    }

    /**
     * The spike step of one intensity, {@code N - min(N - 1, floor(v * N + EDGE_TOLERANCE))}, in {@code [1, N]}.
     *
     * @param intensity a value in {@code [0, 1]}
     * @throws IllegalArgumentException for NaN or a value outside {@code [0, 1]}
     */
    public int spikeStep(double intensity) {
        if (!(intensity >= 0.0 && intensity <= 1.0)) {
            throw new IllegalArgumentException("intensity is " + intensity + ", expected a value in [0, 1]" + scaleHint(intensity));
        }
        return stepOf(intensity);
    }

    private int stepOf(double v) {
        int bin = (int) Math.floor(v * steps + EDGE_TOLERANCE);
        return steps - Math.min(steps - 1, bin);
    }

    /**
     * The spike step of every intensity.
     *
     * @param intensities values in {@code [0, 1]}, at least one (read)
     * @return a new array of steps in {@code [1, N]}, owned by the caller
     * @throws IllegalArgumentException for an empty vector, or NaN or a value outside {@code [0, 1]}, naming its index
     */
    public int[] spikeSteps(double[] intensities) {
        requireNonEmpty(intensities);
        int[] out = new int[intensities.length];
        spikeSteps(intensities, out);
        return out;
    }

    /**
     * The spike step of every intensity, into a caller-owned array (the allocation-free form).
     *
     * @param intensities values in {@code [0, 1]} (read)
     * @param out         receives the steps, length at least {@code intensities.length} (overwritten there)
     * @throws IllegalArgumentException for NaN or a value outside {@code [0, 1]} (naming its index; {@code out} may
     *                                  then be partly written), or an output too short
     */
    public void spikeSteps(double[] intensities, int[] out) {
        if (intensities == null || out == null || out.length < intensities.length) {
            throw new IllegalArgumentException("out has " + (out == null ? "null" : out.length + " entries") + ", expected at least one per intensity ("
                    + (intensities == null ? "null" : intensities.length) + ")");
        }
        for (int j = 0; j < intensities.length; j++) {
            double v = intensities[j];
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("intensity " + j + " is " + v + ", expected a value in [0, 1]" + scaleHint(v));
            }
            out[j] = stepOf(v);
        }
    }

    /**
     * The spike raster in CSR form: the inputs firing at each step (see {@link SparseSpikes}).
     * Every input fires once, so the raster has {@code intensities.length} spikes.
     *
     * @param intensities values in {@code [0, 1]}, at least one (read)
     * @return a new raster of {@code N} steps, owned by the caller
     * @throws IllegalArgumentException as {@link #spikeSteps(double[])}
     */
    public SparseSpikes encodeSparse(double[] intensities) {
        Objects.requireNonNull(intensities, "intensities is null");
        return SparseSpikes.ofSpikeSteps(spikeSteps(intensities), steps);
    }

    /**
     * The dense raster: {@code out[s - 1][j] = 1.0} when input {@code j} fires at step {@code s}, else 0.
     *
     * @param intensities values in {@code [0, 1]}, at least one (read)
     * @return a new {@code N x intensities.length} array, owned by the caller; each column holds exactly one 1
     * @throws IllegalArgumentException as {@link #spikeSteps(double[])}
     */
    public double[][] encodeDense(double[] intensities) {
        Objects.requireNonNull(intensities, "intensities is null");
        int[] s = spikeSteps(intensities);
        double[][] out = new double[steps][intensities.length];
        for (int j = 0; j < s.length; j++) {
            out[s[j] - 1][j] = 1.0;
        }
        return out;
    }

    /**
     * The dense raster as a labelled sequence of {@code N} binary step vectors (see {@link #encodeDense}).
     *
     * @throws IllegalArgumentException as {@link #spikeSteps(double[])}
     */
    public LabeledSequence encode(double[] intensities, int label) {
        Objects.requireNonNull(intensities, "intensities is null");
        return new LabeledSequence(encodeDense(intensities), label);
    }

    /**
     * Writes the spikes into a dense, caller-zeroed array with any layout: sets
     * {@code out[offset + (s - 1) * stepStride + j] = 1.0} for each input {@code j} firing at step {@code s},
     * and touches nothing else. For row {@code r} of a time-major {@link SequenceBatch} of {@code n} rows, use
     * {@code offset = r * inputSize} and {@code stepStride = n * inputSize}.
     *
     * @param intensities values in {@code [0, 1]}, at least one (read)
     * @param out         the dense array (modified)
     * @throws IllegalArgumentException as {@link #spikeSteps(double[])}, or when the layout leaves {@code out}
     */
    public void writeSpikes(double[] intensities, double[] out, int offset, int stepStride) {
        requireNonEmpty(intensities);
        long last = offset + (long) (steps - 1) * stepStride + intensities.length - 1;
        if (offset < 0 || stepStride < intensities.length || out == null || last >= out.length) {
            throw new IllegalArgumentException("offset " + offset + " and stepStride " + stepStride + " for " + steps + " steps of "
                    + intensities.length + " inputs need an array of at least " + (last + 1) + " values and a stride >= "
                    + intensities.length + ", got " + (out == null ? "null" : out.length + " values"));
        }
        for (int j = 0; j < intensities.length; j++) {
            double v = intensities[j];
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("intensity " + j + " is " + v + ", expected a value in [0, 1]" + scaleHint(v));
            }
            out[offset + (stepOf(v) - 1) * stepStride + j] = 1.0;
        }
    }

    private static void requireNonEmpty(double[] intensities) {
        if (intensities == null || intensities.length == 0) {
            throw new IllegalArgumentException("no intensities given (" + (intensities == null ? "null" : "empty array")
                    + "), expected at least one value in [0, 1]");
        }
    }

    private static String scaleHint(double v) {
        return v > 1.0 && v <= 255.0 ? " (raw pixel values 0..255 must be divided by 255 first)" : "";
    }

    @Override
    public String toString() {
        return "LatencyEncoder[steps=" + steps + "]";
    }
}
