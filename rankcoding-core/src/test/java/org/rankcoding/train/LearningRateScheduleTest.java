package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    @Test
    void factorsFollowTheirFormulas() {
        assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(0.0));
        assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(0.9));
        assertEquals(1.0, LearningRateSchedule.COSINE.factor(0.0), 1e-15);
        assertEquals(0.5, LearningRateSchedule.COSINE.factor(0.5), 1e-15);
        assertEquals(0.0, LearningRateSchedule.COSINE.factor(1.0), 1e-15);
        assertTrue(LearningRateSchedule.COSINE.factor(0.25) > LearningRateSchedule.COSINE.factor(0.75));
    }

    @Test
    void adamWithAZeroRateLeavesWeightsAloneAndTheTrainerAppliesTheSchedule() {
        RankCodingNetwork net = new RankCodingNetwork(NetworkConfig.binary(1, 3), 1);
        Parameters before = net.parameters().copy();
        Parameters grads = net.parameters().zerosLike();
        grads.get("readout.bias").data[0] = 1.0;
        Adam adam = new Adam(net.parameters(), 0.1, 0.9, 0.999, 1e-8);
        adam.update(net.parameters(), grads, 0.0);
        assertEquals(before.get("readout.bias").data[0], net.parameters().get("readout.bias").data[0]);
        adam.update(net.parameters(), grads, 0.1);
        assertEquals(before.get("readout.bias").data[0] - 0.1, net.parameters().get("readout.bias").data[0], 1e-6);

        InMemorySequences data = new InMemorySequences(NoiseSignalTask.sequences(3, 200, 6, 6, 0.3, 0.1), 2);
        TrainerConfig constant = TrainerConfig.builder().trainSequences(400).batchSize(20).learningRate(1e-2).threads(1).build();
        TrainerConfig cosine = constant.toBuilder().schedule(LearningRateSchedule.COSINE).build();
        Parameters a = new Trainer(constant).train(NetworkConfig.binary(1, 4), data, List.of(), TrainingListener.NONE).network().parameters();
        Parameters b = new Trainer(cosine).train(NetworkConfig.binary(1, 4), data, List.of(), TrainingListener.NONE).network().parameters();
        assertTrue(Math.abs(a.get("lstm.weight_hh_l0").data[0] - b.get("lstm.weight_hh_l0").data[0]) > 1e-9,
                "a cosine schedule changes the trajectory");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> constant.toBuilder().schedule(null).build());
        assertTrue(e.getMessage().contains("schedule"), e.getMessage());
    }
}
