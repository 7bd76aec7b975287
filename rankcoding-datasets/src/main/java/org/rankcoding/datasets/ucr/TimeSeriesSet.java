package org.rankcoding.datasets.ucr;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled set of time series in memory, as read from a {@code .ts} file by {@link TsReader}: each series has one or
 * more dimensions (channels) of equal length, series may differ in length, labels index the class names.
 *
 * <p>Layout: {@link #series(int) series(i)}{@code [c][t]} is the value of channel {@code c} at step {@code t}
 * (0-based), channel-major as in the file. A missing value ({@code ?} in the file) is {@link Double#NaN}; every other
 * value is finite. {@link #toSequences(MissingValues)} turns the set into the core's
 * {@link InMemorySequences} (time-major, one input vector of {@link #dimensions()} values per step), filling missing
 * values by the chosen {@link MissingValues} policy.
 *
 * <p>Immutable by contract: the arrays are not copied in or out, and must not be modified.
 */
public final class TimeSeriesSet {

    private final String problemName;
    private final List<String> classNames;
    private final List<double[][]> series;
    private final int[] labels;
    private final int dimensions;

    /**
     * @param problemName the data set's name, e.g. {@code "GunPoint"}
     * @param classNames  the class names, at least 2, distinct; label {@code k} means {@code classNames.get(k)}
     * @param series      at least one series, each {@code [channel][step]} with the same number of channels (at least
     *                    1), every channel of a series of the same length (at least 1); values finite or NaN (missing);
     *                    not copied
     * @param labels      one label per series, each in {@code [0, classNames.size())}; not copied
     * @throws IllegalArgumentException for any violation of the above, naming the series, channel or step
     */
    public TimeSeriesSet(String problemName, List<String> classNames, List<double[][]> series, int[] labels) {
        if (problemName == null || classNames == null || series == null || labels == null) {
            throw new IllegalArgumentException("problemName, classNames, series and labels must not be null");
        }
        if (classNames.size() < 2 || classNames.stream().distinct().count() != classNames.size()) {
            throw new IllegalArgumentException("classNames " + classNames + ": expected at least 2 distinct class names");
        }
        if (series.isEmpty() || series.size() != labels.length) {
            throw new IllegalArgumentException(series.size() + " series and " + labels.length + " labels; expected at least"
                    + " one series and one label per series");
        }
        this.problemName = problemName;
        this.classNames = List.copyOf(classNames);
        this.series = List.copyOf(series);
        this.labels = labels;
        this.dimensions = series.get(0) == null ? 0 : series.get(0).length;
        for (int i = 0; i < labels.length; i++) {
            checkSeries(i);
        }
    }

    private void checkSeries(int i) {
        double[][] s = series.get(i);
        if (s == null || s.length != dimensions || dimensions < 1) {
            throw new IllegalArgumentException("series " + i + " has " + (s == null ? "no" : s.length) + " channels, expected "
                    + Math.max(1, dimensions) + " like series 0");
        }
        int length = s[0] == null ? 0 : s[0].length;
        for (int c = 0; c < s.length; c++) {
            if (s[c] == null || s[c].length != length || length < 1) {
                throw new IllegalArgumentException("series " + i + ", channel " + c + " has " + (s[c] == null ? 0 : s[c].length)
                        + " steps, expected at least 1 and as many as channel 0 (" + length + ")");
            }
            for (int t = 0; t < length; t++) {
                if (Double.isInfinite(s[c][t])) {
                    throw new IllegalArgumentException("series " + i + ", channel " + c + ", step " + t + " is " + s[c][t]
                            + ", expected a finite value or NaN for a missing one");
                }
            }
        }
        if (labels[i] < 0 || labels[i] >= classNames.size()) {
            throw new IllegalArgumentException("series " + i + " has label " + labels[i] + ", expected in [0, "
                    + (classNames.size() - 1) + "] (classes " + classNames + ")");
        }
    }

    /** The data set's name, from {@code @problemName} (or the file name when the header has none). */
    public String problemName() {
        return problemName;
    }

    /** The class names in label order: the order of the {@code @classLabel} header. */
    public List<String> classNames() {
        return classNames;
    }

    /** The number of classes, {@code classNames().size()}. */
    public int numClasses() {
        return classNames.size();
    }

    /** The number of series. */
    public int size() {
        return series.size();
    }

    /** The number of dimensions (channels) of every series. */
    public int dimensions() {
        return dimensions;
    }

    /**
     * Series {@code i} as {@code [channel][step]}, NaN for a missing value; the stored array, not to be modified.
     *
     * @param i the index, in {@code [0, size())}
     */
    public double[][] series(int i) {
        return series.get(i);
    }

    /** The number of steps of series {@code i}. */
    public int length(int i) {
        return series.get(i)[0].length;
    }

    /** The label of series {@code i}, an index into {@link #classNames()}. */
    public int label(int i) {
        return labels[i];
    }

    /** The labels of all series, in order (a new array). */
    public int[] labels() {
        return labels.clone();
    }

    /** The length of the shortest series. */
    public int minLength() {
        int m = Integer.MAX_VALUE;
        for (double[][] s : series) {
            m = Math.min(m, s[0].length);
        }
        return m;
    }

    /** The length of the longest series. */
    public int maxLength() {
        int m = 0;
        for (double[][] s : series) {
            m = Math.max(m, s[0].length);
        }
        return m;
    }

    /** How many series each class has, indexed by label (a new array). */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The number of missing values (NaN) over all series, channels and steps. */
    public long missingCount() {
        long n = 0;
        for (double[][] s : series) {
            for (double[] channel : s) {
                for (double v : channel) {
                    n += Double.isNaN(v) ? 1 : 0;
                }
            }
        }
        return n;
    }

    /**
     * The same set with other values: the same name, classes and labels, {@code newSeries.get(i)} in place of series
     * {@code i}, each of the same shape. Used by normalisers.
     *
     * @param newSeries one series per series of this set, in order, each of the same shape; not copied
     * @return the new set
     * @throws IllegalArgumentException when the count or a shape differs
     */
    public TimeSeriesSet withSeries(List<double[][]> newSeries) {
        if (newSeries == null || newSeries.size() != series.size()) {
            throw new IllegalArgumentException((newSeries == null ? "no" : String.valueOf(newSeries.size())) + " series given,"
                    + " expected " + series.size() + " (one per series of the set)");
        }
        for (int i = 0; i < series.size(); i++) {
            double[][] s = newSeries.get(i);
            if (s == null || s.length != dimensions || s[0] == null || s[0].length != length(i)) {
                throw new IllegalArgumentException("series " + i + " must keep its shape: " + dimensions + " channels of "
                        + length(i) + " steps");
            }
        }
        return new TimeSeriesSet(problemName, classNames, newSeries, labels);
    }

    /**
     * The series at {@code indices}, in that order, with their labels (for validation splits and the like).
     *
     * @param indices at least one index, each in {@code [0, size())}; repeats allowed
     * @return the new set, sharing the series arrays with this one
     * @throws IllegalArgumentException for an empty array or an index out of range
     */
    public TimeSeriesSet subset(int[] indices) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("no indices given; a subset needs at least one series");
        }
        List<double[][]> picked = new ArrayList<>(indices.length);
        int[] pickedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= series.size()) {
                throw new IllegalArgumentException("index " + indices[k] + " at position " + k + ", expected in [0, "
                        + (series.size() - 1) + "]");
            }
            picked.add(series.get(indices[k]));
            pickedLabels[k] = labels[indices[k]];
        }
        return new TimeSeriesSet(problemName, classNames, picked, pickedLabels);
    }

    /**
     * The series as the core's sequences, time-major: step {@code t} of sequence {@code i} is the vector of the
     * {@link #dimensions()} channel values of series {@code i} at step {@code t}; the label is kept, there is no
     * optimal decision step. Normalise first (see {@link Normalisation}); missing values are then filled by
     * {@code missing}.
     *
     * @param missing what to do with missing values
     * @return new sequences, owned by the caller
     * @throws IllegalArgumentException when {@code missing} refuses a missing value
     */
    public List<LabeledSequence> toLabeledSequences(MissingValues missing) {
        if (missing == null) {
            throw new IllegalArgumentException("missing is null, expected a MissingValues policy such as CARRY_FORWARD");
        }
        List<LabeledSequence> out = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            double[][] s = series.get(i);
            double[][] steps = new double[s[0].length][dimensions];
            for (int c = 0; c < dimensions; c++) {
                for (int t = 0; t < steps.length; t++) {
                    steps[t][c] = s[c][t];
                }
            }
            missing.fill(steps, i);
            out.add(new LabeledSequence(steps, labels[i]));
        }
        return out;
    }

    /**
     * The series as the core's in-memory data set with {@link #numClasses()} classes; see
     * {@link #toLabeledSequences(MissingValues)}.
     *
     * @param missing what to do with missing values
     * @return a new data set, owned by the caller
     * @throws IllegalArgumentException when {@code missing} refuses a missing value
     */
    public InMemorySequences toSequences(MissingValues missing) {
        return new InMemorySequences(toLabeledSequences(missing), numClasses());
    }

    /** {@code "GunPoint: 50 series, 1 dimension, length 150, 2 classes"}. */
    @Override
    public String toString() {
        int min = minLength();
        int max = maxLength();
        return problemName + ": " + size() + " series, " + dimensions + (dimensions == 1 ? " dimension" : " dimensions")
                + ", length " + (min == max ? String.valueOf(min) : min + "-" + max) + ", " + numClasses() + " classes";
    }
}
