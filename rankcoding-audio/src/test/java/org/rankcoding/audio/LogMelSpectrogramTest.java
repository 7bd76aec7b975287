package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogMelSpectrogram} against values computed independently: a slow reference (window, naive O(N^2) DFT and the
 * filter bank written out from the formulas), pure tones, silence and frame counts.
 */
class LogMelSpectrogramTest {

    private static final LogMelConfig DEFAULT = LogMelConfig.speechCommands();

    private static float[] tone(double hz, double amplitude, int n, int rate) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static float[] noise(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.3 * rng.nextGaussian());
        }
        return s;
    }

    /** HTK mel, written out here rather than taken from the class under test. */
    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** The B + 2 filter edge points in Hz; centre of band b is point b + 1. */
    private static double[] points(LogMelConfig c) {
        double lo = mel(c.minFrequency());
        double hi = mel(c.maxFrequency());
        double[] p = new double[c.melBands() + 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = hz(lo + i * (hi - lo) / (c.melBands() + 1));
        }
        p[0] = c.minFrequency();
        p[p.length - 1] = c.maxFrequency();
        return p;
    }

    /** The slow reference: one frame, periodic Hann, zero-padding, naive DFT, triangular filters, ln(E + eps). */
    private static double[] referenceFrame(float[] s, int start, LogMelConfig c) {
        int n = c.fftSize();
        int w = c.windowLength();
        double[] x = new double[n];
        for (int i = 0; i < w; i++) {
            x[i] = s[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / w));
        }
        double[] power = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                double angle = -2 * Math.PI * ((long) k * i % n) / n;
                re += x[i] * Math.cos(angle);
                im += x[i] * Math.sin(angle);
            }
            power[k] = re * re + im * im;
        }
        double[] p = points(c);
        double[] out = new double[c.melBands()];
        for (int b = 0; b < c.melBands(); b++) {
            double e = 0;
            for (int k = 0; k <= n / 2; k++) {
                double f = (double) k * c.sampleRate() / n;
                double weight = 0;
                if (f > p[b] && f <= p[b + 1]) {
                    weight = (f - p[b]) / (p[b + 1] - p[b]);
                } else if (f > p[b + 1] && f < p[b + 2]) {
                    weight = (p[b + 2] - f) / (p[b + 2] - p[b + 1]);
                }
                e += weight * power[k];
            }
            out[b] = Math.log(e + c.epsilon());
        }
        return out;
    }

    @Test
    void frameCountHasNoCentrePadding() {
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        assertEquals(98, m.frames(16_000));
        assertEquals(98 * 40, m.compute(new float[16_000]).length);
        assertEquals(98, m.computeSteps(new float[16_000]).length);
        assertEquals(0, m.frames(399));
        assertEquals(1, m.frames(400));
        assertEquals(1, m.frames(559));
        assertEquals(2, m.frames(560));
        assertEquals(0, m.compute(new float[399]).length);
        assertThrows(IllegalArgumentException.class, () -> m.computeSteps(new float[399]));
    }

    @Test
    void matchesTheNaiveDftReference() {
        float[] s = noise(16_000, 11);
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        double[] all = m.compute(s);
        for (int t : new int[] {0, 37, 97}) {
            double[] ref = referenceFrame(s, t * 160, DEFAULT);
            for (int b = 0; b < 40; b++) {
                double got = all[t * 40 + b];
                assertEquals(ref[b], got, 1e-6 * Math.abs(ref[b]) + 1e-12, "frame " + t + " band " + b);
            }
        }
    }

    @Test
    void matchesTheReferenceWithOtherParameters() {
        // 8 kHz, window 200 in a 256-point FFT, 23 bands from 100 Hz to 3,800 Hz, eps 1e-3
        LogMelConfig c = new LogMelConfig(8_000, 200, 80, 256, 23, 100, 3_800, 1e-3);
        float[] s = noise(4_000, 5);
        double[] out = new double[23];
        new LogMelSpectrogram(c).computeFrame(s, 1_000, out, 0);
        double[] ref = referenceFrame(s, 1_000, c);
        for (int b = 0; b < 23; b++) {
            assertEquals(ref[b], out[b], 1e-6 * Math.abs(ref[b]) + 1e-12, "band " + b);
        }
    }

    @Test
    void aPureToneLandsInTheBandWhoseCentreIsNearest() {
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        double[] p = points(DEFAULT);
        for (double f : new double[] {1_000, 3_000, 440, 6_000}) {
            int nearest = 0;
            for (int b = 1; b < 40; b++) {
                if (Math.abs(p[b + 1] - f) < Math.abs(p[nearest + 1] - f)) {
                    nearest = b;
                }
            }
            double[] out = m.compute(tone(f, 0.5, 16_000, 16_000));
            for (int t = 0; t < 98; t++) {
                int best = 0;
                for (int b = 1; b < 40; b++) {
                    if (out[t * 40 + b] > out[t * 40 + best]) {
                        best = b;
                    }
                }
                assertEquals(nearest, best, f + " Hz, frame " + t);
                // the energy is concentrated: far bands are many orders of magnitude below
                assertTrue(out[t * 40 + best] - out[t * 40 + (nearest < 20 ? 39 : 0)] > 10, f + " Hz, frame " + t);
            }
        }
        double[] centers = m.centerFrequencies();
        for (int b = 0; b < 40; b++) {
            assertEquals(p[b + 1], centers[b], 1e-9 * p[b + 1]);
        }
    }

    @Test
    void silenceGivesLogEpsilon() {
        double[] out = new LogMelSpectrogram(DEFAULT).compute(new float[16_000]);
        for (double v : out) {
            assertEquals(Math.log(1e-6), v);
        }
        double[] out2 = new LogMelSpectrogram(DEFAULT.withMelBands(20)).compute(new float[1_000]);
        assertEquals(4 * 20, out2.length); // 1 + (1000 - 400) / 160 = 4 frames
        assertEquals(Math.log(1e-6), out2[79]);
    }

    @Test
    void loudnessShiftsEveryBandByTheSameLogFactor() {
        // Doubling the amplitude multiplies the power by 4: log-mel + ln 4 (where the signal dwarfs epsilon).
        float[] s = noise(2_000, 3);
        float[] twice = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            twice[i] = 2 * s[i];
        }
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        double[] a = m.compute(s);
        double[] b = m.compute(twice);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] + Math.log(4), b[i], 1e-6);
        }
    }

    @Test
    void allOutputFormsAgree() {
        float[] s = noise(5_000, 9);
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        double[] whole = m.compute(s);
        double[][] steps = m.computeSteps(s);
        for (int t = 0; t < steps.length; t++) {
            for (int b = 0; b < 40; b++) {
                assertEquals(whole[t * 40 + b], steps[t][b]);
            }
        }
        // a sub-range: frames of samples [800, 800 + 3000)
        double[] out = new double[m.frames(3_000) * 40 + 3];
        out[out.length - 1] = 42;
        m.compute(s, 800, 3_000, out);
        for (int t = 0; t < m.frames(3_000); t++) {
            for (int b = 0; b < 40; b++) {
                assertEquals(whole[(t + 5) * 40 + b], out[t * 40 + b]);
            }
        }
        assertEquals(42, out[out.length - 1]);
        assertThrows(IllegalArgumentException.class, () -> m.compute(s, 4_000, 3_000, out));
        assertThrows(IllegalArgumentException.class, () -> m.compute(s, 0, 5_000, new double[10]));
        assertThrows(IllegalArgumentException.class, () -> m.computeFrame(s, 4_700, new double[40], 0));
        assertThrows(IllegalArgumentException.class, () -> m.computeFrame(s, 0, new double[40], 1));
    }

    @Test
    void theFilterBankHasPeakOneTrianglesThatTileTheRange() {
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        double[][] bank = m.filterBank();
        assertEquals(40, bank.length);
        assertEquals(257, bank[0].length);
        for (int b = 0; b < 40; b++) {
            double max = 0;
            for (double w : bank[b]) {
                assertTrue(w >= 0 && w <= 1);
                max = Math.max(max, w);
            }
            assertTrue(max > 0.5, "band " + b + " peak " + max);
        }
        // between the first and the last centre, adjacent triangles sum to 1
        for (int k = 0; k < 257; k++) {
            double f = k * 16_000.0 / 512;
            if (f > m.centerFrequencies()[0] && f < m.centerFrequencies()[39]) {
                double sum = 0;
                for (double[] row : bank) {
                    sum += row[k];
                }
                assertEquals(1.0, sum, 1e-9, "bin " + k);
            }
        }
        assertEquals(0, bank[0][0]);
        assertEquals(0, bank[39][256], "8 kHz is the upper edge, weight 0");
    }

    @Test
    void computeFrameAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return;
        }
        LogMelSpectrogram m = new LogMelSpectrogram(DEFAULT);
        float[] s = noise(16_000, 1);
        double[] out = new double[98 * 40];
        m.compute(s, 0, s.length, out); // warm up
        long before = sun.getCurrentThreadAllocatedBytes();
        for (int r = 0; r < 20; r++) {
            m.compute(s, 0, s.length, out);
        }
        long allocated = sun.getCurrentThreadAllocatedBytes() - before;
        // 1,960 frames: a single allocation per frame would be > 30 KB
        assertTrue(allocated < 4_096, allocated + " bytes allocated for 1,960 frames");
    }

    @Test
    void configurationIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 400, 160, 500, 40, 20, 8_000, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 600, 160, 512, 40, 20, 8_000, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 400, 0, 512, 40, 20, 8_000, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 400, 160, 512, 40, 20, 9_000, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 400, 160, 512, 40, 8_000, 8_000, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new LogMelConfig(16_000, 400, 160, 512, 40, 20, 8_000, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LogMelSpectrogram(DEFAULT.withMelBands(200)));
        assertTrue(e.getMessage().contains("contains no FFT bin"), e.getMessage());
        assertEquals(new LogMelConfig(16_000, 400, 160, 512, 40, 20, 8_000, 1e-6), DEFAULT);
        assertEquals(DEFAULT, DEFAULT.withFraming(400, 160).withFrequencyRange(20, 8_000));
        assertArrayEquals(new double[] {}, new LogMelSpectrogram(DEFAULT).compute(new float[0]));
    }
}
