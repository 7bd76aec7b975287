package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Vocal-tract-length perturbation: the warp itself, the grid of factors, the precomputed banks ({@link VtlpFilterBanks})
 * and what they do to the front end's output: nothing at all for {@code alpha = 1}, a pure tone moved to higher bands
 * for {@code alpha > 1} and to lower ones for {@code alpha < 1}.
 */
class VtlpTest {

    private static final LogMelConfig DEFAULT = LogMelConfig.speechCommands();
    private static final VtlpFilterBanks BANKS = new VtlpFilterBanks(DEFAULT, VtlpWarp.defaults());

    private static float[] tone(double hz, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / 16_000));
        }
        return s;
    }

    @Test
    void alphaOneGivesTheUnwarpedOutputBitForBit() {
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        float[] s = LogMelGoldenTest.signal(16_000, 16_000, 3);
        MelFilterBank one = BANKS.bank(1.0);
        assertEquals(1.0, one.alpha());
        assertArrayEquals(m.computeSteps(s), m.computeSteps(s, one));
        assertEquals(-6728181609426813653L, LogMelGoldenTest.fingerprint(m.computeSteps(s, one)));
        assertArrayEquals(MelFilterBank.of(DEFAULT).toDense(), MelFilterBank.warped(DEFAULT, 1.0, 4_800).toDense());
        assertSame(one, BANKS.bank(1.0024), "a factor within half a step of 1 is quantised to 1");
        // the streams' log-mel path is the spectrogram's, bit for bit, warped or not
        MelFeatureStream stream = new MelFeatureStream(FrontEndConfig.speechCommands());
        assertArrayEquals(m.computeSteps(s), stream.computeSteps(s));
        MelFilterBank warped = BANKS.bank(1.13);
        assertArrayEquals(m.computeSteps(s, warped), stream.computeSteps(s, warped));
    }

    /** The band with the most energy in the middle frame of a tone, with {@code bank}. */
    private static int peakBand(double hz, MelFilterBank bank, double[] energies) {
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        m.computeEnergies(tone(hz, 4_000), 1_600, bank, energies, 0);
        int best = 0;
        for (int b = 1; b < energies.length; b++) {
            best = energies[b] > energies[best] ? b : best;
        }
        return best;
    }

    @Test
    void aToneMovesToHigherBandsAsAlphaGrows() {
        double[] centers = BANKS.bank(1.0).centerFrequencies();
        double[] e = new double[DEFAULT.melBands()];
        int previous = -1;
        for (double alpha : new double[] {0.8, 0.9, 1.0, 1.1, 1.2}) {
            int peak = peakBand(1_000, BANKS.bank(alpha), e);
            assertTrue(peak >= previous, "alpha " + alpha + ": peak band " + peak + " below " + previous);
            previous = peak;
            // below the knee the warp is alpha f: the tone's energy lands in the band nearest to alpha x 1000 Hz
            int nearest = 0;
            for (int b = 1; b < centers.length; b++) {
                nearest = Math.abs(centers[b] - alpha * 1_000) < Math.abs(centers[nearest] - alpha * 1_000) ? b : nearest;
            }
            assertTrue(Math.abs(peak - nearest) <= 1, "alpha " + alpha + ": peak band " + peak + " (" + centers[peak]
                    + " Hz), expected near " + alpha * 1_000 + " Hz (band " + nearest + ")");
        }
        int low = peakBand(1_000, BANKS.bank(0.8), e);
        int mid = peakBand(1_000, BANKS.bank(1.0), e);
        int high = peakBand(1_000, BANKS.bank(1.2), e);
        assertTrue(low < mid && mid < high, low + " < " + mid + " < " + high);
        // near the top the warp bends back to the Nyquist frequency: a 7.5 kHz tone stays inside the bank
        for (double alpha : new double[] {0.8, 1.2}) {
            int top = peakBand(7_500, BANKS.bank(alpha), e);
            assertTrue(top >= DEFAULT.melBands() - 4 && e[top] > 1, "alpha " + alpha + ": 7.5 kHz peaks in band " + top);
        }
    }

    @Test
    void theWarpIsPiecewiseLinearContinuousAndKeepsNyquist() {
        double ny = 8_000;
        for (double alpha : new double[] {0.8, 0.93, 1.0, 1.07, 1.2}) {
            assertEquals(0.0, VtlpWarp.warp(0, alpha, 4_800, ny));
            assertEquals(ny, VtlpWarp.warp(ny, alpha, 4_800, ny), 1e-9);
            double knee = 4_800 * Math.min(alpha, 1) / alpha;
            assertEquals(alpha * knee, VtlpWarp.warp(knee + 1e-9, alpha, 4_800, ny), 1e-6, "continuous at the knee");
            assertEquals(alpha * 1_000, VtlpWarp.warp(1_000, alpha, 4_800, ny), 1e-12);
            double previous = -1;
            for (double f = 0; f <= ny; f += 7.3) {
                double w = VtlpWarp.warp(f, alpha, 4_800, ny);
                assertTrue(w > previous && w <= ny, "increasing inside [0, Nyquist]");
                previous = w;
            }
        }
        for (double f = 0; f <= ny; f += 31.25) {
            assertEquals(f, VtlpWarp.warp(f, 1.0, 4_800, ny), "alpha 1 is the identity, exactly");
        }
    }

    @Test
    void theGridIsQuantisedAroundOneAndDrawnFromTheGivenGenerator() {
        VtlpWarp w = VtlpWarp.defaults();
        assertEquals(81, w.levels());
        assertEquals(81, BANKS.levels());
        assertEquals(1.0, w.level(40));
        assertEquals(0.8, w.level(0), 1e-12);
        assertEquals(1.2, w.level(80), 1e-12);
        assertEquals(40, w.levelIndex(1.0024));
        assertEquals(41, w.levelIndex(1.0026));
        assertEquals(0, w.levelIndex(0.8));
        assertEquals(80, w.levelIndex(1.2));
        assertEquals(1.005, BANKS.bank(1.0026).alpha(), 1e-12);
        assertEquals(21, VtlpWarp.defaults().withRange(0.95, 1.05).levels());
        int[] seen = new int[BANKS.levels()];
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            MelFilterBank drawn = BANKS.draw(a);
            assertSame(drawn, BANKS.draw(b), "the same seed draws the same banks");
            seen[w.levelIndex(drawn.alpha())]++;
        }
        for (int i = 0; i < seen.length; i++) {
            assertTrue(seen[i] > 150 && seen[i] < 350, "level " + i + " drawn " + seen[i] + " times of 20,000 (uniform: about 247)");
        }
    }

    @Test
    void badParametersAreRefusedWithTheirRange() {
        assertIllegalArgument(() -> new VtlpWarp(0.4, 1.2, 0.005, 4_800), "VTLP minAlpha = 0.4", "[0.5, 1]");
        assertIllegalArgument(() -> new VtlpWarp(1.1, 1.2, 0.005, 4_800), "VTLP minAlpha = 1.1");
        assertIllegalArgument(() -> new VtlpWarp(0.8, 2.5, 0.005, 4_800), "VTLP maxAlpha = 2.5", "[1, 2.0]");
        assertIllegalArgument(() -> new VtlpWarp(0.8, 1.2, 0, 4_800), "VTLP step = 0.0", "(0, 0.5]");
        assertIllegalArgument(() -> new VtlpWarp(0.8, 1.2, Double.NaN, 4_800), "VTLP step = NaN");
        assertIllegalArgument(() -> new VtlpWarp(0.5, 2, 1e-5, 4_800), "levels", "at most " + VtlpWarp.MAX_LEVELS, "larger step");
        assertIllegalArgument(() -> new VtlpWarp(0.8, 1.2, 0.005, 0), "VTLP boundaryHz = 0.0");
        assertIllegalArgument(() -> VtlpWarp.defaults().withBoundary(Double.POSITIVE_INFINITY), "VTLP boundaryHz = Infinity");
        assertIllegalArgument(() -> BANKS.bank(1.3), "VTLP alpha = 1.3", "[minAlpha = 0.8, maxAlpha = 1.2]", "withRange");
        assertIllegalArgument(() -> BANKS.bank(Double.NaN), "VTLP alpha = NaN");
        assertIllegalArgument(() -> VtlpWarp.defaults().level(81), "VTLP level 81", "[0, 80]");
        assertIllegalArgument(() -> new VtlpFilterBanks(DEFAULT, VtlpWarp.defaults().withBoundary(9_000)),
                "VTLP boundaryHz = 9000.0", "sampleRate / 2 = 8000.0");
        assertIllegalArgument(() -> MelFilterBank.warped(DEFAULT, 3, 4_800), "VTLP alpha = 3.0", "[0.5, 2.0]");
        // 101 bands fit the FFT unwarped, but stretched by 1.2 the second band falls between two bins
        LogMelConfig fine = DEFAULT.withMelBands(101);
        new LogMelSpectrogram(fine);
        assertIllegalArgument(() -> new VtlpFilterBanks(fine, VtlpWarp.defaults()), "mel band 1 of 101", "contains no FFT bin",
                "after warping by VTLP alpha = 1.2", "narrower VTLP range");
        // a bank of another configuration does not fit
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        MelFilterBank other = MelFilterBank.of(DEFAULT.withFrequencyRange(100, 7_000));
        assertIllegalArgument(() -> m.computeSteps(new float[16_000], other), "does not fit", "same LogMelConfig");
        assertTrue(BANKS.bank(1.1).fits(DEFAULT.withFraming(320, 160)), "window and hop do not matter to a bank");
    }

    @Test
    void warpedFramesAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return;
        }
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        float[] s = LogMelGoldenTest.signal(16_000, 16_000, 5);
        double[] out = new double[40];
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 98; t++) {
            m.computeFrame(s, t * 160, BANKS.draw(random), out, 0); // warm up
        }
        long before = sun.getCurrentThreadAllocatedBytes();
        for (int r = 0; r < 20; r++) {
            for (int t = 0; t < 98; t++) {
                m.computeFrame(s, t * 160, BANKS.draw(random), out, 0);
            }
        }
        long allocated = sun.getCurrentThreadAllocatedBytes() - before;
        // 1,960 frames: a single allocation per frame would be > 30 KB
        assertTrue(allocated < 4_096, allocated + " bytes allocated for 1,960 warped frames");
    }
}
