package org.rankcoding.infer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link StreamingSession} of a model with a convolutional front end, fed a row step by step, decides like
 * {@link RankCodingModel#classify} on the batch (same step, label, spike and probabilities), for dense and sparse
 * batches, with and without a step cap; the model keeps its own copy of the front end.
 */
class FrontEndStreamingTest {

    /** A 4 x 6 image, 3 filters of 3 x 3, pooled 2 x 2: 18 features. */
    private static final ConvFrontEndConfig FRONT = ConvFrontEndConfig.conv(3, 3, 2, 4, 6);

    private static int classes(HeadType head) {
        return head == HeadType.BINARY_SIGMOID ? 2 : 4;
    }

    /** Dense rows of Gaussian pixels, about a third of them exactly zero. */
    private static SequenceBatch denseBatch(SplittableRandom rng, int rows, int classes) {
        SequenceBatch b = RcTestSupport.batch(rng, FRONT.inputSize(), RcTestSupport.randomLengths(rng, rows, 12), classes, 1.0, 0.0);
        double[] x = b.inputArray();
        for (int i = 0; i < x.length; i++) {
            if (rng.nextDouble() < 0.33) {
                x[i] = 0.0;
            }
        }
        return b;
    }

    private static void assertSameDecisions(RankCodingModel model, SequenceBatch batch, int cap, BatchDecisions got,
                                            double probabilityTolerance, String where) {
        SequenceBatch dense = batch.toDense();
        StreamingSession session = model.newSession();
        assertEquals(batch.batchSize(), got.size());
        for (int r = 0; r < batch.batchSize(); r++) {
            Decision want = BatchClassifyTest.stream(session, dense, r, cap);
            Decision d = got.get(r);
            String row = where + ", row " + r + " (length " + batch.length(r) + ", cap " + cap + ")";
            assertEquals(want.step(), d.step(), row);
            assertEquals(want.label(), d.label(), row);
            assertEquals(want.spiked(), d.spiked(), row);
            assertArrayEquals(want.probabilities(), d.probabilities(), probabilityTolerance, row);
        }
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void aSessionDecidesLikeClassifyOnTheSameRows(HeadType head) {
        SplittableRandom rng = new SplittableRandom(31 + head.ordinal());
        for (int variant = 0; variant < 4; variant++) {
            int layers = 1 + variant % 2;
            // the two-layer network gets a two-stage front end (a second convolution of 2 filters, without pooling);
            // variants 2 and 3 integrate their input (the session keeps the running sum of what it is fed)
            ConvFrontEndConfig front = (layers == 1 ? FRONT
                    : ConvFrontEndConfig.conv(3, 3, 1, FRONT.height(), FRONT.width()).withSecondStage(2)).withIntegration(variant >= 2);
            RankCodingNetwork net = RcTestSupport.network(front, 6, layers, head, classes(head), 40 + layers, 1.2);
            SequenceBatch batch = denseBatch(rng, 30, classes(head));
            double theta = BatchClassifyTest.mixingThreshold(net, batch);
            for (MatrixKernels kernels : new MatrixKernels[]{Kernels.best(), ReferenceKernels.INSTANCE}) {
                String where = head + ", " + layers + " layer(s), " + front + ", " + kernels.name();
                // with the same kernels a row computed alone or in a block rounds alike only for double precision
                double tol = kernels.precision() <= 1e-12 ? 1e-12 : 1e-5;
                RankCodingModel model = new RankCodingModel(net, theta, kernels);
                BatchDecisions got = model.classify(batch);
                assertSameDecisions(model, batch, Integer.MAX_VALUE, got, tol, where);
                int spiked = got.spikedCount();
                assertTrue(spiked > 0 && spiked < batch.batchSize(), "the case mixes spiking and silent rows: " + spiked);
                assertTrue(got.exampleSteps() < got.fullExampleSteps(), "early exit saves work");
                BatchDecisions capped = model.classify(batch, 3);
                assertSameDecisions(model, batch, 3, capped, tol, where + ", capped");
                assertTrue(capped.stream().anyMatch(d -> !d.spiked() && d.step() == 3), "some rows are decided at the cap");
            }
        }
    }

    /** A sparse binary batch: the session, fed its dense form, decides like classify on the sparse batch. */
    @ParameterizedTest
    @EnumSource(HeadType.class)
    void sparseBatchesDecideLikeSessionsFedTheirDenseForm(HeadType head) {
        SplittableRandom rng = new SplittableRandom(50 + head.ordinal());
        RankCodingNetwork net = RcTestSupport.network(FRONT, 6, 2, head, classes(head), 44, 1.2);
        SequenceBatch sparse = RcTestSupport.sparseBatch(rng, FRONT.inputSize(), RcTestSupport.randomLengths(rng, 30, 12),
                classes(head), 0.25);
        SequenceBatch dense = sparse.toDense();
        RankCodingModel model = new RankCodingModel(net, BatchClassifyTest.mixingThreshold(net, dense));
        for (int cap : new int[]{Integer.MAX_VALUE, 4}) {
            BatchDecisions got = model.classify(sparse, cap);
            assertSameDecisions(model, sparse, cap, got, 1e-5, head + " sparse");
            BatchDecisions viaDense = model.classify(dense, cap);
            for (int r = 0; r < sparse.batchSize(); r++) {
                assertTrue(viaDense.get(r).sameOutcome(got.get(r)), "row " + r + ": " + viaDense.get(r) + " vs " + got.get(r));
            }
            if (cap == Integer.MAX_VALUE) {
                assertTrue(got.spikedCount() > 0 && got.spikedCount() < sparse.batchSize(), "mixed: " + got.spikedCount());
            }
        }
    }

    @Test
    void theModelKeepsItsOwnCopyOfTheFrontEndAndUsesIt() {
        RankCodingNetwork net = RcTestSupport.network(FRONT, 5, 1, HeadType.SOFTMAX, 3, 7, 1.0);
        RankCodingModel model = new RankCodingModel(net, 0.99);
        SplittableRandom rng = new SplittableRandom(8);
        double[] x = new double[FRONT.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = RcTestSupport.gaussian(rng);
        }
        double[] before = probabilities(model, x);
        for (int i = 0; i < net.frontEnd().weight().getNumElements(); i++) {
            net.frontEnd().weight().data[i] *= -2; // training the network further must not change the model
        }
        net.frontEnd().bias().data[0] += 1;
        assertArrayEquals(before, probabilities(model, x), 0.0);
        double[] changed = probabilities(new RankCodingModel(net, 0.99), x);
        assertFalse(Arrays.equals(before, changed), "a model of the changed network computes with its front end");
    }

    private static double[] probabilities(RankCodingModel model, double[] x) {
        StreamingSession s = model.newSession();
        s.feed(x);
        s.feed(x);
        double[] p = new double[3];
        s.currentProbabilities(p);
        return p;
    }
}
