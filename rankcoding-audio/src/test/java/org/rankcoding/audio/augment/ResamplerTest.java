package org.rankcoding.audio.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Edge cases of the band-limited resampler that speed and pitch perturbation run on. */
class ResamplerTest {

    /**
     * A read position within half a phase step of the far edge ({@code inLength + half}) rounds to the next whole
     * sample, whose taps all lie past the signal: the output there is 0 and nothing is read beyond the padded input.
     * (Found by a full-size training run with speed perturbation: index 16,040 of a 16,040-sample buffer.)
     */
    @Test
    void aPositionRoundingOntoTheFarEdgeReadsNothingPastTheBuffer() {
        int n = 16_000;
        float[] in = new float[n];
        java.util.Arrays.fill(in, 0.5f);
        double step = 1.1; // cut-off 0.95 / 1.1: 20 taps, half 10, a padded buffer of exactly n + 40
        Resampler r = new Resampler(step);
        int half = 10;
        double edge = n + half - 0.25 / Resampler.PHASES; // rounds to phase PHASES, i.e. onto base n + half
        float[] out = new float[3];
        r.resample(in, n, edge - 2 * step, step, out, 3);
        assertEquals(0f, out[2], "at the edge every tap is past the signal");
        // and well inside the signal the constant comes back (within the kernel's ripple)
        float[] mid = new float[1];
        r.resample(in, n, n / 2.0, step, mid, 1);
        assertEquals(0.5, mid[0], 0.01);
    }
}
