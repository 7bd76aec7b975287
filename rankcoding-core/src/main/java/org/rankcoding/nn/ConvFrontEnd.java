package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.rankcoding.kernel.impl.Layouts;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A learned convolutional front end: each step's input image goes through one or two stages of convolution,
 * max-pool and ReLU, and the first LSTM layer reads the result (see {@link ConvFrontEndConfig} for the shapes).
 * <pre>
 *   a1[c][y][x] = bias[c] + sum_{ky,kx} weight[c][0][ky][kx] * in[y + ky - r][x + kx - r]          (r = K / 2, zero padding)
 *   f1[c][py][px] = max(0, max_{dy,dx &lt; pool} a1[c][py * pool + dy][px * pool + dx])
 *   second stage (channels2 &gt; 0), on f1:
 *   a2[d][y][x] = bias2[d] + sum_{c,ky,kx} weight2[d][c][ky][kx] * f1[c][y + ky - r][x + kx - r]
 *   f2[d][py][px] = max(0, max_{dy,dx &lt; pool} a2[d][py * pool + dy][px * pool + dx])
 * </pre>
 * The output is the last stage's {@code f} in PyTorch's flattening order (channel, pooled row, pooled column).
 * Parameters (live views, PyTorch's {@code nn.Conv2d} names, shapes and default initialisation, uniform in
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}): {@code weight} stored as a {@code C x K*K} matrix (file shape
 * {@code C x 1 x K x K}), {@code bias} {@code 1 x C}; with a second stage {@code weight2} stored as
 * {@code C2 x C*K*K} (file shape {@code C2 x C x K x K}) and {@code bias2} {@code 1 x C2}.
 *
 * <p>The input of a row is given as a list of its non-zero pixels (index {@code y * width + x} and value, or the
 * value 1 for sparse binary input), so a step whose input is a few spikes costs a few scatters of the first-stage
 * filters ({@link ScatterConvStage}), not a dense convolution. The second stage is dense ({@link PatchConvStage}):
 * one {@code (H1 W1) x (C K K)} by {@code (C K K) x C2} product per row and step through the {@link MatrixKernels}.
 * Both pool and rectify with {@link PoolRelu}. The methods compute into caller-owned buffers ({@link Workspace},
 * {@link Tape}, {@link Gradients}) and never allocate; the layer holds no per-call state.
 */
public final class ConvFrontEnd {

    private final ConvFrontEndConfig config;
    private final DMatrixRMaj weight;
    private final DMatrixRMaj bias;
    private final DMatrixRMaj weight2;
    private final DMatrixRMaj bias2;
    private final int channels;
    private final int channels2;
    private final int kernel;
    /** Stage-1 features per row: {@code channels * h1 * w1}. */
    private final int size1;
    /** Length of one stage-2 patch: {@code kernel * kernel * channels}. */
    private final int patch;
    private final int outputSize;
    private final ScatterConvStage stage1;
    /** The second stage, or {@code null} for a one-stage front end. */
    private final PatchConvStage stage2;

    /**
     * Creates a front end with PyTorch's default initialisation drawn from {@code rng} (stage 1, then stage 2).
     *
     * @throws IllegalArgumentException for {@link ConvFrontEndConfig#NONE}
     */
    public ConvFrontEnd(ConvFrontEndConfig config, RandomGenerator rng) {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(rng, "rng is null");
        if (config.isNone()) {
            throw new IllegalArgumentException("ConvFrontEndConfig.NONE describes no front end; nothing to build");
        }
        this.config = config;
        this.channels = config.channels();
        this.channels2 = config.channels2();
        this.kernel = config.kernel();
        int h1 = config.height() / config.pool();
        int w1 = config.width() / config.pool();
        this.size1 = channels * h1 * w1;
        this.patch = kernel * kernel * channels;
        this.outputSize = config.outputSize();
        this.weight = new DMatrixRMaj(channels, kernel * kernel);
        this.bias = new DMatrixRMaj(1, channels);
        UniformInit.fill(rng, 1.0 / kernel, weight, bias); // 1 / sqrt(fan_in), fan_in = 1 * K * K
        if (channels2 > 0) {
            this.weight2 = new DMatrixRMaj(channels2, patch);
            this.bias2 = new DMatrixRMaj(1, channels2);
            UniformInit.fill(rng, 1.0 / Math.sqrt(patch), weight2, bias2);
            this.stage1 = new ScatterConvStage(config,
                    PoolRelu.positionMajor(channels, config.width(), config.pool(), h1, w1));
            this.stage2 = new PatchConvStage(config);
        } else {
            this.weight2 = null;
            this.bias2 = null;
            this.stage1 = new ScatterConvStage(config,
                    PoolRelu.channelMajor(channels, config.width(), config.pool(), h1, w1));
            this.stage2 = null;
        }
    }

