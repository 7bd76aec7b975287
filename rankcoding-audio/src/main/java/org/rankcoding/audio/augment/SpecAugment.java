package org.rankcoding.audio.augment;

import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * SpecAugment's masks (Park et al. 2019, without time warping): bands of a clip's standardised features set to 0, their
 * mean, so that the model cannot rely on any one frequency range or moment.
 *
 * <h2>Per clip, in this order</h2>
 * On a clip of {@code T} frames of {@code B} bands ({@link #apply(double[], int, int, RandomGenerator)}):
 * <ol>
 *   <li>{@code frequencyMasks} times: a width {@code w = nextInt(maxFrequencyWidth + 1)}, cut to {@code B}, and a first
 *   band {@code nextInt(B - w + 1)}; those {@code w} bands are set to 0 in every frame.</li>
 *   <li>{@code timeMasks} times: a width {@code w = nextInt(maxTimeWidth + 1)}, cut to {@code T}, and a first frame
 *   {@code nextInt(T - w + 1)}; those {@code w} frames are set to 0 in every band.</li>
 * </ol>
 * Masks may overlap; a width of 0 masks nothing. With no masks ({@link #NONE}) nothing is drawn. Immutable;
 * {@link #toString()} goes into training sources' fingerprints.
 *
 * @param frequencyMasks    number of frequency masks, in {@code [0, 16]} (typical 2)
 * @param maxFrequencyWidth largest width of a frequency mask in bands, in {@code [0, 1024]}; at least 1 when there are
 *                          frequency masks (typical 5 of 40 bands)
 * @param timeMasks         number of time masks, in {@code [0, 16]} (typical 2)
 * @param maxTimeWidth      largest width of a time mask in frames, in {@code [0, 10000]}; at least 1 when there are time
 *                          masks (typical 10 frames, 100 ms)
 */
public record SpecAugment(int frequencyMasks, int maxFrequencyWidth, int timeMasks, int maxTimeWidth) {

    /** Most masks of each kind. */
    public static final int MAX_MASKS = 16;
    /** Largest {@link #maxFrequencyWidth}. */
    public static final int MAX_FREQUENCY_WIDTH = 1024;
    /** Largest {@link #maxTimeWidth}. */
    public static final int MAX_TIME_WIDTH = 10_000;

    /** No masks. */
    public static final SpecAugment NONE = new SpecAugment(0, 0, 0, 0);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a value out of its range, or masks of maximum width 0; the message names the
     *                                  field, the value, the allowed range and a typical value
     */
    public SpecAugment {
        requireIn("frequencyMasks", frequencyMasks, 0, MAX_MASKS, "2");
        requireIn("maxFrequencyWidth", maxFrequencyWidth, 0, MAX_FREQUENCY_WIDTH, "5 bands of 40");
        requireIn("timeMasks", timeMasks, 0, MAX_MASKS, "2");
        requireIn("maxTimeWidth", maxTimeWidth, 0, MAX_TIME_WIDTH, "10 frames (100 ms)");
        if (frequencyMasks > 0 && maxFrequencyWidth == 0) {
            throw new IllegalArgumentException("frequencyMasks = " + frequencyMasks + " with maxFrequencyWidth = 0 would mask "
                    + "nothing; give maxFrequencyWidth >= 1 (typical: 5 bands of 40) or frequencyMasks = 0");
        }
        if (timeMasks > 0 && maxTimeWidth == 0) {
            throw new IllegalArgumentException("timeMasks = " + timeMasks + " with maxTimeWidth = 0 would mask nothing; give "
                    + "maxTimeWidth >= 1 (typical: 10 frames) or timeMasks = 0");
        }
    }

    private static void requireIn(String field, int value, int min, int max, String typical) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " = " + value + ", expected in [" + min + ", " + max + "] (typical: "
                    + typical + ")");
        }
    }

    /** A starting point, not a measured optimum: 2 frequency masks of up to 5 bands, 2 time masks of up to 10 frames. */
    public static SpecAugment typical() {
        return new SpecAugment(2, 5, 2, 10);
    }

    /** A copy with {@code count} frequency masks of up to {@code maxWidth} bands. */
    public SpecAugment withFrequencyMasks(int count, int maxWidth) {
        return new SpecAugment(count, maxWidth, timeMasks, maxTimeWidth);
    }

    /** A copy with {@code count} time masks of up to {@code maxWidth} frames. */
    public SpecAugment withTimeMasks(int count, int maxWidth) {
        return new SpecAugment(frequencyMasks, maxFrequencyWidth, count, maxWidth);
    }

    /** Whether it masks nothing (then it draws nothing). */
    public boolean isNone() {
        return frequencyMasks == 0 && timeMasks == 0;
    }

    /**
     * Masks a clip's features in place.
     *
     * @param rowMajor {@code frames x bands} values, row-major (band {@code b} of frame {@code t} at {@code t bands + b}),
     *                 as {@link org.rankcoding.audio.LogMelSpectrogram#compute} writes them; modified
     * @param frames   number of frames, at least 1
     * @param bands    number of bands, at least 1; {@code frames * bands} must not exceed the array
     * @param rng      the only source of randomness
     * @throws IllegalArgumentException for sizes that do not fit the array
     */
    public void apply(double[] rowMajor, int frames, int bands, RandomGenerator rng) {
        Objects.requireNonNull(rowMajor, "rowMajor is null");
        Objects.requireNonNull(rng, "rng is null");
        if (frames < 1 || bands < 1 || (long) frames * bands > rowMajor.length) {
            throw new IllegalArgumentException("frames = " + frames + ", bands = " + bands + ": expected both >= 1 and frames x "
                    + "bands within the array of " + rowMajor.length + " values");
        }
        int[] masks = new int[drawCount()];
        draw(frames, bands, rng, masks);
        apply(rowMajor, frames, bands, masks);
    }

    /**
     * Masks a clip's features in place, as {@link #apply(double[], int, int, RandomGenerator)} with the same draws.
     *
     * @param steps {@code [frames][bands]}, at least one frame, every frame of the same number of bands; modified
     * @param rng   the only source of randomness
     * @throws IllegalArgumentException for no frames or frames of different sizes
     */
    public void apply(double[][] steps, RandomGenerator rng) {
        Objects.requireNonNull(steps, "steps is null");
        Objects.requireNonNull(rng, "rng is null");
        if (steps.length == 0 || steps[0].length == 0) {
            throw new IllegalArgumentException("expected at least one frame of at least one band, got " + steps.length
                    + " frames");
        }
        int frames = steps.length;
        int bands = steps[0].length;
        for (int t = 0; t < frames; t++) {
            if (steps[t].length != bands) {
                throw new IllegalArgumentException("frame " + t + " has " + steps[t].length + " bands, expected " + bands
                        + " like frame 0");
            }
        }
        int[] masks = new int[drawCount()];
        draw(frames, bands, rng, masks);
        for (int m = 0; m < frequencyMasks; m++) {
            for (double[] step : steps) {
                java.util.Arrays.fill(step, masks[2 * m], masks[2 * m] + masks[2 * m + 1], 0.0);
            }
        }
        for (int m = frequencyMasks; m < frequencyMasks + timeMasks; m++) {
            for (int t = masks[2 * m]; t < masks[2 * m] + masks[2 * m + 1]; t++) {
                java.util.Arrays.fill(steps[t], 0.0);
            }
        }
    }

    /** Values {@link #draw} writes: a first index and a width per mask. */
    int drawCount() {
        return 2 * (frequencyMasks + timeMasks);
    }

    /**
     * Draws the masks of one clip of {@code frames x bands} in the documented order into {@code into}: per mask its
     * first band (frequency masks, first) or frame (time masks, after) and its width, {@link #drawCount()} values.
     */
    void draw(int frames, int bands, RandomGenerator rng, int[] into) {
        for (int m = 0; m < frequencyMasks; m++) {
            int w = Math.min(bands, rng.nextInt(maxFrequencyWidth + 1));
            into[2 * m] = rng.nextInt(bands - w + 1);
            into[2 * m + 1] = w;
        }
        for (int m = frequencyMasks; m < frequencyMasks + timeMasks; m++) {
            int w = Math.min(frames, rng.nextInt(maxTimeWidth + 1));
            into[2 * m] = rng.nextInt(frames - w + 1);
            into[2 * m + 1] = w;
        }
    }

    /** Applies masks drawn by {@link #draw} for a clip of these sizes to its row-major features. */
    void apply(double[] rowMajor, int frames, int bands, int[] masks) {
        for (int m = 0; m < frequencyMasks; m++) {
            int first = masks[2 * m];
            int w = masks[2 * m + 1];
            for (int t = 0; t < frames; t++) {
                java.util.Arrays.fill(rowMajor, t * bands + first, t * bands + first + w, 0.0);
            }
        }
        for (int m = frequencyMasks; m < frequencyMasks + timeMasks; m++) {
            java.util.Arrays.fill(rowMajor, masks[2 * m] * bands, (masks[2 * m] + masks[2 * m + 1]) * bands, 0.0);
        }
    }

    /** {@code freq=2x5 time=2x10}: masks x largest width, as fingerprints and logs show it. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "freq=%dx%d time=%dx%d", frequencyMasks, maxFrequencyWidth, timeMasks, maxTimeWidth);
    }
}
