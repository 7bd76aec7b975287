package org.rankcoding.rc;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.ConvReference;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.testing.Slow;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RankCodingPass} on networks with a convolutional front end: a sparse binary batch and its dense form give the
 * same decisions, losses and gradients (front end included) for every head, one and two LSTM layers, with and without
 * a horizon, through the reference and the default kernels; the default kernels agree with the reference ones; and
 * the whole pass equals a network without a front end reading the features {@link ConvReference} computes.
 */
class FrontEndPassTest {

    /** Per-row, per-step confidences of every step of every row (a pass that never exits early). */
    static double[][] confidences(InferencePass pass, SequenceBatch batch) {
        double[][] conf = new double[batch.batchSize()][];
        for (int r = 0; r < conf.length; r++) {
            conf[r] = new double[batch.length(r)];
        }
        int k = pass.network().head().outputs();
        pass.runToEnd(batch, 1 - 1e-15, (step, row, p, off) -> conf[row][step - 1] = k == 1 ? Math.max(p[off], 1 - p[off])
                : Arrays.stream(p, off, off + k).max().orElseThrow());
        return conf;
    }

    /** Two front ends: pooling on a non-square image whose width the pool does not divide; kernel 1 without pooling. */
    private static ConvFrontEndConfig frontEnd(int layers) {
        return layers == 1 ? ConvFrontEndConfig.conv(2, 3, 2, 4, 5) : ConvFrontEndConfig.conv(3, 1, 1, 3, 3);
    }

    /** Two-stage front ends: pooled twice on a non-square image; a second stage without pooling. */
    private static ConvFrontEndConfig twoStages(int layers) {
        return layers == 1 ? ConvFrontEndConfig.conv(2, 3, 2, 8, 6).withSecondStage(3)
                : ConvFrontEndConfig.conv(2, 3, 1, 4, 5).withSecondStage(2);
    }

