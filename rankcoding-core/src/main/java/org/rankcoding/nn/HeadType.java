package org.rankcoding.nn;

/** The output heads (see {@link OutputHead}). */
public enum HeadType {
    /** One output, {@code p = sigmoid(z)}: a spike is {@code p > theta} or {@code p < 1 - theta}; binary cross-entropy. */
    BINARY_SIGMOID,
    /**
     * One sigmoid per class (the reference MNIST head): a spike is any {@code p_k > theta}; the loss is the
     * softmax cross-entropy applied to the sigmoid values.
     */
    PER_CLASS_SIGMOID,
    /** {@code p = softmax(z)}: a spike is {@code max_k p_k > theta}; cross-entropy. */
    SOFTMAX
}
