package org.rankcoding.datasets.ucr;

import java.util.Arrays;

/**
 * Per-channel standardisation with statistics of the training set only: {@link #fit(TimeSeriesSet)} computes, for each
 * channel, the mean and the standard deviation of all observed values of all training series (every step of every
 * series counts once; missing values are skipped); {@link #normalise(double[][])} maps a value {@code x} of channel
 * {@code c} to {@code (x - mean[c]) / std[c]}, for training, validation and test series alike.
 *
 * <p>The statistics are constants fixed before any series is normalised, so the result at step {@code t} depends on
 * steps up to {@code t} only, and nothing of the validation or test data flows into them. A channel whose standard
 * deviation is below {@value #MIN_STD} (constant in the training set) is only centred (divided by 1); a channel
 * without any observed training value is left as it is (mean 0, scale 1).
 *
 * <p>Immutable and thread-safe.
 */
public final class TrainChannelStatistics implements SeriesNormaliser {

    /** Below this standard deviation a channel counts as constant and is only centred. */
    public static final double MIN_STD = 1e-12;

    private final double[] means;
    private final double[] scales;

    private TrainChannelStatistics(double[] means, double[] scales) {
        this.means = means;
        this.scales = scales;
    }

    /**
     * Computes the per-channel statistics of a training set.
     *
     * @param train the training series (only these; never pass validation or test data)
     * @return the statistics
     * @throws IllegalArgumentException for a null set
     */
    public static TrainChannelStatistics fit(TimeSeriesSet train) {
        if (train == null) {
            throw new IllegalArgumentException("train is null, expected the training set to compute statistics from");
        }
        int channels = train.dimensions();
        double[] means = new double[channels];
        double[] scales = new double[channels];
        for (int c = 0; c < channels; c++) {
            long n = 0;
            double mean = 0;
            double m2 = 0;
            for (int i = 0; i < train.size(); i++) {
                for (double x : train.series(i)[c]) {
                    if (!Double.isNaN(x)) {
                        n++;
                        double delta = x - mean;
                        mean += delta / n;
                        m2 += delta * (x - mean);
                    }
                }
            }
            double std = n == 0 ? 0 : Math.sqrt(m2 / n);
            means[c] = mean;
            scales[c] = std < MIN_STD ? 1.0 : std;
        }
        return new TrainChannelStatistics(means, scales);
    }

    /** The number of channels the statistics were computed for. */
    public int dimensions() {
        return means.length;
    }

    /** The training mean of channel {@code c} (0-based). */
    public double mean(int c) {
        return means[c];
    }

    /** The divisor of channel {@code c}: its training standard deviation, or 1 for a constant channel. */
    public double scale(int c) {
        return scales[c];
    }

    @Override
    public double[][] normalise(double[][] series) {
        if (series == null || series.length != means.length) {
            throw new IllegalArgumentException("the series has " + (series == null ? "no" : series.length) + " channels, but the"
                    + " statistics were computed on " + means.length + "; normalise series of the same data set");
        }
        double[][] out = new double[series.length][];
        for (int c = 0; c < series.length; c++) {
            out[c] = new double[series[c].length];
            for (int t = 0; t < out[c].length; t++) {
                out[c][t] = (series[c][t] - means[c]) / scales[c];
            }
        }
        return out;
    }

    /** {@code "TrainChannelStatistics[mean [..], scale [..]]"}. */
    @Override
    public String toString() {
        return "TrainChannelStatistics[mean " + Arrays.toString(means) + ", scale " + Arrays.toString(scales) + "]";
    }
}