    private static double frontEndGradientNorm(Parameters g) {
        double s = 0;
        for (String name : new String[]{"frontend.weight", "frontend.bias"}) {
            for (double v : g.get(name).data) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    @Slow
    @Test
    void sparseAndDenseBatchesGiveTheSameDecisionsLossesAndGradients() {
        long seed = 61;
        int cases = 0;
        int[] earlyRows = {0};
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int horizon : new int[]{RankCodingPass.UNLIMITED_HORIZON, 2}) {
                    for (MatrixKernels k : new MatrixKernels[]{ReferenceKernels.INSTANCE, Kernels.best()}) {
                        for (boolean two : new boolean[]{false, true}) {
                            runCase(seed++, head, layers, two ? twoStages(layers) : frontEnd(layers), horizon, k, earlyRows);
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(48, cases);
        assertTrue(earlyRows[0] > 50, "rows deciding by a spike before their end (the backward's row selection): "
                + earlyRows[0]);
    }

    private static void runCase(long seed, HeadType head, int layers, ConvFrontEndConfig fe, int horizon, MatrixKernels kernels,
                                int[] earlyRows) {
        SplittableRandom rng = new SplittableRandom(seed);
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        RankCodingNetwork net = RcTestSupport.network(fe, 4, layers, head, classes, seed, 0.8);
        RankCodingPass sparsePass = new RankCodingPass(net, kernels);
        RankCodingPass densePass = new RankCodingPass(net, kernels);
        RankCodingPass referencePass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        RankCodingPass mixedPass = new RankCodingPass(net, kernels); // sparse and dense batches through one workspace
        InferencePass sparseInference = new InferencePass(net, kernels);
        InferencePass denseInference = new InferencePass(net, kernels);
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.1);
        boolean exact = kernels.precision() <= 1e-12;
        double tol = 1e-9;
        for (int rep = 0; rep < 3; rep++) { // growing batches through the same passes: workspace reuse and growth
            SequenceBatch sparse = RcTestSupport.sparseBatch(rng, fe.inputSize(), RcTestSupport.randomLengths(rng, 3 + 4 * rep, 8),
                    classes, rep == 2 ? 0.1 : 0.3);
            SequenceBatch dense = sparse.toDense();
            assertTrue(sparse.isSparse());
            assertFalse(dense.isSparse());
            double theta = RcTestSupport.thresholdAtQuantile(confidences(new InferencePass(net, ReferenceKernels.INSTANCE), dense), 0.5);
            String where = head + ", " + layers + " layer(s), " + fe + ", horizon " + horizon + ", " + kernels.name() + ", batch " + rep;

            Parameters gSparse = net.parameters().zerosLike();
            Parameters gDense = net.parameters().zerosLike();
            Parameters gMixed = net.parameters().zerosLike();
            double lSparse = sparsePass.gradients(sparse, theta, loss, horizon, gSparse);
            double lDense = densePass.gradients(dense, theta, loss, horizon, gDense);
            for (int r = 0; r < sparse.batchSize(); r++) {
                assertEquals(densePass.decisionStep(r), sparsePass.decisionStep(r), "decision step of row " + r + "; " + where);
                assertEquals(densePass.firstSpike(r), sparsePass.firstSpike(r), "first spike of row " + r + "; " + where);
                assertEquals(densePass.predictionAtDecision(r), sparsePass.predictionAtDecision(r), where);
                if (sparsePass.decisionStep(r) < sparse.length(r)) {
                    earlyRows[0]++;
                }
            }
            assertEquals(densePass.forwardExampleSteps(), sparsePass.forwardExampleSteps(), where);
            assertEquals(densePass.backwardExampleSteps(), sparsePass.backwardExampleSteps(), where);
            assertEquals(lDense, lSparse, tol * Math.max(1, Math.abs(lDense)), "loss; " + where);
            assertNull(RcTestSupport.compare(gDense, gSparse, tol), "gradients, sparse vs dense; " + where);
            if (rep < 2) {
                assertTrue(frontEndGradientNorm(gSparse) > 1e-6, "the front end's gradient must not vanish; " + where);
            }

            // one workspace for both forms, in turn
            double lMixed = mixedPass.gradients(rep % 2 == 0 ? sparse : dense, theta, loss, horizon, gMixed);
            assertEquals(lDense, lMixed, tol * Math.max(1, Math.abs(lDense)), "loss, mixed workspace; " + where);
            assertNull(RcTestSupport.compare(gDense, gMixed, tol), "gradients, mixed workspace; " + where);
            lMixed = mixedPass.gradients(rep % 2 == 0 ? dense : sparse, theta, loss, horizon, gMixed);
            assertEquals(lDense, lMixed, tol * Math.max(1, Math.abs(lDense)), "loss, mixed workspace; " + where);
            assertNull(RcTestSupport.compare(gDense, gMixed, tol), "gradients, mixed workspace; " + where);

            if (!exact) {
                // single-precision products: close to the double-precision reference
                Parameters gRef = net.parameters().zerosLike();
                double lRef = referencePass.gradients(dense, theta, loss, horizon, gRef);
                for (int r = 0; r < sparse.batchSize(); r++) {
                    assertEquals(referencePass.decisionStep(r), sparsePass.decisionStep(r), "vs reference kernels; " + where);
                }
                assertEquals(lRef, lSparse, 1e-4 * Math.max(1, Math.abs(lRef)), "loss vs reference kernels; " + where);
                assertNull(RcTestSupport.compare(gRef, gSparse, 1e-4), "gradients vs reference kernels; " + where);
            }

            RcTestSupport.assertSameEarlyExit(sparseInference, sparse, denseInference, dense, theta, where);
        }
    }

    /**
     * The whole pass equals a network without a front end (the same LSTM and readout weights) run by the slow
     * reference ({@link ReferenceRankCoding}) on the features {@link ConvReference} computes: same decisions, loss and
     * LSTM and readout gradients. Dense real-valued input with zeros and sparse binary input.
     */
    @Test
    void thePassEqualsTheReferenceOnPrecomputedFeatures() {
        long seed = 90;
        int checked = 0;
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean sparse : new boolean[]{false, true}) {
                    PassCase c = PassCase.of(seed++, head, layers, sparse, 9, 7, 0.33);
                    RankCodingNetwork net = c.net();
                    SequenceBatch batch = c.batch();
                    RankCodingPass pass = c.pass();
                    double theta = c.theta();
                    SequenceBatch features = features(net, batch.toDense());
                    RankCodingNetwork plain = new RankCodingNetwork(
                            new NetworkConfig(c.fe().outputSize(), 4, layers, head, c.classes()), 1);
                    for (String name : plain.parameters().names()) {
                        plain.parameters().get(name).setTo(net.parameters().get(name));
                    }
                    for (int horizon : new int[]{RankCodingPass.UNLIMITED_HORIZON, 3}) {
                        String where = head + ", " + layers + " layer(s), " + (sparse ? "sparse" : "dense") + ", horizon " + horizon;
                        ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(plain, features, theta, LossMode.RANK_CODING,
                                0.1, horizon);
                        Parameters g = net.parameters().zerosLike();
                        double l = pass.gradients(batch, theta, new RankCodingLoss(LossMode.RANK_CODING, 0.1), horizon, g);
                        for (int r = 0; r < batch.batchSize(); r++) {
                            assertEquals(ref.decisionStep[r], pass.decisionStep(r), "row " + r + "; " + where);
                            assertEquals(ref.predictionAtDecision[r], pass.predictionAtDecision(r), "row " + r + "; " + where);
                        }
                        assertEquals(ref.loss, l, 1e-9 * Math.max(1, Math.abs(ref.loss)), "loss; " + where);
                        assertNull(RcTestSupport.compare(ref.gradients, g, 1e-9), "LSTM and readout gradients; " + where);
                        checked++;
                    }
                }
            }
        }
        assertEquals(24, checked);
    }