    /** The shape. */
    public ConvFrontEndConfig config() {
        return config;
    }

    /** Input pixels per step: {@code height * width}. */
    public int inputSize() {
        return config.inputSize();
    }

    /** Features per step given to the first LSTM layer. */
    public int outputSize() {
        return outputSize;
    }

    /** {@code weight}, {@code C x K*K} (live view; row {@code c} holds filter {@code c} row-major). */
    public DMatrixRMaj weight() {
        return weight;
    }

    /** {@code bias}, {@code 1 x C} (live view). */
    public DMatrixRMaj bias() {
        return bias;
    }

    /** Binds the stages' tensors to their handles in the network's layout. */
    void register(Parameters.Builder params, ParameterLayout layout) {
        params.put(layout.frontEndStage(0).weights(), weight);
        params.put(layout.frontEndStage(0).bias(), bias);
        if (channels2 > 0) {
            params.put(layout.frontEndStage(1).weights(), weight2);
            params.put(layout.frontEndStage(1).bias(), bias2);
        }
    }

    // ------------------------------------------------------------------ buffers

    /**
     * One thread's buffers: the prepared weights and the maps of one row. A workspace for inference only
     * ({@link #newInferenceWorkspace}) has no backward buffers.
     */
    public static final class Workspace {
        final MatrixKernels kernels;
        /** {@code weight^T} ({@code K*K x C}), and its view for EJML. */
        final double[] weightT;
        private final DMatrixRMaj weightTView;
        final double[] bias;
        private final DMatrixRMaj biasView;
        final double[] pre;
        /** The current row's non-zero pixels. */
        final ActivePixels pixels;
        // second stage
        final PreparedMatrix w2T;
        final double[] bias2;
        private final DMatrixRMaj bias2View;
        final double[] patches;
        final double[] pre2;
        final ConvBackwardBuffers back;

        private Workspace(ConvFrontEnd f, MatrixKernels kernels, ConvBackwardBuffers back) {
            this.kernels = kernels;
            this.back = back;
            int positions = f.inputSize();
            int kk = f.kernel * f.kernel;
            this.weightT = new double[kk * f.channels];
            this.weightTView = DMatrixRMaj.wrap(kk, f.channels, weightT);
            this.bias = new double[f.channels];
            this.biasView = DMatrixRMaj.wrap(1, f.channels, bias);
            this.pre = new double[positions * f.channels];
            this.pixels = new ActivePixels(positions);
            boolean two = f.channels2 > 0;
            int p1 = f.size1 / f.channels;
            this.w2T = two ? kernels.prepare(f.patch, f.channels2) : null;
            this.bias2 = new double[f.channels2];
            this.bias2View = DMatrixRMaj.wrap(1, f.channels2, bias2);
            this.patches = two ? new double[p1 * f.patch] : null;
            this.pre2 = two ? new double[p1 * f.channels2] : null;
        }
    }

    /** A workspace for this front end's forward and backward passes, computing its dense products with {@code kernels}. */
    public Workspace newWorkspace(MatrixKernels kernels) {
        Objects.requireNonNull(kernels, "kernels is null");
        return new Workspace(this, kernels, new ConvBackwardBuffers(config, kernels));
    }

