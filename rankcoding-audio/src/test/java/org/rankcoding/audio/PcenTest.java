package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Per-channel energy normalisation against a slow reference written from the paper's formula, frame by frame against
 * the whole clip at once, and its parameters' bounds.
 */
class PcenTest {

    private static final LogMelConfig MEL = LogMelConfig.speechCommands();

    /** Noise, then a loud tone burst, silence, a quiet chirp: loudness that changes, so the smoother matters. */
    static float[] clip(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[16_000];
        for (int i = 0; i < s.length; i++) {
            double v = 0.01 * rng.nextGaussian();
            if (i >= 3_000 && i < 6_000) {
                v += 0.6 * Math.sin(2 * Math.PI * 700 * i / 16_000.0);
            } else if (i >= 7_000 && i < 9_000) {
                v = 0;
            } else if (i >= 9_000) {
                v += 0.05 * Math.sin(2 * Math.PI * (300 + 0.2 * (i - 9_000)) * i / 16_000.0);
            }
            s[i] = (float) v;
        }
        return s;
    }

    /** The mel energies E[t][b] of the clip (the spectrogram is tested elsewhere). */
    private static double[][] energies(float[] s) {
        LogMelSpectrogram m = new LogMelSpectrogram(MEL);
        double[][] e = new double[MEL.frames(s.length)][MEL.melBands()];
        for (int t = 0; t < e.length; t++) {
            m.computeEnergies(s, t * MEL.hopLength(), m.melFilterBank(), e[t], 0);
        }
        return e;
    }

    /**
     * The slow reference, straight from the definition: the smoother unrolled into its closed form
     * {@code M[t] = (1 - s)^t E[0] + sum_{i=1..t} s (1 - s)^(t - i) E[i]} (what {@code M[0] = E[0]} and the recursion
     * give), then {@code (E / (eps + M)^alpha + delta)^r - delta^r}; O(T^2), no state carried between frames.
     */
    private static double[][] reference(double[][] e, PcenConfig p) {
        double[][] out = new double[e.length][e[0].length];
        for (int t = 0; t < e.length; t++) {
            for (int b = 0; b < e[0].length; b++) {
                double m = Math.pow(1 - p.s(), t) * e[0][b];
                for (int i = 1; i <= t; i++) {
                    m += p.s() * Math.pow(1 - p.s(), t - i) * e[i][b];
                }
                out[t][b] = Math.pow(e[t][b] / Math.pow(p.epsilon() + m, p.alpha()) + p.delta(), p.r()) - Math.pow(p.delta(), p.r());
            }
        }
        return out;
    }

    @Test
    void matchesTheDefinitionFrameByFrame() {
        float[] s = clip(1);
        double[][] e = energies(s);
        for (PcenConfig p : new PcenConfig[] {PcenConfig.paperDefaults(), new PcenConfig(0.2, 0.5, 0.5, 0.25, 1e-3),
                new PcenConfig(1, 0, 0, 1, 1e-6)}) {
            double[][] want = reference(e, p);
            double[][] got = new MelFeatureStream(MEL, p).computeSteps(s);
            assertEquals(want.length, got.length);
            for (int t = 0; t < want.length; t++) {
                for (int b = 0; b < want[t].length; b++) {
                    assertEquals(want[t][b], got[t][b], 1e-9 * Math.max(1, Math.abs(want[t][b])), p + " frame " + t + " band " + b);
                }
            }
        }
        // s = 1, alpha = 0, delta = 0, r = 1 is the identity on the energies
        assertArrayEquals(e[50], new MelFeatureStream(MEL, new PcenConfig(1, 0, 0, 1, 1e-6)).computeSteps(s)[50]);
    }

    @Test
    void theFirstFrameSetsTheSmootherAndAConstantInputStaysConstant() {
        PcenConfig p = PcenConfig.paperDefaults();
        Pcen pcen = new Pcen(p, 2);
        double want = Math.pow(5.0 / Math.pow(1e-6 + 5.0, 0.98) + 2, 0.5) - Math.sqrt(2);
        for (int t = 0; t < 5; t++) {
            double[] f = {5.0, 0.0};
            pcen.apply(f, 0);
            assertEquals(want, f[0], 1e-15, "frame " + t + ": M = E from the first frame on");
            assertEquals(0.0, f[1], "silence gives 0");
        }
        pcen.reset();
        double[] f = {0.0, 7.0, 5.0};
        pcen.apply(f, 1);
        assertEquals(0.0, f[0], "values outside the frame are left alone");
        assertEquals(Math.pow(7.0 / Math.pow(1e-6 + 7.0, 0.98) + 2, 0.5) - Math.sqrt(2), f[1], 1e-15, "after reset, a first frame again");
    }

