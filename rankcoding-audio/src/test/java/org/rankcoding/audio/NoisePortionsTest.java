package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link NoisePortions}: 80/10/10 of each recording's time, adjacent, covering it, without overflow. */
class NoisePortionsTest {

    @Test
    void portionsAreAdjacentAndCoverTheRecording() {
        for (long n : new long[] {0, 1, 9, 10, 11, 19, 16_000 * 12L, 960_000, Long.MAX_VALUE}) {
            assertEquals(0, NoisePortions.start(n, DataSplit.TRAINING));
            assertEquals(NoisePortions.end(n, DataSplit.TRAINING), NoisePortions.start(n, DataSplit.VALIDATION), "n = " + n);
            assertEquals(NoisePortions.end(n, DataSplit.VALIDATION), NoisePortions.start(n, DataSplit.TEST), "n = " + n);
            assertEquals(n, NoisePortions.end(n, DataSplit.TEST));
            for (DataSplit s : DataSplit.values()) {
                assertTrue(NoisePortions.start(n, s) <= NoisePortions.end(n, s), s + " n = " + n);
            }
        }
        assertEquals(153_600, NoisePortions.end(192_000, DataSplit.TRAINING));
        assertEquals(172_800, NoisePortions.end(192_000, DataSplit.VALIDATION));
        assertEquals(Long.MAX_VALUE / 10 * 8 + 7 * 8 / 10, NoisePortions.end(Long.MAX_VALUE, DataSplit.TRAINING));
        assertIllegalArgument(() -> NoisePortions.start(-1, DataSplit.TEST), "samples = -1");
    }
}
