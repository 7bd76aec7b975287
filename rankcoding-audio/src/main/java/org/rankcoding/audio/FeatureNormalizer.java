package org.rankcoding.audio;

import java.util.Collection;
import java.util.Objects;

/**
 * Per-feature standardisation: {@code x'[i] = (x[i] - mean[i]) / std[i]} for every step of a sequence.
 *
 * <p>Fit it on the training set only ({@link #fit}) and apply the same statistics to every split. Raw log-mel values
 * lie around -14 to +10 with very different ranges per band; after this they have mean 0 and standard deviation 1
 * per band over the training frames.
 *
 * @param mean per-feature mean (copied)
 * @param std  per-feature standard deviation, each finite and {@code > 0} (copied)
 */
public record FeatureNormalizer(double[] mean, double[] std) {

    /** A standard deviation below this (a constant feature) is replaced by 1, so that the feature is only centred. */
    public static final double MIN_STD = 1e-8;

    /** Validates and copies the statistics. */
    public FeatureNormalizer {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must be non-empty arrays of one length, got "
                    + (mean == null ? "null" : mean.length) + " and " + (std == null ? "null" : std.length));
        }
        mean = mean.clone();
        std = std.clone();
        for (int i = 0; i < std.length; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || !(std[i] > 0)) {
                throw new IllegalArgumentException("feature " + i + ": mean " + mean[i] + ", std " + std[i]
                        + "; expected a finite mean and a finite std > 0");
            }
        }
    }

    /** The means (a new array owned by the caller). */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviations (a new array owned by the caller). */
    @Override
    public double[] std() {
        return std.clone();
    }

    /** Names the number of features (the record's default would print array identities). */
    @Override
    public String toString() {
        return "FeatureNormalizer[" + mean.length + " features]";
    }

    /** Number of features. */
    public int size() {
        return mean.length;
    }

    /**
     * Computes per-feature mean and (population) standard deviation over every step of every sequence.
     * A feature whose standard deviation is below {@link #MIN_STD} gets std 1.
     *
     * @param sequences each {@code [steps][features]}, all with the same number of features; not modified
     * @throws IllegalArgumentException for no steps at all, mixed feature counts or a non-finite value
     */
    public static FeatureNormalizer fit(Collection<double[][]> sequences) {
        Objects.requireNonNull(sequences, "sequences is null");
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to fit the normalizer on; give the training set");
        }
        int size = -1;
        long count = 0;
        double[] sum = null;
        int s = 0;
        for (double[][] seq : sequences) {
            for (int t = 0; t < seq.length; t++) {
                double[] x = seq[t];
                if (size < 0) {
                    size = x.length;
                    sum = new double[size];
                }
                if (x.length != size) {
                    throw new IllegalArgumentException("sequence " + s + " step " + t + " has " + x.length + " features, expected "
                            + size);
                }
                for (int i = 0; i < size; i++) {
                    if (!Double.isFinite(x[i])) {
                        throw new IllegalArgumentException("sequence " + s + " step " + t + " feature " + i + " is " + x[i]
                                + ", expected a finite value");
                    }
                    sum[i] += x[i];
                }
                count++;
            }
            s++;
        }
        if (count == 0 || size < 1) {
            throw new IllegalArgumentException("the sequences have no steps (or no features); nothing to fit on");
        }
        double[] mean = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] = sum[i] / count;
        }
        // Second pass: centred sum of squares (no cancellation, unlike sum of x^2 minus the squared sum).
        double[] sq = new double[size];
        for (double[][] seq : sequences) {
            for (double[] x : seq) {
                for (int i = 0; i < size; i++) {
                    double d = x[i] - mean[i];
                    sq[i] += d * d;
                }
            }
        }
        double[] std = new double[size];
        for (int i = 0; i < size; i++) {
            double sd = Math.sqrt(sq[i] / count);
            std[i] = sd < MIN_STD ? 1.0 : sd;
        }
        return new FeatureNormalizer(mean, std);
    }

    /**
     * Like {@link #fit}, for row-major {@code frames x features} arrays (the layout of
     * {@link LogMelSpectrogram#compute(float[])}).
     *
     * @param rowMajor each a whole number of rows of {@code features} values; not modified
     * @param features values per row, at least 1
     * @throws IllegalArgumentException for no rows at all, an array that is not whole rows, or a non-finite value
     */
    public static FeatureNormalizer fitRowMajor(Collection<double[]> rowMajor, int features) {
        if (features < 1) {
            throw new IllegalArgumentException("features = " + features + ", expected >= 1");
        }
        if (rowMajor == null) {
            throw new IllegalArgumentException("rowMajor is null; give the training set's arrays");
        }
        java.util.List<double[][]> sequences = new java.util.ArrayList<>(rowMajor.size());
        int s = 0;
        for (double[] a : rowMajor) {
            if (a.length % features != 0) {
                throw new IllegalArgumentException("array " + s + " has " + a.length + " values, not a whole number of rows of "
                        + features);
            }
            double[][] rows = new double[a.length / features][];
            for (int t = 0; t < rows.length; t++) {
                rows[t] = java.util.Arrays.copyOfRange(a, t * features, (t + 1) * features);
            }
            sequences.add(rows);
            s++;
        }
        return fit(sequences);
    }

    /**
     * Standardises a sequence in place.
     *
     * @param steps {@code [steps][size()]}; every step is modified
     * @throws IllegalArgumentException for a step with another number of features
     */
    public void applyInPlace(double[][] steps) {
        for (int t = 0; t < steps.length; t++) {
            standardizeStep(steps[t], t);
        }
    }

    /**
     * Standardises a sequence into new arrays.
     *
     * @param steps {@code [steps][size()]}; not modified
     * @return new arrays owned by the caller
     */
    public double[][] apply(double[][] steps) {
        double[][] out = new double[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            out[t] = steps[t].clone();
            standardizeStep(out[t], t);
        }
        return out;
    }

    /**
     * Standardises a row-major {@code frames x size()} array in place (the layout of {@link LogMelSpectrogram#compute}).
     *
     * @param rowMajor its length must be a multiple of {@code size()}; modified
     */
    public void applyRowMajorInPlace(double[] rowMajor) {
        int n = mean.length;
        if (rowMajor.length % n != 0) {
            throw new IllegalArgumentException("an array of " + rowMajor.length + " values is not a whole number of rows of " + n);
        }
        for (int j = 0; j < rowMajor.length; j++) {
            int i = j % n;
            rowMajor[j] = (rowMajor[j] - mean[i]) / std[i];
        }
    }

    /**
     * Standardises one frame in place, {@code frame[offset + i] = (frame[offset + i] - mean[i]) / std[i]}; allocates
     * nothing (the training-set normalisation of a {@link FrontEndStream}).
     *
     * @param frame  holds the frame's {@code size()} values from {@code offset}; modified
     * @param offset where the frame starts
     * @throws IllegalArgumentException when the frame does not fit in the array
     */
    public void applyInPlace(double[] frame, int offset) {
        int n = mean.length;
        if (offset < 0 || offset > frame.length - n) {
            throw new IllegalArgumentException("frame [" + offset + ", " + offset + " + " + n + ") outside an array of " + frame.length);
        }
        for (int i = 0; i < n; i++) {
            frame[offset + i] = (frame[offset + i] - mean[i]) / std[i];
        }
    }

    private void standardizeStep(double[] x, int t) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("step " + t + " has " + x.length + " features, expected " + mean.length);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean[i]) / std[i];
        }
    }
}
