package org.rankcoding.examples.toy;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

class SequenceOfFiveSourceTest {

    /** Brute force: the first 1-based step t such that bits[t-k .. t-1] are all equal, or NO_OPTIMAL_STEP. */
    private static int firstRunEnd(int[] bits, int k) {
        for (int end = k; end <= bits.length; end++) {
            boolean equal = true;
            for (int i = end - k; i < end; i++) {
                equal &= bits[i] == bits[end - k];
            }
            if (equal) {
                return end;
            }
        }
        return SequenceBatch.NO_OPTIMAL_STEP;
    }

    private static int[] bits(SequenceBatch b, int r) {
        int[] bits = new int[b.length(r)];
        for (int t = 0; t < bits.length; t++) {
            double v = b.inputArray()[b.inputOffset(t, r)];
            assertTrue(v == 0.0 || v == 1.0, "input " + v + " is not a bit");
            bits[t] = (int) v;
        }
        return bits;
    }

    @Test
    void labelsAndOptimalStepsMatchBruteForce() {
        for (int[] shape : new int[][] {{25, 5}, {12, 3}, {30, 7}, {6, 1}, {8, 7}}) {
            SequenceOfFiveSource s = new SequenceOfFiveSource(shape[0], shape[1], 0.5);
            SequenceBatch b = s.nextBatch(5_000, new SplittableRandom(shape[0] * 31L + shape[1]));
            assertTrue(b.hasOptimalSteps());
            for (int r = 0; r < b.batchSize(); r++) {
                int expected = firstRunEnd(bits(b, r), shape[1]);
                assertEquals(expected, b.optimalStep(r), "row " + r + " of shape T=" + shape[0] + ", k=" + shape[1]);
                assertEquals(expected == SequenceBatch.NO_OPTIMAL_STEP ? 0 : 1, b.label(r), "label of row " + r);
            }
        }
    }

    @Test
    void referenceTaskStatistics() {
        SequenceOfFiveSource s = new SequenceOfFiveSource();
        assertEquals(20, s.timingWindow());
        SequenceBatch b = s.nextBatch(40_000, new SplittableRandom(11));
        assertEquals(25, b.maxLength());
        int positives = 0;
        long ones = 0;
        int minStep = Integer.MAX_VALUE;
        for (int r = 0; r < b.batchSize(); r++) {
            positives += b.label(r);
            if (b.label(r) == 1) {
                minStep = Math.min(minStep, b.optimalStep(r));
            }
            for (int bit : bits(b, r)) {
                ones += bit;
            }
        }
        // exact P(run of 5 in 25 fair bits) = 0.5518...; RANKCODING.md says about 55%
        assertEquals(0.552, positives / 40_000.0, 0.012);
        assertEquals(0.5, ones / (40_000.0 * 25), 0.005);
        assertEquals(5, minStep);
    }

    @Test
    void biasedBits() {
        SequenceBatch allOnes = new SequenceOfFiveSource(10, 4, 1.0).nextBatch(10, new SplittableRandom(1));
        for (int r = 0; r < 10; r++) {
            assertEquals(1, allOnes.label(r));
            assertEquals(4, allOnes.optimalStep(r));
        }
    }

    @Test
    void rejectsBadParameters() {
        assertIllegalArgument(() -> new SequenceOfFiveSource(1, 1, 0.5), "length = 1", "expected");
        assertIllegalArgument(() -> new SequenceOfFiveSource(25, 25, 0.5), "runLength = 25", "expected");
        assertIllegalArgument(() -> new SequenceOfFiveSource(25, 0, 0.5), "runLength = 0", "expected");
        assertIllegalArgument(() -> new SequenceOfFiveSource(25, 5, 1.5), "bitProbability = 1.5", "expected");
        assertIllegalArgument(() -> new SequenceOfFiveSource(25, 5, Double.NaN), "bitProbability = NaN", "expected");
        assertIllegalArgument(() -> new SequenceOfFiveSource().nextBatch(-3, new SplittableRandom(1)), "maxRows = -3", "expected");
    }
}
