package org.rankcoding.nn.compute;

import org.junit.jupiter.api.Test;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A refresh picks up every change of the layer's parameters, however small, whether or not the weights changed
 * (the bias alone), and leaves a snapshot of unchanged weights exactly as a fresh snapshot of them.
 */
class LstmWeightsTest {

    private static final MatrixKernels K = Kernels.select("float32");

    private static Lstm layer() {
        return new RankCodingNetwork(new NetworkConfig(3, 10, 1, HeadType.SOFTMAX, 2), 5).layers().get(0);
    }

    private static void assertSameAsFresh(LstmWeights w, Lstm layer, String what) {
        LstmWeights fresh = new LstmWeights(layer, K);
        assertArrayEquals(fresh.bias, w.bias, 0.0, what + ": bias");
        assertArrayEquals(fresh.wih.values(), w.wih.values(), 0.0, what + ": weight_ih");
        assertArrayEquals(fresh.whh.values(), w.whh.values(), 0.0, what + ": weight_hh");
        assertArrayEquals(fresh.wihT.floats(), w.wihT.floats(), 0f, what + ": weight_ih^T floats");
        assertArrayEquals(fresh.whhT.floats(), w.whhT.floats(), 0f, what + ": weight_hh^T floats");
        assertArrayEquals(fresh.stackedT.floats(), w.stackedT.floats(), 0f, what + ": stacked floats");
        assertArrayEquals(fresh.wih.floats(), w.wih.floats(), 0f, what + ": weight_ih floats");
        assertArrayEquals(fresh.whh.floats(), w.whh.floats(), 0f, what + ": weight_hh floats");
    }

    @Test
    void aRefreshSeesEveryChangeAndNothingElse() {
        Lstm layer = layer();
        LstmWeights w = new LstmWeights(layer, K);
        w.refresh(layer);
        assertSameAsFresh(w, layer, "unchanged weights, refreshed again");

        double before = layer.weightHh().get(39, 9);
        layer.weightHh().set(39, 9, Math.nextUp(before));
        w.refresh(layer);
        assertEquals(Math.nextUp(before), w.whhT.get(9, 39), 0.0, "one ulp in the last recurrent weight");
        assertSameAsFresh(w, layer, "after a change of weight_hh");

        layer.weightIh().set(0, 0, layer.weightIh().get(0, 0) + 0.25);
        w.refresh(layer);
        assertSameAsFresh(w, layer, "after a change of weight_ih");

        layer.biasHh().set(0, 7, layer.biasHh().get(0, 7) - 1.0);
        w.refresh(layer);
        assertSameAsFresh(w, layer, "after a change of the bias alone");
    }
}
