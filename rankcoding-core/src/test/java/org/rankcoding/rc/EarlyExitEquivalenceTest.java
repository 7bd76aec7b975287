package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.impl.BlockedKernels;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The optimized early-exit {@link RankCodingPass} must compute exactly what the slow, obviously correct
 * {@link ReferenceRankCoding} computes (every row run to its end, loss at the decision step, full per-row
 * BPTT from there), for every parameter, on batches where rows spike at step 1, at different later steps,
 * or never, with variable-length rows, 1 and 2 layers, all heads, beta 0 and > 0, and several horizons.
 */
class EarlyExitEquivalenceTest {

    private static final double TOL = 1e-10;
    /**
     * Tolerance for kernels whose products run in single precision ({@link MatrixKernels#precision()} about 6e-8):
     * products of a few dozen terms of size 1 carry errors near 1e-6, and a wrong gradient is off by far more.
     */
    private static final double FLOAT_TOL = 1e-5;
    private static final int UNLIMITED = RankCodingPass.UNLIMITED_HORIZON;

    /** How the threshold and weights are chosen. */
    enum Regime {
        /** A large readout bias: every row spikes at step 1. */
        STEP_ONE,
        /** A threshold at the median of the rows' maximal confidence: a mix of early, late and no spikes. */
        MIX,
        /** Theta 0.999999: no row spikes. */
        NONE
    }

