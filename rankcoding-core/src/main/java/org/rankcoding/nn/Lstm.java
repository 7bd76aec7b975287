package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.kernel.MatrixKernels;

import java.util.random.RandomGenerator;

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
 * <p>The step methods compute on {@code n} rows at once and write only into caller-owned buffers, so a
 * caller allocates its workspace once and reuses it for every step. They take the weights as a
 * {@link LstmWeights} snapshot in the compute layout of the kernels in use; callers refresh that snapshot
 * whenever the parameters change (once per batch). The layer itself holds no per-call state and can be
 * shared by threads that only read its parameters.
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

    /**
     * Forward step for {@code n} rows.
     *
     * @param x     inputs, {@code n x I} (read)
     * @param w     this layer's weights, prepared for {@code kernels}
     * @param hPrev previous hidden state {@code n x H} (read), or {@code null} for the zero state
     * @param cPrev previous cell state {@code n x H} (read), or {@code null} for the zero state
     * @param gates output, {@code n x 4H}: the activations {@code i | f | g | o} after their nonlinearities (modified)
     * @param tanhC output, {@code n x H}: {@code tanh(c)} (modified)
     * @param c     output, {@code n x H}: the new cell state (modified)
     * @param h     output, {@code n x H}: the new hidden state (modified)
     */
    public void forwardStep(MatrixKernels kernels, int n, double[] x, LstmWeights w,
                            double[] hPrev, double[] cPrev, double[] gates, double[] tanhC, double[] c, double[] h) {
        forwardStepWithoutInput(kernels, n, w, hPrev, gates);
        kernels.multAdd(n, x, 0, w.wihT, gates, 0);
        kernels.lstmCell(n, hiddenSize, gates, cPrev, c, tanhC, h);
    }

    /**
     * Forward step for {@code n} rows whose inputs are sparse binary vectors: row {@code r}'s input is 1 at the
     * indices {@code idx[start[r] .. start[r + 1])} and 0 elsewhere. The input term is the sum of those rows of
     * {@code W_ih^T} instead of a dense product: the cost grows with the number of active inputs, not with
     * {@code I}. Otherwise as {@link #forwardStep}.
     *
     * @param start row starts into {@code idx}, length at least {@code n + 1} (read)
     * @param idx   active input indices, each in {@code [0, I)} (read)
     */
    public void forwardStepSparse(MatrixKernels kernels, int n, int[] start, int[] idx, LstmWeights w,
                                  double[] hPrev, double[] cPrev, double[] gates, double[] tanhC, double[] c, double[] h) {
        forwardStepWithoutInput(kernels, n, w, hPrev, gates);
        kernels.sparseMultAdd(n, start, idx, w.wihT, gates, 0);
        kernels.lstmCell(n, hiddenSize, gates, cPrev, c, tanhC, h);
    }

    /** {@code gates = bias + h_prev W_hh^T} for {@code n} rows: the forward step without its input term. */
    private void forwardStepWithoutInput(MatrixKernels kernels, int n, LstmWeights w, double[] hPrev, double[] gates) {
        int g4 = 4 * hiddenSize;
        for (int r = 0; r < n; r++) {
            System.arraycopy(w.bias, 0, gates, r * g4, g4);
        }
        if (hPrev != null) {
            kernels.multAdd(n, hPrev, 0, w.whhT, gates, 0);
        }
    }

    /**
     * Backward step for {@code n} rows. Row {@code j} of the gradient buffers belongs to row {@code rows[j]}
     * of the forward buffers ({@code gates}, {@code tanhC}, {@code cPrev}); {@code rows == null} means the
     * identity. {@code x} and {@code hPrev} must already be in gradient-row order.
     *
     * @param dh      gradient w.r.t. {@code h}, {@code n x H} (read)
     * @param dc      on entry the gradient w.r.t. {@code c} arriving from the next step, {@code n x H};
     *                on exit the gradient w.r.t. {@code c_prev} (modified)
     * @param dGates  workspace, {@code n x 4H}: gradient w.r.t. the pre-activations (modified)
     * @param w       the weights the forward step used
     * @param gWihT   accumulates {@code dL/d weight_ih^T}, {@code I x 4H} (modified)
     * @param gWhhT   accumulates {@code dL/d weight_hh^T}, {@code H x 4H} (modified; untouched if {@code hPrev == null})
     * @param gBias   accumulates {@code dL/d bias}, {@code 4H} (modified)
     * @param dx      if not {@code null}, receives {@code dL/dx}, {@code n x I} (overwritten)
     * @param dhPrev  if not {@code null}, receives {@code dL/dh_prev}, {@code n x H} (overwritten)
     */
    public void backwardStep(MatrixKernels kernels, int n, int[] rows, double[] x, double[] hPrev, double[] cPrev,
                             double[] gates, double[] tanhC, double[] dh, double[] dc, double[] dGates, LstmWeights w,
                             double[] gWihT, double[] gWhhT, double[] gBias, double[] dx, double[] dhPrev) {
        backwardStepWithoutInput(kernels, n, rows, hPrev, cPrev, gates, tanhC, dh, dc, dGates, w, gWhhT, gBias, dhPrev);
        kernels.multTransAAdd(n, inputSize, 4 * hiddenSize, x, 0, dGates, 0, gWihT, 0);
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, n * inputSize, 0.0);
            kernels.multAdd(n, dGates, 0, w.wih, dx, 0);
        }
    }

    /**
     * Backward step for {@code n} rows whose inputs were sparse binary vectors ({@link #forwardStepSparse}): the
     * gradient of {@code weight_ih} is accumulated only in the rows of the inputs that were active, each as the sum
     * of the {@code dGates} rows in which it was active. The active inputs are given by input (the transpose of the
     * forward's by-row lists), so that each touched row of the gradient is read and written once per step rather
     * than once per event. There is no gradient on the inputs. Otherwise as {@link #backwardStep}.
     *
     * @param byInputStart for each input {@code i} of {@code [0, I)}, the start of its gradient rows in
     *                     {@code byInputRows}; length at least {@code I + 1} (read)
     * @param byInputRows  gradient rows (in {@code [0, n)}) in which each input was active (read)
     */
    public void backwardStepSparse(MatrixKernels kernels, int n, int[] rows, int[] byInputStart, int[] byInputRows,
                                   double[] hPrev, double[] cPrev, double[] gates, double[] tanhC, double[] dh, double[] dc,
                                   double[] dGates, LstmWeights w, double[] gWihT, double[] gWhhT, double[] gBias,
                                   double[] dhPrev) {
        backwardStepWithoutInput(kernels, n, rows, hPrev, cPrev, gates, tanhC, dh, dc, dGates, w, gWhhT, gBias, dhPrev);
        kernels.sparseMultAdd(inputSize, 4 * hiddenSize, byInputStart, byInputRows, dGates, 0, gWihT, 0);
    }

    /** The backward step up to the gradients that involve the input: dGates, the bias, weight_hh and h_prev. */
    private void backwardStepWithoutInput(MatrixKernels kernels, int n, int[] rows, double[] hPrev, double[] cPrev,
                                          double[] gates, double[] tanhC, double[] dh, double[] dc, double[] dGates,
                                          LstmWeights w, double[] gWhhT, double[] gBias, double[] dhPrev) {
        int hs = hiddenSize;
        int g4 = 4 * hs;
        kernels.lstmCellBackward(n, hs, rows, gates, cPrev, tanhC, dh, dc, dGates);
        for (int r = 0; r < n; r++) {
            int br = r * g4;
            for (int j = 0; j < g4; j++) {
                gBias[j] += dGates[br + j];
            }
        }
        if (hPrev != null) {
            kernels.multTransAAdd(n, hs, g4, hPrev, 0, dGates, 0, gWhhT, 0);
        }
        if (dhPrev != null) {
            java.util.Arrays.fill(dhPrev, 0, n * hs, 0.0);
            kernels.multAdd(n, dGates, 0, w.whh, dhPrev, 0);
        }
    }
}
