package org.rankcoding.audio.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link WaveformAugmentation}: validated fields, copies, and the text fingerprints show. */
class WaveformAugmentationTest {

    @Test
    void noneIsNoneAndTheWithMethodsChangeOneThingEach() {
        WaveformAugmentation n = WaveformAugmentation.NONE;
        assertTrue(n.isNone());
        assertFalse(n.usesNoise());
        assertEquals(0.1, n.withSpeed(0.1).speed());
        assertEquals(2, n.withPitch(2).pitchSemitones());
        assertEquals(6, n.withGain(6).gainDb());
        assertEquals(100, n.withShift(100).shiftMs());
        WaveformAugmentation noisy = n.withNoise(0.8, 0, 15);
        assertTrue(noisy.usesNoise());
        assertEquals(0, noisy.noiseSnrLowDb());
        assertEquals(15, noisy.noiseSnrHighDb());
        WaveformAugmentation wet = n.withReverb(0.3, 0.2, 0.5);
        assertEquals(0.3, wet.reverbProbability());
        assertEquals(0.2, wet.rt60MinSeconds());
        assertEquals(0.5, wet.rt60MaxSeconds());
        for (WaveformAugmentation a : new WaveformAugmentation[] {n.withSpeed(0.1), n.withPitch(1), n.withGain(1), n.withShift(1),
                noisy, wet}) {
            assertFalse(a.isNone(), a.toString());
        }
        assertEquals("speed=0.1 pitch=2.0st gain=6.0dB shift=100.0ms noise=0.8@5.0..20.0dB reverb=0.3@0.1..0.6s",
                WaveformAugmentation.typical().toString());
        assertFalse(WaveformAugmentation.typical().toString().contains(";"), "fingerprints contain no ';'");
    }

    @Test
    void refusesValuesOutOfRangeNamingTheFieldTheRangeAndATypicalValue() {
        WaveformAugmentation n = WaveformAugmentation.NONE;
        assertIllegalArgument(() -> n.withSpeed(-0.1), "speed = -0.1", "[0.0, 0.5]", "typical: 0.1");
        assertIllegalArgument(() -> n.withSpeed(0.6), "speed = 0.6", "[0.0, 0.5]");
        assertIllegalArgument(() -> n.withSpeed(Double.NaN), "speed = NaN");
        assertIllegalArgument(() -> n.withPitch(13), "pitchSemitones = 13.0", "[0.0, 12.0]", "typical: 2");
        assertIllegalArgument(() -> n.withGain(-1), "gainDb = -1.0", "[0.0, 40.0]");
        assertIllegalArgument(() -> n.withGain(Double.POSITIVE_INFINITY), "gainDb = Infinity");
        assertIllegalArgument(() -> n.withShift(2000), "shiftMs = 2000.0", "[0.0, 1000.0]", "typical: 100");
        assertIllegalArgument(() -> n.withNoise(1.5, 5, 20), "noiseProbability = 1.5", "[0.0, 1.0]");
        assertIllegalArgument(() -> n.withNoise(0.5, -40, 20), "noiseSnrLowDb = -40.0", "[-30.0, 60.0]");
        assertIllegalArgument(() -> n.withNoise(0.5, 10, 5), "noiseSnrHighDb = 5.0", "[10.0, 60.0]", "noiseSnrLowDb = 10.0");
        assertIllegalArgument(() -> n.withReverb(-0.1, 0.1, 0.6), "reverbProbability = -0.1", "[0.0, 1.0]");
        assertIllegalArgument(() -> n.withReverb(0.5, 0.01, 0.6), "rt60MinSeconds = 0.01", "[0.05, 2.0]");
        assertIllegalArgument(() -> n.withReverb(0.5, 0.4, 0.3), "rt60MaxSeconds = 0.3", "[0.4, 2.0]", "rt60MinSeconds = 0.4");
        assertIllegalArgument(() -> n.withReverb(0.5, 0.4, 3), "rt60MaxSeconds = 3.0", "[0.4, 2.0]");
    }
}
