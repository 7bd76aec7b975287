package org.rankcoding.nn;

import java.util.Arrays;

/**
 * The second stage of a {@link ConvFrontEnd} for one row: a dense convolution over the first stage's features, as
 * one {@code (h1 w1) x (C K K)} by {@code (C K K) x C2} product through the workspace's
 * {@link org.rankcoding.kernel.MatrixKernels} on the row's patches ({@code im2col}), to its pre-activation map
 * ({@link SecondStage} pools it); and its backward pass from that map's gradient.
 *
 * <p>The first stage's features are position-major ({@code h1 x w1 x C}); a patch row holds, for one position, the
 * {@code K x K} neighbourhood's features ({@code (ky, kx, c)} order, zero outside the map).
 */
final class PatchConvStage {

    private final int channels;
    private final int channels2;
    private final int kernel;
    private final int radius;
    private final int h1;
    private final int w1;
    /** Length of one patch: {@code kernel * kernel * channels}. */
    private final int patch;
    /** First-stage features per row: {@code channels * h1 * w1}. */
    private final int size1;

    PatchConvStage(ConvFrontEndConfig config) {
        this.channels = config.channels();
        this.channels2 = config.channels2();
        this.kernel = config.kernel();
        this.radius = kernel / 2;
        this.h1 = config.height() / config.pool();
        this.w1 = config.width() / config.pool();
        this.patch = kernel * kernel * channels;
        this.size1 = channels * h1 * w1;
    }

    /**
     * The pre-activation map of one row ({@code ws.pre2}, {@code h1*w1 x C2}, overwritten) from its first-stage
     * features {@code f1[f1Off ..]} (read).
     */
    void forward(double[] f1, int f1Off, ConvFrontEnd.Workspace ws) {
        int p1 = h1 * w1;
        im2col(f1, f1Off, ws.patches);
        double[] pre2 = ws.pre2;
        for (int p = 0; p < p1; p++) {
            System.arraycopy(ws.bias2, 0, pre2, p * channels2, channels2);
        }
        ws.kernels.multAdd(p1, ws.patches, 0, ws.w2T, pre2, 0);
    }

    /**
     * Backward of row {@code row} of {@code tape} from its pre-activation map's gradient {@code ws.back.dPre2}:
     * accumulates into {@code g.weight2T} and adds the first-stage feature gradients to the workspace's {@code dOut1}.
     */
    void backward(ConvTape tape, int row, ConvFrontEnd.Workspace ws, ConvGradients g) {
        ConvBackwardBuffers back = ws.back;
        int p1 = h1 * w1;
        double[] dPre2 = back.dPre2;
        im2col(tape.f1, row * size1, ws.patches);
        ws.kernels.multTransAAdd(p1, patch, channels2, ws.patches, 0, dPre2, 0, g.weight2T, 0);
        Arrays.fill(back.dPatches, 0.0);
        ws.kernels.multAdd(p1, dPre2, 0, back.w2, back.dPatches, 0);
        col2im(back.dPatches, back.dOut1);
    }

    /** The patches of one row's first-stage features ({@code h1*w1 x patch}, zero outside the map). */
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

    /** The transpose of {@link #im2col}: adds each patch gradient back onto the features it was copied from. */
    private void col2im(double[] dPatches, double[] dOut1) {
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
