package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;

import java.util.Arrays;

/**
 * One thread's state of an {@link EventConvStage}: the weights prepared from the current parameters (the spread
 * matrix, the quiet background of the first stage and the second stage's pre-activation over it), the buffers of one
 * row and, for training, the gradient parts that are folded into the front end's gradients once per backward call.
 * {@code C} first-stage channels, {@code C2} second-stage channels, {@code KK} kernel offsets, {@code P} pooled
 * positions of the first stage.
 */
final class EventConvBuffers {

    final int channels;
    final int channels2;
    final int kernel;
    final int kk;
    /** Columns of the spread matrix: {@code KK * C2}. */
    final int wide;
    /**
     * Second-stage weights as {@code C x KK*C2}: row {@code c}, column {@code slot(ky, kx) * C2 + d} holds
     * {@code weight2[d][c][ky][kx]}. The slots of a kernel row run backwards in {@code kx} ({@link #slot}), so that
     * the offsets of one kernel row that reach consecutive map positions are consecutive columns: a touched
     * position's products for one kernel row are added to one contiguous block of the map, and its map gradients are
     * read from one.
     */
    final double[] spreadValues;
    private final DMatrixRMaj spreadView;
    /** The first stage's quiet background {@code max(0, bias[c])}. */
    final double[] background;
    /** The second stage's pre-activation map ({@code P x C2}) when every first-stage feature is the background. */
    final double[] base;
    /** One offset's {@code C2} values while the base map is computed. */
    final double[] slice;
    /** Rows {@code f1[q] - background} of the touched positions ({@code P x C} at most). */
    final double[] delta;
    /**
     * Per group of slots {@code [s0, s1)} of a kernel row ({@link #group}), the touched positions that reach exactly
     * those slots: where each one's deltas start in {@link #delta} ...
     */
    final int[][] groupDelta;
    /** ... and where the map gradients it reaches start in the row's map gradient. */
    final int[][] groupMap;
    /** How many positions each group holds. */
    final int[] groupSize;
    // training only (null in an inference workspace)
    /** Per touched position, its gathered map gradients ({@code P x KK*C2} at most, slot order). */
    final double[] products;
    /** The transpose of {@link #spreadValues} ({@code KK*C2 x C}) as the right operand of the feature gradients. */
    final PreparedMatrix gather;
    /** Feature gradients of the touched positions ({@code P x C} at most). */
    final double[] dDelta;
    /** Accumulated {@code delta^T products} ({@code C x KK*C2}): the touched part of the weight gradient. */
    final double[] weightGrad;
    /** Accumulated sums of the map gradient over each offset's window ({@code KK * C2}, by slot): the background part. */
    final double[] windowSums;
    /** Accumulated feature gradients of the touched positions, per channel. */
    final double[] touchedSum;
    /** Two-dimensional prefix sums of one row's map gradient ({@code (h1 + 1) x (w1 + 1) x C2}). */
    final double[] prefix;
    /** Whether the accumulators hold anything not yet folded. */
    boolean pending;

    private EventConvBuffers(ConvFrontEndConfig c, MatrixKernels kernels, boolean training) {
        this.channels = c.channels();
        this.channels2 = c.channels2();
        this.kernel = c.kernel();
        this.kk = kernel * kernel;
        this.wide = kk * channels2;
        int h1 = c.height() / c.pool();
        int w1 = c.width() / c.pool();
        int plane = h1 * w1;
        this.spreadValues = new double[channels * wide];
        this.spreadView = DMatrixRMaj.wrap(channels, wide, spreadValues);
        this.background = new double[channels];
        this.base = new double[plane * channels2];
        this.slice = new double[channels2];
        this.delta = new double[plane * channels];
        this.products = training ? new double[plane * wide] : null;
        this.gather = training ? kernels.prepare(wide, channels) : null;
        int groups = kernel * (kernel + 1);
        this.groupDelta = new int[groups][plane];
        this.groupMap = new int[groups][plane];
        this.groupSize = new int[groups];
        this.dDelta = training ? new double[plane * channels] : null;
        this.weightGrad = training ? new double[channels * wide] : null;
        this.windowSums = training ? new double[wide] : null;
        this.touchedSum = training ? new double[channels] : null;
        this.prefix = training ? new double[(h1 + 1) * (w1 + 1) * channels2] : null;
    }

    /** The buffers of a forward-only workspace. */
    static EventConvBuffers forInference(ConvFrontEndConfig c, MatrixKernels kernels) {
        return new EventConvBuffers(c, kernels, false);
    }

    /** The buffers of a workspace that also back-propagates. */
    static EventConvBuffers forTraining(ConvFrontEndConfig c, MatrixKernels kernels) {
        return new EventConvBuffers(c, kernels, true);
    }

    /**
     * Prepares the spread matrix (and its transpose for training) from {@code weight2} ({@code C2 x C*KK}, PyTorch's
     * order) and the background from the first stage's {@code bias}; the base map is then computed by the stage.
     */
    void prepare(DMatrixRMaj weight2, double[] bias) {
        double[] w = weight2.data;
        int len = channels * kk;
        for (int d = 0; d < channels2; d++) {
            for (int c = 0; c < channels; c++) {
                for (int ky = 0; ky < kernel; ky++) {
                    for (int kx = 0; kx < kernel; kx++) {
                        spreadValues[c * wide + slot(ky, kx) * channels2 + d] = w[d * len + c * kk + ky * kernel + kx];
                    }
                }
            }
        }
        if (gather != null) {
            gather.setTransposed(spreadView);
        }
        for (int c = 0; c < channels; c++) {
            background[c] = bias[c] > 0 ? bias[c] : 0.0;
        }
    }

    /** The column block (of {@code C2} columns) of kernel offset {@code (ky, kx)}: kernel rows in order, columns backwards. */
    int slot(int ky, int kx) {
        return ky * kernel + (kernel - 1 - kx);
    }

    /** The group of the slots {@code [s0, s1)} of a kernel row, {@code 0 <= s0 < s1 <= kernel}. */
    int group(int s0, int s1) {
        return s0 * (kernel + 1) + s1;
    }

    /** Sets the gradient accumulators to zero. */
    void clearAccumulators() {
        Arrays.fill(weightGrad, 0.0);
        Arrays.fill(windowSums, 0.0);
        Arrays.fill(touchedSum, 0.0);
        pending = false;
    }
}
