package org.rankcoding.nn;

/**
 * The shape of a {@link RankCodingNetwork}: input size, hidden size, number of stacked LSTM layers, head,
 * number of classes and an optional convolutional front end. Validated once, here.
 *
 * <p>Every size has a maximum ({@link #MAX_INPUT_SIZE}, {@link #MAX_HIDDEN_SIZE}, {@link #MAX_LAYERS},
 * {@link #MAX_CLASSES}) far above any real use, so that a mistyped size is refused here with the bound in the message
 * instead of failing later in an allocation; and no parameter matrix may have more elements than a Java array holds
 * ({@link #MAX_MATRIX_ELEMENTS}), so that no size product overflows an {@code int}. Whether a valid shape fits the
 * heap for training is {@link org.rankcoding.train.MemoryEstimate}'s question.
 *
 * @param inputSize  size of each step's input vector, 1 .. {@link #MAX_INPUT_SIZE}
 * @param hiddenSize LSTM hidden size H, 1 .. {@link #MAX_HIDDEN_SIZE}
 * @param layers     number of stacked LSTM layers, 1 .. {@link #MAX_LAYERS}
 * @param head       the output head
 * @param numClasses number of classes, 2 .. {@link #MAX_CLASSES} (exactly 2 for {@link HeadType#BINARY_SIGMOID})
 * @param frontEnd   the convolutional front end between the input and the first LSTM layer, or
 *                   {@link ConvFrontEndConfig#NONE}; when present, {@code inputSize} must be its
 *                   {@code height * width}
 */
public record NetworkConfig(int inputSize, int hiddenSize, int layers, HeadType head, int numClasses,
                            ConvFrontEndConfig frontEnd) {

    /**
     * Largest input size: 2^24 = 16,777,216 values per step, a 4096 x 4096 image. Real inputs are far smaller (784 for
     * an MNIST image, tens of log-mel bands); a larger first-layer weight ({@code 4H x inputSize}) would not fit a heap.
     */
    public static final int MAX_INPUT_SIZE = 1 << 24;
    /**
     * Largest hidden size: 65,536. Published LSTMs use a few thousand at most; the bound keeps every {@code 4H}
     * product far from {@code int} overflow (the recurrent weight of a hidden size above about 23,170 is refused by
     * {@link #MAX_MATRIX_ELEMENTS} anyway).
     */
    public static final int MAX_HIDDEN_SIZE = 1 << 16;
    /** Largest number of stacked LSTM layers: 64. Deep stacks in practice have at most 8 to 16. */
    public static final int MAX_LAYERS = 64;
    /** Largest number of classes: 65,536 (a large vocabulary; keyword spotting and digits use 2 to 35). */
    public static final int MAX_CLASSES = 1 << 16;
    /**
     * Most elements of one parameter matrix: {@code Integer.MAX_VALUE - 8}, the largest array a Java virtual machine
     * allocates. The LSTM weights ({@code 4H x I}, {@code 4H x H}) and the readout ({@code K x H}) are each one array.
     */
    public static final long MAX_MATRIX_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** A network without a front end: the first LSTM layer reads the input directly. */
    public NetworkConfig(int inputSize, int hiddenSize, int layers, HeadType head, int numClasses) {
        this(inputSize, hiddenSize, layers, head, numClasses, ConvFrontEndConfig.NONE);
    }

    /** Validates every field. */
    public NetworkConfig {
        if (frontEnd == null) {
            throw new IllegalArgumentException("frontEnd is null; use ConvFrontEndConfig.NONE for a network without one");
        }
        requireIn("inputSize", inputSize, 1, MAX_INPUT_SIZE);
        requireIn("hiddenSize", hiddenSize, 1, MAX_HIDDEN_SIZE);
        requireIn("layers", layers, 1, MAX_LAYERS);
        if (head == null) {
            throw new IllegalArgumentException("head is null; choose one of " + java.util.Arrays.toString(HeadType.values()));
        }
        requireIn("numClasses", numClasses, 2, MAX_CLASSES);
        if (head == HeadType.BINARY_SIGMOID && numClasses != 2) {
            throw new IllegalArgumentException("head BINARY_SIGMOID needs numClasses = 2, got " + numClasses
                    + "; use SOFTMAX or PER_CLASS_SIGMOID for more classes");
        }
        if (!frontEnd.isNone() && frontEnd.inputSize() != inputSize) {
            throw new IllegalArgumentException("the front end reads " + frontEnd.height() + " x " + frontEnd.width() + " = "
                    + frontEnd.inputSize() + " inputs per step, but inputSize = " + inputSize
                    + "; the image sides must multiply to the input size");
        }
        int firstInput = frontEnd.isNone() ? inputSize : frontEnd.outputSize();
        requireMatrix("hiddenSize", hiddenSize, "the first layer's input weight", 4L * hiddenSize, firstInput);
        requireMatrix("hiddenSize", hiddenSize, "the recurrent weight", 4L * hiddenSize, hiddenSize);
        requireMatrix("numClasses", numClasses, "the readout weight", numClasses, hiddenSize);
    }

    private static void requireIn(String name, int value, int min, int max) {
        if (value < min) {
            throw new IllegalArgumentException(name + " = " + value + ", expected >= " + min);
        }
        if (value > max) {
            throw new IllegalArgumentException(name + " = " + value + ", expected <= " + max + " (allowed: " + min + " .. " + max
                    + "; larger networks do not fit a Java heap)");
        }
    }

    /** Refuses a {@code rows x cols} parameter matrix that no Java array holds, naming the size that makes it. */
    private static void requireMatrix(String name, int value, String matrix, long rows, long cols) {
        long elements = rows * cols;
        if (elements > MAX_MATRIX_ELEMENTS) {
            throw new IllegalArgumentException(name + " = " + value + " makes " + matrix + " a " + rows + " x " + cols + " = "
                    + elements + "-element matrix, more than a Java array holds (" + MAX_MATRIX_ELEMENTS
                    + "); use a smaller size");
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
