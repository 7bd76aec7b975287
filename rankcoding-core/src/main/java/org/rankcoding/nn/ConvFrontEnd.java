package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.kernel.Layouts;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;

import java.util.Arrays;
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
 * filters, not a dense convolution. The second stage is dense: one {@code (H1 W1) x (C K K)} by
 * {@code (C K K) x C2} product per row and step through the {@link MatrixKernels}. The methods compute into
 * caller-owned buffers ({@link Workspace}, {@link Tape}, {@link Gradients}) and never allocate; the layer holds no
 * per-call state.
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
    private final int radius;
    private final int pool;
    private final int height;
    private final int width;
    private final int h1;
    private final int w1;
    private final int h2;
    private final int w2;
    /** Stage-1 features per row: {@code channels * h1 * w1}. */
    private final int size1;
    /** Length of one stage-2 patch: {@code kernel * kernel * channels}. */
    private final int patch;
    private final int outputSize;

    /**
     * Creates a front end with PyTorch's default initialisation drawn from {@code rng} (stage 1, then stage 2).
     *
     * @throws IllegalArgumentException for {@link ConvFrontEndConfig#NONE}
     */
    public ConvFrontEnd(ConvFrontEndConfig config, RandomGenerator rng) {
        if (config.isNone()) {
            throw new IllegalArgumentException("ConvFrontEndConfig.NONE describes no front end; nothing to build");
        }
        this.config = config;
        this.channels = config.channels();
        this.channels2 = config.channels2();
        this.kernel = config.kernel();
        this.radius = kernel / 2;
        this.pool = config.pool();
        this.height = config.height();
        this.width = config.width();
        this.h1 = height / pool;
        this.w1 = width / pool;
        this.h2 = channels2 == 0 ? 0 : h1 / pool;
        this.w2 = channels2 == 0 ? 0 : w1 / pool;
        this.size1 = channels * h1 * w1;
        this.patch = kernel * kernel * channels;
        this.outputSize = config.outputSize();
        this.weight = new DMatrixRMaj(channels, kernel * kernel);
        this.bias = new DMatrixRMaj(1, channels);
        fill(rng, 1.0 / kernel, weight, bias); // 1 / sqrt(fan_in), fan_in = 1 * K * K
        if (channels2 > 0) {
            this.weight2 = new DMatrixRMaj(channels2, patch);
            this.bias2 = new DMatrixRMaj(1, channels2);
            fill(rng, 1.0 / Math.sqrt(patch), weight2, bias2);
        } else {
            this.weight2 = null;
            this.bias2 = null;
        }
    }

    private static void fill(RandomGenerator rng, double bound, DMatrixRMaj... ms) {
        for (DMatrixRMaj m : ms) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = (2 * rng.nextDouble() - 1) * bound;
            }
        }
    }

    /** The shape. */
    public ConvFrontEndConfig config() {
        return config;
    }

    /** Input pixels per step: {@code height * width}. */
    public int inputSize() {
        return height * width;
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
     * One thread's buffers: the prepared weights and the maps of one row. {@code dPre} is kept all zero between
     * calls. A workspace for inference only ({@link #newInferenceWorkspace}) has no backward buffers.
     */
    public static final class Workspace {
        final MatrixKernels kernels;
        final boolean backward;
        final double[] weightT;
        final double[] pre;
        final double[] dPre;
        final int[] nzIdx;
        final double[] nzVal;
        final double[] dOut1;
        // second stage
        final double[] weight2T;
        final PreparedMatrix w2T;
        final PreparedMatrix w2;
        final double[] patches;
        final double[] pre2;
        final double[] dPre2;
        final double[] dPatches;

        private Workspace(ConvFrontEnd f, MatrixKernels kernels, boolean backward) {
            this.kernels = kernels;
            this.backward = backward;
            int positions = f.height * f.width;
            this.weightT = new double[f.kernel * f.kernel * f.channels];
            this.pre = new double[positions * f.channels];
            this.dPre = backward ? new double[positions * f.channels] : null;
            this.nzIdx = new int[positions];
            this.nzVal = new double[positions];
            boolean two = f.channels2 > 0;
            boolean two2 = two && backward;
            int p1 = f.h1 * f.w1;
            this.dOut1 = two2 ? new double[f.size1] : null;
            this.weight2T = two ? new double[f.patch * f.channels2] : null;
            this.w2T = two ? kernels.prepare(f.patch, f.channels2) : null;
            this.w2 = two2 ? kernels.prepare(f.channels2, f.patch) : null;
            this.patches = two ? new double[p1 * f.patch] : null;
            this.pre2 = two ? new double[p1 * f.channels2] : null;
            this.dPre2 = two2 ? new double[p1 * f.channels2] : null;
            this.dPatches = two2 ? new double[p1 * f.patch] : null;
        }
    }

    /** A workspace for this front end's forward and backward passes, computing its dense products with {@code kernels}. */
    public Workspace newWorkspace(MatrixKernels kernels) {
        return new Workspace(this, kernels, true);
    }

    /**
     * A workspace for forward passes only (streaming inference): as {@link #newWorkspace} without the gradient
     * buffers; the backward methods refuse it.
     */
    public Workspace newInferenceWorkspace(MatrixKernels kernels) {
        return new Workspace(this, kernels, false);
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

    /** Copies the current weights into {@code ws} in the compute layout; call whenever the parameters change. */
    public void prepare(Workspace ws) {
        Layouts.transpose(weight.data, channels, kernel * kernel, ws.weightT);
        if (channels2 > 0) {
            Layouts.transpose(weight2.data, channels2, patch, ws.weight2T);
            ws.w2T.set(ws.weight2T, 0);
            if (ws.backward) {
                ws.w2.set(weight2.data, 0);
            }
        }
    }

    /**
     * Writes the accumulated gradients into {@code out}'s tensors of this front end (its stages' handles in
     * {@code out.layout()}; overwritten), in the layout of the parameters.
     */
    public void writeGradients(Gradients g, Parameters out) {
        ParameterLayout layout = out.layout();
        Layouts.transpose(g.weightT, kernel * kernel, channels, out.get(layout.frontEndStage(0).weights()).data);
        System.arraycopy(g.bias, 0, out.get(layout.frontEndStage(0).bias()).data, 0, channels);
        if (channels2 > 0) {
            Layouts.transpose(g.weight2T, patch, channels2, out.get(layout.frontEndStage(1).weights()).data);
            System.arraycopy(g.bias2, 0, out.get(layout.frontEndStage(1).bias()).data, 0, channels2);
        }
    }

    /** {@code dst (cols x rows) = src (rows x cols)^T}. */
    // ------------------------------------------------------------------ batch entry points

    /**
     * Forward for {@code n} rows of sparse binary input in CSR form: row {@code j}'s active pixels are
     * {@code idx[start[j] .. start[j + 1])}.
     *
     * @param out  receives {@code n x outputSize} features (overwritten)
     * @param tape receives what {@link #backwardSparse} needs (rows {@code 0 .. n-1} overwritten)
     */
    public void forwardSparse(int n, int[] start, int[] idx, Workspace ws, double[] out, Tape tape) {
        for (int j = 0; j < n; j++) {
            forwardRow(idx, null, start[j], start[j + 1], ws, out, tape, j);
        }
    }

    /**
     * Forward for {@code n} rows of dense input {@code x} ({@code n x height*width}, read); outputs as in
     * {@link #forwardSparse}. Zero pixels cost nothing in the first stage.
     */
    public void forwardDense(int n, double[] x, Workspace ws, double[] out, Tape tape) {
        for (int j = 0; j < n; j++) {
            int m = nonZeros(x, j * inputSize(), ws);
            forwardRow(ws.nzIdx, ws.nzVal, 0, m, ws, out, tape, j);
        }
    }

    /**
     * Backward for {@code nb} rows of sparse input: accumulates the parameter gradients from the feature gradients
     * {@code dOut} ({@code nb x outputSize}, read). Gradient row {@code jb}'s input is
     * {@code idx[start[jb] .. start[jb + 1])} and its forward record is row {@code sel[jb]} of {@code tape}
     * (row {@code jb} when {@code sel} is null).
     */
    public void backwardSparse(int nb, int[] sel, int[] start, int[] idx, double[] dOut, Tape tape, Workspace ws,
                               Gradients g) {
        requireBackward(ws);
        for (int jb = 0; jb < nb; jb++) {
            int src = sel == null ? jb : sel[jb];
            backwardRow(idx, null, start[jb], start[jb + 1], dOut, jb * outputSize, tape, src, ws, g);
        }
    }

    /**
     * Backward for {@code nb} rows of dense input: as {@link #backwardSparse}, with gradient row {@code jb}'s input
     * in row {@code sel[jb]} (or {@code jb}) of {@code x} ({@code rows x height*width}, read).
     */
    public void backwardDense(int nb, int[] sel, double[] x, double[] dOut, Tape tape, Workspace ws, Gradients g) {
        requireBackward(ws);
        for (int jb = 0; jb < nb; jb++) {
            int src = sel == null ? jb : sel[jb];
            int m = nonZeros(x, src * inputSize(), ws);
            backwardRow(ws.nzIdx, ws.nzVal, 0, m, dOut, jb * outputSize, tape, src, ws, g);
        }
    }

    private static void requireBackward(Workspace ws) {
        if (!ws.backward) {
            throw new IllegalStateException("this workspace was made for inference (newInferenceWorkspace); "
                    + "back-propagation needs one from newWorkspace");
        }
    }

    private int nonZeros(double[] x, int off, Workspace ws) {
        int m = 0;
        for (int i = 0; i < inputSize(); i++) {
            double v = x[off + i];
            if (v != 0.0) {
                ws.nzIdx[m] = i;
                ws.nzVal[m] = v;
                m++;
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ rows

    private void forwardRow(int[] idx, double[] val, int from, int to, Workspace ws, double[] out, Tape tape, int row) {
        boolean two = channels2 > 0;
        // stage 1: channel-major into the output (one stage) or position-major into the tape (input of stage 2)
        forward1(idx, val, from, to, ws, two ? tape.f1 : out, row * size1, tape.argmax1, row * size1, two);
        if (two) {
            forward2(tape.f1, row * size1, ws, out, row * outputSize, tape.argmax2, row * outputSize);
        }
    }

    private void backwardRow(int[] idx, double[] val, int from, int to, double[] dOut, int dOff, Tape tape, int row,
                             Workspace ws, Gradients g) {
        if (channels2 > 0) {
            backward2(dOut, dOff, tape.f1, row * size1, tape.argmax2, row * outputSize, ws, g, ws.dOut1);
            backward1(idx, val, from, to, ws.dOut1, 0, tape.argmax1, row * size1, ws, g, true);
        } else {
            backward1(idx, val, from, to, dOut, dOff, tape.argmax1, row * size1, ws, g, false);
        }
    }

    /**
     * Stage 1 of one row: scatter the active pixels' filters, pool, rectify. Feature {@code (c, p)} ({@code p} a
     * pooled position) goes to {@code c * h1 * w1 + p} (channel-major) or {@code p * channels + c} (position-major).
     */
    private void forward1(int[] idx, double[] val, int from, int to, Workspace ws, double[] out, int off, int[] argmax,
                          int amOff, boolean positionMajor) {
        double[] pre = ws.pre;
        double[] b = bias.data;
        int positions = height * width;
        for (int pos = 0; pos < positions; pos++) {
            System.arraycopy(b, 0, pre, pos * channels, channels);
        }
        scatter(idx, val, from, to, pre, ws.weightT, true);
        poolRelu(pre, channels, width, h1, w1, out, off, argmax, amOff, positionMajor);
    }

    /**
     * For every active pixel (value {@code v}) and kernel offset that lands inside the image, either adds
     * {@code v * weights[offset]} to the pre-activation map at that position ({@code intoMap}: the forward scatter) or
     * adds {@code v * map[position]} to {@code weights[offset]} (the weight gradient), over all channels. The map is
     * {@code height x width x channels}, the weights {@code kernel*kernel x channels}.
     */
    private void scatter(int[] idx, double[] val, int from, int to, double[] map, double[] weights, boolean intoMap) {
        for (int q = from; q < to; q++) {
            int pix = idx[q];
            double v = val == null ? 1.0 : val[q];
            int iy = pix / width;
            int ix = pix - iy * width;
            for (int ky = 0; ky < kernel; ky++) {
                int y = iy - ky + radius;
                if (y < 0 || y >= height) {
                    continue;
                }
                for (int kx = 0; kx < kernel; kx++) {
                    int x = ix - kx + radius;
                    if (x < 0 || x >= width) {
                        continue;
                    }
                    int base = (y * width + x) * channels;
                    int wb = (ky * kernel + kx) * channels;
                    if (intoMap) {
                        for (int c = 0; c < channels; c++) {
                            map[base + c] += v * weights[wb + c];
                        }
                    } else {
                        for (int c = 0; c < channels; c++) {
                            weights[wb + c] += v * map[base + c];
                        }
                    }
                }
            }
        }
    }

    /**
     * Max-pools a position-major map ({@code rows x mapWidth x chans}, read) over {@code pool x pool} windows into
     * {@code ph x pw} outputs per channel and rectifies: output {@code (c, p)} goes to {@code c * ph * pw + p}, or
     * {@code p * chans + c} when {@code positionMajor}; its window's winning position ({@code y * mapWidth + x}) to
     * the same index of {@code argmax}, or -1 where the ReLU gave 0.
     */
    private void poolRelu(double[] map, int chans, int mapWidth, int ph, int pw, double[] out, int off, int[] argmax, int amOff,
                          boolean positionMajor) {
        int plane = ph * pw;
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                int p = py * pw + px;
                for (int c = 0; c < chans; c++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestPos = -1;
                    for (int dy = 0; dy < pool; dy++) {
                        int rowPos = (py * pool + dy) * mapWidth + px * pool;
                        for (int dx = 0; dx < pool; dx++) {
                            double a = map[(rowPos + dx) * chans + c];
                            if (a > best) {
                                best = a;
                                bestPos = rowPos + dx;
                            }
                        }
                    }
                    int f = positionMajor ? p * chans + c : c * plane + p;
                    out[off + f] = best > 0 ? best : 0.0;
                    argmax[amOff + f] = best > 0 ? bestPos : -1;
                }
            }
        }
    }

    /** Stage-1 backward of one row from the feature gradients {@code dOut} (layout as in {@link #forward1}). */
    private void backward1(int[] idx, double[] val, int from, int to, double[] dOut, int dOff, int[] argmax, int amOff,
                           Workspace ws, Gradients g, boolean positionMajor) {
        double[] dPre = ws.dPre;
        boolean any = false;
        for (int f = 0; f < size1; f++) {
            int pos = argmax[amOff + f];
            if (pos >= 0) {
                int c = positionMajor ? f % channels : f / (h1 * w1);
                double d = dOut[dOff + f];
                g.bias[c] += d;
                dPre[pos * channels + c] = d;
                any = true;
            }
        }
        if (!any) {
            return;
        }
        scatter(idx, val, from, to, dPre, g.weightT, false);
        for (int f = 0; f < size1; f++) {
            int pos = argmax[amOff + f];
            if (pos >= 0) {
                int c = positionMajor ? f % channels : f / (h1 * w1);
                dPre[pos * channels + c] = 0.0;
            }
        }
    }

    /** The stage-2 patches of one row's stage-1 features ({@code h1*w1 x patch}, zero outside the map). */
    private void im2col(double[] f1, int off, double[] patches) {
        for (int y = 0; y < h1; y++) {
            for (int x = 0; x < w1; x++) {
                int row = (y * w1 + x) * patch;
                for (int ky = 0; ky < kernel; ky++) {
                    int sy = y + ky - radius;
                    for (int kx = 0; kx < kernel; kx++) {
                        int sx = x + kx - radius;
                        int dst = row + (ky * kernel + kx) * channels;
                        if (sy < 0 || sy >= h1 || sx < 0 || sx >= w1) {
                            Arrays.fill(patches, dst, dst + channels, 0.0);
                        } else {
                            System.arraycopy(f1, off + (sy * w1 + sx) * channels, patches, dst, channels);
                        }
                    }
                }
            }
        }
    }

    private void forward2(double[] f1, int f1Off, Workspace ws, double[] out, int off, int[] argmax, int amOff) {
        int p1 = h1 * w1;
        im2col(f1, f1Off, ws.patches);
        double[] pre2 = ws.pre2;
        for (int p = 0; p < p1; p++) {
            System.arraycopy(bias2.data, 0, pre2, p * channels2, channels2);
        }
        ws.kernels.multAdd(p1, ws.patches, 0, ws.w2T, pre2, 0);
        poolRelu(pre2, channels2, w1, h2, w2, out, off, argmax, amOff, false);
    }

    /** Stage-2 backward of one row: accumulates its gradients and writes the stage-1 feature gradients into {@code dOut1}. */
    private void backward2(double[] dOut, int dOff, double[] f1, int f1Off, int[] argmax, int amOff, Workspace ws, Gradients g,
                           double[] dOut1) {
        int p1 = h1 * w1;
        double[] dPre2 = ws.dPre2;
        Arrays.fill(dPre2, 0.0);
        int plane = h2 * w2;
        boolean any = false;
        for (int f = 0; f < outputSize; f++) {
            int pos = argmax[amOff + f];
            if (pos >= 0) {
                int d = f / plane;
                double v = dOut[dOff + f];
                g.bias2[d] += v;
                dPre2[pos * channels2 + d] = v;
                any = true;
            }
        }
        Arrays.fill(dOut1, 0.0);
        if (!any) {
            return;
        }
        im2col(f1, f1Off, ws.patches);
        ws.kernels.multTransAAdd(p1, patch, channels2, ws.patches, 0, dPre2, 0, g.weight2T, 0);
        double[] dPatches = ws.dPatches;
        Arrays.fill(dPatches, 0.0);
        ws.kernels.multAdd(p1, dPre2, 0, ws.w2, dPatches, 0);
        // col2im
        for (int y = 0; y < h1; y++) {
            for (int x = 0; x < w1; x++) {
                int row = (y * w1 + x) * patch;
                for (int ky = 0; ky < kernel; ky++) {
                    int sy = y + ky - radius;
                    if (sy < 0 || sy >= h1) {
                        continue;
                    }
                    for (int kx = 0; kx < kernel; kx++) {
                        int sx = x + kx - radius;
                        if (sx < 0 || sx >= w1) {
                            continue;
                        }
                        int src = row + (ky * kernel + kx) * channels;
                        int dst = (sy * w1 + sx) * channels;
                        for (int c = 0; c < channels; c++) {
                            dOut1[dst + c] += dPatches[src + c];
                        }
                    }
                }
            }
        }
    }
}
