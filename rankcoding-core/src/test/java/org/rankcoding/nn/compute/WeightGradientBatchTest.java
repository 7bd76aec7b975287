package org.rankcoding.nn.compute;

import org.junit.jupiter.api.Test;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.Lstm;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deferring the weight-gradient products ({@link WeightGradientBatch}) gives the gradients of the immediate backward
 * step ({@link LstmSteps#backward(MatrixKernels, LstmStep, LstmBackwardStep, LstmWeights, LstmGradients)}), whatever
 * the capacity, the rows per step and where steps without a previous state fall; and the batch refuses rows that do
 * not fit.
 */
class WeightGradientBatchTest {

    private static final int IN = 3;
    private static final int H = 5;

    /** Rows per step, and whether the step has a previous state: a sequence's first step (false) among the others. */
    private static final int[] ROWS = {4, 7, 2, 7, 5, 1, 6, 3};
    private static final boolean[] PREVIOUS = {true, true, false, true, true, false, false, true};

    @Test
    void deferredProductsEqualThePerStepProductsAtEveryCapacity() {
        for (MatrixKernels kernels : new MatrixKernels[]{ReferenceKernels.INSTANCE, Kernels.select("float32")}) {
            double tolerance = kernels == ReferenceKernels.INSTANCE ? 1e-12 : 1e-5;
            LstmGradients immediate = run(kernels, 0);
            for (int capacity : new int[]{7, 8, 13, 21, 512}) {
                LstmGradients deferred = run(kernels, capacity);
                String what = kernels + ", capacity " + capacity;
                assertArrayEquals(immediate.inputWeightsTransposed(), deferred.inputWeightsTransposed(), tolerance, what);
                assertArrayEquals(immediate.recurrentWeightsTransposed(), deferred.recurrentWeightsTransposed(), tolerance,
                        what);
                assertArrayEquals(immediate.bias(), deferred.bias(), 0.0, what);
            }
        }
    }

    @Test
    void sparseInputBatchesDeferOnlyTheRecurrentProduct() {
        MatrixKernels kernels = ReferenceKernels.INSTANCE;
        Lstm lstm = new Lstm(IN, H, new java.util.Random(5));
        LstmWeights w = new LstmWeights(lstm, kernels);
        LstmGradients now = new LstmGradients(IN, H);
        LstmGradients later = new LstmGradients(IN, H);
        WeightGradientBatch batch = WeightGradientBatch.forSparseInput(16, IN, H);
        SplittableRandom rng = new SplittableRandom(6);
        SparseRows byInput = new SparseRows(IN);
        for (int s = 0; s < ROWS.length; s++) {
            int n = ROWS[s];
            LstmStep forward = forward(kernels, w, n, PREVIOUS[s], rng);
            sparseInputs(n, rng, byInput);
            long seed = rng.nextLong();
            LstmSteps.backwardSparse(kernels, forward, backward(forward, n, new SplittableRandom(seed)), byInput, w, now);
            if (!batch.fits(n, PREVIOUS[s])) {
                batch.flush(kernels, later);
            }
            LstmSteps.backwardSparse(kernels, forward, backward(forward, n, new SplittableRandom(seed)), byInput, w, later,
                    batch);
        }
        batch.flush(kernels, later);
        assertEquals(0, batch.pending());
        assertArrayEquals(now.recurrentWeightsTransposed(), later.recurrentWeightsTransposed(), 1e-12);
        assertArrayEquals(now.inputWeightsTransposed(), later.inputWeightsTransposed(), 1e-12);
    }

    @Test
    void rowsThatDoNotFitAreRefusedAndClearDropsTheCollectedRows() {
        MatrixKernels kernels = ReferenceKernels.INSTANCE;
        Lstm lstm = new Lstm(IN, H, new java.util.Random(7));
        LstmWeights w = new LstmWeights(lstm, kernels);
        SplittableRandom rng = new SplittableRandom(8);
        WeightGradientBatch batch = WeightGradientBatch.forDenseInput(6, IN, H);
        LstmGradients g = new LstmGradients(IN, H);
        LstmStep first = forward(kernels, w, 4, false, rng);
        LstmSteps.backward(kernels, first, backward(first, 4, rng.split()), w, g, batch);
        assertEquals(4, batch.pending());
        assertFalse(batch.fits(1, true), "a row with a previous state may not follow rows without one");
        assertTrue(batch.fits(2, false));
        assertFalse(batch.fits(3, false), "over capacity");
        LstmStep later = forward(kernels, w, 3, false, rng);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LstmSteps.backward(kernels, later, backward(later, 3, rng.split()), w, g, batch));
        assertTrue(e.getMessage().contains("3 rows") && e.getMessage().contains("4 of 6"), e.getMessage());
        double[] before = g.inputWeightsTransposed().clone();
        batch.clear();
        batch.flush(kernels, g);
        assertArrayEquals(before, g.inputWeightsTransposed(), 0.0, "a cleared batch adds nothing");
        assertThrows(IllegalArgumentException.class, () -> WeightGradientBatch.forDenseInput(0, IN, H));
    }

    /** The gradients of the steps {@link #ROWS}, with products per step (capacity 0) or deferred at {@code capacity}. */
    private static LstmGradients run(MatrixKernels kernels, int capacity) {
        Lstm lstm = new Lstm(IN, H, new java.util.Random(3));
        LstmWeights w = new LstmWeights(lstm, kernels);
        LstmGradients g = new LstmGradients(IN, H);
        WeightGradientBatch batch = capacity > 0 ? WeightGradientBatch.forDenseInput(capacity, IN, H) : null;
        SplittableRandom rng = new SplittableRandom(4);
        for (int s = 0; s < ROWS.length; s++) {
            int n = ROWS[s];
            LstmStep forward = forward(kernels, w, n, PREVIOUS[s], rng);
            LstmBackwardStep b = backward(forward, n, rng.split());
            if (batch == null) {
                LstmSteps.backward(kernels, forward, b, w, g);
            } else {
                if (!batch.fits(n, PREVIOUS[s])) {
                    batch.flush(kernels, g);
                }
                LstmSteps.backward(kernels, forward, b, w, g, batch);
            }
        }
        if (batch != null) {
            batch.flush(kernels, g);
        }
        return g;
    }

    private static LstmStep forward(MatrixKernels kernels, LstmWeights w, int n, boolean previous, SplittableRandom rng) {
        LstmStep step = new LstmStep(n, IN, H);
        fill(step.x(), n * IN, rng);
        if (previous) {
            fill(step.hPrev(), n * H, rng);
            fill(step.cPrev(), n * H, rng);
            step.continueFromPreviousState();
        } else {
            step.startFromZeroState();
        }
        LstmSteps.forward(kernels, n, step, w, new double[n * H], new double[n * H]);
        return step;
    }

    /** Backward buffers of {@code n} rows with random incoming gradients (the same for the same {@code rng} state). */
    private static LstmBackwardStep backward(LstmStep forward, int n, SplittableRandom rng) {
        LstmBackwardStep b = LstmBackwardStep.withoutInputGradient(n, IN, H);
        b.selectAll(n);
        b.gatherInputs(forward);
        fill(b.dh(), n * H, rng);
        fill(b.dc(), n * H, rng);
        return b;
    }

    /** Random sparse inputs of {@code n} rows, transposed by input into {@code byInput}. */
    private static void sparseInputs(int n, SplittableRandom rng, SparseRows byInput) {
        SparseRows byRow = new SparseRows(n);
        byRow.ensureIndices(n * IN);
        int[] start = byRow.start();
        int[] idx = byRow.indices();
        int q = 0;
        for (int r = 0; r < n; r++) {
            start[r] = q;
            for (int i = 0; i < IN; i++) {
                if (rng.nextBoolean()) {
                    idx[q++] = i;
                }
            }
        }
        start[n] = q;
        byRow.transposeInto(n, IN, byInput);
    }

    private static void fill(double[] a, int n, SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
    }
}