    /** Counts of row kinds seen by the reference. */
    static final class Coverage {
        long spikeAtOne;
        long spikeInside;      // 1 < spike < length
        long spikeAtLast;      // spike == length > 1
        long noSpike;
        long rowsTruncated;    // decision step > horizon
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (double beta : new double[]{0.0, 0.3}) {
                    for (int horizon : new int[]{UNLIMITED, 1, 2, 3}) {
                        for (Regime regime : Regime.values()) {
                            out.add(Arguments.of(head, layers, beta, horizon, regime, LossMode.RANK_CODING));
                        }
                        out.add(Arguments.of(head, layers, beta, horizon, Regime.MIX, LossMode.END_OF_SEQUENCE));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} layers={1} beta={2} horizon={3} {4} {5}")
    @MethodSource("cases")
    void earlyExitGradientsEqualTheReference(HeadType head, int layers, double beta, int horizon, Regime regime, LossMode mode) {
        long seed = 1000L * head.ordinal() + 100L * layers + (beta > 0 ? 50 : 0) + horizon % 97 + 7L * regime.ordinal()
                + 3L * mode.ordinal();
        runCase(seed, head, layers, beta, horizon, regime, mode, ReferenceKernels.INSTANCE, new Coverage());
    }

    /** Runs one configuration on several batches through ONE pass (so workspace reuse is exercised). */
    static void runCase(long seed, HeadType head, int layers, double beta, int horizon, Regime regime, LossMode mode,
                        MatrixKernels kernels, Coverage cov) {
        SplittableRandom rng = new SplittableRandom(seed);
        int inputSize = 1 + rng.nextInt(3);
        int hidden = 1 + rng.nextInt(4);
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 2 + rng.nextInt(3);
        RankCodingNetwork net = RcTestSupport.network(inputSize, hidden, layers, head, classes, seed, 0.8);
        if (regime == Regime.STEP_ONE) {
            net.parameters().get("readout.bias").data[0] = 30.0;
        }
        RankCodingPass pass = new RankCodingPass(net, kernels);
        Parameters grads = net.parameters().zerosLike();
        // shapes: random, batch of one, all rows of length 1, a larger batch (capacity growth), a small one again
        List<SequenceBatch> batches = List.of(
                RcTestSupport.batch(rng, inputSize, RcTestSupport.randomLengths(rng, 1 + rng.nextInt(6), 8), classes, 1.0, Double.NaN),
                RcTestSupport.batch(rng, inputSize, RcTestSupport.randomLengths(rng, 1, 6), classes, 1.0, Double.NaN),
                RcTestSupport.batch(rng, inputSize, new int[]{1, 1, 1}, classes, 1.0, 0.0),
                RcTestSupport.batch(rng, inputSize, RcTestSupport.randomLengths(rng, 11, 10), classes, 1.0, Double.NaN),
                RcTestSupport.batch(rng, inputSize, RcTestSupport.randomLengths(rng, 4, 12), classes, 1.0, Double.NaN));
        for (int bi = 0; bi < batches.size(); bi++) {
            SequenceBatch batch = batches.get(bi);
            String where = "batch " + bi + " " + batch + ", hidden " + hidden + ", classes " + classes;
            double theta = switch (regime) {
                case STEP_ONE -> 0.9;
                case NONE -> 0.999999;
                case MIX -> RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
            };
            ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, theta, mode, beta, horizon);
            double loss = pass.gradients(batch, theta, new RankCodingLoss(mode, beta), horizon, grads);

            int b = batch.batchSize();
            long sumDecision = 0;
            long sumBackward = 0;
            int maxDecision = 0;
            for (int r = 0; r < b; r++) {
                int spike = ref.firstSpike[r];
                int len = batch.length(r);
                if (regime == Regime.STEP_ONE) {
                    assertEquals(1, spike, "setup: every row must spike at step 1; " + where);
                }
                if (regime == Regime.NONE) {
                    assertEquals(SpikeTimes.NO_SPIKE, spike, "setup: no row may spike; " + where);
                }
                if (spike == SpikeTimes.NO_SPIKE) {
                    cov.noSpike++;
                } else if (spike == 1) {
                    cov.spikeAtOne++;
                } else if (spike < len) {
                    cov.spikeInside++;
                } else {
                    cov.spikeAtLast++;
                }
                if (ref.decisionStep[r] > horizon) {
                    cov.rowsTruncated++;
                }
                assertEquals(ref.decisionStep[r], pass.decisionStep(r), "decision step of row " + r + "; " + where);
                assertEquals(ref.firstSpike[r], pass.firstSpike(r), "first spike of row " + r + "; " + where);
                assertEquals(ref.predictionAtDecision[r], pass.predictionAtDecision(r), "prediction of row " + r + "; " + where);
                if (mode == LossMode.END_OF_SEQUENCE) {
                    assertEquals(len, pass.decisionStep(r), "EOS decides at the row's own end; " + where);
                }
                sumDecision += ref.decisionStep[r];
                sumBackward += Math.min(ref.decisionStep[r], horizon);
                maxDecision = Math.max(maxDecision, ref.decisionStep[r]);
            }
            assertEquals(sumDecision, pass.forwardExampleSteps(), "forward example-steps = sum of decision steps; " + where);
            assertEquals(sumBackward, pass.backwardExampleSteps(), "backward example-steps = sum of min(decision, horizon); " + where);
            assertEquals(maxDecision, pass.forwardSteps(), "the forward pass ends at the last decision; " + where);
            double tol = kernels.precision() > 1e-12 ? FLOAT_TOL : TOL;
            assertEquals(ref.loss, loss, tol * Math.max(1, Math.abs(ref.loss)), "mean loss; " + where);
            assertNull(RcTestSupport.compare(ref.gradients, grads, tol), "gradients (" + kernels.name() + "); " + where);
        }
    }

