package org.rankcoding.nn;

/**
 * The shape of a {@link RankCodingNetwork}: input size, hidden size, number of stacked LSTM layers, head
 * and number of classes. Validated once, here.
 *
 * @param inputSize  size of each step's input vector, at least 1
 * @param hiddenSize LSTM hidden size H, at least 1
 * @param layers     number of stacked LSTM layers, at least 1
 * @param head       the output head
 * @param numClasses number of classes, at least 2 (exactly 2 for {@link HeadType#BINARY_SIGMOID})
 */
public record NetworkConfig(int inputSize, int hiddenSize, int layers, HeadType head, int numClasses) {

    /** Validates every field. */
    public NetworkConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize = " + inputSize + ", expected >= 1");
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize = " + hiddenSize + ", expected >= 1");
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers = " + layers + ", expected >= 1");
        }
        if (head == null) {
            throw new IllegalArgumentException("head is null; choose one of " + java.util.Arrays.toString(HeadType.values()));
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        if (head == HeadType.BINARY_SIGMOID && numClasses != 2) {
            throw new IllegalArgumentException("head BINARY_SIGMOID needs numClasses = 2, got " + numClasses
                    + "; use SOFTMAX or PER_CLASS_SIGMOID for more classes");
        }
    }

    /** A one-layer binary network (the toy tasks' shape). */
    public static NetworkConfig binary(int inputSize, int hiddenSize) {
        return new NetworkConfig(inputSize, hiddenSize, 1, HeadType.BINARY_SIGMOID, 2);
    }
}
