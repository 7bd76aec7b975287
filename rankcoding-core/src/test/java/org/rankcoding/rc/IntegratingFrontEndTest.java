package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.PixelRasters;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.SparseSpikes;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.testing.Slow;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An integrating front end ({@link ConvFrontEndConfig#integrate()}) equals the same front end, not integrating, fed the
 * running sum of the inputs: same decisions, losses and gradients (front end included) in training and inference, for
 * sparse and dense batches, every head, one and two LSTM layers and front-end stages. For a latency code that running
 * sum is the {@linkplain SparseSpikes#held() held} code, which closes the loop with the held latency code of the
 * data-set module.
 */
class IntegratingFrontEndTest {

    /** The dense batch whose step t of row r is the sum of {@code b}'s steps 0..t of that row. */
    static SequenceBatch runningSum(SequenceBatch b, int classes) {
        SequenceBatch d = b.toDense();
        int n = d.batchSize();
        int size = d.inputSize();
        double[] x = d.inputArray().clone();
        for (int t = 1; t < d.maxLength(); t++) {
            for (int r = 0; r < n; r++) {
                int o = d.inputOffset(t, r);
                int prev = d.inputOffset(t - 1, r);
                for (int i = 0; i < size; i++) {
                    x[o + i] += x[prev + i];
                }
            }
        }
        int[] lengths = new int[n];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            lengths[r] = d.length(r);
            labels[r] = d.label(r);
        }
        return new SequenceBatch(n, d.maxLength(), size, x, lengths, labels, classes, null);
    }

    /** A copy of {@code net}'s weights in a network whose front end does not integrate. */
    private static RankCodingNetwork plainTwin(RankCodingNetwork net, int hidden, int layers, HeadType head, int classes, long seed) {
        ConvFrontEndConfig plain = net.config().frontEnd().withIntegration(false);
        RankCodingNetwork twin = RcTestSupport.network(plain, hidden, layers, head, classes, seed + 1000, 0.8);
        for (String name : net.parameters().names()) {
            System.arraycopy(net.parameters().get(name).data, 0, twin.parameters().get(name).data, 0,
                    net.parameters().get(name).getNumElements());
        }
        return twin;
    }

    @Slow
    @Test
    void anIntegratingFrontEndEqualsThePlainOneOnTheRunningSum() {
        long seed = 90;
        int cases = 0;
        int early = 0;
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.1);
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean two : new boolean[]{false, true}) {
                    for (MatrixKernels kernels : new MatrixKernels[]{ReferenceKernels.INSTANCE, Kernels.best()}) {
                        SplittableRandom rng = new SplittableRandom(seed);
                        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
                        ConvFrontEndConfig fe = (two ? ConvFrontEndConfig.conv(2, 3, 2, 8, 6).withSecondStage(3)
                                : ConvFrontEndConfig.conv(2, 3, 2, 4, 5)).withIntegration(true);
                        RankCodingNetwork net = RcTestSupport.network(fe, 4, layers, head, classes, seed, 0.8);
                        RankCodingNetwork twin = plainTwin(net, 4, layers, head, classes, seed);
                        seed++;
                        String where = head + ", " + layers + " layer(s), " + fe + ", " + kernels.name();
                        double tol = kernels.precision() <= 1e-12 ? 1e-9 : 1e-4;
                        RankCodingPass integrating = new RankCodingPass(net, kernels);
                        RankCodingPass plain = new RankCodingPass(twin, kernels);
                        for (int rep = 0; rep < 2; rep++) { // a second, larger batch through the same passes
                            SequenceBatch sparse = RcTestSupport.sparseBatch(rng, fe.inputSize(),
                                    RcTestSupport.randomLengths(rng, 5 + 4 * rep, 7), classes, 0.15);
                            SequenceBatch summed = runningSum(sparse, classes);
                            double theta = RcTestSupport.thresholdAtQuantile(
                                    FrontEndPassTest.confidences(new InferencePass(twin, ReferenceKernels.INSTANCE), summed), 0.5);
                            Parameters gWant = twin.parameters().zerosLike();
                            double lWant = plain.gradients(summed, theta, loss, RankCodingPass.UNLIMITED_HORIZON, gWant);
                            int[] steps = new int[sparse.batchSize()];
                            for (int r = 0; r < steps.length; r++) {
                                steps[r] = plain.decisionStep(r);
                                early += steps[r] < sparse.length(r) ? 1 : 0;
                            }
                            for (SequenceBatch input : new SequenceBatch[]{sparse, sparse.toDense()}) {
                                String w = where + (input.isSparse() ? ", sparse" : ", dense") + ", batch " + rep;
                                Parameters g = net.parameters().zerosLike();
                                double l = integrating.gradients(input, theta, loss, RankCodingPass.UNLIMITED_HORIZON, g);
                                for (int r = 0; r < steps.length; r++) {
                                    assertEquals(steps[r], integrating.decisionStep(r), "decision step of row " + r + "; " + w);
                                    assertEquals(plain.predictionAtDecision(r), integrating.predictionAtDecision(r), w);
                                }
                                assertEquals(plain.backwardExampleSteps(), integrating.backwardExampleSteps(), w);
                                assertEquals(lWant, l, tol * Math.max(1, Math.abs(lWant)), "loss; " + w);
                                assertNull(RcTestSupport.compare(gWant, g, tol), "gradients; " + w);
                                RowOutcomes inferred = new InferencePass(net, kernels).earlyExit(input, theta);
                                for (int r = 0; r < steps.length; r++) {
                                    assertEquals(steps[r], inferred.decisionStep(r), "inference, row " + r + "; " + w);
                                }
                            }
                        }
                        cases++;
                    }
                }
            }
        }
        assertEquals(24, cases);
        assertTrue(early > 40, "rows deciding by a spike before their end: " + early);
    }

    /** Pulse-coded digits through an integrating front end = held-coded digits through the plain one. */
    @Test
    void pulseCodeIntoAnIntegratingFrontEndIsTheHeldCodeIntoAPlainOne() {
        byte[] px = new byte[12 * 6 * 5];
        new java.util.Random(7).nextBytes(px);
        int[] labels = new int[12];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        SparseSpikes[] digits = PixelRasters.pulses(px, 6 * 5, 6);
        SequenceBatch pulses = SparseSpikes.toBatch(digits, labels, 3);
        SequenceBatch held = SparseSpikes.toBatch(PixelRasters.held(digits), labels, 3);
        ConvFrontEndConfig fe = ConvFrontEndConfig.conv(3, 3, 2, 6, 5).withSecondStage(2).withIntegration(true);
        RankCodingNetwork net = RcTestSupport.network(fe, 5, 1, HeadType.SOFTMAX, 3, 3, 0.8);
        RankCodingNetwork twin = plainTwin(net, 5, 1, HeadType.SOFTMAX, 3, 3);
        RankCodingPass a = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        RankCodingPass b = new RankCodingPass(twin, ReferenceKernels.INSTANCE);
        double theta = RcTestSupport.thresholdAtQuantile(FrontEndPassTest.confidences(new InferencePass(twin, ReferenceKernels.INSTANCE), held), 0.5);
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.0);
        Parameters ga = net.parameters().zerosLike();
        Parameters gb = twin.parameters().zerosLike();
        assertEquals(b.gradients(held, theta, loss, RankCodingPass.UNLIMITED_HORIZON, gb),
                a.gradients(pulses, theta, loss, RankCodingPass.UNLIMITED_HORIZON, ga), 1e-12);
        assertNull(RcTestSupport.compare(gb, ga, 1e-10));
        boolean mixed = false;
        for (int r = 0; r < 12; r++) {
            assertEquals(b.decisionStep(r), a.decisionStep(r), "row " + r);
            mixed |= a.decisionStep(r) > 1;
        }
        assertTrue(mixed, "some digits are decided after step 1, where the two codes differ");
        assertTrue(held.sparseIndices().length > pulses.sparseIndices().length);
        assertFalse(held.sparseIndices().length == 0);
    }
}