    @Test
    void theRegimesProduceEveryKindOfRow() {
        Coverage cov = new Coverage();
        long seed = 1;
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int rep = 0; rep < 4; rep++) {
                    runCase(seed++, head, layers, 0.1, rep % 2 == 0 ? UNLIMITED : 2, Regime.MIX, LossMode.RANK_CODING,
                            ReferenceKernels.INSTANCE, cov);
                }
            }
        }
        assertTrue(cov.spikeAtOne > 0, "some rows spike at step 1");
        assertTrue(cov.spikeInside > 10, "some rows spike after step 1 and before their end: " + cov.spikeInside);
        assertTrue(cov.noSpike > 10, "some rows never spike: " + cov.noSpike);
        assertTrue(cov.rowsTruncated > 10, "some rows are truncated by the horizon: " + cov.rowsTruncated);
    }

    @Test
    void optimizedKernelsGiveTheSameGradients() {
        long seed = 77;
        for (MatrixKernels k : new MatrixKernels[]{BlockedKernels.INSTANCE, Kernels.select("vector"), Kernels.select("float32")}) {
            for (HeadType head : HeadType.values()) {
                for (int horizon : new int[]{UNLIMITED, 2}) {
                    runCase(seed++, head, 2, 0.2, horizon, Regime.MIX, LossMode.RANK_CODING, k, new Coverage());
                }
            }
        }
    }

    @Test
    void rowRangesAddUpToTheWholeBatch() {
        long seed = 500;
        for (HeadType head : HeadType.values()) {
            for (int horizon : new int[]{UNLIMITED, 2}) {
                SplittableRandom rng = new SplittableRandom(seed);
                int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
                RankCodingNetwork net = RcTestSupport.network(2, 3, 2, head, classes, seed++, 0.8);
                SequenceBatch batch = RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 7, 9), classes, 1.0, Double.NaN);
                double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
                ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, theta, LossMode.RANK_CODING, 0.2, horizon);
                RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.2);
                Parameters total = net.parameters().zerosLike();
                Parameters part = net.parameters().zerosLike();
                RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
                double lossSum = 0;
                int[] cuts = {0, 3, 4, 7};
                for (int c = 0; c + 1 < cuts.length; c++) {
                    int from = cuts[c];
                    int to = cuts[c + 1];
                    lossSum += pass.gradients(batch, from, to, 1.0 / 7, theta, loss, horizon, part);
                    long fwd = 0;
                    long bwd = 0;
                    for (int r = from; r < to; r++) {
                        assertEquals(ref.decisionStep[r], pass.decisionStep(r), "row " + r + " of range [" + from + ", " + to + ")");
                        assertEquals(ref.firstSpike[r], pass.firstSpike(r), "row " + r);
                        fwd += ref.decisionStep[r];
                        bwd += Math.min(ref.decisionStep[r], horizon);
                    }
                    assertEquals(fwd, pass.forwardExampleSteps(), "forward example-steps of range [" + from + ", " + to + ")");
                    assertEquals(bwd, pass.backwardExampleSteps(), "backward example-steps of range [" + from + ", " + to + ")");
                    for (int t = 0; t < total.size(); t++) {
                        for (int i = 0; i < total.tensors().get(t).getNumElements(); i++) {
                            total.tensors().get(t).data[i] += part.tensors().get(t).data[i];
                        }
                    }
                }
                assertEquals(ref.loss, lossSum, TOL * Math.max(1, Math.abs(ref.loss)), head + " horizon " + horizon);
                assertNull(RcTestSupport.compare(ref.gradients, total, TOL), head + " horizon " + horizon);
            }
        }
    }

    @Test
    void aHorizonAtLeastTheLongestRowEqualsUnlimited() {
        SplittableRandom rng = new SplittableRandom(5);
        RankCodingNetwork net = RcTestSupport.network(2, 3, 2, HeadType.SOFTMAX, 3, 5, 0.8);
        SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{4, 7, 2, 7}, 3, 1.0, 0.0);
        double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        Parameters a = net.parameters().zerosLike();
        Parameters b = net.parameters().zerosLike();
        Parameters c = net.parameters().zerosLike();
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.1);
        pass.gradients(batch, theta, loss, UNLIMITED, a);
        pass.gradients(batch, theta, loss, 7, b);
        pass.gradients(batch, theta, loss, 1, c);
        assertNull(RcTestSupport.compare(a, b, 0.0), "horizon 7 on rows of at most 7 steps");
        // and the horizon really cuts something: with horizon 1 weight_hh_l0 gets a different gradient
        assertTrue(RcTestSupport.compare(a, c, 1e-6) != null, "horizon 1 must differ from unlimited");
    }

    @Test
    void inferenceAgreesWithTheReference() {
        long seed = 300;
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                SplittableRandom rng = new SplittableRandom(seed);
                int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
                RankCodingNetwork net = RcTestSupport.network(2, 3, layers, head, classes, seed++, 0.8);
                InferencePass inference = new InferencePass(net, ReferenceKernels.INSTANCE);
                for (int rep = 0; rep < 3; rep++) {
                    SequenceBatch batch = RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 1 + rng.nextInt(9), 9),
                            classes, 1.0, Double.NaN);
                    double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
                    ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, theta, LossMode.RANK_CODING, 0, UNLIMITED);
                    String where = head + " layers " + layers + " " + batch;

                    RowOutcomes pass = inference.runToEnd(batch, theta, StepObserver.NONE);
                    long sumLength = 0;
                    for (int r = 0; r < batch.batchSize(); r++) {
                        assertEquals(ref.firstSpike[r], pass.firstSpike(r), "full inference, first spike of row " + r + "; " + where);
                        assertEquals(ref.predictionAtSpike[r], pass.predictionAtSpike(r), "prediction at spike, row " + r + "; " + where);
                        assertEquals(ref.predictionAtLast[r], pass.predictionAtLastStep(r), "prediction at last step, row " + r + "; " + where);
                        assertEquals(batch.length(r), pass.decisionStep(r), "without exit a row decides at its end; " + where);
                        sumLength += batch.length(r);
                    }
                    assertEquals(sumLength, pass.forwardExampleSteps(), where);
                    // no backward work: an inference pass has no backward driver and no gradient buffers at all
                    assertTrue(Arrays.stream(InferencePass.class.getDeclaredFields()).noneMatch(f -> f.getType() == BackwardDriver.class
                            || f.getType() == GradientAccumulators.class || f.getType() == RankCodingPass.class), where);

                    pass = inference.earlyExit(batch, theta);
                    long sumDecision = 0;
                    for (int r = 0; r < batch.batchSize(); r++) {
                        assertEquals(ref.decisionStep[r], pass.decisionStep(r), "early exit, decision of row " + r + "; " + where);
                        assertEquals(ref.firstSpike[r], pass.firstSpike(r), "early exit, first spike of row " + r + "; " + where);
                        assertEquals(ref.predictionAtDecision[r], pass.predictionAtDecision(r), "early exit, prediction; " + where);
                        int expectedLast = ref.decisionStep[r] == batch.length(r) ? ref.predictionAtLast[r] : -1;
                        assertEquals(expectedLast, pass.predictionAtLastStep(r), "early exit, prediction at last step; " + where);
                        sumDecision += ref.decisionStep[r];
                    }
                    assertEquals(sumDecision, pass.forwardExampleSteps(), where);
                }
            }
        }
    }

    @Test
    void theReferenceItselfMatchesFiniteDifferencesAtItsDecisionSteps() {
        // guards the oracle: its gradient is the derivative of its loss with the decision steps held fixed
        SplittableRandom rng = new SplittableRandom(11);
        for (HeadType head : HeadType.values()) {
            int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
            RankCodingNetwork net = RcTestSupport.network(2, 2, 2, head, classes, 11 + head.ordinal(), 0.8);
            SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{5, 3, 1, 6}, classes, 1.0, 0.0);
            double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
            ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, theta, LossMode.RANK_CODING, 0.2, UNLIMITED);
            Parameters params = net.parameters();
            double eps = 1e-6;
            for (String name : params.names()) {
                double[] d = params.get(name).data;
                for (int i = 0; i < params.get(name).getNumElements(); i++) {
                    double old = d[i];
                    d[i] = old + eps;
                    double lp = ReferenceRankCoding.lossAtSteps(net, batch, ref.decisionStep, 0.2, UNLIMITED, null);
                    d[i] = old - eps;
                    double lm = ReferenceRankCoding.lossAtSteps(net, batch, ref.decisionStep, 0.2, UNLIMITED, null);
                    d[i] = old;
                    double num = (lp - lm) / (2 * eps);
                    double ana = ref.gradients.get(name).data[i];
                    double err = Math.abs(num - ana) / Math.max(1e-3, Math.abs(num) + Math.abs(ana));
                    if (err > 1e-6) {
                        fail(head + " " + name + "[" + i + "]: analytic " + ana + ", numeric " + num);
                    }
                }
            }
        }
    }
}