    @Test
    void framesFedOneByOneFromAWindowBufferEqualTheOfflinePassBitForBit() {
        float[] a = clip(2);
        float[] b = clip(3);
        for (FrontEndConfig config : new FrontEndConfig[] {FrontEndConfig.speechCommands().withCompression(PcenConfig.paperDefaults()),
                FrontEndConfig.speechCommands().withCompression(PcenConfig.paperDefaults()).withNormalization(CausalNormalization.defaults()),
                FrontEndConfig.speechCommands().withNormalization(new CausalNormalization(5))}) {
            FeatureNormalizer stats = FeatureNormalizer.fit(java.util.List.<double[][]>of(new MelFeatureStream(config).computeSteps(a)));
            double[][] offline = new FrontEndStream(config, stats).computeSteps(b);
            FrontEndStream live = new FrontEndStream(config, stats);
            live.computeSteps(a); // another utterance first: reset must forget it
            live.reset();
            float[] window = new float[MEL.windowLength()];
            double[] frame = new double[MEL.melBands()];
            for (int t = 0; t < offline.length; t++) {
                // a live spotter only has the current window's samples
                System.arraycopy(b, t * MEL.hopLength(), window, 0, window.length);
                live.nextFrame(window, 0, frame, 0);
                assertArrayEquals(offline[t], frame, config + ": frame " + t);
            }
        }
    }

    @Test
    void louderInputChangesPcenLittleAndLogMelByAConstant() {
        float[] s = clip(4);
        float[] loud = s.clone();
        for (int i = 0; i < loud.length; i++) {
            loud[i] *= 10; // +20 dB: energies x 100
        }
        double[][] quiet = new MelFeatureStream(MEL, PcenConfig.paperDefaults()).computeSteps(s);
        double[][] louder = new MelFeatureStream(MEL, PcenConfig.paperDefaults()).computeSteps(loud);
        double diff = 0;
        double size = 0;
        for (int t = 0; t < quiet.length; t++) {
            for (int b = 0; b < quiet[t].length; b++) {
                diff += Math.abs(louder[t][b] - quiet[t][b]);
                size += Math.abs(quiet[t][b]);
            }
        }
        // the gain normalisation leaves (x 100)^0.02 = 1.096 of the gain: under 15 % change, where log-mel shifts by ln 100
        assertTrue(diff / size < 0.15, "relative change " + diff / size);
    }

