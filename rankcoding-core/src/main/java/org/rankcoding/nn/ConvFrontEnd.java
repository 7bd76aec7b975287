package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.rankcoding.kernel.impl.Layouts;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;
import org.rankcoding.kernel.impl.ConvWeightOrder;

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
 * filters ({@link ScatterConvStage}), not a dense convolution. Where no pixel reaches a window of the first stage,
 * its features are the quiet background {@code max(0, bias)}; a row with few such touched windows
 * ({@link TouchedPositions}, at most {@value #EVENT_FRACTION} of them) runs the second stage from its events
 * ({@link EventConvStage}: a product over the touched positions only), other rows densely ({@link PatchConvStage}:
 * one {@code (H1 W1) x (C K K)} by {@code (C K K) x C2} product per row and step). The products go through the
 * {@link MatrixKernels}; both stages pool and rectify with {@link PoolRelu}. The methods compute into caller-owned buffers ({@link Workspace},
 * {@link ConvTape}, {@link ConvGradients}) and never allocate; the layer holds no per-call state.
 */
public final class ConvFrontEnd {

    /**
     * The largest fraction of the first stage's pooled positions a row may touch for its second stage to run from
     * its events; above it, the dense product is faster (measured on the temporal-MNIST front end, see
     * docs/benchmarks.md).
     */
    static final double EVENT_FRACTION = 0.75;

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
    private final SecondStage stage2;

    /**
     * Creates a front end with PyTorch's default initialisation drawn from {@code rng} (stage 1, then stage 2).
     *
     * @throws IllegalArgumentException for {@link ConvFrontEndConfig#NONE}
     */
    public ConvFrontEnd(ConvFrontEndConfig config, RandomGenerator rng) {
        this(config, rng, EVENT_FRACTION);
    }

    /**
     * As the public constructor, with rows whose touched positions are at most {@code eventFraction} of the first
     * stage's pooled positions computing the second stage from their events (negative: never; 1: always).
     */
    ConvFrontEnd(ConvFrontEndConfig config, RandomGenerator rng, double eventFraction) {
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
            this.stage2 = new SecondStage(config, eventFraction);
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

    /**
     * {@code weight2}, {@code C2 x C*K*K} (live view; row {@code d} holds filter {@code d} in PyTorch's order: input
     * channel, kernel row, kernel column).
     *
     * @throws IllegalStateException for a one-stage front end
     */
    public DMatrixRMaj weight2() {
        return requireSecondStage(weight2);
    }

    /**
     * {@code bias2}, {@code 1 x C2} (live view).
     *
     * @throws IllegalStateException for a one-stage front end
     */
    public DMatrixRMaj bias2() {
        return requireSecondStage(bias2);
    }

    private DMatrixRMaj requireSecondStage(DMatrixRMaj m) {
        if (m == null) {
            throw new IllegalStateException("front end " + config + " has one stage (channels2 = 0): no weight2 or bias2");
        }
        return m;
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
        /** The first-stage windows they reach. */
        final TouchedPositions touched;
        // second stage
        /** {@code weight2} in patch order ({@code C2 x K*K*C}), and its view for EJML. */
        private final double[] weight2Patch;
        private final DMatrixRMaj weight2PatchView;
        final PreparedMatrix w2T;
        final double[] bias2;
        private final DMatrixRMaj bias2View;
        final double[] patches;
        final double[] pre2;
        /** The event-driven second stage's state, or {@code null} for one stage. */
        final EventConvBuffers events;
        final ConvBackwardBuffers back;

        private Workspace(ConvFrontEnd f, MatrixKernels kernels, ConvBackwardBuffers back, EventConvBuffers events) {
            this.kernels = kernels;
            this.back = back;
            this.events = events;
            int positions = f.inputSize();
            int kk = f.kernel * f.kernel;
            this.weightT = new double[kk * f.channels];
            this.weightTView = DMatrixRMaj.wrap(kk, f.channels, weightT);
            this.bias = new double[f.channels];
            this.biasView = DMatrixRMaj.wrap(1, f.channels, bias);
            this.pre = new double[positions * f.channels];
            this.pixels = new ActivePixels(positions);
            this.touched = new TouchedPositions(f.config);
            boolean two = f.channels2 > 0;
            this.weight2Patch = new double[f.channels2 * f.patch];
            this.weight2PatchView = DMatrixRMaj.wrap(f.channels2, f.patch, weight2Patch);
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
        return new Workspace(this, kernels, new ConvBackwardBuffers(config, kernels),
                channels2 > 0 ? EventConvBuffers.forTraining(config, kernels) : null);
    }

    /**
     * A workspace for forward passes only (streaming inference): as {@link #newWorkspace} without the gradient
     * buffers; the backward methods refuse it.
     */
    public Workspace newInferenceWorkspace(MatrixKernels kernels) {
        Objects.requireNonNull(kernels, "kernels is null");
        return new Workspace(this, kernels, ConvBackwardBuffers.NONE,
                channels2 > 0 ? EventConvBuffers.forInference(config, kernels) : null);
    }

    /** A tape for up to {@code rows} rows. */
    public ConvTape newTape(int rows) {
        return new ConvTape(config, rows);
    }

    /** Zeroed gradient accumulators. */
    public ConvGradients newGradients() {
        return new ConvGradients(config);
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
            ConvWeightOrder.toPatchOrder(weight2.data, channels2, channels, kernel * kernel, ws.weight2Patch);
            ws.w2T.setTransposed(ws.weight2PatchView);
            ws.bias2View.setTo(bias2);
            ws.back.prepare(ws.weight2PatchView);
            stage2.prepare(ws, weight2);
        }
    }

    /**
     * Writes the accumulated gradients into {@code out}'s tensors of this front end (its stages' handles in
     * {@code out.layout()}; overwritten), in the layout of the parameters.
     */
    public void writeGradients(ConvGradients g, Parameters out) {
        Objects.requireNonNull(g, "g is null");
        Objects.requireNonNull(out, "out is null");
        g.writeTo(out);
    }

    // ------------------------------------------------------------------ batch entry points

    /**
     * Forward for {@code n} rows of sparse binary input in CSR form: row {@code j}'s active pixels are
     * {@code idx[start[j] .. start[j + 1])}.
     *
     * @param out  receives {@code n x outputSize} features (overwritten)
     * @param tape receives what {@link #backwardSparse} needs (rows {@code 0 .. n-1} overwritten)
     */
    public void forwardSparse(int n, int[] start, int[] idx, Workspace ws, double[] out, ConvTape tape) {
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
    public void forwardDense(int n, double[] x, Workspace ws, double[] out, ConvTape tape) {
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
    public void backwardSparse(int nb, int[] sel, int[] start, int[] idx, double[] dOut, ConvTape tape, Workspace ws,
                               ConvGradients g) {
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
        foldEvents(ws, g);
    }

    /**
     * Backward for {@code nb} rows of dense input: as {@link #backwardSparse}, with gradient row {@code jb}'s input
     * in row {@code sel[jb]} of {@code x} ({@code rows x height*width}, read).
     */
    public void backwardDense(int nb, int[] sel, double[] x, double[] dOut, ConvTape tape, Workspace ws, ConvGradients g) {
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
        foldEvents(ws, g);
    }

    // ------------------------------------------------------------------ rows

    /** Forward of one row whose non-zero pixels are in the workspace. */
    private void forwardRow(Workspace ws, double[] out, ConvTape tape, int row) {
        ws.touched.set(ws.pixels, config.width());
        if (stage2 != null) {
            // stage 1 position-major into the tape: the input of stage 2
            stage1.forward(ws, tape.f1, tape.argmax1, row * size1);
            stage2.forward(ws, tape, row, out, row * outputSize);
        } else {
            stage1.forward(ws, out, tape.argmax1, row * size1);
        }
    }

    /** Adds what the event-driven second stage accumulated over a backward call to {@code g}. */
    private void foldEvents(Workspace ws, ConvGradients g) {
        if (stage2 != null) {
            stage2.fold(ws, g);
        }
    }

    /** Backward of one row whose non-zero pixels are in the workspace, from {@code dOut[dOff ..]}. */
    private void backwardRow(double[] dOut, int dOff, ConvTape tape, int row, Workspace ws, ConvGradients g) {
        if (stage2 != null) {
            ws.touched.set(ws.pixels, config.width());
            stage2.backward(dOut, dOff, tape, row, ws, g);
            stage1.backward(ws, ws.back.dOut1, 0, tape.argmax1, row * size1, g);
        } else {
            stage1.backward(ws, dOut, dOff, tape.argmax1, row * size1, g);
        }
    }
}
