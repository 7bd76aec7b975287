package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** Every size of the log-mel front end is bounded before it sizes an array, whether it comes from code or a file. */
class LogMelConfigBoundsTest {

    private static final LogMelConfig DEFAULT = LogMelConfig.speechCommands();

    @Test
    void sizesAreBoundedWithTheBoundInTheMessage() {
        assertIllegalArgument(() -> new LogMelConfig(16_000, 400, 160, 1 << 30, 40, 20, 8_000, 1e-6),
                "fftSize = 1073741824", "[2, 65536]");
        assertIllegalArgument(() -> new LogMelConfig(384_001, 400, 160, 512, 40, 20, 8_000, 1e-6),
                "sampleRate = 384001", "[1, 384000]");
        assertIllegalArgument(() -> new LogMelConfig(Integer.MAX_VALUE, 400, 160, 512, 40, 20, 8_000, 1e-6), "sampleRate");
        assertIllegalArgument(() -> DEFAULT.withFraming(400, 401), "hopLength = 401", "[1, windowLength = 400]");
        assertIllegalArgument(() -> DEFAULT.withMelBands(500), "melBands = 500", "[1, fftSize / 2 + 1 = 257]");
        assertEquals(LogMelConfig.MAX_FFT_SIZE,
                new LogMelConfig(48_000, 1 << 16, 1 << 15, 1 << 16, 128, 0, 24_000, 1e-6).fftSize());
        assertEquals(400, DEFAULT.withFraming(400, 400).hopLength());
    }

    @Test
    void numbersFromATextFormMustBeWholeAndInRangeNotCast() {
        assertEquals(DEFAULT, LogMelConfig.fromNumbers(16_000, 400, 160, 512, 40, 20, 8_000, 1e-6));
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(1e20, 400, 160, 512, 40, 20, 8_000, 1e-6),
                "sampleRate = 1.0E20", "whole number in [1, 384000]");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, 400, 160, 1 << 30, 40, 20, 8_000, 1e-6),
                "fftSize = 1073741824", "[1, 65536]");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, 400, 160, 512.5, 40, 20, 8_000, 1e-6), "fftSize = 512.5");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, Double.NaN, 160, 512, 40, 20, 8_000, 1e-6), "windowLength = NaN");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, 400, -160, 512, 40, 20, 8_000, 1e-6), "hopLength = -160");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, 400, 160, 512, 40, 20, Double.POSITIVE_INFINITY, 1e-6),
                "maxFrequency = Infinity");
        assertIllegalArgument(() -> LogMelConfig.fromNumbers(16_000, 400, 160), "8 numbers", "got 3");
    }
}
