package org.rankcoding.nn;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.SpikeTimes;
import org.rankcoding.testing.Slow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference checks (double precision) of the whole loss of a network with a convolutional front end:
 * end-of-sequence loss, and the rank-coding loss at the spike steps the analytic pass chose (coordinates whose
 * perturbation moves a spike are skipped and counted). Both sparse binary and dense real-valued input.
 */
class FrontEndGradientCheckTest {

    private static final double EPS = 1e-6;

    private record Case(int channels, int kernel, int pool, int height, int width, int hidden, int layers, HeadType head,
                        int classes, boolean sparse, int channels2, boolean integrate) {
        Case(int channels, int kernel, int pool, int height, int width, int hidden, int layers, HeadType head, int classes,
             boolean sparse) {
            this(channels, kernel, pool, height, width, hidden, layers, head, classes, sparse, 0);
        }

        Case(int channels, int kernel, int pool, int height, int width, int hidden, int layers, HeadType head, int classes,
             boolean sparse, int channels2) {
            this(channels, kernel, pool, height, width, hidden, layers, head, classes, sparse, channels2, false);
        }
    }

    private static final Case[] CASES = {
            new Case(2, 3, 2, 5, 4, 3, 1, HeadType.SOFTMAX, 3, true),
            new Case(3, 3, 1, 4, 4, 2, 2, HeadType.PER_CLASS_SIGMOID, 3, false),
            new Case(2, 1, 2, 4, 6, 3, 1, HeadType.BINARY_SIGMOID, 2, true),
            new Case(2, 5, 3, 7, 6, 2, 2, HeadType.SOFTMAX, 4, false),
            // two stages: the second convolution on the first stage's pooled map
            new Case(2, 3, 2, 6, 4, 3, 1, HeadType.SOFTMAX, 3, true, 3),
            new Case(3, 3, 1, 4, 3, 2, 2, HeadType.PER_CLASS_SIGMOID, 3, false, 2),
            new Case(2, 3, 2, 8, 8, 2, 1, HeadType.BINARY_SIGMOID, 2, false, 2),
            // more second-stage filters than positions in the first stage's pooled map (2 x 2)
            new Case(2, 3, 2, 4, 4, 2, 1, HeadType.SOFTMAX, 3, true, 8),
            // integrating front ends: each step convolves the running sum of the inputs so far
            new Case(2, 3, 2, 5, 4, 3, 1, HeadType.SOFTMAX, 3, true, 0, true),
            new Case(3, 3, 1, 4, 4, 2, 2, HeadType.PER_CLASS_SIGMOID, 3, false, 0, true),
            new Case(2, 3, 2, 6, 4, 3, 1, HeadType.BINARY_SIGMOID, 2, true, 3, true),
    };

    private static RankCodingNetwork network(Case c, long seed) {
        return RcTestSupport.network(ConvFrontEndConfig.conv(c.channels, c.kernel, c.pool, c.height, c.width)
                .withSecondStage(c.channels2).withIntegration(c.integrate), c.hidden, c.layers, c.head, c.classes, seed, 0.8);
    }

    private static SequenceBatch batch(Case c, SplittableRandom rng, int[] lengths) {
        int in = c.height * c.width;
        if (c.sparse) {
            return RcTestSupport.sparseBatch(rng, in, lengths, c.classes, 0.3);
        }
        SequenceBatch b = RcTestSupport.batch(rng, in, lengths, c.classes, 1.0, 0.0);
        // a third of the pixels are exactly zero, as in real images
        double[] x = b.inputArray();
        for (int i = 0; i < x.length; i++) {
            if (rng.nextDouble() < 0.33) {
                x[i] = 0.0;
            }
        }
        return b;
    }

