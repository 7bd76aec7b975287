package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The log-mel output of fixed signals, bit for bit, as a 64-bit fingerprint of every value's bits: the fingerprints were
 * computed with the front end as it was before its filter bank became a {@link MelFilterBank} and vocal-tract-length
 * perturbation was added, so any change to the arithmetic of the unwarped front end (even in the last bit) fails here.
 */
class LogMelGoldenTest {

    /** A chirp from 100 Hz to 7/8 of the Nyquist frequency plus Gaussian noise, deterministic. */
    static float[] signal(int n, int rate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = 100 + (0.875 * rate / 2 - 100) * i / n;
            phase += 2 * Math.PI * f / rate;
            s[i] = (float) (0.5 * Math.sin(phase) + 0.05 * rng.nextGaussian());
        }
        return s;
    }

    /** A 64-bit fingerprint of every value's bits, in order. */
    static long fingerprint(double[][] steps) {
        long h = 17;
        for (double[] row : steps) {
            for (double v : row) {
                h = 31 * h + Double.doubleToLongBits(v);
            }
        }
        return h;
    }

    @Test
    void theUnwarpedFrontEndGivesTheSameBitsAsBefore() {
        assertEquals(-6728181609426813653L,
                fingerprint(new LogMelSpectrogram(LogMelConfig.speechCommands()).computeSteps(signal(16_000, 16_000, 3))));
        LogMelConfig c = new LogMelConfig(8_000, 200, 80, 256, 23, 100, 3_800, 1e-3);
        assertEquals(-7334268645280844618L, fingerprint(new LogMelSpectrogram(c).computeSteps(signal(8_000, 8_000, 4))));
    }
}