    /**
     * With a horizon, the backward pass of a step runs on a selection of the step's rows (those whose decision is
     * near enough), and the front end must take each gradient row's input and pooling choices from the right forward
     * row. A pass over one row never selects (its row is in the step's block or the step is skipped), so the batch's
     * gradient must equal the sum of its rows' gradients computed one row at a time.
     */
    @Test
    void theBackwardsRowSelectionMatchesRowByRowPasses() {
        long seed = 120;
        int truncated = 0;
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean sparse : new boolean[]{false, true}) {
                    PassCase c = PassCase.of(seed++, head, layers, sparse, 10, 9, 0.0);
                    RankCodingNetwork net = c.net();
                    SequenceBatch batch = c.batch();
                    RankCodingPass pass = c.pass();
                    double theta = c.theta();
                    RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.1);
                    int b = batch.batchSize();
                    for (int horizon : new int[]{2, 3}) {
                        String where = head + ", " + layers + " layer(s), " + (sparse ? "sparse" : "dense") + ", horizon " + horizon;
                        Parameters whole = net.parameters().zerosLike();
                        double l = pass.gradients(batch, theta, loss, horizon, whole);
                        long forward = pass.forwardExampleSteps();
                        if (pass.backwardExampleSteps() < forward) {
                            truncated++;
                        }
                        Parameters sum = net.parameters().zerosLike();
                        Parameters one = net.parameters().zerosLike();
                        double lSum = 0;
                        for (int r = 0; r < b; r++) {
                            lSum += pass.gradients(batch, r, r + 1, 1.0 / b, theta, loss, horizon, one);
                            for (String name : sum.names()) {
                                DMatrixRMaj s = sum.get(name);
                                for (int i = 0; i < s.getNumElements(); i++) {
                                    s.data[i] += one.get(name).data[i];
                                }
                            }
                        }
                        assertEquals(l, lSum, 1e-12 * Math.max(1, Math.abs(l)), "loss; " + where);
                        assertNull(RcTestSupport.compare(sum, whole, 1e-10), "batch vs row-by-row gradients; " + where);
                        assertTrue(frontEndGradientNorm(whole) > 1e-6, "the front end's gradient must not vanish; " + where);
                    }
                }
            }
        }
        assertTrue(truncated >= 20, "the horizon cuts the backward passes short: " + truncated + " of 24");
    }

    /**
     * One case of the whole-pass tests: a network with the front end of {@link #frontEnd(int)} (4 hidden units, weights
     * in [-0.8, 0.8]), a random batch for it, a reference-kernel pass and the median of the rows' best confidences.
     */
    private record PassCase(int classes, ConvFrontEndConfig fe, RankCodingNetwork net, SequenceBatch batch, RankCodingPass pass,
                            double theta) {

        /**
         * Draws the case of {@code seed}: sparse binary input of density 0.3, or dense gaussian input with each value
         * zeroed with probability {@code zeroFraction} (no zeroing, and no draws for it, when 0).
         */
        static PassCase of(long seed, HeadType head, int layers, boolean sparse, int rows, int maxLength, double zeroFraction) {
            SplittableRandom rng = new SplittableRandom(seed);
            int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
            ConvFrontEndConfig fe = frontEnd(layers);
            RankCodingNetwork net = RcTestSupport.network(fe, 4, layers, head, classes, seed, 0.8);
            int[] lengths = RcTestSupport.randomLengths(rng, rows, maxLength);
            SequenceBatch batch;
            if (sparse) {
                batch = RcTestSupport.sparseBatch(rng, fe.inputSize(), lengths, classes, 0.3);
            } else {
                batch = RcTestSupport.batch(rng, fe.inputSize(), lengths, classes, 1.0, 0.0);
                if (zeroFraction > 0) {
                    double[] x = batch.inputArray();
                    for (int i = 0; i < x.length; i++) {
                        if (rng.nextDouble() < zeroFraction) {
                            x[i] = 0.0;
                        }
                    }
                }
            }
            RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
            double theta = RcTestSupport.thresholdAtQuantile(confidences(new InferencePass(net, ReferenceKernels.INSTANCE), batch), 0.5);
            return new PassCase(classes, fe, net, batch, pass, theta);
        }
    }

    /** The dense batch of the front end's features of every computed cell of {@code batch} (padding cells 0). */
    private static SequenceBatch features(RankCodingNetwork net, SequenceBatch batch) {
        ConvFrontEndConfig fe = net.config().frontEnd();
        int b = batch.batchSize();
        int fs = fe.outputSize();
        double[] out = new double[batch.maxLength() * b * fs];
        int[] labels = new int[b];
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            labels[r] = batch.label(r);
            lengths[r] = batch.length(r);
            for (int t = 0; t < batch.length(r); t++) {
                double[] f = ConvReference.forward(fe, net.frontEnd().weight().data, net.frontEnd().bias().data,
                        batch.inputArray(), batch.inputOffset(t, r), null);
                System.arraycopy(f, 0, out, (t * b + r) * fs, fs);
            }
        }
        return new SequenceBatch(b, batch.maxLength(), fs, out, lengths, labels, net.head().numClasses(), null);
    }
}
