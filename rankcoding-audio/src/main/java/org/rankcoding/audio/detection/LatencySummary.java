package org.rankcoding.audio.detection;

import java.util.Arrays;
import java.util.Objects;

/**
 * The distribution of detection latencies, in seconds: how many, the median and the quartiles.
 *
 * <p>Quantiles interpolate linearly between order statistics (the definition of NumPy's default and R's type 7):
 * for sorted values {@code x[0..n-1]} the quantile {@code q} is {@code x[h] + (h - floor(h)) (x[floor(h) + 1] - x[h])}
 * with {@code h = q (n - 1)}. With no values every statistic is NaN.
 *
 * @param count         the number of latencies
 * @param lowerQuartile the 25 % quantile, seconds
 * @param median        the 50 % quantile, seconds
 * @param upperQuartile the 75 % quantile, seconds
 */
public record LatencySummary(int count, double lowerQuartile, double median, double upperQuartile) {

    /**
     * Summarises latencies.
     *
     * @param seconds the latencies (not modified; any order)
     * @return their count, median and quartiles
     * @throws IllegalArgumentException for a value that is not finite
     */
    public static LatencySummary of(double[] seconds) {
        Objects.requireNonNull(seconds, "seconds is null: give the latencies (possibly none)");
        double[] x = seconds.clone();
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("latency " + v + " s, expected a finite number of seconds");
            }
        }
        Arrays.sort(x);
        return new LatencySummary(x.length, quantile(x, 0.25), quantile(x, 0.5), quantile(x, 0.75));
    }

    /** The linearly interpolated quantile {@code q} of sorted values; NaN for none. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = q * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
