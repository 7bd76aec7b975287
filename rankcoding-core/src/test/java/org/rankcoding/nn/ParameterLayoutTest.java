package org.rankcoding.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handles: resolved once, valid in every set of an equal layout, refused by a set of another layout. */
class ParameterLayoutTest {

    private static final NetworkConfig CONFIG = new NetworkConfig(4, 3, 2, HeadType.SOFTMAX, 5);

    @Test
    void handlesAddressTheSameTensorInEveryEqualLayout() {
        RankCodingNetwork a = new RankCodingNetwork(CONFIG, 1);
        RankCodingNetwork b = new RankCodingNetwork(CONFIG, 2);
        assertEquals(a.layout(), b.layout());
        assertEquals(a.layout().hashCode(), b.layout().hashCode());
        ParameterHandle h = a.layout().lstm(1).recurrentBias();
        assertEquals("lstm.bias_hh_l1", h.name());
        assertEquals(7, h.index());
        assertSame(b.parameters().get("lstm.bias_hh_l1"), b.parameters().get(h));
        Parameters grads = a.parameters().zerosLike();
        assertSame(a.layout(), grads.layout());
        assertSame(grads.tensors().get(7), grads.get(h));
        assertSame(h, a.layout().handle("lstm.bias_hh_l1"));
        assertEquals(List.of(1L, 12L), List.of(a.layout().spec(h).rows(), a.layout().spec(h).cols()));
    }

    @Test
    void aHandleOfAnotherLayoutIsRefused() {
        RankCodingNetwork a = new RankCodingNetwork(CONFIG, 1);
        RankCodingNetwork other = new RankCodingNetwork(new NetworkConfig(4, 3, 2, HeadType.SOFTMAX, 6), 1);
        assertNotEquals(a.layout(), other.layout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.parameters().get(a.layout().readout().weights()));
        assertTrue(e.getMessage().contains("readout.weight") && e.getMessage().contains("another layout"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> a.layout().handle("nope"));
        assertTrue(missing.getMessage().contains("'nope'") && missing.getMessage().contains("lstm.weight_ih_l0"),
                missing.getMessage());
    }

    @Test
    void frontEndStagesAndLayersAreBounded() {
        ParameterLayout plain = ParameterLayout.of(CONFIG);
        assertEquals(0, plain.frontEndStages());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> plain.frontEndStage(0));
        assertTrue(e.getMessage().contains("has 0"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> plain.lstm(2));
        ConvFrontEndConfig fe = ConvFrontEndConfig.conv(2, 3, 2, 4, 4).withSecondStage(3);
        ParameterLayout two = ParameterLayout.of(new NetworkConfig(16, 3, 1, HeadType.BINARY_SIGMOID, 2, fe));
        assertEquals(2, two.frontEndStages());
        assertEquals("frontend.weight2", two.frontEndStage(1).weights().name());
        assertEquals(ParameterLayout.tensorCount(1, fe), two.size());
    }

    @Test
    void zerosHaveTheLayoutsShapes() {
        Parameters z = Parameters.zeros(ParameterLayout.of(CONFIG));
        Parameters n = new RankCodingNetwork(CONFIG, 3).parameters();
        z.requireSameLayout(n);
        assertEquals(n.count(), z.count());
        assertEquals(0.0, z.norm());
    }
}
