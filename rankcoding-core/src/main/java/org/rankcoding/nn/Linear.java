package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.random.RandomGenerator;
import java.util.Objects;

/**
 * The readout {@code z = h W^T + b} with PyTorch's {@code nn.Linear} parameterisation: {@code weight} is
 * {@code K x H}, {@code bias} is {@code 1 x K}, both initialised uniformly in {@code [-1/sqrt(H), 1/sqrt(H)]}
 * (PyTorch's default). Methods write only into caller-owned buffers and never allocate.
 */
public final class Linear {

    private final int inputSize;
    private final int outputSize;
    private final DMatrixRMaj weight;
    private final DMatrixRMaj bias;

    /**
     * @throws IllegalArgumentException if a size is below 1
     */
    public Linear(int inputSize, int outputSize, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("Linear sizes must be >= 1, got inputSize = " + inputSize + ", outputSize = " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.weight = new DMatrixRMaj(outputSize, inputSize);
        this.bias = new DMatrixRMaj(1, outputSize);
        UniformInit.fill(rng, 1.0 / Math.sqrt(inputSize), weight, bias);
    }

    /** Input size H. */
    public int inputSize() {
        return inputSize;
    }

    /** Output size K. */
    public int outputSize() {
        return outputSize;
    }

    /** {@code weight}, {@code K x H} (live view). */
    public DMatrixRMaj weight() {
        return weight;
    }

    /** {@code bias}, {@code 1 x K} (live view). */
    public DMatrixRMaj bias() {
        return bias;
    }

    /** Binds the two tensors to their handles in the network's layout. */
    void register(Parameters.Builder params, ParameterLayout.Readout handles) {
        params.put(handles.weights(), weight);
        params.put(handles.bias(), bias);
    }

    /**
     * {@code z[r] = h[r] W^T + b} for {@code n} rows: {@code h} is {@code n x H} (read), {@code z} is
     * {@code n x K} (overwritten).
     */
    public void forward(int n, double[] h, double[] z) {
        Objects.requireNonNull(h, "h is null");
        Objects.requireNonNull(z, "z is null");
        double[] w = weight.data;
        for (int r = 0; r < n; r++) {
            int hr = r * inputSize;
            for (int k = 0; k < outputSize; k++) {
                int wk = k * inputSize;
                double s = bias.data[k];
                for (int j = 0; j < inputSize; j++) {
                    s += h[hr + j] * w[wk + j];
                }
                z[r * outputSize + k] = s;
            }
        }
    }

    /**
     * Backward for one row: accumulates {@code gW += dz^T h} and {@code gb += dz}, and writes
     * {@code dh = dz W} ({@code H} values at {@code dhOff}, overwritten).
     *
     * @param h   the row's input, {@code H} values at {@code hOff} (read)
     * @param dz  the row's output gradient, {@code K} values at {@code dzOff} (read)
     * @param gW  gradient of {@code weight}, {@code K x H} (modified)
     * @param gb  gradient of {@code bias}, {@code K} (modified)
     * @param dh  receives the input gradient (modified)
     */
    public void backwardRow(double[] h, int hOff, double[] dz, int dzOff, double[] gW, double[] gb, double[] dh, int dhOff) {
        Objects.requireNonNull(h, "h is null");
        Objects.requireNonNull(dz, "dz is null");
        Objects.requireNonNull(gW, "gW is null");
        Objects.requireNonNull(gb, "gb is null");
        Objects.requireNonNull(dh, "dh is null");
        double[] w = weight.data;
        java.util.Arrays.fill(dh, dhOff, dhOff + inputSize, 0.0);
        for (int k = 0; k < outputSize; k++) {
            double d = dz[dzOff + k];
            gb[k] += d;
            int wk = k * inputSize;
            for (int j = 0; j < inputSize; j++) {
                gW[wk + j] += d * h[hOff + j];
                dh[dhOff + j] += d * w[wk + j];
            }
        }
    }
}