    @Test
    void endOfSequenceLossThroughTheFrontEnd() {
        long seed = 300;
        for (Case c : CASES) {
            SplittableRandom rng = new SplittableRandom(seed);
            RankCodingNetwork net = network(c, seed++);
            SequenceBatch batch = batch(c, rng, new int[]{3, 1, 4});
            RankCodingPass pass = new RankCodingPass(net, org.rankcoding.kernel.ReferenceKernels.INSTANCE);
            RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, 0.2);
            Parameters grads = net.parameters().zerosLike();
            Parameters scratch = net.parameters().zerosLike();
            pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
            int[] checked = {0, 0};
            checkAll(net, grads, pass, batch, 0.9, loss, scratch, null, c.toString(), checked);
            assertTrue(checked[1] <= checked[0] / 20, c + ": too many coordinates skipped at a max-pool or ReLU kink: "
                    + Arrays.toString(checked));
            assertFrontEndGradientIsNotZero(grads, c);
        }
    }

    @Slow
    @Test
    void rankCodingLossAtFixedSpikeStepsThroughTheFrontEnd() {
        long seed = 400;
        int spikedEarly = 0;
        for (Case c : CASES) {
            SplittableRandom rng = new SplittableRandom(seed);
            RankCodingNetwork net = network(c, seed++);
            SequenceBatch batch = batch(c, rng, new int[]{6, 5, 7, 4, 6});
            RankCodingPass pass = new RankCodingPass(net, org.rankcoding.kernel.ReferenceKernels.INSTANCE);
            double theta = thresholdAtQuantile(pass, batch, c.head, 0.4);
            RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.3);
            Parameters grads = net.parameters().zerosLike();
            Parameters scratch = net.parameters().zerosLike();
            pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
            int[] steps = new int[batch.batchSize()];
            for (int r = 0; r < steps.length; r++) {
                steps[r] = pass.decisionStep(r);
                if (pass.firstSpike(r) != SpikeTimes.NO_SPIKE && steps[r] < batch.length(r)) {
                    spikedEarly++;
                }
            }
            int[] checked = {0, 0};
            checkAll(net, grads, pass, batch, theta, loss, scratch, steps, c + " theta=" + theta, checked);
            assertTrue(checked[0] >= 0.85 * (checked[0] + checked[1]), c + ": most coordinates must keep their spike steps: "
                    + Arrays.toString(checked));
            assertFrontEndGradientIsNotZero(grads, c);
        }
        assertTrue(spikedEarly >= 3, "some rows must decide by a spike before their end: " + spikedEarly);
    }

    /** A threshold about a fraction {@code quantile} of the rows' best confidences stay below. */
    private static double thresholdAtQuantile(RankCodingPass pass, SequenceBatch batch, HeadType head, double quantile) {
        double[] best = new double[batch.batchSize()];
        OutputHead h = pass.network().head();
        new InferencePass(pass.network(), org.rankcoding.kernel.ReferenceKernels.INSTANCE).runToEnd(batch, 0.999999, (step, row, p, off) -> {
            double conf = h.outputs() == 1 ? Math.max(p[off], 1 - p[off]) : Arrays.stream(p, off, off + h.outputs()).max().orElseThrow();
            best[row] = Math.max(best[row], conf);
        });
        Arrays.sort(best);
        int i = (int) (quantile * (best.length - 2));
        double t = 0.5 * (best[i] + best[i + 1]); // halfway between two rows' best: no row sits on the threshold
        return Math.min(0.99, Math.max(0.51, t));
    }

    private static void checkAll(RankCodingNetwork net, Parameters grads, RankCodingPass pass, SequenceBatch batch, double theta,
                                 RankCodingLoss loss, Parameters scratch, int[] steps, String where, int[] counts) {
        Parameters params = net.parameters();
        List<String> failures = new ArrayList<>();
        for (String name : params.names()) {
            double[] d = params.get(name).data;
            for (int i = 0; i < params.get(name).getNumElements(); i++) {
                GradientCheckTest.CentralDifference diff = GradientCheckTest.centralDifference(pass, batch, theta, loss, scratch,
                        steps, d, i);
                double numeric = diff.numeric();
                double analytic = grads.get(name).data[i];
                if (!diff.stepsKept()) {
                    counts[1]++;
                    continue;
                }
                if (GradientCheckTest.relErr(analytic, numeric) > 1e-6) {
                    // a max-pool choice or a ReLU sign flipped within +-EPS: the loss has a kink there
                    if (name.startsWith(RankCodingNetwork.FRONT_END_PREFIX) && kinkNear(pass, batch, theta, loss, scratch, d, i)) {
                        counts[1]++;
                        continue;
                    }
                    failures.add(where + " " + name + "[" + i + "]: analytic " + analytic + ", numeric " + numeric);
                }
                counts[0]++;
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Whether the one-sided difference quotients of a coordinate disagree (the loss is not smooth at it). */
    private static boolean kinkNear(RankCodingPass pass, SequenceBatch batch, double theta, RankCodingLoss loss, Parameters scratch,
                                    double[] d, int i) {
        double old = d[i];
        double l0 = pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
        d[i] = old + EPS;
        double lp = pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
        d[i] = old - EPS;
        double lm = pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
        d[i] = old;
        double right = (lp - l0) / EPS;
        double left = (l0 - lm) / EPS;
        return GradientCheckTest.relErr(right, left) > 1e-3;
    }

    private static void assertFrontEndGradientIsNotZero(Parameters grads, Case c) {
        for (String name : c.channels2 > 0 ? new String[]{"weight", "weight2"} : new String[]{"weight"}) {
            double norm = 0;
            for (double v : grads.get(RankCodingNetwork.FRONT_END_PREFIX + name).data) {
                norm += v * v;
            }
            assertTrue(norm > 1e-10, c + ": the front end's " + name + " gradient must not vanish, or the check proves nothing");
        }
    }
}
