package org.rankcoding.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** Every size of a network has a maximum, named in the refusal, and no parameter matrix outgrows a Java array. */
class NetworkConfigBoundsTest {

    @Test
    void eachSizeAboveItsMaximumIsRefusedWithTheBound() {
        assertIllegalArgument(() -> new NetworkConfig(1, 100_000, 1, HeadType.BINARY_SIGMOID, 2), "hiddenSize = 100000",
                "<= 65536");
        assertIllegalArgument(() -> new NetworkConfig(1, 8, 1000, HeadType.BINARY_SIGMOID, 2), "layers = 1000", "<= 64");
        assertIllegalArgument(() -> new NetworkConfig(1 << 25, 8, 1, HeadType.BINARY_SIGMOID, 2), "inputSize = 33554432",
                "<= 16777216");
        assertIllegalArgument(() -> new NetworkConfig(1, 8, 1, HeadType.SOFTMAX, 1 << 20), "numClasses = 1048576", "<= 65536");
        assertIllegalArgument(() -> new NetworkConfig(1, Integer.MAX_VALUE, 1, HeadType.BINARY_SIGMOID, 2),
                "hiddenSize = 2147483647", "<= 65536");
    }

    @Test
    void theMinimaKeepTheirWording() {
        assertIllegalArgument(() -> new NetworkConfig(1, -5, 1, HeadType.BINARY_SIGMOID, 2), "hiddenSize = -5, expected >= 1");
        assertIllegalArgument(() -> new NetworkConfig(1, 5, 0, HeadType.BINARY_SIGMOID, 2), "layers = 0, expected >= 1");
        assertIllegalArgument(() -> new NetworkConfig(0, 5, 1, HeadType.BINARY_SIGMOID, 2), "inputSize = 0, expected >= 1");
        assertIllegalArgument(() -> new NetworkConfig(1, 5, 1, HeadType.SOFTMAX, 1), "numClasses = 1, expected >= 2");
    }

    @Test
    void aParameterMatrixBeyondAJavaArrayIsRefusedBeforeAnyIntOverflows() {
        // 4H x H = 120000 x 30000 = 3.6e9 elements: as an int product it would wrap to a negative size
        assertIllegalArgument(() -> new NetworkConfig(1, 30_000, 1, HeadType.BINARY_SIGMOID, 2), "hiddenSize = 30000",
                "the recurrent weight", "120000 x 30000", "more than a Java array holds");
        // the first layer's input weight: 4H x inputSize
        assertIllegalArgument(() -> new NetworkConfig(1 << 24, 64, 1, HeadType.BINARY_SIGMOID, 2), "hiddenSize = 64",
                "input weight", "256 x 16777216");
    }

    @Test
    void theLargestSizesThatFitAreAccepted() {
        assertEquals(23_170, new NetworkConfig(1, 23_170, 1, HeadType.BINARY_SIGMOID, 2).hiddenSize());
        assertEquals(NetworkConfig.MAX_LAYERS, new NetworkConfig(1, 8, NetworkConfig.MAX_LAYERS, HeadType.BINARY_SIGMOID, 2).layers());
        assertEquals(NetworkConfig.MAX_CLASSES, new NetworkConfig(784, 125, 1, HeadType.SOFTMAX, NetworkConfig.MAX_CLASSES)
                .numClasses());
    }
}
