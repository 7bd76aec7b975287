package org.rankcoding.examples.kws;

import org.rankcoding.audio.FeatureNormalizer;

import java.util.Arrays;

/**
 * Where the spoken word ends in a clip, estimated from its log-mel frames (the real Speech Commands clips carry no
 * word boundaries): the loudness of a frame is the mean of its log-mel values (undoing the standardisation); the
 * clip's noise floor is the 10th percentile of the loudness and its peak the maximum; the word ends at the last frame
 * louder than {@code floor + 0.3 (peak - floor)}.
 */
public final class WordEnd {

    /** Fraction of the way from the noise floor to the peak that counts as speech. */
    public static final double SPEECH_LEVEL = 0.3;

    private WordEnd() {
    }

    /**
     * The last speech frame (1-based, as decision steps) of a clip.
     *
     * @param steps      the clip's standardised log-mel frames, {@code [frames][bands]}
     * @param normalizer the standardisation applied to them
     * @return a frame in {@code [1, steps.length]}
     */
    public static int lastSpeechFrame(double[][] steps, FeatureNormalizer normalizer) {
        double[] mean = normalizer.mean();
        double[] std = normalizer.std();
        double[] loud = new double[steps.length];
        for (int t = 0; t < steps.length; t++) {
            double s = 0;
            for (int b = 0; b < steps[t].length; b++) {
                s += steps[t][b] * std[b] + mean[b];
            }
            loud[t] = s / steps[t].length;
        }
        double[] sorted = loud.clone();
        Arrays.sort(sorted);
        double floor = sorted[(int) Math.floor(0.1 * (sorted.length - 1))];
        double peak = sorted[sorted.length - 1];
        double level = floor + SPEECH_LEVEL * (peak - floor);
        for (int t = loud.length - 1; t >= 0; t--) {
            if (loud[t] > level) {
                return t + 1;
            }
        }
        return loud.length;
    }
}
