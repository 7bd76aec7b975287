package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.train.TrainerConfig;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The length curriculum: a pass with a step limit is exactly a pass over the same rows cut to that many steps. */
class StepLimitTest {

    /** The same batch with every row's length cut to {@code limit} (the inputs beyond are padding, never read). */
    private static SequenceBatch cut(SequenceBatch b, int limit, int classes) {
        int[] lengths = new int[b.batchSize()];
        int[] labels = new int[b.batchSize()];
        for (int r = 0; r < lengths.length; r++) {
            lengths[r] = Math.min(b.length(r), limit);
            labels[r] = b.label(r);
        }
        return new SequenceBatch(b.batchSize(), b.maxLength(), b.inputSize(), b.inputArray(), lengths, labels, classes, null);
    }

    @Test
    void aStepLimitEqualsCutSequences() {
        SplittableRandom rng = new SplittableRandom(5);
        for (HeadType head : HeadType.values()) {
            int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
            RankCodingNetwork net = RcTestSupport.network(3, 4, 2, head, classes, 11, 0.7);
            SequenceBatch batch = RcTestSupport.batch(rng, 3, new int[]{6, 2, 5, 6, 1}, classes, 1.0, 0.0);
            RankCodingPass limited = new RankCodingPass(net, ReferenceKernels.INSTANCE);
            RankCodingPass plain = new RankCodingPass(net, ReferenceKernels.INSTANCE);
            for (LossMode mode : LossMode.values()) {
                RankCodingLoss loss = new RankCodingLoss(mode, 0.1);
                for (int limit : new int[]{1, 3, 6, Integer.MAX_VALUE}) {
                    Parameters a = net.parameters().zerosLike();
                    Parameters b = net.parameters().zerosLike();
                    double la = limited.gradients(batch, 0, batch.batchSize(), 1.0 / batch.batchSize(), 0.6, loss,
                            RankCodingPass.UNLIMITED_HORIZON, limit, a);
                    double lb = plain.gradients(cut(batch, limit, classes), 0.6, loss, RankCodingPass.UNLIMITED_HORIZON, b);
                    String where = head + " " + mode + " limit " + limit;
                    assertEquals(lb, la, 0.0, where);
                    for (int r = 0; r < batch.batchSize(); r++) {
                        assertEquals(plain.decisionStep(r), limited.decisionStep(r), where + " row " + r);
                        assertTrue(limited.decisionStep(r) <= limit, where);
                    }
                    for (String name : a.names()) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(name).data, a.get(name).data, 0.0, where + " " + name);
                    }
                    assertEquals(plain.forwardExampleSteps(), limited.forwardExampleSteps(), where);
                }
            }
        }
    }

    @Test
    void theCurriculumGrowsByOneStepEveryNSequences() {
        TrainerConfig none = TrainerConfig.builder().build();
        assertEquals(Integer.MAX_VALUE, none.stepLimit(0));
        assertEquals(Integer.MAX_VALUE, none.stepLimit(1_000_000));
        TrainerConfig c = TrainerConfig.builder().warmupSequencesPerStep(1000).build();
        assertEquals(1, c.stepLimit(0));
        assertEquals(1, c.stepLimit(999));
        assertEquals(2, c.stepLimit(1000));
        assertEquals(20, c.stepLimit(19_500));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.builder().warmupSequencesPerStep(-1).build());
        assertTrue(e.getMessage().contains("warmupSequencesPerStep = -1"), e.getMessage());
        RankCodingNetwork net = RcTestSupport.network(2, 2, 1, HeadType.SOFTMAX, 3, 1, 0.5);
        SequenceBatch batch = RcTestSupport.batch(new SplittableRandom(1), 2, new int[]{2}, 3, 1.0, 0.0);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new RankCodingPass(net, ReferenceKernels.INSTANCE)
                .gradients(batch, 0, 1, 1.0, 0.9, new RankCodingLoss(LossMode.RANK_CODING, 0), 1, 0, net.parameters().zerosLike()));
        assertTrue(zero.getMessage().contains("stepLimit = 0"), zero.getMessage());
    }
}
