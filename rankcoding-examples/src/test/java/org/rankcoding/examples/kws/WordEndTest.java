package org.rankcoding.examples.kws;

import org.junit.jupiter.api.Test;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WordEnd}: the last loud frame of a tone burst, through the standardisation. */
class WordEndTest {

    @Test
    void theEndOfAToneBurstIsFoundWithinTwoFrames() {
        LogMelSpectrogram fe = new LogMelSpectrogram(LogMelConfig.speechCommands());
        SplittableRandom rng = new SplittableRandom(1);
        for (int end : new int[] {300, 520, 800}) {
            short[] pcm = ToneDataset.tone(1000, end - 250, end, rng);
            float[] x = new float[pcm.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = pcm[i] / 32768f;
            }
            double[][] steps = fe.computeSteps(x);
            FeatureNormalizer n = FeatureNormalizer.fit(List.of(steps, fe.computeSteps(new float[16_000])));
            n.applyInPlace(steps);
            int frame = WordEnd.lastSpeechFrame(steps, n);
            // the last frame whose 25 ms window overlaps the tone starts before `end`: frame t covers [10 (t-1), 10 (t-1) + 25) ms
            int expected = end / 10;
            assertTrue(Math.abs(frame - expected) <= 2, "tone ending at " + end + " ms: frame " + frame + ", expected about " + expected);
        }
    }
}
