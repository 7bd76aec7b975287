package org.rankcoding.nn.compute;

import org.rankcoding.kernel.MatrixKernels;

/**
 * The forward and backward step of one LSTM layer ({@link org.rankcoding.nn.Lstm}) on a block of rows, in the compute
 * layout: the weights as a {@link LstmWeights} snapshot, the step's buffers in a {@link LstmStep} (and
 * {@link LstmBackwardStep}), the gradients into {@link LstmGradients}. The sizes come from the weights. Stateless.
 *
 * <p>Gate order {@code i, f, g, o} (PyTorch's), {@code c = f * c_prev + i * g}, {@code h = o * tanh(c)}.
 */
public final class LstmSteps {

    private LstmSteps() {
    }

    /**
     * Forward step for {@code n} rows: reads {@code step}'s input and previous state, writes its gates and
     * {@code tanh(c)}, and the new state into {@code c} and {@code h}.
     *
     * @param step  the step's buffers (rows {@code 0 .. n-1} used)
     * @param w     the layer's weights, prepared for {@code kernels}
     * @param c     output, {@code n x H}: the new cell state (modified)
     * @param h     output, {@code n x H}: the new hidden state (modified)
     */
    public static void forward(MatrixKernels kernels, int n, LstmStep step, LstmWeights w, double[] c, double[] h) {
        if (w.stackedT == null) {
            forwardWithoutInput(kernels, n, w, step);
            kernels.multAdd(n, step.x, 0, w.wihT, step.gates, 0);
            kernels.lstmCell(n, w.hiddenSize(), step.gates, previousCell(step), c, step.tanhC, h);
            return;
        }
        double[] hPrev = step.hasPreviousState() ? step.hPrev : null; // null: a sequence's first step, h_prev = 0
        kernels.lstmForward(n, w.bias, hPrev, step.x, w.stackedT, step.gates, previousCell(step), c, step.tanhC, h);
    }

    /**
     * Forward step for {@code n} rows whose inputs are sparse binary vectors: row {@code r}'s input is 1 at the
     * indices of row {@code r} of {@code input} and 0 elsewhere ({@code step}'s {@code x} is not read). The input
     * term is the sum of those rows of {@code W_ih^T} instead of a dense product: the cost grows with the number of
     * active inputs, not with {@code I}. Otherwise as {@link #forward}.
     *
     * @param input the active input indices of each row, each in {@code [0, I)} (read)
     */
    public static void forwardSparse(MatrixKernels kernels, int n, SparseRows input, LstmStep step, LstmWeights w,
                                     double[] c, double[] h) {
        forwardWithoutInput(kernels, n, w, step);
        kernels.sparseMultAdd(n, input.start(), input.indices(), w.wihT, step.gates, 0);
        kernels.lstmCell(n, w.hiddenSize(), step.gates, previousCell(step), c, step.tanhC, h);
    }

    /** {@code gates = bias + h_prev W_hh^T} for {@code n} rows: the forward step without its input term. */
    private static void forwardWithoutInput(MatrixKernels kernels, int n, LstmWeights w, LstmStep step) {
        fillBias(n, w, step.gates);
        if (step.hasPreviousState()) {
            kernels.multAdd(n, step.hPrev, 0, w.whhT, step.gates, 0);
        }
    }

