package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.rc.LossMode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Weight decay, dropout, input dropout and early stopping at their defaults (0) leave training exactly as it was before
 * they existed: the last batch's loss and the final weights of small runs (two stacked layers, rank coding and the
 * end-of-sequence baseline, with validation) equal, bit for bit, the values recorded with the library before these
 * settings were added (reference kernels, one thread, so the values do not depend on the machine's vector units).
 */
class DefaultsUnchangedTest {

    /**
     * Recorded before weight decay, dropout and early stopping existed: {last batch loss, weight digest}. The digests
     * were recorded again (the losses did not change) when the backward pass began to add the weight gradients of
     * several steps in one product ({@code WeightGradientBatch}), which changes the order in which they are rounded;
     * before that they were 264ece421fae32c5 (RC) and 9db101751b594398 (EOS).
     */
    private static final String RC_RECORDED = "0.5010868664370235 a9187ffbf93a7269";
    private static final String EOS_RECORDED = "0.4260133430398736 da1a08201f4053c3";

    static String run(LossMode mode) {
        InMemorySequences train = NoiseSignalTask.dataset(11, 300, 4, 9, 0.3, 0.3);
        InMemorySequences valid = NoiseSignalTask.dataset(12, 60, 4, 9, 0.3, 0.3);
        TrainerConfig config = TrainerConfig.builder().lossMode(mode).threshold(0.6).learningRate(1e-2).batchSize(16).trainSequences(400)
                .seed(3).threads(1).validateEverySequences(100).build();
        NetworkConfig net = new NetworkConfig(1, 6, 2, HeadType.SOFTMAX, 2);
        double[] loss = new double[1];
        TrainingResult r = new Trainer(config, ReferenceKernels.INSTANCE).train(net, train, valid.batches(32),
                new TrainingListener() {
                    @Override
                    public void onBatch(TrainingProgress p) {
                        loss[0] = p.batchLoss();
                    }
                });
        return loss[0] + " " + digest(r.network().parameters());
    }

    static String digest(Parameters p) {
        long h = 17;
        for (String name : p.names()) {
            DMatrixRMaj m = p.get(name);
            for (int i = 0; i < m.getNumElements(); i++) {
                h = h * 1_000_003 + Double.doubleToLongBits(m.data[i]);
            }
        }
        return Long.toHexString(h);
    }

    @Test
    void rankCodingAtTheDefaultsIsBitIdenticalToBefore() {
        assertEquals(RC_RECORDED, run(LossMode.RANK_CODING));
    }

    @Test
    void endOfSequenceAtTheDefaultsIsBitIdenticalToBefore() {
        assertEquals(EOS_RECORDED, run(LossMode.END_OF_SEQUENCE));
    }
}
