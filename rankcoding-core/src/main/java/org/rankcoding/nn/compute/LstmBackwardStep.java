package org.rankcoding.nn.compute;

import java.util.Arrays;

/**
 * The buffers of one {@link Lstm} layer's backward steps over a sequence, for up to {@link #rows()} gradient rows:
 * the gradients arriving at a step ({@code dh}, {@code dc}), the ones it sends back to the previous step
 * ({@code dhPrev}, and {@code dc} turned into {@code dL/dc_prev}), the gradient on its input ({@code dx}, when
 * asked for), and the step's forward inputs gathered in gradient-row order.
 *
 * <p>Gradient row {@code jb} belongs to row {@code forwardRow(jb)} of the forward {@link LstmStep}: the identity
 * after {@link #selectAll(int)}, or a list of forward rows after {@link #select(int, int[])} (a backward step may
 * visit a subset of the rows its forward step computed, when a horizon truncates it). After the backward step,
 * {@link #carryToPreviousStep()} makes {@code dhPrev} and {@code dL/dc_prev} the {@linkplain #carriedHidden()
 * carried gradients} the previous step is seeded from. Not thread-safe.
 */
public final class LstmBackwardStep {

    private final int rows;
    private final int inputSize;
    private final int hiddenSize;
    private final boolean inputGradient;
    int n;
    int[] forwardRows;
    double[] x;
    double[] hPrev;
    private final double[] gatherX;
    private final double[] gatherH;
    final double[] dh;
    double[] dc;
    private double[] carriedDc;
    final double[] dhPrev;
    final double[] dGates;
    final double[] dx;

    private LstmBackwardStep(int rows, int inputSize, int hiddenSize, boolean inputGradient) {
        this.rows = rows;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.inputGradient = inputGradient;
        this.gatherX = new double[rows * inputSize];
        this.gatherH = new double[rows * hiddenSize];
        this.dh = new double[rows * hiddenSize];
        this.dc = new double[rows * hiddenSize];
        this.carriedDc = new double[rows * hiddenSize];
        this.dhPrev = new double[rows * hiddenSize];
        this.dGates = new double[rows * 4 * hiddenSize];
        this.dx = new double[inputGradient ? rows * inputSize : 0];
    }

    /** Buffers for a layer whose backward step also computes the gradient on its input ({@link #dx()}). */
    public static LstmBackwardStep withInputGradient(int rows, int inputSize, int hiddenSize) {
        return new LstmBackwardStep(rows, inputSize, hiddenSize, true);
    }

    /** Buffers for a layer whose input needs no gradient (the first layer reading the data). */
    public static LstmBackwardStep withoutInputGradient(int rows, int inputSize, int hiddenSize) {
        return new LstmBackwardStep(rows, inputSize, hiddenSize, false);
    }

    /** The row capacity. */
    public int rows() {
        return rows;
    }

    /** Whether the backward step writes {@link #dx()}. */
    public boolean computesInputGradient() {
        return inputGradient;
    }

    /** The next backward step runs on forward rows {@code 0 .. n-1}, in order. */
    public void selectAll(int n) {
        this.n = n;
        this.forwardRows = null;
    }

    /** The next backward step runs on {@code n} gradient rows, row {@code jb} being forward row {@code forwardRows[jb]}. */
    public void select(int n, int[] forwardRows) {
        this.n = n;
        this.forwardRows = forwardRows;
    }

    /** Number of gradient rows selected. */
    public int size() {
        return n;
    }

    /** Takes the forward step's input and previous hidden state in gradient-row order (gathered unless all rows are selected). */
    public void gatherInputs(LstmStep forward) {
        x = gather(forward.x, inputSize, gatherX);
        gatherRecurrentInput(forward);
    }

    /** As {@link #gatherInputs}, for the previous hidden state only (a sparse input is gathered by the caller). */
    public void gatherRecurrentInput(LstmStep forward) {
        hPrev = forward.hasPreviousState() ? gather(forward.hPrev, hiddenSize, gatherH) : null;
    }

    private double[] gather(double[] src, int width, double[] dst) {
        if (forwardRows == null) {
            return src;
        }
        for (int jb = 0; jb < n; jb++) {
            System.arraycopy(src, forwardRows[jb] * width, dst, jb * width, width);
        }
        return dst;
    }

    /** The gradient on the step's hidden output, {@code rows x H} (filled by the caller before the step). */
    public double[] dh() {
        return dh;
    }

    /** The gradient on the step's cell output (filled by the caller); after the step, the gradient on {@code c_prev}. */
    public double[] dc() {
        return dc;
    }

    /** After the step: the gradient on the step's input, {@code n x I} (only if {@link #computesInputGradient()}). */
    public double[] dx() {
        return dx;
    }

    /** After the step: the gradient on {@code h_prev}, {@code n x H} (not written at a sequence's first step). */
    public double[] dhPrev() {
        return dhPrev;
    }

    /** Adds {@code d} ({@code n x H}, e.g. the input gradient of the layer above) to {@code dh}. */
    public void addToHidden(double[] d) {
        for (int i = 0; i < n * hiddenSize; i++) {
            dh[i] += d[i];
        }
    }

    /** Seeds gradient row {@code jb} with the gradients carried from row {@code from} of the step after it. */
    public void seedCarried(int jb, int from) {
        int h = hiddenSize;
        System.arraycopy(dhPrev, from * h, dh, jb * h, h);
        System.arraycopy(carriedDc, from * h, dc, jb * h, h);
    }

    /** Seeds gradient row {@code jb} with {@code dh = src[off ..]} and {@code dc = 0} (where a loss enters). */
    public void seedHidden(int jb, double[] src, int off) {
        int h = hiddenSize;
        System.arraycopy(src, off, dh, jb * h, h);
        Arrays.fill(dc, jb * h, jb * h + h, 0.0);
    }

    /** Seeds gradient row {@code jb} with zeros. */
    public void seedZero(int jb) {
        int h = hiddenSize;
        Arrays.fill(dh, jb * h, jb * h + h, 0.0);
        Arrays.fill(dc, jb * h, jb * h + h, 0.0);
    }

    /** After a step: its {@code dL/dc_prev} becomes the carried cell gradient ({@code dhPrev} is carried in place). */
    public void carryToPreviousStep() {
        double[] swap = carriedDc;
        carriedDc = dc;
        dc = swap;
    }

    /** The carried hidden gradient ({@code dhPrev} of the last step). */
    public double[] carriedHidden() {
        return dhPrev;
    }
}