    /** {@code gates = bias} for {@code n} rows. */
    private static void fillBias(int n, LstmWeights w, double[] gates) {
        int g4 = 4 * w.hiddenSize();
        for (int r = 0; r < n; r++) {
            System.arraycopy(w.bias, 0, gates, r * g4, g4);
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
    public static void backward(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w, LstmGradients g) {
        gates(kernels, forward, b, w, g);
        recurrentWeights(kernels, forward, b, w, g);
        kernels.multTransAAdd(b.n, w.inputSize(), 4 * w.hiddenSize(), b.x, 0, b.dGates, 0, g.wihT, 0);
        inputGradient(kernels, b, w);
    }

    /**
     * As {@link #backward(MatrixKernels, LstmStep, LstmBackwardStep, LstmWeights, LstmGradients)}, with the
     * weight-gradient products deferred: the step's rows are appended to {@code deferred} (a batch made for dense
     * input, with room for them: {@link WeightGradientBatch#fits}), whose {@link WeightGradientBatch#flush} adds them
     * to {@code g}. The bias gradient, {@code dhPrev} and {@code dx} are computed now.
     */
    public static void backward(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w, LstmGradients g,
                                WeightGradientBatch deferred) {
        gates(kernels, forward, b, w, g);
        inputGradient(kernels, b, w);
        deferred.add(b, forward.hasPreviousState());
    }

    /**
     * Backward step for rows whose inputs were sparse binary vectors ({@link #forwardSparse}): the gradient of
     * {@code weight_ih} is accumulated only in the rows of the inputs that were active, each as the sum of the
     * {@code dGates} rows in which it was active. The active inputs are given by input (the transpose of the
     * forward's by-row lists), so that each touched row of the gradient is read and written once per step rather
     * than once per event. There is no gradient on the inputs. Otherwise as
     * {@link #backward(MatrixKernels, LstmStep, LstmBackwardStep, LstmWeights, LstmGradients)}.
     *
     * @param byInput for each input {@code i} of {@code [0, I)}, the gradient rows (in {@code [0, n)}) in which it was
     *                active (read)
     */
    public static void backwardSparse(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, SparseRows byInput,
                                   LstmWeights w, LstmGradients g) {
        gates(kernels, forward, b, w, g);
        recurrentWeights(kernels, forward, b, w, g);
        sparseInputWeights(kernels, b, byInput, w, g);
    }

    /**
     * As {@link #backwardSparse(MatrixKernels, LstmStep, LstmBackwardStep, SparseRows, LstmWeights, LstmGradients)},
     * with the recurrent weight-gradient product deferred to {@code deferred} (a batch made for sparse input, with
     * room for the rows); the input-weight gradient of the sparse rows is added now.
     */
    public static void backwardSparse(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, SparseRows byInput,
                                      LstmWeights w, LstmGradients g, WeightGradientBatch deferred) {
        gates(kernels, forward, b, w, g);
        sparseInputWeights(kernels, b, byInput, w, g);
        deferred.add(b, forward.hasPreviousState());
    }

    /** {@code whhT += H^T dGates} over the step's rows, unless it was its sequences' first. */
    private static void recurrentWeights(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w,
                                         LstmGradients g) {
        if (forward.hasPreviousState()) {
            kernels.multTransAAdd(b.n, w.hiddenSize(), 4 * w.hiddenSize(), b.hPrev, 0, b.dGates, 0, g.whhT, 0);
        }
    }

    private static void sparseInputWeights(MatrixKernels kernels, LstmBackwardStep b, SparseRows byInput, LstmWeights w,
                                           LstmGradients g) {
        kernels.sparseMultAdd(w.inputSize(), 4 * w.hiddenSize(), byInput.start(), byInput.indices(), b.dGates, 0, g.wihT, 0);
    }

    /** {@code dx = dGates W_ih} when {@code b} asks for the gradient on the input. */
    private static void inputGradient(MatrixKernels kernels, LstmBackwardStep b, LstmWeights w) {
        if (b.computesInputGradient()) {
            java.util.Arrays.fill(b.dx, 0, b.n * w.inputSize(), 0.0);
            kernels.multAdd(b.n, b.dGates, 0, w.wih, b.dx, 0);
        }
    }

    /** The backward step up to the weight gradients: dGates, the bias gradient and the gradient on h_prev. */
    private static void gates(MatrixKernels kernels, LstmStep forward, LstmBackwardStep b, LstmWeights w, LstmGradients g) {
        int hs = w.hiddenSize();
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
            java.util.Arrays.fill(b.dhPrev, 0, n * hs, 0.0);
            kernels.multAdd(n, dGates, 0, w.whh, b.dhPrev, 0);
        }
    }
}
