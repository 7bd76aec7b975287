package org.rankcoding.examples.cli;

import java.util.Locale;

/**
 * The mean and sample standard deviation of a figure over repeated runs (seeds), as results tables report them.
 *
 * @param mean the mean
 * @param sd   the sample standard deviation (divisor n - 1); 0 for a single value
 * @param n    the number of values
 */
record MeanSd(double mean, double sd, int n) {

    /** The statistics of {@code values}, at least one. */
    static MeanSd of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1));
        return new MeanSd(mean, sd, values.length);
    }

    /** {@code "0.8612 +- 0.0123"} with {@code decimals} decimals. */
    String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " +- " + f, mean, sd);
    }
}
