package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.rc.HiddenDropout;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.ReferenceRankCoding;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout between stacked layers ({@link HiddenDropout}) in the training pass: with a fixed mask, the analytic gradient
 * of the whole loss (through BPTT, every layer) equals central finite differences in double precision, for the
 * end-of-sequence loss on variable lengths and for rank coding where the spikes do not move; the masks are per batch
 * row, so row ranges computed apart add up to the whole batch's gradient; and the masks do change the loss.
 */
class DropoutGradientCheckTest {

    private static final MatrixKernels K = ReferenceKernels.INSTANCE;

    private static HiddenDropout masks(RankCodingNetwork net, int rows, double rate, long seed) {
        HiddenDropout d = new HiddenDropout(net);
        d.draw(rows, rate, new SplittableRandom(seed));
        assertTrue(d.active());
        return d;
    }

    @Test
    void endOfSequenceGradientWithAFixedMaskMatchesFiniteDifferences() {
        long seed = 700;
        for (int layers : new int[]{2, 3}) {
            for (HeadType head : new HeadType[]{HeadType.SOFTMAX, HeadType.BINARY_SIGMOID}) {
                int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
                SplittableRandom rng = new SplittableRandom(seed);
                RankCodingNetwork net = RcTestSupport.network(2, 4, layers, head, classes, seed++, 0.8);
                SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{4, 1, 6, 3}, classes, 1.0, 0.0);
                RankCodingPass pass = new RankCodingPass(net, K);
                pass.dropout(masks(net, batch.batchSize(), 0.4, seed));
                RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, 0.2);
                Parameters grads = net.parameters().zerosLike();
                Parameters scratch = net.parameters().zerosLike();
                pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
                checkAll(net, grads, pass, batch, 0.9, loss, scratch, null, "layers=" + layers + " " + head);
            }
        }
    }

    @Test
    void rankCodingGradientWithAFixedMaskMatchesFiniteDifferencesWhereSpikesStay() {
        long seed = 800;
        int checked = 0;
        int skipped = 0;
        for (int layers : new int[]{2, 3}) {
            SplittableRandom rng = new SplittableRandom(seed);
            RankCodingNetwork net = RcTestSupport.network(2, 3, layers, HeadType.SOFTMAX, 3, seed++, 0.8);
            SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{6, 4, 7, 5, 3}, 3, 1.0, 0.0);
            double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.4);
            RankCodingPass pass = new RankCodingPass(net, K);
            pass.dropout(masks(net, batch.batchSize(), 0.3, seed));
            RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.0);
            Parameters grads = net.parameters().zerosLike();
            Parameters scratch = net.parameters().zerosLike();
            pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
            int[] steps = new int[batch.batchSize()];
            for (int r = 0; r < steps.length; r++) {
                steps[r] = pass.decisionStep(r);
            }
            int[] counts = checkAll(net, grads, pass, batch, theta, loss, scratch, steps, "RC layers=" + layers);
            checked += counts[0];
            skipped += counts[1];
        }
        assertTrue(checked >= 0.9 * (checked + skipped), "most coordinates keep their spikes: " + checked + " / " + skipped);
    }

    /** Checks every coordinate; returns {checked, skipped (a decision step moved)}. */
    private static int[] checkAll(RankCodingNetwork net, Parameters grads, RankCodingPass pass, SequenceBatch batch,
                                  double theta, RankCodingLoss loss, Parameters scratch, int[] steps, String where) {
        Parameters params = net.parameters();
        double norm = 0;
        int checked = 0;
        int skipped = 0;
        for (String name : params.names()) {
            DMatrixRMaj m = params.get(name);
            for (int i = 0; i < m.getNumElements(); i++) {
                GradientCheckTest.CentralDifference diff = GradientCheckTest.centralDifference(pass, batch, theta, loss,
                        scratch, steps, m.data, i);
                if (!diff.stepsKept()) {
                    skipped++;
                    continue;
                }
                double ana = grads.get(name).data[i];
                norm += ana * ana;
                GradientCheckTest.check(where + " " + name + "[" + i + "]", ana, diff.numeric());
                checked++;
            }
        }
        assertTrue(norm > 1e-12, "the gradient must not vanish: " + where);
        return new int[]{checked, skipped};
    }

    @Test
    void rowRangesComputedApartAddUpToTheWholeBatchWithTheSameMasks() {
        SplittableRandom rng = new SplittableRandom(5);
        RankCodingNetwork net = RcTestSupport.network(2, 4, 2, HeadType.SOFTMAX, 3, 9, 0.8);
        SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{5, 2, 6, 4, 3, 5}, 3, 1.0, 0.0);
        HiddenDropout d = masks(net, batch.batchSize(), 0.5, 17);
        RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, 0.0);
        RankCodingPass whole = new RankCodingPass(net, K);
        whole.dropout(d);
        Parameters all = net.parameters().zerosLike();
        double lossAll = whole.gradients(batch, 0, 6, 1.0 / 6, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, all);
        RankCodingPass part = new RankCodingPass(net, K);
        part.dropout(d);
        Parameters a = net.parameters().zerosLike();
        Parameters b = net.parameters().zerosLike();
        double la = part.gradients(batch, 0, 4, 1.0 / 6, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, a);
        double lb = part.gradients(batch, 4, 6, 1.0 / 6, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, b);
        assertEquals(lossAll, la + lb, 1e-12);
        for (String name : all.names()) {
            double[] x = all.get(name).data;
            double[] y = a.get(name).data;
            double[] z = b.get(name).data;
            for (int i = 0; i < all.get(name).getNumElements(); i++) {
                assertEquals(x[i], y[i] + z[i], 1e-12, name + "[" + i + "]");
            }
        }
    }

    @Test
    void masksChangeTheLossAndNoneRestoresIt() {
        SplittableRandom rng = new SplittableRandom(6);
        RankCodingNetwork net = RcTestSupport.network(2, 5, 2, HeadType.SOFTMAX, 3, 10, 0.8);
        SequenceBatch batch = RcTestSupport.batch(rng, 2, new int[]{5, 3, 4}, 3, 1.0, 0.0);
        RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, 0.0);
        RankCodingPass pass = new RankCodingPass(net, K);
        Parameters g = net.parameters().zerosLike();
        double plain = pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, g);
        Parameters plainGrads = g.copy();
        pass.dropout(masks(net, 3, 0.5, 1));
        double dropped = pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, g);
        assertNotEquals(plain, dropped);
        pass.dropout(HiddenDropout.NONE);
        assertEquals(plain, pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, g));
        assertNull(RcTestSupport.compare(plainGrads, g, 0.0));
    }

    @Test
    void masksAreZeroOrTheInverseKeepRateAndDeterministic() {
        RankCodingNetwork net = RcTestSupport.network(2, 50, 3, HeadType.SOFTMAX, 3, 11, 0.8);
        HiddenDropout a = masks(net, 40, 0.25, 3);
        HiddenDropout b = masks(net, 40, 0.25, 3);
        int dropped = 0;
        for (int l = 0; l < 2; l++) {
            for (int r = 0; r < 40; r++) {
                for (int k = 0; k < 50; k++) {
                    double m = a.mask(l, r, k);
                    assertTrue(m == 0 || m == 1 / 0.75, "mask value " + m);
                    assertEquals(m, b.mask(l, r, k));
                    dropped += m == 0 ? 1 : 0;
                }
            }
        }
        double rate = dropped / 4000.0;
        assertTrue(Math.abs(rate - 0.25) < 0.03, "drop rate " + rate);
        HiddenDropout single = new HiddenDropout(RcTestSupport.network(2, 5, 1, HeadType.SOFTMAX, 3, 1, 0.8));
        single.draw(4, 0.5, new SplittableRandom(1));
        assertTrue(!single.active(), "one layer: nothing to drop");
    }
}
