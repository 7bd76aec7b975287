package org.rankcoding.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The trainer's saveable generator draws exactly what {@code new SplittableRandom(seed)} draws (so results of runs
 * from before checkpoints existed are unchanged), for every kind of draw the sources use, and continues exactly from a
 * saved state.
 */
class SplitMix64Test {

    /** One draw of kind {@code kind} as raw bits. */
    private static long draw(RandomGenerator g, int kind) {
        return switch (kind) {
            case 0 -> g.nextLong();
            case 1 -> g.nextInt();
            case 2 -> g.nextInt(2);
            case 3 -> g.nextInt(1_000_003); // not a power of two: rejection sampling
            case 4 -> g.nextInt(-5, 17);
            case 5 -> g.nextLong(123_456_789_012L);
            case 6 -> Double.doubleToRawLongBits(g.nextDouble());
            case 7 -> Double.doubleToRawLongBits(g.nextDouble(-2.5, 7.0));
            case 8 -> Float.floatToRawIntBits(g.nextFloat());
            case 9 -> g.nextBoolean() ? 1 : 0;
            case 10 -> Double.doubleToRawLongBits(g.nextGaussian());
            case 11 -> Double.doubleToRawLongBits(g.nextExponential());
            default -> Double.doubleToRawLongBits(g.nextGaussian(0.05, 0.2));
        };
    }

    @Test
    void drawsWhatSplittableRandomDraws() {
        for (long seed : new long[]{0, 1, 42, -7, Long.MIN_VALUE, 1 ^ 0x9E3779B97F4A7C15L}) {
            SplittableRandom expected = new SplittableRandom(seed);
            SplitMix64 actual = new SplitMix64(seed);
            SplittableRandom kinds = new SplittableRandom(seed + 1);
            for (int i = 0; i < 200_000; i++) {
                int kind = kinds.nextInt(13);
                assertEquals(draw(expected, kind), draw(actual, kind), "seed " + seed + ", draw " + i + " of kind " + kind);
            }
        }
    }

    @Test
    void continuesExactlyFromASavedState() {
        SplitMix64 a = new SplitMix64(9);
        for (int i = 0; i < 1000; i++) {
            a.nextGaussian();
        }
        SplitMix64 b = new SplitMix64(a.state(), a.gamma());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(draw(a, i % 13), draw(b, i % 13));
        }
        assertThrows(IllegalArgumentException.class, () -> new SplitMix64(1, 2));
    }
}
