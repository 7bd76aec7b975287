package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.HiddenDropout;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The update after each batch on the training threads ({@link ParallelGradients} as a {@link PartRunner}): the sum of
 * the threads' partial gradients, Adam and the divergence check cut into chunks of every tensor give the same bits and
 * the same errors as one pass on one thread.
 */
class ParallelUpdateTest {

    private static final NetworkConfig NET = new NetworkConfig(1, 7, 2, HeadType.SOFTMAX, 2);

    private static void fill(Parameters p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DMatrixRMaj m : p.tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = r.nextDouble(-1, 1);
            }
        }
    }

    private static void assertBits(Parameters expected, Parameters actual, String what) {
        assertNull(CheckpointFixtures.firstDifference(expected, actual), what);
    }

    @Test
    void theSummedGradientOfThreeThreadsIsTheirRangesAddedInOrder() {
        RankCodingNetwork net = new RankCodingNetwork(NET, 3);
        SequenceBatch batch = NoiseSignalTask.dataset(5, 23, 3, 9, 0.3, 0.4).batches(23).get(0);
        RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, 0.05, 0.5);
        double theta = 0.8;
        Parameters expected = net.parameters().zerosLike();
        double expectedLoss = 0;
        for (int part = 0; part < 3; part++) {
            int from = part * 23 / 3;
            int to = (part + 1) * 23 / 3;
            Parameters partial = net.parameters().zerosLike();
            expectedLoss += new RankCodingPass(net, ReferenceKernels.INSTANCE).gradients(batch, from, to, 1.0 / 23, theta, loss,
                    Integer.MAX_VALUE, partial);
            List<DMatrixRMaj> total = expected.tensors();
            for (int t = 0; t < total.size(); t++) {
                if (part == 0) {
                    total.get(t).setTo(partial.tensors().get(t));
                } else {
                    CommonOps_DDRM.addEquals(total.get(t), partial.tensors().get(t));
                }
            }
        }
        Parameters actual = net.parameters().zerosLike();
        fill(actual, 99); // overwritten, not added to
        try (ParallelGradients threads = new ParallelGradients(net, ReferenceKernels.INSTANCE, 3, new HiddenDropout(net))) {
            double actualLoss = threads.gradients(batch,
                    TrainerConfig.builder().threshold(theta).build().decisionRule().rule(net.head()), loss, Integer.MAX_VALUE,
                    Integer.MAX_VALUE, actual);
            assertEquals(Double.doubleToLongBits(expectedLoss), Double.doubleToLongBits(actualLoss), "the batch loss");
        }
        assertBits(expected, actual, "the gradient summed over three threads' chunks");
    }

    @Test
    void adamOnThreeThreadsGivesTheBitsOfOneWithAndWithoutWeightDecay() {
        for (double decay : new double[] {0, 0.05}) {
            RankCodingNetwork net = new RankCodingNetwork(NET, 4);
            Parameters serialWeights = net.parameters().copy();
            Parameters parallelWeights = net.parameters().copy();
            Adam serial = new Adam(serialWeights, 1e-2, 0.9, 0.999, 1e-8, decay);
            Adam parallel = new Adam(parallelWeights, 1e-2, 0.9, 0.999, 1e-8, decay);
            Parameters grads = serialWeights.zerosLike();
            try (ParallelGradients threads = new ParallelGradients(net, ReferenceKernels.INSTANCE, 3, new HiddenDropout(net))) {
                for (int step = 0; step < 5; step++) {
                    fill(grads, 100 + step);
                    double lr = 1e-2 / (1 + step);
                    serial.update(serialWeights, grads, lr);
                    parallel.update(parallelWeights, grads, lr, threads);
                    assertBits(serialWeights, parallelWeights, "weights after step " + (step + 1) + ", decay " + decay);
                    assertBits(serial.firstMoments(), parallel.firstMoments(), "first moments");
                    assertBits(serial.secondMoments(), parallel.secondMoments(), "second moments");
                }
            }
            assertEquals(5, parallel.steps());
        }
    }

    @Test
    void aDivergenceFoundInAnyChunkNamesTheFirstTensorAsOneThreadDoes() {
        RankCodingNetwork net = new RankCodingNetwork(NET, 5);
        TrainerConfig config = TrainerConfig.builder().learningRate(1e-2).build();
        List<String> names = net.parameters().names();
        try (ParallelGradients threads = new ParallelGradients(net, ReferenceKernels.INSTANCE, 3, new HiddenDropout(net))) {
            // a NaN gradient in the last chunk of an earlier tensor and in the first chunk of a later one
            for (int[] at : new int[][] {{0, -1}, {1, -1, 3, 0}, {names.size() - 1, 0}, {2, -1, 1, 0}}) {
                Parameters serialWeights = net.parameters().copy();
                Parameters parallelWeights = net.parameters().copy();
                Parameters grads = serialWeights.zerosLike();
                fill(grads, 7);
                for (int k = 0; k < at.length; k += 2) {
                    double[] d = grads.tensors().get(at[k]).data;
                    d[at[k + 1] < 0 ? grads.tensors().get(at[k]).getNumElements() - 1 : at[k + 1]] = Double.NaN;
                }
                IllegalStateException one = assertThrows(IllegalStateException.class,
                        () -> new OptimizerStep(config, serialWeights).apply(serialWeights, grads, 0.5, 0));
                IllegalStateException three = assertThrows(IllegalStateException.class,
                        () -> new OptimizerStep(config, parallelWeights).apply(parallelWeights, grads, 0.5, 0, threads));
                assertEquals(one.getMessage(), three.getMessage());
                int first = at.length == 2 ? at[0] : Math.min(at[0], at[2]);
                assertTrue(three.getMessage().contains("'" + names.get(first) + "'"), three.getMessage());
            }
        }
    }
}
