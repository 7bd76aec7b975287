package org.rankcoding.examples.toy;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

class NoiseVsSignalSourceTest {

    @Test
    void referenceShape() {
        NoiseVsSignalSource s = new NoiseVsSignalSource();
        SequenceBatch b = s.nextBatch(7, new SplittableRandom(1));
        assertEquals(7, b.batchSize());
        assertEquals(40, b.maxLength());
        assertEquals(1, b.inputSize());
        assertFalse(b.hasOptimalSteps());
        for (int r = 0; r < 7; r++) {
            assertEquals(40, b.length(r));
        }
        assertTrue(s.isReference());
        assertEquals(2, s.numClasses());
    }

    @Test
    void labelsAreBalanced() {
        SequenceBatch b = new NoiseVsSignalSource().nextBatch(20_000, new SplittableRandom(2));
        int ones = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            ones += b.label(r);
        }
        // binomial(20000, 0.5): sd ~ 71, allow ~5 sd
        assertEquals(10_000, ones, 350);
    }

    @Test
    void meanSignMatchesLabelAndSigmaIsInRange() {
        // a huge T makes each sequence's sample mean and standard deviation precise
        int t = 4000;
        NoiseVsSignalSource s = new NoiseVsSignalSource(t, 0.05, 0.05, 0.25, t);
        SequenceBatch b = s.nextBatch(300, new SplittableRandom(3));
        double minSd = Double.MAX_VALUE;
        double maxSd = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            double[] stats = stats(b, r, 0, t);
            double expectedMean = b.label(r) == 1 ? 0.05 : -0.05;
            assertEquals(expectedMean, stats[0], 0.02, "row " + r);
            assertTrue(stats[1] > 0.05 * 0.9 && stats[1] < 0.25 * 1.1, "row " + r + " sd " + stats[1]);
            minSd = Math.min(minSd, stats[1]);
            maxSd = Math.max(maxSd, stats[1]);
        }
        // sigma ~ U[0.05, 0.25]: 300 draws come close to both ends
        assertTrue(minSd < 0.07, "smallest sd " + minSd);
        assertTrue(maxSd > 0.23, "largest sd " + maxSd);
    }

    @Test
    void fixedSigmaGivesThatSigma() {
        int t = 20_000;
        SequenceBatch b = new NoiseVsSignalSource(t, 0.0, 0.1, 0.1, t).nextBatch(3, new SplittableRandom(4));
        for (int r = 0; r < 3; r++) {
            assertEquals(0.1, stats(b, r, 0, t)[1], 0.003);
        }
    }

    @Test
    void signalStopsAfterTheChangePoint() {
        int t = 6000;
        int change = 3000;
        SequenceBatch b = new NoiseVsSignalSource(t, 0.05, 0.05, 0.05, change).nextBatch(200, new SplittableRandom(5));
        double before = 0;
        double after = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            double sign = b.label(r) == 1 ? 1 : -1;
            before += sign * stats(b, r, 0, change)[0];
            after += sign * stats(b, r, change, t)[0];
        }
        assertEquals(0.05, before / b.batchSize(), 0.002);
        assertEquals(0.0, after / b.batchSize(), 0.002);
    }

    @Test
    void withoutNoiseTheSignalIsExactlyPlusOrMinusMeanUpToTheChangePoint() {
        SequenceBatch b = new NoiseVsSignalSource(10, 0.05, 0.0, 0.0, 4).nextBatch(50, new SplittableRandom(6));
        for (int r = 0; r < b.batchSize(); r++) {
            double signal = b.label(r) == 1 ? 0.05 : -0.05;
            for (int t = 0; t < 10; t++) {
                // 1-based steps 1..4 carry the signal, 5..10 do not
                assertEquals(t < 4 ? signal : 0.0, b.inputArray()[b.inputOffset(t, r)], 0.0, "row " + r + ", step " + (t + 1));
            }
        }
        SequenceBatch none = new NoiseVsSignalSource(10, 0.05, 0.0, 0.0, 0).nextBatch(5, new SplittableRandom(6));
        for (double v : none.inputArray()) {
            assertEquals(0.0, v, 0.0);
        }
    }

    @Test
    void sameGeneratorSeedSameBatch() {
        NoiseVsSignalSource s = new NoiseVsSignalSource();
        SequenceBatch a = s.nextBatch(5, new SplittableRandom(9));
        SequenceBatch b = s.nextBatch(5, new SplittableRandom(9));
        assertEquals(java.util.Arrays.toString(a.inputArray()), java.util.Arrays.toString(b.inputArray()));
    }

    @Test
    void rejectsBadParameters() {
        assertIllegalArgument(() -> new NoiseVsSignalSource(0, 0.05, 0.05, 0.25, 0), "length = 0", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, -0.1, 0.05, 0.25, 40), "mean = -0.1", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, Double.NaN, 0.05, 0.25, 40), "mean = NaN", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, 0.05, -1, 0.25, 40), "sigmaMin = -1.0", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, 0.05, 0.3, 0.25, 40), "sigmaMax = 0.25", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, 0.05, 0.05, 0.25, 41), "changePoint = 41", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource(40, 0.05, 0.05, 0.25, -1), "changePoint = -1", "expected");
        assertIllegalArgument(() -> new NoiseVsSignalSource().nextBatch(0, new SplittableRandom(1)), "maxRows = 0", "expected");
    }

    /** Sample mean and standard deviation of row r over 0-based steps [from, to). */
    private static double[] stats(SequenceBatch b, int r, int from, int to) {
        double sum = 0;
        double sq = 0;
        for (int t = from; t < to; t++) {
            double v = b.inputArray()[b.inputOffset(t, r)];
            sum += v;
            sq += v * v;
        }
        int n = to - from;
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sq / n - mean * mean)};
    }
}
