package org.rankcoding.audio;

import java.util.Objects;

/**
 * Which part of each background-noise recording belongs to which split, so that no stretch of noise is heard in
 * two splits: the first 80 % of a recording's samples is training, the next 10 % validation, the last 10 % test.
 *
 * <p>The real data set's {@code _background_noise_/} files (and the generated ones) are whole recordings not named by
 * any split list; TensorFlow's {@code input_data.py} cuts its {@code _silence_} items for every split from anywhere in
 * them. Cutting each recording's time range by split keeps the {@code _silence_} items of the validation and test
 * splits (and any noise mixed into training clips, when it is drawn from the training portion) out of training.
 *
 * <p>For a recording of {@code n} samples: training {@code [0, 8n/10)}, validation {@code [8n/10, 9n/10)}, test
 * {@code [9n/10, n)}, integer division. Stateless.
 */
public final class NoisePortions {

    private NoisePortions() {
    }

    /**
     * The first sample of a split's portion.
     *
     * @param samples the recording's length in samples, {@code >= 0}
     * @param split   the split
     * @return the first sample of its portion, in {@code [0, samples]}
     * @throws IllegalArgumentException for a negative length
     */
    public static long start(long samples, DataSplit split) {
        return boundary(samples, Objects.requireNonNull(split, "split is null").ordinal());
    }

    /**
     * One past the last sample of a split's portion.
     *
     * @param samples the recording's length in samples, {@code >= 0}
     * @param split   the split
     * @return the end (exclusive) of its portion, in {@code [start(samples, split), samples]}
     * @throws IllegalArgumentException for a negative length
     */
    public static long end(long samples, DataSplit split) {
        return boundary(samples, Objects.requireNonNull(split, "split is null").ordinal() + 1);
    }

    /** Boundary k of 0 (start), 8n/10, 9n/10, n (end). */
    private static long boundary(long samples, int k) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples = " + samples + ", expected a recording length >= 0");
        }
        return switch (k) {
            case 0 -> 0;
            case 1 -> samples / 10 * 8 + samples % 10 * 8 / 10;    // floor(8n / 10) without overflow
            case 2 -> samples / 10 * 9 + samples % 10 * 9 / 10;
            default -> samples;
        };
    }
}
