package org.rankcoding.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Time-series augmentation: each transform does what it says (jitter's spread, scaling's per-channel factor, window
 * warping's preserved length and resampling), everything is deterministic for the generator's seed, padding is left
 * alone, NONE changes nothing, positions and fingerprints go through, bad settings are refused.
 */
class AugmentedSourceTest {

    /** Two-channel series of varying lengths: channel 0 a ramp t, channel 1 the constant 1. */
    static InMemorySequences ramps(int n) {
        List<LabeledSequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = 20 + i % 7;
            double[][] steps = new double[length][];
            for (int t = 0; t < length; t++) {
                steps[t] = new double[]{t, 1.0};
            }
            out.add(new LabeledSequence(steps, i % 2));
        }
        return new InMemorySequences(out, 2);
    }

    private static SequenceBatch batch(Augmentation a, long seed) {
        InMemorySequences data = ramps(40);
        return new AugmentedSource(data, a).nextBatch(40, new SplittableRandom(seed));
    }

    @Test
    void noneServesTheSourcesBatchesUnchanged() {
        SequenceBatch plain = ramps(40).nextBatch(40, new SplittableRandom(1));
        assertArrayEquals(plain.inputArray(), batch(Augmentation.NONE, 1).inputArray());
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        Augmentation all = Augmentation.NONE.withJitter(0.1).withScaling(0.2).withWindowWarp(0.2, 2);
        assertArrayEquals(batch(all, 5).inputArray(), batch(all, 5).inputArray());
        assertFalse(Arrays.equals(batch(all, 5).inputArray(), batch(all, 6).inputArray()));
    }

    @Test
    void jitterAddsNoiseOfTheGivenSpreadAndLeavesPaddingAtZero() {
        SequenceBatch plain = ramps(40).nextBatch(40, new SplittableRandom(2));
        SequenceBatch b = batch(Augmentation.NONE.withJitter(0.5), 2);
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            for (int t = 0; t < b.maxLength(); t++) {
                for (int c = 0; c < 2; c++) {
                    int o = b.inputOffset(t, r) + c;
                    if (t >= b.length(r)) {
                        assertEquals(0.0, b.inputArray()[o], "padding untouched");
                        continue;
                    }
                    double d = b.inputArray()[o] - plain.inputArray()[o];
                    sum += d;
                    sq += d * d;
                    n++;
                }
            }
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertTrue(Math.abs(mean) < 0.05, "mean noise " + mean);
        assertTrue(Math.abs(sd - 0.5) < 0.05, "noise spread " + sd);
    }

    @Test
    void scalingMultipliesEachChannelOfEachSeriesByOneFactor() {
        SequenceBatch b = batch(Augmentation.NONE.withScaling(0.3), 3);
        List<Double> factors = new ArrayList<>();
        for (int r = 0; r < b.batchSize(); r++) {
            double f = b.inputArray()[b.inputOffset(0, r) + 1]; // channel 1 is the constant 1: its value is the factor
            double g = b.inputArray()[b.inputOffset(1, r)];     // channel 0 at t = 1 is 1 times its factor
            for (int t = 0; t < b.length(r); t++) {
                assertEquals(f, b.inputArray()[b.inputOffset(t, r) + 1], 1e-12, "one factor per series and channel");
                assertEquals(g * t, b.inputArray()[b.inputOffset(t, r)], 1e-9);
            }
            assertNotEquals(f, g, "channels have their own factors");
            factors.add(f);
        }
        double mean = factors.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(Math.abs(mean - 1) < 0.15, "factors around 1: " + mean);
    }

    @Test
    void windowWarpingKeepsTheLengthTheEndsAndTheOrderOfARamp() {
        SequenceBatch b = batch(Augmentation.NONE.withWindowWarp(0.3, 2), 4);
        SequenceBatch plain = ramps(40).nextBatch(40, new SplittableRandom(4));
        int changed = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            int length = b.length(r);
            assertEquals(plain.length(r), length);
            assertEquals(0.0, b.inputArray()[b.inputOffset(0, r)], 1e-12, "first value kept");
            assertEquals(length - 1, b.inputArray()[b.inputOffset(length - 1, r)], 1e-9, "last value kept");
            boolean differs = false;
            for (int t = 0; t < length; t++) {
                double v = b.inputArray()[b.inputOffset(t, r)];
                assertEquals(1.0, b.inputArray()[b.inputOffset(t, r) + 1], 1e-12, "a constant stays constant");
                if (t > 0) {
                    assertTrue(v >= b.inputArray()[b.inputOffset(t - 1, r)] - 1e-12, "a ramp stays increasing");
                }
                differs |= Math.abs(v - t) > 1e-6;
            }
            changed += differs ? 1 : 0;
        }
        assertTrue(changed > 30, "most series are warped: " + changed);
    }

    @Test
    void windowSlicingStretchesAWindowOfTheRampToTheWholeLength() {
        double fraction = 0.75;
        SequenceBatch b = batch(Augmentation.NONE.withWindowSlice(fraction), 9);
        SequenceBatch plain = ramps(40).nextBatch(40, new SplittableRandom(9));
        java.util.Set<Long> starts = new java.util.HashSet<>();
        for (int r = 0; r < b.batchSize(); r++) {
            int length = b.length(r);
            assertEquals(plain.length(r), length, "the length is kept");
            int w = (int) Math.round(fraction * length);
            double first = b.inputArray()[b.inputOffset(0, r)];
            double last = b.inputArray()[b.inputOffset(length - 1, r)];
            assertEquals(Math.rint(first), first, 1e-9, "the window starts at a step of the series");
            assertTrue(first >= 0 && first <= length - w, "start " + first + " within [0, " + (length - w) + "]");
            assertEquals(first + w - 1, last, 1e-9, "the window's last step ends the series");
            for (int t = 0; t < length; t++) {
                double want = first + (double) t * (w - 1) / (length - 1);
                assertEquals(want, b.inputArray()[b.inputOffset(t, r)], 1e-9, "linear stretch of the window, step " + t);
                assertEquals(1.0, b.inputArray()[b.inputOffset(t, r) + 1], 1e-12, "a constant stays constant");
            }
            for (int t = length; t < b.maxLength(); t++) {
                assertEquals(0.0, b.inputArray()[b.inputOffset(t, r)], 0.0, "padding stays zero");
            }
            starts.add(Math.round(first));
        }
        assertTrue(starts.size() > 3, "starts spread over the series: " + starts);
        assertEquals("jitter=0.0 scaling=0.0 warp=0.0x2.0 slice=0.75", Augmentation.NONE.withWindowSlice(0.75).toString());
        assertEquals("jitter=0.0 scaling=0.0 warp=0.0x2.0", Augmentation.NONE.toString(), "without slicing, as before it existed");
        assertFalse(Augmentation.NONE.withWindowSlice(0.9).isNone());
        assertTrue(Augmentation.NONE.withWindowSlice(1).isNone());
    }

    @Test
    void aCropDropsUpToItsFractionOfTheStartAndKeepsTheTimeScale() {
        double fraction = 0.4;
        SequenceBatch b = batch(Augmentation.NONE.withCrop(fraction), 11);
        SequenceBatch plain = ramps(40).nextBatch(40, new SplittableRandom(11));
        java.util.Set<Integer> drops = new java.util.HashSet<>();
        for (int r = 0; r < b.batchSize(); r++) {
            int before = plain.length(r);
            int dropped = before - b.length(r);
            assertTrue(dropped >= 0 && dropped <= Math.floor(fraction * before), "dropped " + dropped + " of " + before);
            assertEquals(plain.label(r), b.label(r), "the label is kept");
            for (int t = 0; t < b.length(r); t++) {
                assertEquals(t + dropped, b.inputArray()[b.inputOffset(t, r)], 0.0, "the ramp moved, not stretched, step " + t);
                assertEquals(1.0, b.inputArray()[b.inputOffset(t, r) + 1], 0.0, "a constant stays constant");
            }
            for (int t = b.length(r); t < b.maxLength(); t++) {
                assertEquals(0.0, b.inputArray()[b.inputOffset(t, r)], 0.0, "the freed steps and the padding are zero");
                assertEquals(0.0, b.inputArray()[b.inputOffset(t, r) + 1], 0.0);
            }
            drops.add(dropped);
        }
        assertTrue(drops.contains(0) && drops.size() > 4, "drops spread from 0 up: " + drops);
        assertEquals("jitter=0.0 scaling=0.0 warp=0.0x2.0 crop=0.4", Augmentation.NONE.withCrop(0.4).toString());
        assertFalse(Augmentation.NONE.withCrop(0.4).isNone());
        assertTrue(Augmentation.NONE.withCrop(0).isNone());
    }

    @Test
    void aCropMovesTheOptimalStepsBackAndKeepsOneStepAtLeast() {
        List<LabeledSequence> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new LabeledSequence(new double[][]{{0}, {1}, {2}, {3}, {4}}, i % 2, 4));
            rows.add(new LabeledSequence(new double[][]{{7}}, i % 2, 1));
            rows.add(new LabeledSequence(new double[][]{{9}, {10}, {11}}, i % 2));
        }
        SequenceBatch b = new AugmentedSource(new InMemorySequences(rows, 2), Augmentation.NONE.withCrop(0.99))
                .nextBatch(150, new SplittableRandom(3));
        for (int r = 0; r < b.batchSize(); r++) {
            if (b.inputArray()[b.inputOffset(0, r)] >= 9) {
                assertEquals(SequenceBatch.NO_OPTIMAL_STEP, b.optimalStep(r), "a row without an optimal step keeps none");
                continue;
            }
            if (b.inputArray()[b.inputOffset(0, r)] == 7) {
                assertEquals(1, b.length(r), "a one-step series is never cropped");
                assertEquals(1, b.optimalStep(r));
                continue;
            }
            int dropped = 5 - b.length(r);
            assertTrue(dropped <= 4, "at least one step is left: " + b.length(r));
            assertEquals(Math.max(1, 4 - dropped), b.optimalStep(r), "optimal step after dropping " + dropped);
            assertEquals(dropped, b.inputArray()[b.inputOffset(0, r)], 0.0);
        }
    }

    @Test
    void aCropComesBeforeTheOtherTransformsWhichWorkOnTheShorterRow() {
        SequenceBatch b = batch(Augmentation.NONE.withCrop(0.5).withWindowSlice(0.75), 13);
        for (int r = 0; r < b.batchSize(); r++) {
            int length = b.length(r);
            double first = b.inputArray()[b.inputOffset(0, r)];
            double last = b.inputArray()[b.inputOffset(length - 1, r)];
            assertEquals(Math.round(0.75 * length) - 1, last - first, 1e-9, "a window of the cropped row's length, row " + r);
            for (int t = length; t < b.maxLength(); t++) {
                assertEquals(0.0, b.inputArray()[b.inputOffset(t, r)], 0.0, "nothing written past the cropped row");
            }
        }
        assertArrayEquals(b.inputArray(), batch(Augmentation.NONE.withCrop(0.5).withWindowSlice(0.75), 13).inputArray());
    }

    @Test
    void resamplingIsLinearAndKeepsTheEnds() {
        double[] src = {0, 10, 20};
        double[] dst = new double[5];
        SeriesAugmenter.resample(src, 0, 3, dst, 0, 5);
        assertArrayEquals(new double[]{0, 5, 10, 15, 20}, dst, 1e-12);
        double[] one = new double[3];
        SeriesAugmenter.resample(new double[]{7}, 0, 1, one, 0, 3);
        assertArrayEquals(new double[]{7, 7, 7}, one);
    }

    @Test
    void positionAndFingerprintAreTheWrappedSources() {
        InMemorySequences data = ramps(10);
        AugmentedSource s = new AugmentedSource(data, Augmentation.NONE.withJitter(0.1));
        s.nextBatch(4, new SplittableRandom(1));
        assertArrayEquals(data.savePosition(), s.savePosition());
        assertTrue(s.fingerprint().orElseThrow().startsWith(data.fingerprint().orElseThrow()));
        assertTrue(s.fingerprint().orElseThrow().contains("jitter=0.1"));
        assertFalse(s.fingerprint().orElseThrow().contains(";"));
    }

    @Test
    void badSettingsAreRefused() {
        assertIllegalArgument(() -> Augmentation.NONE.withJitter(-1), "jitter = -1.0", ">= 0");
        assertIllegalArgument(() -> Augmentation.NONE.withScaling(Double.NaN), "scaling = NaN");
        assertIllegalArgument(() -> Augmentation.NONE.withWindowWarp(1.0, 2), "warpWindow = 1.0", "[0, 1)");
        assertIllegalArgument(() -> Augmentation.NONE.withWindowWarp(0.1, 1.0), "warpFactor = 1.0", "> 1");
        assertIllegalArgument(() -> Augmentation.NONE.withWindowSlice(0), "slice = 0.0", "(0, 1]");
        assertIllegalArgument(() -> Augmentation.NONE.withWindowSlice(1.5), "slice = 1.5", "(0, 1]");
        assertIllegalArgument(() -> Augmentation.NONE.withWindowSlice(Double.NaN), "slice = NaN");
        assertIllegalArgument(() -> Augmentation.NONE.withCrop(1), "crop = 1.0", "[0, 1)");
        assertIllegalArgument(() -> Augmentation.NONE.withCrop(-0.1), "crop = -0.1", "[0, 1)");
        assertIllegalArgument(() -> Augmentation.NONE.withCrop(Double.NaN), "crop = NaN");
        assertIllegalArgument(() -> new AugmentedSource(null, Augmentation.NONE), "both are required");
    }
}
