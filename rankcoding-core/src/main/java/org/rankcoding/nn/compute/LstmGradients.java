package org.rankcoding.nn.compute;

import java.util.Arrays;

/**
 * Gradient accumulators of one {@link Lstm} layer in the compute layout: {@code dL/d weight_ih^T} ({@code I x 4H}),
 * {@code dL/d weight_hh^T} ({@code H x 4H}) and the bias gradient ({@code 4H}, the same for {@code bias_ih} and
 * {@code bias_hh}). The backward steps add into them. Not thread-safe.
 */
public final class LstmGradients {

    final double[] wihT;
    final double[] whhT;
    final double[] bias;

    /** Zeroed accumulators for a layer of input size {@code inputSize} and hidden size {@code hiddenSize}. */
    public LstmGradients(int inputSize, int hiddenSize) {
        this.wihT = new double[inputSize * 4 * hiddenSize];
        this.whhT = new double[hiddenSize * 4 * hiddenSize];
        this.bias = new double[4 * hiddenSize];
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        Arrays.fill(wihT, 0.0);
        Arrays.fill(whhT, 0.0);
        Arrays.fill(bias, 0.0);
    }

    /** {@code dL/d weight_ih^T}, {@code I x 4H} (live). */
    public double[] inputWeightsTransposed() {
        return wihT;
    }

    /** {@code dL/d weight_hh^T}, {@code H x 4H} (live). */
    public double[] recurrentWeightsTransposed() {
        return whhT;
    }

    /** The bias gradient, {@code 4H} (live). */
    public double[] bias() {
        return bias;
    }
}
