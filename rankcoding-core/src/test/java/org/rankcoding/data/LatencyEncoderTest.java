package org.rankcoding.data;

import org.junit.jupiter.api.Test;
import org.rankcoding.kernel.ReferenceKernels;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link LatencyEncoder} and {@link SparseSpikes}: the bin rule, its edges, and agreement of every representation. */
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

    @Test
    void heldRasterListsEveryInputFromItsFirstSpikeOn() {
        // steps 1..4, inputs 0..4: input 0 fires at 2, input 2 at 1 and again at 3, input 4 at 4, inputs 1 and 3 never
        SparseSpikes raster = new SparseSpikes(4, 5, new int[] {0, 1, 2, 3, 4}, new int[] {2, 0, 2, 4});
        SparseSpikes held = raster.held();
        assertArrayEquals(new int[] {2}, held.firingAt(1));
        assertArrayEquals(new int[] {0, 2}, held.firingAt(2));
        assertArrayEquals(new int[] {0, 2}, held.firingAt(3), "an input that fires again is listed once");
        assertArrayEquals(new int[] {0, 2, 4}, held.firingAt(4));
        assertEquals(5, held.inputSize());
        assertArrayEquals(new int[] {2, 0, 2, 4}, raster.indices(), "the raster itself is unchanged");

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
        assertEquals("spike coding 'hold', expected pulse or held", e.getMessage());
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

    /** The CSR arrays are what the sparse kernel consumes: sparseMultAdd(X, W) equals the dense product X W. */
    @Test
    void sparseSpikesFeedTheSparseKernel() {
        Random rng = new Random(5);
        int n = 6;
        int size = 9;
        int m = 4;
        LatencyEncoder e = new LatencyEncoder(n);
        double[] w = new double[size * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian();
        }
        // one example, all its steps: C (n x m) += X (n x size) W (size x m)
        double[] v = intensities(rng, size, n);
        SparseSpikes sp = e.encodeSparse(v);
        double[] c = new double[n * m];
        ReferenceKernels.INSTANCE.sparseMultAdd(n, m, sp.start(), sp.indices(), w, 0, c, 0);
        double[][] x = e.encodeDense(v);
        assertArrayEquals(denseProduct(x, w, m), c, 1e-12);

        // one step of a batch of 3 rows (one with fewer steps) gathered into batch CSR form
        SparseSpikes[] rows = {e.encodeSparse(intensities(rng, size, n)), e.encodeSparse(intensities(rng, size, n)),
                new LatencyEncoder(2).encodeSparse(intensities(rng, size, 2))};
        int[] start = new int[4];
        int[] idx = new int[3 * size];
        for (int step = 1; step <= n; step++) {
            int total = SparseSpikes.gatherStep(rows, 3, step, start, idx);
            assertEquals(start[3], total);
            double[] cb = new double[3 * m];
            ReferenceKernels.INSTANCE.sparseMultAdd(3, m, start, idx, w, 0, cb, 0);
            double[][] xs = new double[3][];
            for (int r = 0; r < 3; r++) {
                xs[r] = step <= rows[r].steps() ? rows[r].toDense()[step - 1] : new double[size];
                assertArrayEquals(step <= rows[r].steps() ? rows[r].firingAt(step) : new int[0], Arrays.copyOfRange(idx, start[r], start[r + 1]));
            }
            assertArrayEquals(denseProduct(xs, w, m), cb, 1e-12, "step " + step);
        }
    }

    private static double[] denseProduct(double[][] x, double[] w, int m) {
        double[] out = new double[x.length * m];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                for (int j = 0; j < m; j++) {
                    out[i * m + j] += x[i][k] * w[k * m + j];
                }
            }
        }
        return out;
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

    @Test
    void sparseSpikesRejectInconsistentArrays() {
        assertIllegalArgument(() -> new SparseSpikes(2, 3, new int[] {0, 1}, new int[] {0}), "start has 2 entries, expected steps + 1 = 3");
        assertIllegalArgument(() -> new SparseSpikes(2, 3, new int[] {0, 1, 1}, new int[] {0, 1}), "expected 0 and idx.length = 2");
        assertIllegalArgument(() -> new SparseSpikes(2, 3, new int[] {0, 2, 1}, new int[] {0}), "non-decreasing");
        assertIllegalArgument(() -> new SparseSpikes(2, 3, new int[] {0, 1, 2}, new int[] {0, 3}), "step 2 fires input 3, expected in [0, 3)");
        assertIllegalArgument(() -> new SparseSpikes(1, 3, new int[] {0, 2}, new int[] {1, 1}), "strictly ascending");
        assertIllegalArgument(() -> SparseSpikes.ofSpikeSteps(new int[] {1, 0}, 3), "input 1 has spike step 0, expected in [1, 3]");
        assertIllegalArgument(() -> SparseSpikes.ofSpikeSteps(new int[] {4}, 3), "input 0 has spike step 4");
        SparseSpikes ok = SparseSpikes.ofSpikeSteps(new int[] {2, 1, 2}, 2);
        assertArrayEquals(new int[] {0, 1, 3}, ok.start());
        assertArrayEquals(new int[] {1, 0, 2}, ok.indices());
        assertIllegalArgument(() -> ok.count(3), "step 3, expected in [1, 2]");
        assertIllegalArgument(() -> SparseSpikes.gatherStep(new SparseSpikes[] {ok, ok}, 2, 2, new int[3], new int[3]), "idxOut has 3 entries");
        assertIllegalArgument(() -> SparseSpikes.gatherStep(new SparseSpikes[] {ok, SparseSpikes.ofSpikeSteps(new int[] {1}, 2)}, 2, 1,
                new int[3], new int[6]), "row 1 has input size 1, expected 3");
        assertIllegalArgument(() -> SparseSpikes.gatherStep(new SparseSpikes[] {ok}, 2, 1, new int[3], new int[6]), "n = 2");
    }
}
