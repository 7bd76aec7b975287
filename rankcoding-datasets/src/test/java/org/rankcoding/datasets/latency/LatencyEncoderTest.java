package org.rankcoding.datasets.latency;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SparseSpikes;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * {@link LatencyEncoder}: the bin rule, its edges, and agreement of every representation ({@link SparseSpikes} itself is
 * tested in the core module).
 */
class LatencyEncoderTest {

    private static final LatencyEncoder TWENTY = new LatencyEncoder();

    @Test
    void fullIntensityFiresFirstAndBackgroundLast() {
        assertEquals(20, TWENTY.steps());
        for (int n : new int[] {1, 2, 3, 7, 20, 33, 1000}) {
            LatencyEncoder e = new LatencyEncoder(n);
            assertEquals(1, e.spikeStep(1.0), "N = " + n);
            assertEquals(n, e.spikeStep(0.0), "N = " + n);
            assertEquals(n, e.spikeStep(-0.0), "N = " + n);
        }
    }

    /** RANKCODING.md: [0, 1] cut into 20 equal bins, brightest first; a value on an edge belongs to the upper bin. */
    @Test
    void twentyEqualBinsAsInTheText() {
        assertEquals(1, TWENTY.spikeStep(0.95));
        assertEquals(1, TWENTY.spikeStep(0.999));
        assertEquals(2, TWENTY.spikeStep(0.9499));
        assertEquals(2, TWENTY.spikeStep(0.90));
        assertEquals(10, TWENTY.spikeStep(0.5));
        assertEquals(11, TWENTY.spikeStep(0.4999));
        assertEquals(19, TWENTY.spikeStep(0.05));
        assertEquals(20, TWENTY.spikeStep(0.0499));
        assertEquals(20, TWENTY.spikeStep(Double.MIN_VALUE));
        for (int k = 0; k < 20; k++) {
            double edge = k / 20.0;
            assertEquals(20 - k, TWENTY.spikeStep(edge), "edge " + edge);
            assertEquals(20 - k, TWENTY.spikeStep(edge + 0.049), "inside bin " + k);
            if (k > 0) {
                assertEquals(21 - k, TWENTY.spikeStep(edge - 1e-6), "just below edge " + edge);
            }
        }
    }

    /** Edges computed in floating point land in the upper bin despite rounding ((15 / 22.0) * 22 < 15). */
    @Test
    void binEdgesComputedInFloatingPointAreOnTheEdge() {
        assertTrue((15 / 22.0) * 22 < 15, "the rounding this rule guards against");
        for (int n = 1; n <= 200; n++) {
            LatencyEncoder e = new LatencyEncoder(n);
            for (int k = 0; k <= n; k++) {
                assertEquals(n - Math.min(n - 1, k), e.spikeStep((double) k / n), "N = " + n + ", k = " + k);
                assertEquals(n - Math.min(n - 1, k), e.spikeStep(k * (1.0 / n)), "N = " + n + ", k = " + k);
            }
        }
    }

    @Test
    void pixelValuesAgreeWithExactIntegerArithmetic() {
        for (int n = 1; n <= 300; n++) {
            LatencyEncoder e = new LatencyEncoder(n);
            for (int p = 0; p <= 255; p++) {
                assertEquals(n - Math.min(n - 1, p * n / 255), e.spikeStep(p / 255.0), "N = " + n + ", pixel " + p);
            }
        }
    }

