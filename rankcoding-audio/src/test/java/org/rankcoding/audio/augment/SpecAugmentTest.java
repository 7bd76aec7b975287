package org.rankcoding.audio.augment;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link SpecAugment}: zeroed bands and frames, within the drawn counts and widths. */
class SpecAugmentTest {

    private static double[] features(int frames, int bands, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[frames * bands];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + r.nextDouble(); // never 0, so that every 0 is a mask
        }
        return x;
    }

    @Test
    void masksAreZeroAndTheirNumberAndWidthsWithinTheBounds() {
        int frames = 98;
        int bands = 40;
        SpecAugment spec = new SpecAugment(2, 5, 3, 10);
        SplittableRandom rng = new SplittableRandom(1);
        int maskedSomething = 0;
        for (int k = 0; k < 200; k++) {
            double[] x = features(frames, bands, k);
            double[] before = x.clone();
            spec.apply(x, frames, bands, rng);
            boolean[] bandMasked = new boolean[bands];
            boolean[] frameMasked = new boolean[frames];
            for (int b = 0; b < bands; b++) {
                boolean all = true;
                for (int t = 0; t < frames; t++) {
                    all &= x[t * bands + b] == 0;
                }
                bandMasked[b] = all;
            }
            for (int t = 0; t < frames; t++) {
                boolean all = true;
                for (int b = 0; b < bands; b++) {
                    all &= x[t * bands + b] == 0;
                }
                frameMasked[t] = all;
            }
            for (int t = 0; t < frames; t++) {
                for (int b = 0; b < bands; b++) {
                    double v = x[t * bands + b];
                    if (v != before[t * bands + b]) {
                        assertEquals(0.0, v);
                        assertTrue(bandMasked[b] || frameMasked[t], "a changed value lies in a masked band or frame");
                    }
                }
            }
            int[] bandRuns = runs(bandMasked);
            int[] frameRuns = runs(frameMasked);
            // overlapping masks merge into one run, so at most 2 runs of at most 2 x 5 bands in total
            assertTrue(bandRuns[0] <= 2 && bandRuns[1] <= 10, "frequency masks: " + bandRuns[0] + " runs, " + bandRuns[1] + " bands");
            assertTrue(frameRuns[0] <= 3 && frameRuns[1] <= 30, "time masks: " + frameRuns[0] + " runs, " + frameRuns[1] + " frames");
            assertTrue(bandRuns[2] <= 10 && frameRuns[2] <= 30);
            maskedSomething += bandRuns[1] > 0 && frameRuns[1] > 0 ? 1 : 0;
        }
        assertTrue(maskedSomething > 150, "most clips get both kinds of mask: " + maskedSomething);
    }

    /** Number of runs of true, the number of trues, and the longest run. */
    private static int[] runs(boolean[] m) {
        int count = 0;
        int total = 0;
        int longest = 0;
        int run = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i]) {
                total++;
                run++;
                longest = Math.max(longest, run);
                if (i == 0 || !m[i - 1]) {
                    count++;
                }
            } else {
                run = 0;
            }
        }
        return new int[] {count, total, longest};
    }

    @Test
    void theDrawsFollowTheDocumentedOrderAndBothLayoutsAgree() {
        SpecAugment spec = new SpecAugment(1, 5, 1, 10);
        double[] flat = features(98, 40, 3);
        spec.apply(flat, 98, 40, new SplittableRandom(7));
        SplittableRandom r = new SplittableRandom(7);
        int fw = r.nextInt(6);
        int f0 = r.nextInt(40 - fw + 1);
        int tw = r.nextInt(11);
        int t0 = r.nextInt(98 - tw + 1);
        double[] expected = features(98, 40, 3);
        for (int t = 0; t < 98; t++) {
            for (int b = 0; b < 40; b++) {
                if ((b >= f0 && b < f0 + fw) || (t >= t0 && t < t0 + tw)) {
                    expected[t * 40 + b] = 0;
                }
            }
        }
        assertArrayEquals(expected, flat);
        double[][] steps = new double[98][40];
        double[] source = features(98, 40, 3);
        for (int t = 0; t < 98; t++) {
            System.arraycopy(source, t * 40, steps[t], 0, 40);
        }
        spec.apply(steps, new SplittableRandom(7));
        for (int t = 0; t < 98; t++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, t * 40, t * 40 + 40), steps[t]);
        }
    }

    @Test
    void widthsLargerThanTheClipAreCut() {
        SpecAugment spec = new SpecAugment(1, 1000, 1, 10_000);
        double[] x = features(5, 3, 1);
        for (int k = 0; k < 50; k++) {
            spec.apply(x, 5, 3, new SplittableRandom(k));
        }
        assertTrue(java.util.Arrays.stream(x).allMatch(v -> v == 0 || v >= 1));
    }

    @Test
    void noneChangesNothingAndDrawsNothing() {
        double[] x = features(98, 40, 1);
        SplittableRandom rng = new SplittableRandom(2);
        SpecAugment.NONE.apply(x, 98, 40, rng);
        assertArrayEquals(features(98, 40, 1), x);
        assertEquals(new SplittableRandom(2).nextLong(), rng.nextLong());
        assertTrue(SpecAugment.NONE.isNone());
        assertEquals("freq=2x5 time=2x10", SpecAugment.typical().toString());
        assertEquals(new SpecAugment(3, 4, 1, 7), SpecAugment.NONE.withFrequencyMasks(3, 4).withTimeMasks(1, 7));
    }

    @Test
    void refusesBadParameters() {
        assertIllegalArgument(() -> new SpecAugment(-1, 5, 0, 0), "frequencyMasks = -1", "[0, 16]", "typical");
        assertIllegalArgument(() -> new SpecAugment(17, 5, 0, 0), "frequencyMasks = 17", "[0, 16]");
        assertIllegalArgument(() -> new SpecAugment(1, -2, 0, 0), "maxFrequencyWidth = -2", "[0, 1024]");
        assertIllegalArgument(() -> new SpecAugment(0, 0, 2, 10_001), "maxTimeWidth = 10001", "[0, 10000]");
        assertIllegalArgument(() -> new SpecAugment(0, 0, -3, 1), "timeMasks = -3");
        assertIllegalArgument(() -> new SpecAugment(2, 0, 0, 0), "frequencyMasks = 2", "maxFrequencyWidth = 0", "would mask nothing");
        assertIllegalArgument(() -> new SpecAugment(0, 0, 2, 0), "timeMasks = 2", "maxTimeWidth = 0", "would mask nothing");
        assertIllegalArgument(() -> SpecAugment.typical().apply(new double[10], 3, 4, new SplittableRandom(1)),
                "frames = 3", "bands = 4", "10 values");
        assertIllegalArgument(() -> SpecAugment.typical().apply(new double[][] {{1, 2}, {3}}, new SplittableRandom(1)),
                "frame 1 has 1 bands, expected 2");
    }
}
