package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link SpeechClip}: a whole clip or an excerpt (offset, gain), and the one rule that cuts both. */
class SpeechClipTest {

    private static final Path FILE = Path.of("_background_noise_/pink.wav");

    @Test
    void aWholeClipIsTheFilePaddedOrCut() {
        SpeechClip whole = new SpeechClip("yes/a_nohash_0.wav", Path.of("yes/a_nohash_0.wav"), "yes", 2, DataSplit.TRAINING);
        assertFalse(whole.isExcerpt());
        assertEquals(0, whole.offset());
        assertEquals(1.0, whole.gain());
        float[] samples = {0.1f, -0.2f, 0.3f};
        assertArrayEquals(WavReader.padOrCut(samples, 5), whole.cut(samples, 5));
        assertArrayEquals(WavReader.padOrCut(samples, 2), whole.cut(samples, 2));
        assertEquals("a", whole.speaker());
    }

    @Test
    void anExcerptIsItsStretchAtItsGainWithZerosPastTheEnd() {
        SpeechClip e = new SpeechClip("_background_noise_/pink.wav", FILE, SpeechCommands.SILENCE_LABEL, 0, DataSplit.TEST, 2, 0.5);
        assertTrue(e.isExcerpt());
        float[] samples = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {1.5f, 2f, 2.5f}, e.cut(samples, 3));
        assertArrayEquals(new float[] {1.5f, 2f, 2.5f, 3f, 0, 0}, e.cut(samples, 6));
        SpeechClip beyond = new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST, 10, 1.0);
        assertArrayEquals(new float[4], beyond.cut(samples, 4));
        assertEquals("pink", e.speaker());
    }

    @Test
    void badComponentsAreRefused() {
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST, -1, 1.0), "offset = -1 samples, expected >= 0");
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST, 0, -0.5), "gain = -0.5");
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST, 0, Double.NaN), "gain = NaN");
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST, 0, Double.POSITIVE_INFINITY), "expected a finite factor");
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", -1, DataSplit.TEST), "label = -1");
        assertIllegalArgument(() -> new SpeechClip("x.wav", FILE, "x", 0, DataSplit.TEST).cut(new float[1], -1), "length = -1");
    }
}
