package org.rankcoding.nn;

import java.util.Objects;

/**
 * Maps a readout vector {@code z} to output probabilities {@code p}, and defines for those probabilities
 * the threshold-crossing rule, the prediction, the cross-entropy and the entropy.
 *
 * <p>All methods work on slices of caller-owned arrays ({@code z[zOff .. zOff + outputs())} and so on),
 * never allocate and keep no state, so one head instance may be shared by any number of threads.
 */
public sealed interface OutputHead permits BinarySigmoidHead, PerClassSigmoidHead, SoftmaxHead {

    /** Number of readout outputs K (1 for the binary head). */
    int outputs();

    /** Number of classes: one per output (2 for the binary head, whose one output is the probability of class 1). */
    default int numClasses() {
        return outputs();
    }

    /** The head's kind. */
    HeadType type();

    /** Writes {@code p = head(z)}; reads {@code z}, modifies only {@code p}. */
    void probabilities(double[] z, int zOff, double[] p, int pOff);

    /**
     * The spike rule: whether probabilities {@code p} cross threshold {@code theta} (in (0.5, 1)).
     * Binary: {@code p > theta || p < 1 - theta}; multi-class: {@code max_k p_k > theta}.
     */
    boolean crosses(double[] p, int pOff, double theta);

    /** The predicted class for probabilities {@code p}. */
    int predict(double[] p, int pOff);

    /**
     * Loss and its gradient for one example: {@code L = CE(p, label) - beta * H(p)}; writes
     * {@code dz = scale * dL/dz}. Reads {@code z} and {@code p} (which must be {@code head(z)}). Each vector is an
     * array and an offset, as in {@link org.rankcoding.kernel.MatrixKernels}, so that a pass computes in place in its
     * reused buffers: hence nine parameters.
     *
     * @return {@code CE(p, label) - beta * H(p)} (not scaled)
     */
    double lossAndGradient(double[] z, int zOff, double[] p, int pOff, int label, double beta, double scale,
                           double[] dz, int dzOff);

    /** The cross-entropy of {@code p} (computed stably from {@code z}) for {@code label}. */
    double crossEntropy(double[] z, int zOff, double[] p, int pOff, int label);

    /** The entropy reward {@code H(p)} this head uses (see docs/method.md for each head's formula). */
    double entropy(double[] z, int zOff, double[] p, int pOff);

    /** Creates the head of the given kind for {@code numClasses} classes. */
    static OutputHead of(HeadType type, int numClasses) {
        Objects.requireNonNull(type, "type is null");
        return switch (type) {
            case BINARY_SIGMOID -> {
                if (numClasses != 2) {
                    throw new IllegalArgumentException("the binary sigmoid head needs numClasses = 2, got " + numClasses
                            + "; use SOFTMAX or PER_CLASS_SIGMOID for more classes");
                }
                yield BinarySigmoidHead.INSTANCE;
            }
            case PER_CLASS_SIGMOID -> new PerClassSigmoidHead(numClasses);
            case SOFTMAX -> new SoftmaxHead(numClasses);
        };
    }

    /** {@code log(1 + exp(x))} without overflow. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** The logistic function. */
    static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }
}
