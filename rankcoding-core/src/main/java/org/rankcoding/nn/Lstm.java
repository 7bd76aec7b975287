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
     * Forward step for {@code n} rows: reads {@code step}'s input and previous state, writes its gates and
     * {@code tanh(c)}, and the new state into {@code c} and {@code h}.
     *
     * @param step  the step's buffers (rows {@code 0 .. n-1} used)
     * @param w     this layer's weights, prepared for {@code kernels}
     * @param c     output, {@code n x H}: the new cell state (modified)
     * @param h     output, {@code n x H}: the new hidden state (modified)
     */
    public void forwardStep(MatrixKernels kernels, int n, LstmStep step, LstmWeights w, double[] c, double[] h) {
        forwardStepWithoutInput(kernels, n, w, step);
        kernels.multAdd(n, step.x, 0, w.wihT, step.gates, 0);
        kernels.lstmCell(n, hiddenSize, step.gates, previousCell(step), c, step.tanhC, h);
    }

    /**
     * Forward step for {@code n} rows whose inputs are sparse binary vectors: row {@code r}'s input is 1 at the
     * indices of row {@code r} of {@code input} and 0 elsewhere ({@code step}'s {@code x} is not read). The input
     * term is the sum of those rows of {@code W_ih^T} instead of a dense product: the cost grows with the number of
     * active inputs, not with {@code I}. Otherwise as {@link #forwardStep}.
     *
     * @param input the active input indices of each row, each in {@code [0, I)} (read)
     */
    public void forwardStepSparse(MatrixKernels kernels, int n, SparseRows input, LstmStep step, LstmWeights w,
                                  double[] c, double[] h) {
        forwardStepWithoutInput(kernels, n, w, step);
        kernels.sparseMultAdd(n, input.start(), input.indices(), w.wihT, step.gates, 0);
        kernels.lstmCell(n, hiddenSize, step.gates, previousCell(step), c, step.tanhC, h);
    }

    /** {@code gates = bias + h_prev W_hh^T} for {@code n} rows: the forward step without its input term. */
    private void forwardStepWithoutInput(MatrixKernels kernels, int n, LstmWeights w, LstmStep step) {
        int g4 = 4 * hiddenSize;
        double[] gates = step.gates;
        for (int r = 0; r < n; r++) {
            System.arraycopy(w.bias, 0, gates, r * g4, g4);
        }
        if (step.hasPreviousState()) {
            kernels.multAdd(n, step.hPrev, 0, w.whhT, gates, 0);
        }
    }

    /** The previous cell state for the kernels: the step's, or null (the kernels' zero state) at a sequence's first step. */
    private static double[] previousCell(LstmStep step) {
        return step.hasPreviousState() ? step.cPrev : null;
    }

    /**
     * Backward step for the gradient rows selected in {@code b} (see {@link LstmBackwardStep}): reads the forward
     * step's gates, {@code tanh(c)} and previous cell state (through the row selection) and the gathered input and
     * previous hidden state; accumulates the parameter gradients into {@code g}; turns {@code b}'s {@code dc} into the
     * gradient on {@code c_prev}; writes {@code dhPrev} (unless the step was its sequence's first) and, if
     * {@code b} asks for it, {@code dx}.
     *
     * @param forward the forward step's buffers
     * @param b       the backward buffers, with the rows selected, the inputs gathered and {@code dh}, {@code dc} seeded
     * @param w       the weights the forward step used
     * @param g       the layer's gradient accumulators (added to)
     */
    public void backwardStep(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w, LstmGradients g) {
        backwardStepWithoutInput(kernels, forward, b, w, g);
        int n = b.n;
        kernels.multTransAAdd(n, inputSize, 4 * hiddenSize, b.x, 0, b.dGates, 0, g.wihT, 0);
        if (b.computesInputGradient()) {
            java.util.Arrays.fill(b.dx, 0, n * inputSize, 0.0);
            kernels.multAdd(n, b.dGates, 0, w.wih, b.dx, 0);
        }
    }

    /**
     * Backward step for rows whose inputs were sparse binary vectors ({@link #forwardStepSparse}): the gradient of
     * {@code weight_ih} is accumulated only in the rows of the inputs that were active, each as the sum of the
     * {@code dGates} rows in which it was active. The active inputs are given by input (the transpose of the
     * forward's by-row lists), so that each touched row of the gradient is read and written once per step rather
     * than once per event. There is no gradient on the inputs. Otherwise as {@link #backwardStep}.
     *
     * @param byInput for each input {@code i} of {@code [0, I)}, the gradient rows (in {@code [0, n)}) in which it was
     *                active (read)
     */
    public void backwardStepSparse(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, SparseRows byInput,
                                   LstmWeights w, LstmGradients g) {
        backwardStepWithoutInput(kernels, forward, b, w, g);
        kernels.sparseMultAdd(inputSize, 4 * hiddenSize, byInput.start(), byInput.indices(), b.dGates, 0, g.wihT, 0);
    }

    /** The backward step up to the gradients that involve the input: dGates, the bias, weight_hh and h_prev. */
    private void backwardStepWithoutInput(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w,
                                          LstmGradients g) {
        int hs = hiddenSize;
        int g4 = 4 * hs;
        int n = b.n;
        double[] dGates = b.dGates;
        kernels.lstmCellBackward(n, hs, b.forwardRows, forward.gates, previousCell(forward), forward.tanhC, b.dh, b.dc,
                dGates);
        double[] gBias = g.bias;
        for (int r = 0; r < n; r++) {
            int br = r * g4;
            for (int j = 0; j < g4; j++) {
                gBias[j] += dGates[br + j];
            }
        }
        if (forward.hasPreviousState()) {
            kernels.multTransAAdd(n, hs, g4, b.hPrev, 0, dGates, 0, g.whhT, 0);
            java.util.Arrays.fill(b.dhPrev, 0, n * hs, 0.0);
            kernels.multAdd(n, dGates, 0, w.whh, b.dhPrev, 0);
        }
    }
}
