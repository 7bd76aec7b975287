package org.rankcoding.audio.augment;

import org.junit.jupiter.api.Test;
import org.rankcoding.audio.AudioClip;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.augment.Signals.RATE;
import static org.rankcoding.audio.augment.Signals.rms;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link WaveformAugmenter}: each step does what it says, in the documented order of draws, reproducibly. */
class WaveformAugmenterTest {

    private static final List<AudioClip> NOISES = List.of(
            new AudioClip(Signals.whiteNoise(3 * RATE, 0.1, 11), RATE),
            new AudioClip(Signals.whiteNoise(2 * RATE + 123, 0.05, 12), RATE));

    @Test
    void noneLeavesTheClipBitIdenticalAndDrawsNothing() {
        float[] x = Signals.clip(1);
        float[] y = x.clone();
        SplittableRandom rng = new SplittableRandom(5);
        new WaveformAugmenter(WaveformAugmentation.NONE, RATE).apply(y, rng);
        assertArrayEquals(x, y);
        assertEquals(new SplittableRandom(5).nextLong(), rng.nextLong(), "NONE must not draw");
    }

    @Test
    void gainMultipliesTheRmsByTenToTheGainOverTwenty() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withGain(6), RATE);
        SplittableRandom rng = new SplittableRandom(2);
        boolean up = false;
        boolean down = false;
        for (int k = 0; k < 20; k++) {
            float[] x = Signals.clip(k);
            float[] y = x.clone();
            a.apply(y, rng);
            double g = a.lastGainDb();
            assertTrue(g >= -6 && g <= 6, "gain " + g);
            up |= g > 1;
            down |= g < -1;
            double factor = Math.pow(10, g / 20);
            assertEquals(factor, rms(y) / rms(x), 1e-6 * factor);
            for (int i = 0; i < x.length; i++) {
                assertEquals((float) (x[i] * factor), y[i]);
            }
        }
        assertTrue(up && down, "gains of both signs drawn");
    }

    @Test
    void timeShiftMovesTheSamplesAndZeroFills() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withShift(100), RATE);
        SplittableRandom rng = new SplittableRandom(3);
        boolean later = false;
        boolean earlier = false;
        for (int k = 0; k < 20; k++) {
            float[] x = Signals.clip(k);
            float[] y = x.clone();
            a.apply(y, rng);
            int s = a.lastShift();
            assertTrue(Math.abs(s) <= 1600, "shift " + s + " within 100 ms = 1600 samples");
            later |= s > 0;
            earlier |= s < 0;
            for (int i = 0; i < y.length; i++) {
                int j = i - s;
                assertEquals(j >= 0 && j < x.length ? x[j] : 0f, y[i], "sample " + i + " with shift " + s);
            }
        }
        assertTrue(later && earlier, "shifts of both signs drawn");
    }

    @Test
    void speedTenPercentFasterRaisesATonesFrequencyByTenPercentAndShortensIt() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE, RATE);
        for (double f : new double[] {1.1, 0.9}) {
            float[] whole = Signals.tone(440, 0.5, RATE, 0, RATE);
            a.changeSpeed(whole, f);
            assertEquals(440 * f, Signals.frequency(whole, 4000, 12000), 440 * f * 0.005, "frequency at speed " + f);
            // a burst of 0.25 s in the middle lasts 0.25 / f s, around the same centre
            float[] burst = Signals.tone(440, 0.5, RATE, 6000, 10000);
            a.changeSpeed(burst, f);
            int[] e = Signals.extent(burst, 0.25);
            assertEquals(4000 / f, e[1] - e[0], 40, "burst length at speed " + f);
            assertEquals(8000, (e[0] + e[1]) / 2.0, 40, "burst centre at speed " + f);
        }
    }

    @Test
    void drawnSpeedFactorsAreUniformInTheRangeAndApplied() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withSpeed(0.1), RATE);
        SplittableRandom rng = new SplittableRandom(4);
        double lo = 2;
        double hi = 0;
        for (int k = 0; k < 10; k++) {
            float[] x = Signals.tone(440, 0.5, RATE, 0, RATE);
            a.apply(x, rng);
            double f = a.lastSpeedFactor();
            assertTrue(f >= 0.9 && f <= 1.1, "factor " + f);
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
            assertEquals(440 * f, Signals.frequency(x, 4000, 12000), 440 * f * 0.005);
        }
        assertTrue(hi - lo > 0.08, "factors spread over the range: " + lo + " .. " + hi);
    }

    @Test
    void pitchShiftChangesTheFrequencyByTwoToTheSemitonesOverTwelveAndKeepsTheTiming() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE, RATE);
        for (double st : new double[] {3, -3, 0.5, -12}) {
            float[] x = Signals.tone(440, 0.5, RATE, 4000, 12000);
            a.shiftPitch(x, st);
            assertEquals(RATE, x.length);
            double expected = 440 * Math.pow(2, st / 12);
            assertEquals(expected, Signals.frequency(x, 6000, 10000), expected * 0.01, "frequency at " + st + " semitones");
            int[] e = Signals.extent(x, 0.25);
            assertEquals(4000, e[0], 320, "onset kept at " + st + " semitones (within 20 ms)");
            assertEquals(12000, e[1], 320, "offset kept at " + st + " semitones (within 20 ms)");
            assertEquals(0.5 / Math.sqrt(2), rms(x, 6000, 10000), 0.05, "level kept at " + st + " semitones");
        }
    }

    @Test
    void speedOneAndPitchZeroGiveTheClipBackUpToTheLowPass() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE, RATE);
        for (int which = 0; which < 2; which++) {
            float[] x = Signals.clip(4);
            float[] y = x.clone();
            if (which == 0) {
                a.changeSpeed(y, 1.0);
            } else {
                a.shiftPitch(y, 0.0);
            }
            float[] d = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = y[i] - x[i];
            }
            assertTrue(rms(d) < 0.02 * rms(x), (which == 0 ? "speed 1" : "pitch 0") + ": relative error " + rms(d) / rms(x));
        }
    }

    @Test
    void noiseIsMixedAtTheDrawnSnrAgainstTheClipsRms() {
        WaveformAugmenter fixed = new WaveformAugmenter(WaveformAugmentation.NONE.withNoise(1, 10, 10), RATE, NOISES);
        WaveformAugmenter ranged = new WaveformAugmenter(WaveformAugmentation.NONE.withNoise(1, 0, 20), RATE, NOISES);
        SplittableRandom rng = new SplittableRandom(6);
        boolean[] used = new boolean[2];
        for (int k = 0; k < 20; k++) {
            for (WaveformAugmenter a : List.of(fixed, ranged)) {
                float[] x = Signals.clip(k);
                float[] y = x.clone();
                a.apply(y, rng);
                float[] added = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    added[i] = y[i] - x[i];
                }
                double snr = 20 * Math.log10(rms(x) / rms(added));
                double drawn = a.lastSnrDb();
                assertTrue(drawn >= a.augmentation().noiseSnrLowDb() && drawn <= a.augmentation().noiseSnrHighDb());
                assertEquals(drawn, snr, 0.5, "measured SNR");
                assertEquals(drawn, snr, 0.01, "measured SNR (in fact much closer than the promised 0.5 dB)");
                used[a.lastNoiseRecording()] = true;
                // the noise is the recording's stretch from the drawn start on (repeated when the recording is short)
                float[] noise = NOISES.get(a.lastNoiseRecording()).samples();
                int start = a.lastNoiseStart();
                assertTrue(start >= 0 && start <= noise.length - x.length);
                double ratio = added[100] / noise[start + 100];
                assertEquals(ratio, added[9000] / noise[start + 9000], Math.abs(ratio) * 1e-3);
            }
        }
        assertTrue(used[0] && used[1], "both recordings drawn");
    }

    @Test
    void aRecordingShorterThanTheClipIsRepeated() {
        float[] shortNoise = Signals.whiteNoise(1000, 0.1, 7);
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withNoise(1, 5, 5), RATE,
                List.of(new AudioClip(shortNoise, RATE)));
        float[] x = Signals.clip(1);
        float[] y = x.clone();
        a.apply(y, new SplittableRandom(1));
        assertEquals(0, a.lastNoiseStart());
        double scale = (y[10] - x[10]) / shortNoise[10];
        for (int i : new int[] {10, 1010, 15010}) {
            assertEquals(scale * shortNoise[i % 1000], y[i] - x[i], 1e-6);
        }
        assertEquals(5, 20 * Math.log10(rms(x) / (Math.abs(scale) * rms(shortNoise))), 0.05);
    }

    @Test
    void noiseProbabilityIsTheFractionOfClipsThatGetNoise() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withNoise(0.3, 5, 20), RATE, NOISES);
        SplittableRandom rng = new SplittableRandom(8);
        int noisy = 0;
        float[] x = new float[1000];
        for (int k = 0; k < 1000; k++) {
            x[0] = 0.5f;
            a.apply(x, rng);
            noisy += a.lastNoiseRecording() >= 0 ? 1 : 0;
        }
        assertEquals(300, noisy, 45);
    }

    @Test
    void reverberationDecaysWithTheDrawnRt60AndKeepsTheRms() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withReverb(1, 0.15, 0.6), RATE);
        SplittableRandom rng = new SplittableRandom(9);
        for (int k = 0; k < 6; k++) {
            float[] x = new float[RATE];
            x[800] = 0.5f;
            a.apply(x, rng);
            double rt60 = a.lastRt60();
            assertTrue(rt60 >= 0.15 && rt60 <= 0.6, "RT60 " + rt60);
            assertEquals(0.5 / Math.sqrt(RATE), rms(x), 1e-6, "RMS kept");
            for (int i = 0; i < 800; i++) {
                assertEquals(0f, x[i], 1e-9, "nothing before the impulse");
            }
            // energy decays: each 50 ms after the impulse has less than the one before
            double previous = Double.MAX_VALUE;
            for (int b = 0; b < (int) (rt60 / 0.05); b++) {
                double e = rms(x, 801 + 800 * b, 801 + 800 * (b + 1));
                assertTrue(e < previous, "energy decays, block " + b);
                previous = e;
            }
            // Schroeder backward integration, T20 (from -5 to -25 dB) extrapolated to 60 dB
            assertEquals(rt60, schroederRt60(x, 801), 0.15 * rt60, "RT60 estimate");
        }
    }

    private static double schroederRt60(float[] x, int from) {
        double[] tail = new double[x.length - from + 1];
        for (int i = x.length - 1; i >= from; i--) {
            tail[i - from] = tail[i - from + 1] + (double) x[i] * x[i];
        }
        int t5 = -1;
        int t25 = -1;
        for (int i = 0; i < tail.length - 1; i++) {
            double db = 10 * Math.log10(tail[i] / tail[0]);
            if (t5 < 0 && db <= -5) {
                t5 = i;
            }
            if (t25 < 0 && db <= -25) {
                t25 = i;
            }
        }
        return 3.0 * (t25 - t5) / RATE;
    }

    @Test
    void aSilentClipStaysSilent() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.typical(), RATE, NOISES);
        float[] x = new float[RATE];
        a.apply(x, new SplittableRandom(1));
        assertArrayEquals(new float[RATE], x);
    }

    @Test
    void bandLimitationKeepsTheLowToneAndRemovesTheHighOne() {
        WaveformAugmenter a = new WaveformAugmenter(WaveformAugmentation.NONE.withBandLimit(1, 3400), RATE);
        SplittableRandom rng = new SplittableRandom(4);
        int n = RATE;
        float[] low = Signals.tone(1000, 0.3, n, 0, n);
        float[] high = Signals.tone(7000, 0.3, n, 0, n);
        int narrow = 0;
        for (int k = 0; k < 30; k++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = low[i] + high[i];
            }
            a.apply(x, rng);
            double b = a.lastBandwidthHz();
            assertTrue(b >= 3400 && b < 8000, "bandwidth " + b);
            // away from the edges, what is left is the 1 kHz tone, plus the 7 kHz one only when the band reaches it
            double residualLow = 0;
            double energy = 0;
            for (int i = 400; i < n - 400; i++) {
                residualLow += (x[i] - low[i]) * (x[i] - low[i]);
                energy += low[i] * low[i];
            }
            if (b < 5500) { // the band edge at least 1.5 kHz below the high tone: past the filter's transition band
                narrow++;
                assertTrue(residualLow < 1e-3 * energy, "at " + b + " Hz only the 1 kHz tone is left: " + residualLow / energy);
            } else if (b > 7500) {
                // the filter's transition band is a few hundred Hz wide: the 7 kHz tone stays, attenuated
                assertTrue(residualLow > 0.1 * energy, "at " + b + " Hz the 7 kHz tone stays: " + residualLow / energy);
            }
        }
        assertTrue(narrow >= 8, "bandwidths below 5.5 kHz drawn: " + narrow);
        assertIllegalArgument(() -> new WaveformAugmenter(WaveformAugmentation.NONE.withBandLimit(0.5, 8000), RATE),
                "minBandwidthHz = 8000.0 Hz, expected below half the sample rate (8000.0 Hz)");
        assertIllegalArgument(() -> WaveformAugmentation.NONE.withBandLimit(0.5, 100), "minBandwidthHz = 100.0",
                "[500.0, 20000.0]");
        assertEquals("speed=0.0 pitch=0.0st gain=0.0dB shift=0.0ms noise=0.0@5.0..20.0dB reverb=0.0@0.1..0.6s band-limit=1.0@3400.0Hz",
                WaveformAugmentation.NONE.withBandLimit(1, 3400).toString());
        assertFalse(WaveformAugmentation.NONE.withBandLimit(1, 3400).isNone());
    }

    @Test
    void clipsOfAnyLengthKeepTheirLength() {
        WaveformAugmentation all = WaveformAugmentation.typical().withReverb(1, 0.1, 0.6).withNoise(1, 5, 20).withPitch(12)
                .withSpeed(0.5).withBandLimit(1, 500);
        WaveformAugmenter a = new WaveformAugmenter(all, RATE, NOISES);
        SplittableRandom rng = new SplittableRandom(1);
        for (int n : new int[] {0, 1, 10, 399, 3 * RATE + 7, 500}) {
            float[] x = java.util.Arrays.copyOf(Signals.clip(n), n);
            a.apply(x, rng);
            assertEquals(n, x.length);
            for (float v : x) {
                assertTrue(Float.isFinite(v), "finite samples for a clip of " + n);
            }
        }
    }

    @Test
    void theDrawsFollowTheDocumentedOrder() {
        WaveformAugmentation aug = WaveformAugmentation.NONE.withSpeed(0.1).withShift(10).withNoise(1, 0, 20).withGain(6)
                .withBandLimit(1, 3000);
        WaveformAugmenter a = new WaveformAugmenter(aug, RATE, NOISES);
        a.apply(Signals.clip(1), new SplittableRandom(10));
        SplittableRandom r = new SplittableRandom(10);
        assertEquals(0.9 + 0.2 * r.nextDouble(), a.lastSpeedFactor());
        assertEquals(r.nextInt(321) - 160, a.lastShift());
        assertTrue(r.nextDouble() < 1);
        assertEquals(3000 + 5000 * r.nextDouble(), a.lastBandwidthHz());
        assertTrue(r.nextDouble() < 1);
        assertEquals(r.nextInt(2), a.lastNoiseRecording());
        assertEquals(r.nextInt(NOISES.get(a.lastNoiseRecording()).length() - RATE + 1), a.lastNoiseStart());
        assertEquals(20 * r.nextDouble(), a.lastSnrDb());
        assertEquals(6 * (2 * r.nextDouble() - 1), a.lastGainDb());
    }

    @Test
    void theSameSeedGivesTheSameClipsAndAnotherSeedOthers() {
        WaveformAugmentation aug = WaveformAugmentation.typical().withReverb(0.5, 0.1, 0.6).withPitch(2);
        WaveformAugmenter a = new WaveformAugmenter(aug, RATE, NOISES);
        WaveformAugmenter b = new WaveformAugmenter(aug, RATE, NOISES);
        SplittableRandom ra = new SplittableRandom(12);
        SplittableRandom rb = new SplittableRandom(12);
        float[] other = Signals.clip(3);
        new WaveformAugmenter(aug, RATE, NOISES).apply(other, new SplittableRandom(13));
        for (int k = 0; k < 8; k++) {
            float[] x = Signals.clip(3);
            float[] y = Signals.clip(3);
            a.apply(x, ra);
            b.apply(y, rb);
            assertArrayEquals(x, y, "clip " + k);
            if (k == 0) {
                assertFalse(java.util.Arrays.equals(x, other), "another seed, another clip");
            }
            assertTrue(Float.isFinite(x[5000]));
        }
        assertEquals(ra.nextLong(), rb.nextLong());
    }

    @Test
    void afterWarmUpAClipAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        WaveformAugmentation aug = WaveformAugmentation.typical().withReverb(1, 0.6, 0.6).withPitch(2);
        WaveformAugmenter a = new WaveformAugmenter(aug, RATE, NOISES);
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = Signals.clip(1);
        for (int k = 0; k < 5; k++) {
            a.apply(x, rng);
            System.arraycopy(Signals.clip(1), 0, x, 0, RATE);
        }
        float[] fresh = Signals.clip(1);
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int k = 0; k < 20; k++) {
            System.arraycopy(fresh, 0, x, 0, RATE);
            a.apply(x, rng);
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 2048, allocated + " bytes allocated by 20 clips after warm-up");
    }

    @Test
    void refusesNoiseWithoutRecordingsAndRecordingsOfAnotherRate() {
        assertIllegalArgument(() -> new WaveformAugmenter(WaveformAugmentation.NONE.withNoise(0.8, 5, 20), RATE),
                "noiseProbability = 0.8", "no noise recordings", "_background_noise_");
        assertIllegalArgument(() -> new WaveformAugmenter(WaveformAugmentation.NONE, RATE,
                List.of(new AudioClip(new float[100], 8000))), "noise recording 0", "8000 Hz", "16000 Hz");
        assertIllegalArgument(() -> new WaveformAugmenter(WaveformAugmentation.NONE, RATE,
                List.of(new AudioClip(new float[0], RATE))), "noise recording 0", "0 samples");
        assertIllegalArgument(() -> new WaveformAugmenter(WaveformAugmentation.NONE, 500), "sampleRate = 500", "[1000, 384000]");
        assertNotEquals(new WaveformAugmenter(WaveformAugmentation.NONE, RATE, NOISES).noiseDescription(),
                new WaveformAugmenter(WaveformAugmentation.NONE, RATE, NOISES.subList(0, 1)).noiseDescription());
    }
}