    @Test
    void brighterNeverFiresLaterAndAFullBinBrighterFiresEarlier() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rng.nextInt(40);
            LatencyEncoder e = new LatencyEncoder(n);
            double v = rng.nextDouble();
            double w = rng.nextDouble();
            double lo = Math.min(v, w);
            double hi = Math.max(v, w);
            assertTrue(e.spikeStep(hi) <= e.spikeStep(lo), "N = " + n + ": " + hi + " fires after " + lo);
            if (hi - lo >= 1.0 / n && n > 1) {
                assertTrue(e.spikeStep(hi) < e.spikeStep(lo), "N = " + n + ": " + hi + " should fire before " + lo);
            }
        }
    }

    /** A random vector with exact 0s, 1s and bin edges among its values. */
    private static double[] intensities(Random rng, int size, int n) {
        double[] v = new double[size];
        for (int j = 0; j < size; j++) {
            v[j] = switch (rng.nextInt(4)) {
                case 0 -> 0.0;
                case 1 -> 1.0;
                case 2 -> rng.nextInt(n + 1) / (double) n;
                default -> rng.nextDouble();
            };
        }
        return v;
    }

    /** The held form of an encoded raster is the cumulative pulse code (SparseSpikesTest checks held() itself). */
    @Test
    void heldFormOfAnEncodedRasterIsTheCumulativePulseCode() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            double[] v = new double[1 + rng.nextInt(30)];
            for (int j = 0; j < v.length; j++) {
                v[j] = rng.nextDouble();
            }
            LatencyEncoder enc = new LatencyEncoder(1 + rng.nextInt(20));
            double[][] pulses = enc.encodeDense(v);
            double[][] cumulative = new double[pulses.length][v.length];
            for (int s = 0; s < pulses.length; s++) {
                for (int j = 0; j < v.length; j++) {
                    cumulative[s][j] = (s == 0 ? 0 : cumulative[s - 1][j]) + pulses[s][j];
                }
            }
            assertTrue(Arrays.deepEquals(cumulative, enc.encodeSparse(v).held().toDense()), "trial " + trial);
        }
    }

    @Test
    void spikeCodingParsesItsNamesOnly() {
        assertEquals(SpikeCoding.HELD, SpikeCoding.parse("held"));
        assertEquals(SpikeCoding.PULSE, SpikeCoding.parse(" PULSE "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpikeCoding.parse("hold"));
        assertEquals("spikeCoding = hold, expected pulse or held (in any case)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpikeCoding.parse(null));
    }

    @Test
    void sparseDenseAndStepRepresentationsAgree() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(25);
            int size = 1 + rng.nextInt(40);
            LatencyEncoder e = new LatencyEncoder(n);
            double[] v = intensities(rng, size, n);
            int[] steps = e.spikeSteps(v);
            SparseSpikes sparse = e.encodeSparse(v);
            double[][] dense = e.encodeDense(v);

            assertEquals(n, sparse.steps());
            assertEquals(size, sparse.inputSize());
            assertEquals(size, sparse.spikeCount(), "every input fires exactly once");
            assertEquals(n + 1, sparse.start().length);
            for (int j = 0; j < size; j++) {
                assertEquals(e.spikeStep(v[j]), steps[j]);
                for (int s = 1; s <= n; s++) {
                    assertEquals(s == steps[j] ? 1.0 : 0.0, dense[s - 1][j], "input " + j + ", step " + s);
                }
            }
            int total = 0;
            for (int s = 1; s <= n; s++) {
                int[] firing = sparse.firingAt(s);
                assertEquals(firing.length, sparse.count(s));
                total += firing.length;
                for (int k = 0; k < firing.length; k++) {
                    assertEquals(s, steps[firing[k]]);
                    assertTrue(k == 0 || firing[k] > firing[k - 1], "ascending within a step");
                }
            }
            assertEquals(size, total);
            assertTrue(Arrays.deepEquals(dense, sparse.toDense()));
            assertEquals(sparse, SparseSpikes.ofSpikeSteps(steps, n));
            LabeledSequence seq = e.encode(v, 3);
            assertEquals(3, seq.label());
            assertTrue(Arrays.deepEquals(dense, seq.steps()));
            assertTrue(Arrays.deepEquals(dense, sparse.toSequence(3).steps()));

            // writeSpikes into row r of a time-major batch of `rows` rows: the same raster, nothing else touched
            int rows = 1 + rng.nextInt(3);
            int r = rng.nextInt(rows);
            double[] batch = new double[n * rows * size];
            Arrays.fill(batch, 0.5);
            for (int t = 0; t < n; t++) {
                Arrays.fill(batch, (t * rows + r) * size, (t * rows + r + 1) * size, 0.0);
            }
            e.writeSpikes(v, batch, r * size, rows * size);
            for (int t = 0; t < n; t++) {
                for (int q = 0; q < rows; q++) {
                    for (int j = 0; j < size; j++) {
                        double expected = q == r ? dense[t][j] : 0.5;
                        assertEquals(expected, batch[(t * rows + q) * size + j]);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadIntensitiesNamingIndexAndValue() {
        assertIllegalArgument(() -> TWENTY.spikeSteps(new double[] {0.1, 0.2, Double.NaN}), "intensity 2 is NaN", "[0, 1]");
        assertIllegalArgument(() -> TWENTY.encodeSparse(new double[] {-0.01}), "intensity 0 is -0.01");
        assertIllegalArgument(() -> TWENTY.encodeDense(new double[] {0, Math.nextUp(1.0)}), "intensity 1 is 1.0000000000000002");
        assertIllegalArgument(() -> TWENTY.encode(new double[] {0.5, 200}, 1), "intensity 1 is 200.0", "divided by 255");
        assertIllegalArgument(() -> TWENTY.spikeStep(Double.POSITIVE_INFINITY), "Infinity");
        assertIllegalArgument(() -> TWENTY.spikeSteps(new double[0]), "no intensities");
        assertIllegalArgument(() -> TWENTY.spikeSteps(null), "no intensities");
        assertIllegalArgument(() -> TWENTY.spikeSteps(new double[] {0.1, 0.2}, new int[1]), "out has 1 entries");
        assertIllegalArgument(() -> TWENTY.writeSpikes(new double[] {0.1, 0.7}, new double[39], 0, 2), "at least 40 values");
        assertIllegalArgument(() -> TWENTY.writeSpikes(new double[] {0.1, 0.7}, new double[40], 0, 1), "stride >= 2");
        assertIllegalArgument(() -> TWENTY.writeSpikes(new double[] {0.1, 0.7, -1}, new double[60], 0, 3), "intensity 2 is -1.0");
        assertIllegalArgument(() -> new LatencyEncoder(0), "steps = 0", ">= 1");
    }
}
