package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Causal per-utterance standardisation: the running statistics against their definition, causality (a later frame
 * never changes an earlier output), the prior, and its bounds.
 */
class CausalNormalizerTest {

    private static final FeatureNormalizer PRIOR = new FeatureNormalizer(new double[] {-3, 0.5, 2}, new double[] {2, 0.25, 1});

    private static double[][] steps(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] s = new double[n][3];
        for (double[] row : s) {
            row[0] = -1 + 3 * rng.nextGaussian();
            row[1] = 4 + 0.1 * rng.nextGaussian();
            row[2] = rng.nextDouble() < 0.3 ? 10 : 0;
        }
        return s;
    }

    /** Frame t from the definition: sums over frames 0..t plus the prior counted as n0 frames; no running state. */
    private static double[] reference(double[][] x, int t, double n0) {
        double[] out = new double[3];
        for (int b = 0; b < 3; b++) {
            double mu0 = PRIOR.mean()[b];
            double sigma0 = PRIOR.std()[b];
            double n = n0 + t + 1;
            double sum = n0 * mu0;
            for (int i = 0; i <= t; i++) {
                sum += x[i][b];
            }
            double mean = sum / n;
            double sq = n0 * (sigma0 * sigma0 + (mu0 - mean) * (mu0 - mean));
            for (int i = 0; i <= t; i++) {
                sq += (x[i][b] - mean) * (x[i][b] - mean);
            }
            out[b] = (x[t][b] - mean) / Math.sqrt(sq / n);
        }
        return out;
    }

    @Test
    void matchesTheDefinitionAtEveryFrame() {
        double[][] x = steps(120, 1);
        for (double n0 : new double[] {1, 20, 1e4}) {
            double[][] got = new CausalNormalizer(new CausalNormalization(n0), PRIOR).apply(x);
            for (int t = 0; t < x.length; t++) {
                assertArrayEquals(reference(x, t, n0), got[t], 1e-9, "prior " + n0 + ", frame " + t);
            }
        }
        // a heavy prior is the training-set standardisation at the first frames (to about (x - mu0)^2 / (2 sigma0^2 n0))
        double[][] heavy = new CausalNormalizer(new CausalNormalization(CausalNormalization.MAX_PRIOR_FRAMES), PRIOR).apply(x);
        double[] global = PRIOR.apply(new double[][] {x[0]})[0];
        for (int b = 0; b < 3; b++) {
            assertEquals(global[b], heavy[0][b], 2e-4 * Math.abs(global[b]) + 1e-9, "band " + b);
        }
    }

    @Test
    void frameTUsesOnlyFramesUpToT() {
        double[][] x = steps(60, 2);
        CausalNormalizer norm = new CausalNormalizer(CausalNormalization.defaults(), PRIOR);
        double[][] before = norm.apply(x);
        assertEquals(60, norm.framesSeen());
        for (int k : new int[] {0, 1, 17, 59}) {
            double[][] changed = new double[x.length][];
            for (int t = 0; t < x.length; t++) {
                changed[t] = x[t].clone();
            }
            changed[k][0] += 5;
            changed[k][2] -= 3;
            double[][] after = norm.apply(changed);
            for (int t = 0; t < k; t++) {
                assertArrayEquals(before[t], after[t], "frame " + t + " must not depend on frame " + k);
            }
            assertFalse(before[k][0] == after[k][0], "frame " + k + " itself changes");
        }
    }

    @Test
    void theWholeFrontEndIsCausalAndALaterSampleChangesNoEarlierFrame() {
        float[] s = PcenTest.clip(5);
        LogMelConfig mel = LogMelConfig.speechCommands();
        for (MelCompression compression : List.of(MelCompression.log(), PcenConfig.paperDefaults())) {
            FrontEndConfig config = FrontEndConfig.speechCommands().withCompression(compression)
                    .withNormalization(CausalNormalization.defaults());
            FeatureNormalizer stats = FeatureNormalizer.fit(List.<double[][]>of(new MelFeatureStream(config).computeSteps(s)));
            FrontEndStream stream = new FrontEndStream(config, stats);
            double[][] before = stream.computeSteps(s);
            int k = 40;
            float[] later = s.clone();
            for (int i = k * mel.hopLength() + mel.windowLength(); i < later.length; i++) {
                later[i] = 0.9f * (float) Math.sin(i * 0.3); // after frame k's window: a loud tone
            }
            double[][] after = stream.computeSteps(later);
            for (int t = 0; t <= k; t++) {
                assertArrayEquals(before[t], after[t], compression.toText() + ": frame " + t);
            }
            assertFalse(java.util.Arrays.equals(before[k + 1], after[k + 1]), "frame " + (k + 1) + " hears the change");
        }
    }

    @Test
    void theFirstFrameIsDefinedAndTheStatisticsFollowTheUtterance() {
        CausalNormalizer norm = new CausalNormalizer(new CausalNormalization(4), PRIOR);
        double[] f = {-3, 0.5, 2};
        norm.apply(f, 0);
        assertArrayEquals(new double[3], f, "the prior's mean gives 0");
        // a constant far from the prior: the running mean moves to it, so the output decays to 0
        double first = Double.NaN;
        double last = Double.NaN;
        norm.reset();
        for (int t = 0; t < 200; t++) {
            double[] g = {7, 7, 7};
            norm.apply(g, 0);
            assertTrue(Double.isFinite(g[0]));
            first = t == 0 ? g[0] : first;
            last = g[0];
        }
        assertTrue(first > 1 && last < 0.3 * first, first + " then " + last);
    }

    @Test
    void aNonFiniteFrameIsRefusedAndTheStatisticsAreUnchanged() {
        double[][] x = steps(10, 3);
        CausalNormalizer hit = new CausalNormalizer(CausalNormalization.defaults(), PRIOR);
        CausalNormalizer clean = new CausalNormalizer(CausalNormalization.defaults(), PRIOR);
        for (int t = 0; t < x.length; t++) {
            if (t == 4) {
                assertIllegalArgument(() -> hit.apply(new double[] {0, Double.NaN, 0}, 0), "causal normalization: band 1 of the frame is NaN",
                        "state is unchanged");
                assertIllegalArgument(() -> hit.apply(new double[] {Double.NEGATIVE_INFINITY, 0, 0}, 0), "band 0 of the frame is -Infinity");
            }
            double[] a = x[t].clone();
            double[] b = x[t].clone();
            hit.apply(a, 0);
            clean.apply(b, 0);
            assertArrayEquals(b, a, "frame " + t);
        }
        assertEquals(10, hit.framesSeen());
    }

    @Test
    void badParametersAreRefusedWithTheirRange() {
        assertIllegalArgument(() -> new CausalNormalization(0), "causal normalization priorFrames = 0.0", "[1, 1000000.0]");
        assertIllegalArgument(() -> new CausalNormalization(Double.NaN), "priorFrames = NaN");
        assertIllegalArgument(() -> new CausalNormalization(2e6), "priorFrames = 2000000.0");
        assertIllegalArgument(() -> new CausalNormalizer(CausalNormalization.defaults(), PRIOR).apply(new double[2], 0),
                "frame [0, 0 + 3) outside an array of 2");
        assertIllegalArgument(() -> new CausalNormalizer(CausalNormalization.defaults(), PRIOR).apply(new double[][] {{1, 2}}),
                "frame 0 has 2 values, expected 3");
        assertIllegalArgument(() -> new FrontEndStream(FrontEndConfig.speechCommands(), PRIOR),
                "the statistics have 3 features but the front end has 40 mel bands");
        assertEquals(new CausalNormalization(2.5), FeatureNormalization.fromText(new CausalNormalization(2.5).toText()));
        assertIllegalArgument(() -> FeatureNormalization.fromText("causal(priorFrames=0)"), "priorFrames = 0.0");
        assertIllegalArgument(() -> FeatureNormalization.fromText("causal(priorFrames=many)"), "'many' is not a number");
        assertIllegalArgument(() -> FeatureNormalization.fromText("causal(n=3)"), "expected causal(priorFrames=20.0)");
        assertIllegalArgument(() -> FeatureNormalization.fromText("per-utterance"), "'per-utterance' is unknown", "'training-set'");
    }
}