    /**
     * A workspace for forward passes only (streaming inference): as {@link #newWorkspace} without the gradient
     * buffers; the backward methods refuse it.
     */
    public Workspace newInferenceWorkspace(MatrixKernels kernels) {
        Objects.requireNonNull(kernels, "kernels is null");
        return new Workspace(this, kernels, ConvBackwardBuffers.NONE);
    }

    /**
     * What the backward pass needs of a forward pass over up to {@code rows} rows: each feature's pooling choice
     * per stage and, with two stages, the first stage's features.
     */
    public static final class Tape {
        final int[] argmax1;
        final double[] f1;
        final int[] argmax2;

        private Tape(ConvFrontEnd f, int rows) {
            this.argmax1 = new int[rows * f.size1];
            boolean two = f.channels2 > 0;
            this.f1 = two ? new double[rows * f.size1] : null;
            this.argmax2 = two ? new int[rows * f.outputSize] : null;
        }
    }

    /** A tape for up to {@code rows} rows. */
    public Tape newTape(int rows) {
        return new Tape(this, rows);
    }

    /** Gradient accumulators in the compute layout. */
    public static final class Gradients {
        final double[] weightT;
        final double[] bias;
        final double[] weight2T;
        final double[] bias2;

        private Gradients(ConvFrontEnd f) {
            this.weightT = new double[f.kernel * f.kernel * f.channels];
            this.bias = new double[f.channels];
            this.weight2T = f.channels2 > 0 ? new double[f.patch * f.channels2] : new double[0];
            this.bias2 = new double[f.channels2];
        }

        /** Sets every accumulator to zero. */
        public void zero() {
            Arrays.fill(weightT, 0.0);
            Arrays.fill(bias, 0.0);
            Arrays.fill(weight2T, 0.0);
            Arrays.fill(bias2, 0.0);
        }
    }

    /** Zeroed gradient accumulators. */
    public Gradients newGradients() {
        return new Gradients(this);
    }

    /**
     * Copies the current weights and biases into {@code ws} in the compute layout (the transposes by EJML); call
     * whenever the parameters change.
     */
    public void prepare(Workspace ws) {
        Objects.requireNonNull(ws, "ws is null");
        CommonOps_DDRM.transpose(weight, ws.weightTView);
        ws.biasView.setTo(bias);
        if (channels2 > 0) {
            ws.w2T.setTransposed(weight2);
            ws.bias2View.setTo(bias2);
            ws.back.prepare(weight2);
        }
    }

    /**
     * Writes the accumulated gradients into {@code out}'s tensors of this front end (its stages' handles in
     * {@code out.layout()}; overwritten), in the layout of the parameters.
     */
    public void writeGradients(Gradients g, Parameters out) {
        Objects.requireNonNull(g, "g is null");
        Objects.requireNonNull(out, "out is null");
        ParameterLayout layout = out.layout();
        Layouts.transpose(g.weightT, kernel * kernel, channels, out.get(layout.frontEndStage(0).weights()).data);
        System.arraycopy(g.bias, 0, out.get(layout.frontEndStage(0).bias()).data, 0, channels);
        if (channels2 > 0) {
            Layouts.transpose(g.weight2T, patch, channels2, out.get(layout.frontEndStage(1).weights()).data);
            System.arraycopy(g.bias2, 0, out.get(layout.frontEndStage(1).bias()).data, 0, channels2);
        }
    }

    // ------------------------------------------------------------------ batch entry points

    /**
     * Forward for {@code n} rows of sparse binary input in CSR form: row {@code j}'s active pixels are
     * {@code idx[start[j] .. start[j + 1])}.
     *
     * @param out  receives {@code n x outputSize} features (overwritten)
     * @param tape receives what {@link #backwardSparse} needs (rows {@code 0 .. n-1} overwritten)
     */
    public void forwardSparse(int n, int[] start, int[] idx, Workspace ws, double[] out, Tape tape) {
        Objects.requireNonNull(start, "start is null");
        Objects.requireNonNull(idx, "idx is null");
        Objects.requireNonNull(ws, "ws is null");
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(tape, "tape is null");
        for (int j = 0; j < n; j++) {
            ws.pixels.setBinary(idx, start[j], start[j + 1]);
            forwardRow(ws, out, tape, j);
        }
    }

