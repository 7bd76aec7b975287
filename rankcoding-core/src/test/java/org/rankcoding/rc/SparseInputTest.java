package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.testing.Slow;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event-driven first-layer input: a batch of sparse binary inputs gives the same decisions, losses and gradients as
 * its dense equivalent, through the slow reference and through every kernel implementation.
 */
class SparseInputTest {

    @Slow
    @Test
    void sparseGradientsEqualDenseAndReferenceGradients() {
        long seed = 11;
        int cases = 0;
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int horizon : new int[]{RankCodingPass.UNLIMITED_HORIZON, 2}) {
                    for (MatrixKernels k : new MatrixKernels[]{ReferenceKernels.INSTANCE, Kernels.select("vector"),
                            Kernels.select("float32")}) {
                        runCase(seed++, head, layers, horizon, k);
                        cases++;
                    }
                }
            }
        }
        assertEquals(36, cases);
    }

    private static void runCase(long seed, HeadType head, int layers, int horizon, MatrixKernels kernels) {
        SplittableRandom rng = new SplittableRandom(seed);
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        int inputSize = 9;
        RankCodingNetwork net = RcTestSupport.network(inputSize, 4, layers, head, classes, seed, 0.7);
        RankCodingPass sparsePass = new RankCodingPass(net, kernels);
        RankCodingPass densePass = new RankCodingPass(net, kernels);
        InferencePass sparseInference = new InferencePass(net, kernels);
        InferencePass denseInference = new InferencePass(net, kernels);
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.1);
        double tol = kernels.precision() > 1e-12 ? 1e-5 : 1e-10;
        for (int rep = 0; rep < 3; rep++) { // several batches through one pass: workspace reuse and growth
            SequenceBatch sparse = RcTestSupport.sparseBatch(rng, inputSize, RcTestSupport.randomLengths(rng, 3 + 4 * rep, 8), classes,
                    rep == 2 ? 0.0 : 0.3);
            SequenceBatch dense = sparse.toDense();
            assertTrue(sparse.isSparse());
            assertFalse(dense.isSparse());
            double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, dense), 0.5);
            String where = head + " layers " + layers + " horizon " + horizon + " " + kernels.name() + " batch " + rep;

            Parameters gSparse = net.parameters().zerosLike();
            Parameters gDense = net.parameters().zerosLike();
            double lSparse = sparsePass.gradients(sparse, theta, loss, horizon, gSparse);
            double lDense = densePass.gradients(dense, theta, loss, horizon, gDense);
            ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, dense, theta, LossMode.RANK_CODING, 0.1, horizon);
            for (int r = 0; r < sparse.batchSize(); r++) {
                assertEquals(ref.decisionStep[r], sparsePass.decisionStep(r), "decision step of row " + r + "; " + where);
                assertEquals(densePass.predictionAtDecision(r), sparsePass.predictionAtDecision(r), where);
            }
            assertEquals(densePass.forwardExampleSteps(), sparsePass.forwardExampleSteps(), where);
            assertEquals(densePass.backwardExampleSteps(), sparsePass.backwardExampleSteps(), where);
            assertEquals(ref.loss, lSparse, tol * Math.max(1, Math.abs(ref.loss)), "loss; " + where);
            assertEquals(lDense, lSparse, tol * Math.max(1, Math.abs(lDense)), "loss vs dense; " + where);
            assertNull(RcTestSupport.compare(ref.gradients, gSparse, tol), "gradients vs reference; " + where);
            assertNull(RcTestSupport.compare(gDense, gSparse, tol), "gradients vs dense; " + where);

            RcTestSupport.assertSameEarlyExit(sparseInference, sparse, denseInference, dense, theta, where);
        }
    }

    @Test
    void inputWeightGradientIsZeroForInputsThatNeverFire() {
        SplittableRandom rng = new SplittableRandom(3);
        RankCodingNetwork net = RcTestSupport.network(5, 3, 1, HeadType.SOFTMAX, 3, 3, 0.5);
        // only inputs 1 and 3 ever fire
        int b = 4;
        int steps = 5;
        int[] start = new int[steps * b + 1];
        int[] idx = new int[steps * b * 2];
        int q = 0;
        for (int c = 0; c < steps * b; c++) {
            start[c] = q;
            if (rng.nextBoolean()) {
                idx[q++] = 1;
            }
            if (rng.nextBoolean()) {
                idx[q++] = 3;
            }
        }
        start[steps * b] = q;
        SequenceBatch batch = SequenceBatch.sparseBinary(b, steps, 5, start, Arrays.copyOf(idx, q), new int[]{5, 5, 3, 4},
                new int[]{0, 1, 2, 1}, 3, null);
        Parameters g = net.parameters().zerosLike();
        new RankCodingPass(net, Kernels.best()).gradients(batch, 0.99, new RankCodingLoss(LossMode.RANK_CODING, 0.0),
                RankCodingPass.UNLIMITED_HORIZON, g);
        double[] wih = g.get("lstm.weight_ih_l0").data; // 4H x I, row-major
        boolean someNonZero = false;
        for (int row = 0; row < 12; row++) {
            for (int i = 0; i < 5; i++) {
                double v = wih[row * 5 + i];
                if (i == 1 || i == 3) {
                    someNonZero |= v != 0.0;
                } else {
                    assertEquals(0.0, v, "gradient of weight_ih[" + row + "," + i + "] for an input that never fires");
                }
            }
        }
        assertTrue(someNonZero, "inputs that fire get a gradient");
    }

    @Test
    void sparseBatchesAreValidatedAndConvertToDense() {
        int[] lengths = {2, 1};
        int[] labels = {0, 1};
        // cells: (t0,r0) (t0,r1) (t1,r0) (t1,r1)
        SequenceBatch ok = SequenceBatch.sparseBinary(2, 2, 3, new int[]{0, 2, 3, 3, 4}, new int[]{0, 2, 1, 0}, lengths,
                labels, 2, null);
        assertTrue(ok.toString().contains("sparse"));
        double[] dense = ok.toDense().inputArray();
        assertArrayEquals(new double[]{1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}, dense);
        SequenceBatch d = ok.toDense();
        assertSame(d, d.toDense(), "a dense batch is its own dense form");
        IllegalStateException noDense = assertThrows(IllegalStateException.class, ok::inputArray);
        assertTrue(noDense.getMessage().contains("toDense"), noDense.getMessage());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceBatch.sparseBinary(2, 2, 3,
                new int[]{0, 2, 3, 3, 4}, new int[]{0, 3, 1, 0}, lengths, labels, 2, null));
        assertTrue(e.getMessage().contains("row 0, step 1") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceBatch.sparseBinary(2, 2, 3,
                new int[]{0, 2, 3, 3, 4}, new int[]{2, 0, 1, 0}, lengths, labels, 2, null));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceBatch.sparseBinary(2, 2, 3,
                new int[]{0, 2, 3, 4}, new int[]{0, 2, 1, 0}, lengths, labels, 2, null));
        assertTrue(e.getMessage().contains("maxLength x batchSize + 1 = 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceBatch.sparseBinary(2, 2, 3,
                new int[]{0, 3, 2, 3, 4}, new int[]{0, 1, 2, 0}, lengths, labels, 2, null));
        assertTrue(e.getMessage().contains("decreases"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceBatch.sparseBinary(2, 2, 3,
                new int[]{0, 2, 3, 3, 5}, new int[]{0, 2, 1, 0}, lengths, labels, 2, null));
        assertTrue(e.getMessage().contains("indices.length = 4"), e.getMessage());
    }
}
