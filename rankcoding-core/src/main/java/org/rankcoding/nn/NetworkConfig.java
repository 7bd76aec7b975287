package org.rankcoding.nn;

/**
 * The shape of a {@link RankCodingNetwork}: input size, hidden size, number of stacked LSTM layers, head,
 * number of classes and an optional convolutional front end. Validated once, here.
 *
 * @param inputSize  size of each step's input vector, at least 1
 * @param hiddenSize LSTM hidden size H, at least 1
 * @param layers     number of stacked LSTM layers, at least 1
 * @param head       the output head
 * @param numClasses number of classes, at least 2 (exactly 2 for {@link HeadType#BINARY_SIGMOID})
 * @param frontEnd   the convolutional front end between the input and the first LSTM layer, or
 *                   {@link ConvFrontEndConfig#NONE}; when present, {@code inputSize} must be its
 *                   {@code height * width}
 */
public record NetworkConfig(int inputSize, int hiddenSize, int layers, HeadType head, int numClasses,
                            ConvFrontEndConfig frontEnd) {

    /** A network without a front end: the first LSTM layer reads the input directly. */
    public NetworkConfig(int inputSize, int hiddenSize, int layers, HeadType head, int numClasses) {
        this(inputSize, hiddenSize, layers, head, numClasses, ConvFrontEndConfig.NONE);
    }

    /** Validates every field. */
    public NetworkConfig {
        if (frontEnd == null) {
            throw new IllegalArgumentException("frontEnd is null; use ConvFrontEndConfig.NONE for a network without one");
        }
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
        if (!frontEnd.isNone() && frontEnd.inputSize() != inputSize) {
            throw new IllegalArgumentException("the front end reads " + frontEnd.height() + " x " + frontEnd.width() + " = "
                    + frontEnd.inputSize() + " inputs per step, but inputSize = " + inputSize
                    + "; the image sides must multiply to the input size");
        }
    }

    /** Input size of the first LSTM layer: the front end's features, or {@code inputSize} without a front end. */
    public int lstmInputSize() {
        return frontEnd.isNone() ? inputSize : frontEnd.outputSize();
    }

    /** Number of readout outputs K: 1 for {@link HeadType#BINARY_SIGMOID}, {@code numClasses} for the other heads. */
    public int readoutSize() {
        return head == HeadType.BINARY_SIGMOID ? 1 : numClasses;
    }

    /** The same shape with {@code frontEnd} in place of this one's. */
    public NetworkConfig withFrontEnd(ConvFrontEndConfig frontEnd) {
        return new NetworkConfig(inputSize, hiddenSize, layers, head, numClasses, frontEnd);
    }

    /** A one-layer binary network (the toy tasks' shape). */
    public static NetworkConfig binary(int inputSize, int hiddenSize) {
        return new NetworkConfig(inputSize, hiddenSize, 1, HeadType.BINARY_SIGMOID, 2);
    }
}
