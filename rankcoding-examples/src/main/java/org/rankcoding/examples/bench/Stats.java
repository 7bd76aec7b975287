package org.rankcoding.examples.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The repetitions of one measurement: their median (the reported figure), minimum and maximum.
 *
 * @param median median of the repetitions (mean of the two middle values for an even count)
 * @param min    smallest repetition
 * @param max    largest repetition
 * @param reps   number of repetitions
 */
record Stats(double median, double min, double max, int reps) {

    /** The statistics of {@code values} (at least one; the array is not modified). */
    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no repetitions to summarise");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(median, v[0], v[n - 1], n);
    }

    /**
     * Puts a time per example-step into a benchmark's JSON: its best repetition (the minimum) under {@code key}, the
     * median under {@code key_median} and the slowest under {@code key_max}.
     */
    void putTimes(Map<String, Object> json, String key) {
        json.put(key, min);
        json.put(key + "_median", median);
        json.put(key + "_max", max);
    }

    /** The median with {@code decimals} decimals and thousands separators. */
    String format(int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", median);
    }

    /** The range of the repetitions, e.g. {@code "5 reps: 1,230..1,260"}. */
    String range(int decimals) {
        if (reps == 1) {
            return "1 rep";
        }
        String f = "%,." + decimals + "f";
        return String.format(Locale.ROOT, "%d reps: " + f + ".." + f, reps, min, max);
    }
}