    /**
     * Forward for {@code n} rows of dense input {@code x} ({@code n x height*width}, read); outputs as in
     * {@link #forwardSparse}. Zero pixels cost nothing in the first stage.
     */
    public void forwardDense(int n, double[] x, Workspace ws, double[] out, Tape tape) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(ws, "ws is null");
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(tape, "tape is null");
        for (int j = 0; j < n; j++) {
            ws.pixels.setDense(x, j * inputSize(), inputSize());
            forwardRow(ws, out, tape, j);
        }
    }

    /**
     * Backward for {@code nb} rows of sparse input: accumulates the parameter gradients from the feature gradients
     * {@code dOut} ({@code nb x outputSize}, read). Gradient row {@code jb}'s input is
     * {@code idx[start[jb] .. start[jb + 1])} and its forward record is row {@code sel[jb]} of {@code tape}
     * ({@code sel} is {@code 0, 1, ..., nb - 1} when every row of the forward block is back-propagated).
     */
    public void backwardSparse(int nb, int[] sel, int[] start, int[] idx, double[] dOut, Tape tape, Workspace ws,
                               Gradients g) {
        Objects.requireNonNull(sel, "sel is null");
        Objects.requireNonNull(start, "start is null");
        Objects.requireNonNull(idx, "idx is null");
        Objects.requireNonNull(dOut, "dOut is null");
        Objects.requireNonNull(tape, "tape is null");
        Objects.requireNonNull(ws, "ws is null");
        Objects.requireNonNull(g, "g is null");
        ws.back.require();
        for (int jb = 0; jb < nb; jb++) {
            int src = sel[jb];
            ws.pixels.setBinary(idx, start[jb], start[jb + 1]);
            backwardRow(dOut, jb * outputSize, tape, src, ws, g);
        }
    }

    /**
     * Backward for {@code nb} rows of dense input: as {@link #backwardSparse}, with gradient row {@code jb}'s input
     * in row {@code sel[jb]} of {@code x} ({@code rows x height*width}, read).
     */
    public void backwardDense(int nb, int[] sel, double[] x, double[] dOut, Tape tape, Workspace ws, Gradients g) {
        Objects.requireNonNull(sel, "sel is null");
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(dOut, "dOut is null");
        Objects.requireNonNull(tape, "tape is null");
        Objects.requireNonNull(ws, "ws is null");
        Objects.requireNonNull(g, "g is null");
        ws.back.require();
        for (int jb = 0; jb < nb; jb++) {
            int src = sel[jb];
            ws.pixels.setDense(x, src * inputSize(), inputSize());
            backwardRow(dOut, jb * outputSize, tape, src, ws, g);
        }
    }

    // ------------------------------------------------------------------ rows

    /** Forward of one row whose non-zero pixels are in the workspace. */
    private void forwardRow(Workspace ws, double[] out, Tape tape, int row) {
        if (stage2 != null) {
            // stage 1 position-major into the tape: the input of stage 2
            stage1.forward(ws, tape.f1, tape.argmax1, row * size1);
            stage2.forward(tape.f1, row * size1, ws, out, tape.argmax2, row * outputSize);
        } else {
            stage1.forward(ws, out, tape.argmax1, row * size1);
        }
    }

    /** Backward of one row whose non-zero pixels are in the workspace, from {@code dOut[dOff ..]}. */
    private void backwardRow(double[] dOut, int dOff, Tape tape, int row, Workspace ws, Gradients g) {
        if (stage2 != null) {
            stage2.backward(dOut, dOff, tape, row, ws, g);
            stage1.backward(ws, ws.back.dOut1, 0, tape.argmax1, row * size1, g);
        } else {
            stage1.backward(ws, dOut, dOff, tape.argmax1, row * size1, g);
        }
    }
}
