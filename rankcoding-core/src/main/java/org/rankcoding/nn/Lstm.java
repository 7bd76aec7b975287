package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.random.RandomGenerator;
import java.util.Objects;

/**
 * One LSTM layer with PyTorch's parameterisation and gate order (i, f, g, o):
 * <pre>
 *   a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh          (a is n x 4H, blocks i | f | g | o)
 *   i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
 *   c = f * c_prev + i * g,   h = o * tanh(c)
 * </pre>
 * Parameters (live views, PyTorch shapes): {@code weight_ih} {@code 4H x I}, {@code weight_hh} {@code 4H x H},
 * {@code bias_ih} and {@code bias_hh} {@code 1 x 4H}, initialised uniformly in {@code [-1/sqrt(H), 1/sqrt(H)]}
 * as PyTorch does.
 *
 * <p>The layer holds its parameters and nothing else: the steps that compute with them are internal
 * ({@code org.rankcoding.nn.compute.LstmSteps}, on a snapshot of the weights in the compute layout of the kernels in
 * use, refreshed whenever the parameters change), so the layer holds no per-call state and can be shared by threads
 * that only read its parameters.
 */
public final class Lstm {

    private final int inputSize;
    private final int hiddenSize;
    private final DMatrixRMaj weightIh;
    private final DMatrixRMaj weightHh;
    private final DMatrixRMaj biasIh;
    private final DMatrixRMaj biasHh;

    /**
     * Creates a layer with PyTorch's default initialisation drawn from {@code rng}.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public Lstm(int inputSize, int hiddenSize, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        if (inputSize < 1) {
            throw new IllegalArgumentException("LSTM inputSize = " + inputSize + ", expected >= 1");
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("LSTM hiddenSize = " + hiddenSize + ", expected >= 1");
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.weightIh = new DMatrixRMaj(4 * hiddenSize, inputSize);
        this.weightHh = new DMatrixRMaj(4 * hiddenSize, hiddenSize);
        this.biasIh = new DMatrixRMaj(1, 4 * hiddenSize);
        this.biasHh = new DMatrixRMaj(1, 4 * hiddenSize);
        UniformInit.fill(rng, 1.0 / Math.sqrt(hiddenSize), weightIh, weightHh, biasIh, biasHh);
    }

    /** Input size I. */
    public int inputSize() {
        return inputSize;
    }

    /** Hidden size H. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@code weight_ih}, {@code 4H x I} (live view). */
    public DMatrixRMaj weightIh() {
        return weightIh;
    }

    /** {@code weight_hh}, {@code 4H x H} (live view). */
    public DMatrixRMaj weightHh() {
        return weightHh;
    }

    /** {@code bias_ih}, {@code 1 x 4H} (live view). */
    public DMatrixRMaj biasIh() {
        return biasIh;
    }

    /** {@code bias_hh}, {@code 1 x 4H} (live view). */
    public DMatrixRMaj biasHh() {
        return biasHh;
    }

    /** Binds the four tensors to their handles in the network's layout. */
    void register(Parameters.Builder params, ParameterLayout.LstmLayer handles) {
        params.put(handles.inputWeights(), weightIh);
        params.put(handles.recurrentWeights(), weightHh);
        params.put(handles.inputBias(), biasIh);
        params.put(handles.recurrentBias(), biasHh);
    }
}
