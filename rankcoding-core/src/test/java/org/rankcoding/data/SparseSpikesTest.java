package org.rankcoding.data;

import org.junit.jupiter.api.Test;
import org.rankcoding.kernel.ReferenceKernels;

import java.util.Arrays;
import java.util.Random;

import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SparseSpikes}: the held form, the CSR arrays the sparse kernel consumes, batches of rasters, refusals. */
class SparseSpikesTest {

    /** A raster of {@code steps} steps in which each of {@code size} inputs fires once, at a random step. */
    private static SparseSpikes randomRaster(Random rng, int size, int steps) {
        int[] spikeSteps = new int[size];
        for (int j = 0; j < size; j++) {
            spikeSteps[j] = 1 + rng.nextInt(steps);
        }
        return SparseSpikes.ofSpikeSteps(spikeSteps, steps);
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
    }

    /** The CSR arrays are what the sparse kernel consumes: sparseMultAdd(X, W) equals the dense product X W. */
    @Test
    void sparseSpikesFeedTheSparseKernel() {
        Random rng = new Random(5);
        int n = 6;
        int size = 9;
        int m = 4;
        double[] w = new double[size * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian();
        }
        // one example, all its steps: C (n x m) += X (n x size) W (size x m)
        SparseSpikes sp = randomRaster(rng, size, n);
        double[] c = new double[n * m];
        ReferenceKernels.INSTANCE.sparseMultAdd(n, m, sp.start(), sp.indices(), w, 0, c, 0);
        double[][] x = sp.toDense();
        assertArrayEquals(denseProduct(x, w, m), c, 1e-12);

        // one step of a batch of 3 rows (one with fewer steps) gathered into batch CSR form
        SparseSpikes[] rows = {randomRaster(rng, size, n), randomRaster(rng, size, n), randomRaster(rng, size, 2)};
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

    /** A batch of rasters of different lengths holds each raster's spikes in its row, and nothing else. */
    @Test
    void rastersGatheredIntoABatchAreItsRows() {
        Random rng = new Random(8);
        int size = 7;
        SparseSpikes[] rows = {randomRaster(rng, size, 5), randomRaster(rng, size, 2).held(), randomRaster(rng, size, 5).held(),
                randomRaster(rng, size, 1)};
        int[] labels = {2, 0, 1, 2};
        SequenceBatch b = SparseSpikes.toBatch(rows, labels, 3);
        assertTrue(b.isSparse());
        assertEquals(4, b.batchSize());
        assertEquals(5, b.maxLength());
        assertEquals(size, b.inputSize());
        double[] dense = b.toDense().inputArray();
        for (int r = 0; r < rows.length; r++) {
            assertEquals(labels[r], b.label(r));
            assertEquals(rows[r].steps(), b.length(r));
            double[][] want = rows[r].toDense();
            for (int t = 0; t < rows[r].steps(); t++) {
                int cell = b.sparseCell(t, r);
                assertArrayEquals(rows[r].firingAt(t + 1), Arrays.copyOfRange(b.sparseIndices(), b.sparseStart()[cell],
                        b.sparseStart()[cell + 1]), "row " + r + ", step " + (t + 1));
                assertArrayEquals(want[t], Arrays.copyOfRange(dense, b.inputOffset(t, r), b.inputOffset(t, r) + size));
            }
        }
        labels[0] = 1;
        assertEquals(2, b.label(0), "the labels are copied");
        assertIllegalArgument(() -> SparseSpikes.toBatch(new SparseSpikes[0], new int[0], 3), "0 rasters");
        assertIllegalArgument(() -> SparseSpikes.toBatch(rows, new int[3], 3), "4 rasters and 3 labels");
        assertIllegalArgument(() -> SparseSpikes.toBatch(new SparseSpikes[] {rows[0], randomRaster(rng, 3, 2)}, new int[2], 3),
                "raster 1 has input size 3, expected 7");
        assertIllegalArgument(() -> SparseSpikes.toBatch(rows, new int[] {0, 3, 0, 0}, 3), "label");
        assertFalse(b.toString().isEmpty());
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
