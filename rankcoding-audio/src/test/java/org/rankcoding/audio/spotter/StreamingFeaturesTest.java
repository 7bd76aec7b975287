package org.rankcoding.audio.spotter;

import org.junit.jupiter.api.Test;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** The incremental front end gives exactly the offline frames, however the stream is split into calls. */
class StreamingFeaturesTest {

    /** Random audio: noise with bursts of tones, so that every band varies. */
    private static float[] audio(int n, SplittableRandom rng) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            double v = 0.05 * (2 * rng.nextDouble() - 1);
            if ((i / 3000) % 2 == 1) {
                v += 0.4 * Math.sin(2 * Math.PI * (300 + 50 * (i / 3000)) * i / 16_000.0);
            }
            s[i] = (float) v;
        }
        return s;
    }

    private static FeatureNormalizer normalizer(int bands, SplittableRandom rng) {
        double[] mean = new double[bands];
        double[] std = new double[bands];
        for (int b = 0; b < bands; b++) {
            mean[b] = -5 + 10 * rng.nextDouble();
            std[b] = 0.5 + 3 * rng.nextDouble();
        }
        return new FeatureNormalizer(mean, std);
    }

    /** Feeds {@code samples} in pieces of random lengths (0 to {@code maxPiece}) and collects every frame and its end. */
    private static List<double[]> stream(StreamingFeatures f, float[] samples, int maxPiece, SplittableRandom rng, List<Long> ends) {
        List<double[]> frames = new ArrayList<>();
        int at = 0;
        while (at < samples.length) {
            int n = Math.min(samples.length - at, rng.nextInt(maxPiece + 1));
            f.push(samples, at, n, (x, end) -> {
                frames.add(x.clone());
                ends.add(end);
            });
            at += n;
        }
        return frames;
    }

    @Test
    void framesEqualTheOfflineFramesBitForBitForRandomSplits() {
        SplittableRandom rng = new SplittableRandom(17);
        LogMelConfig c = LogMelConfig.speechCommands();
        for (int trial = 0; trial < 12; trial++) {
            float[] samples = audio(16_000 + rng.nextInt(20_000), rng);
            FeatureNormalizer n = normalizer(c.melBands(), rng);
            double[] offline = new LogMelSpectrogram(c).compute(samples);
            n.applyRowMajorInPlace(offline);
            // pieces of up to 3 samples, up to a hop, up to several windows
            int maxPiece = new int[] {3, 160, 401, 5000}[trial % 4];
            StreamingFeatures f = new StreamingFeatures(FrontEndConfig.logMel(c), n);
            List<Long> ends = new ArrayList<>();
            List<double[]> frames = stream(f, samples, maxPiece, rng, ends);
            assertEquals(c.frames(samples.length), frames.size(), "frames of " + samples.length + " samples");
            for (int t = 0; t < frames.size(); t++) {
                assertArrayEquals(Arrays.copyOfRange(offline, t * c.melBands(), (t + 1) * c.melBands()), frames.get(t),
                        "frame " + t + " (pieces of up to " + maxPiece + " samples)");
                assertEquals((long) t * c.hopLength() + c.windowLength(), ends.get(t), "end of frame " + t);
            }
            assertEquals(samples.length, f.samples());
            assertEquals(frames.size(), f.frames());
        }
    }

    @Test
    void otherFramingsToo() {
        SplittableRandom rng = new SplittableRandom(5);
        LogMelConfig c = LogMelConfig.speechCommands().withFraming(512, 512).withMelBands(20); // hop = window
        float[] samples = audio(9_000, rng);
        FeatureNormalizer n = normalizer(20, rng);
        double[] offline = new LogMelSpectrogram(c).compute(samples);
        n.applyRowMajorInPlace(offline);
        List<double[]> frames = stream(new StreamingFeatures(FrontEndConfig.logMel(c), n), samples, 700, rng, new ArrayList<>());
        assertEquals(c.frames(samples.length), frames.size());
        for (int t = 0; t < frames.size(); t++) {
            assertArrayEquals(Arrays.copyOfRange(offline, t * 20, (t + 1) * 20), frames.get(t), "frame " + t);
        }
    }

    @Test
    void resetStartsAFreshStream() {
        SplittableRandom rng = new SplittableRandom(3);
        LogMelConfig c = LogMelConfig.speechCommands();
        FeatureNormalizer n = normalizer(c.melBands(), rng);
        StreamingFeatures f = new StreamingFeatures(FrontEndConfig.logMel(c), n);
        f.push(audio(1234, rng), 0, 1234, (x, end) -> { });
        f.reset();
        assertEquals(0, f.samples());
        float[] samples = audio(4000, rng);
        double[] offline = new LogMelSpectrogram(c).compute(samples);
        n.applyRowMajorInPlace(offline);
        List<double[]> frames = stream(f, samples, 100, rng, new ArrayList<>());
        assertArrayEquals(Arrays.copyOfRange(offline, 0, c.melBands()), frames.get(0));
    }

    @Test
    void refusesMismatchedStatisticsAndBadRanges() {
        LogMelConfig c = LogMelConfig.speechCommands();
        assertIllegalArgument(() -> new StreamingFeatures(FrontEndConfig.logMel(c), new FeatureNormalizer(new double[3], new double[] {1, 1, 1})),
                "3 features", "40 mel bands");
        double[] ones = new double[40];
        Arrays.fill(ones, 1);
        StreamingFeatures f = new StreamingFeatures(FrontEndConfig.logMel(c), new FeatureNormalizer(new double[40], ones));
        assertIllegalArgument(() -> f.push(new float[10], 5, 6, (x, end) -> { }), "[5, 5 + 6)", "10");
    }
}