    @Test
    void aStreamWithPcenCausalNormalisationAndWarpedBanksAllocatesNothingPerFrame() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return;
        }
        FrontEndConfig config = FrontEndConfig.speechCommands().withCompression(PcenConfig.paperDefaults())
                .withNormalization(CausalNormalization.defaults());
        float[] s = clip(6);
        FrontEndStream stream = new FrontEndStream(config, FeatureNormalizer.fit(java.util.List.<double[][]>of(
                new MelFeatureStream(config).computeSteps(s))));
        VtlpFilterBanks banks = new VtlpFilterBanks(MEL, VtlpWarp.defaults());
        SplittableRandom random = new SplittableRandom(1);
        double[] out = new double[MEL.melBands()];
        for (int t = 0; t < 98; t++) {
            stream.nextFrame(s, t * 160, banks.draw(random), out, 0); // warm up
        }
        long before = sun.getCurrentThreadAllocatedBytes();
        for (int r = 0; r < 20; r++) {
            stream.reset();
            MelFilterBank bank = banks.draw(random);
            for (int t = 0; t < 98; t++) {
                stream.nextFrame(s, t * 160, bank, out, 0);
            }
        }
        long allocated = sun.getCurrentThreadAllocatedBytes() - before;
        // 1,960 frames: a single allocation per frame would be > 30 KB
        assertTrue(allocated < 4_096, allocated + " bytes allocated for 1,960 frames");
    }

    @Test
    void aWindowWithANonFiniteSampleIsRefusedAndLeavesTheStreamAsItWas() {
        float[] s = clip(7);
        float[] bad = s.clone();
        int k = 30;
        bad[k * MEL.hopLength() + 200] = Float.NaN;
        for (FrontEndConfig config : new FrontEndConfig[] {FrontEndConfig.speechCommands().withCompression(PcenConfig.paperDefaults()),
                FrontEndConfig.speechCommands().withNormalization(CausalNormalization.defaults())}) {
            FeatureNormalizer stats = FeatureNormalizer.fit(java.util.List.<double[][]>of(new MelFeatureStream(config).computeSteps(s)));
            FrontEndStream hit = new FrontEndStream(config, stats);
            FrontEndStream clean = new FrontEndStream(config, stats);
            double[] a = new double[MEL.melBands()];
            double[] b = new double[MEL.melBands()];
            for (int t = 0; t < 60; t++) {
                int start = t * MEL.hopLength();
                if (t == k) {
                    assertIllegalArgument(() -> hit.nextFrame(bad, start, a, 0), "band 0 of the frame is NaN", "state is unchanged");
                    continue; // the clean stream never sees frame k: after the refusal both streams must agree
                }
                hit.nextFrame(s, start, a, 0);
                clean.nextFrame(s, start, b, 0);
                assertArrayEquals(b, a, config + ": frame " + t);
            }
        }
        Pcen pcen = new Pcen(PcenConfig.paperDefaults(), 2);
        assertIllegalArgument(() -> pcen.apply(new double[] {1, -0.5}, 0), "PCEN: band 1 of the frame is -0.5", "finite mel energy >= 0");
        assertIllegalArgument(() -> pcen.apply(new double[] {Double.POSITIVE_INFINITY, 1}, 0), "PCEN: band 0 of the frame is Infinity");
    }

    @Test
    void badParametersAreRefusedWithTheirRange() {
        PcenConfig p = PcenConfig.paperDefaults();
        assertEquals(new PcenConfig(0.025, 0.98, 2, 0.5, 1e-6), p);
        assertIllegalArgument(() -> p.withS(0), "PCEN s = 0.0", "(0, 1]");
        assertIllegalArgument(() -> p.withS(1.5), "PCEN s = 1.5");
        assertIllegalArgument(() -> p.withAlpha(-0.1), "PCEN alpha = -0.1", "[0, 1]");
        assertIllegalArgument(() -> p.withAlpha(Double.NaN), "PCEN alpha = NaN");
        assertIllegalArgument(() -> p.withDelta(-1), "PCEN delta = -1.0", ">= 0");
        assertIllegalArgument(() -> p.withDelta(Double.POSITIVE_INFINITY), "PCEN delta = Infinity");
        assertIllegalArgument(() -> p.withR(0), "PCEN r = 0.0", "(0, 1]");
        assertIllegalArgument(() -> p.withR(2), "PCEN r = 2.0");
        assertIllegalArgument(() -> p.withEpsilon(0), "PCEN epsilon = 0.0", "> 0");
        assertIllegalArgument(() -> new Pcen(p, 0), "bands = 0", ">= 1");
        assertIllegalArgument(() -> new Pcen(p, 3).apply(new double[2], 0), "frame [0, 0 + 3) outside an array of 2");
    }

    @Test
    void theTextFormRoundTripsExactlyAndBadTextIsRefused() {
        PcenConfig odd = new PcenConfig(0.1 + 0.2, 0.98, 2, 1.0 / 3, 1e-7);
        assertEquals(odd, MelCompression.fromText(odd.toText()));
        assertEquals("pcen(s=0.025,alpha=0.98,delta=2.0,r=0.5,epsilon=1.0E-6)", PcenConfig.paperDefaults().toText());
        assertEquals(MelCompression.log(), MelCompression.fromText("log"));
        assertIllegalArgument(() -> MelCompression.fromText("loudness"), "'loudness' is unknown", "'log'", "pcen(s=0.025");
        assertIllegalArgument(() -> MelCompression.fromText("pcen(s=0.025,alpha=0.98)"), "2 parts", "five parameters");
        assertIllegalArgument(() -> MelCompression.fromText("pcen(s=0.025,alpha=0.98,delta=2,epsilon=1e-6,r=0.5)"),
                "part 4 is 'epsilon=1e-6', expected r=<number>");
        assertIllegalArgument(() -> MelCompression.fromText("pcen(s=x,alpha=0.98,delta=2,r=0.5,epsilon=1e-6)"), "PCEN s = 'x' is not a number");
        assertIllegalArgument(() -> MelCompression.fromText("pcen(s=0,alpha=0.98,delta=2,r=0.5,epsilon=1e-6)"), "PCEN s = 0.0");
    }
}
