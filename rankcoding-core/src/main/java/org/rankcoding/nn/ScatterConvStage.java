package org.rankcoding.nn;

/**
 * The first stage of a {@link ConvFrontEnd} for one row: a single-channel convolution computed by scattering the
 * filters of the row's non-zero pixels into a bias-filled map, then {@link PoolRelu}; and its backward pass, which
 * gathers the weight gradients the same way. A step whose input is a few spikes costs a few scatters, not a dense
 * convolution.
 *
 * <p>The row's non-zero pixels are read from the workspace ({@link ActivePixels});
 * maps are position-major ({@code height x width x channels}), the filters in the compute layout
 * ({@code kernel*kernel x channels}).
 */
final class ScatterConvStage {

    private final int channels;
    private final int kernel;
    private final int radius;
    private final int height;
    private final int width;
    private final PoolRelu pooling;

    /**
     * @param pooling the stage's pooling, whose output layout is the stage's (channel-major for a one-stage front end,
     *                position-major when a second stage reads it)
     */
    ScatterConvStage(ConvFrontEndConfig config, PoolRelu pooling) {
        this.channels = config.channels();
        this.kernel = config.kernel();
        this.radius = kernel / 2;
        this.height = config.height();
        this.width = config.width();
        this.pooling = pooling;
    }

    /**
     * Forward of one row whose touched positions are in {@code ws.touched}: its {@code channels * h1 * w1} features go
     * to {@code out[off ..]} and their pooling choices to {@code argmax[off ..]} (both overwritten). Only the touched
     * windows are pooled; the others take the quiet background ({@link PoolRelu#forwardTouched}).
     */
    void forward(ConvFrontEnd.Workspace ws, double[] out, int[] argmax, int off) {
        double[] pre = ws.pre;
        int positions = height * width;
        for (int pos = 0; pos < positions; pos++) {
            System.arraycopy(ws.bias, 0, pre, pos * channels, channels);
        }
        scatter(ws.pixels, ws.weightT, pre);
        pooling.forwardTouched(pre, ws.touched, ws.bias, out, argmax, off);
    }

    /**
     * Backward of one row from its feature gradients {@code dOut[dOff ..]} (read) and
     * pooling choices {@code argmax[amOff ..]}: accumulates into {@code g.weightT} and {@code g.bias} (the bias
     * gradient's additions in {@link PoolRelu#route}'s order). The workspace's gradient map is left all zero.
     */
    void backward(ConvFrontEnd.Workspace ws, double[] dOut, int dOff, int[] argmax, int amOff,
                  ConvGradients g) {
        double[] dPre = ws.back.dPre;
        if (!pooling.route(dOut, dOff, argmax, amOff, dPre, g.bias)) {
            return;
        }
        gather(ws.pixels, dPre, g.weightT);
        pooling.clear(argmax, amOff, dPre);
    }

    /**
     * The forward scatter: for each pixel (value {@code v}) and each kernel offset that lands inside
     * the image, adds {@code v * weights[offset]} to the map at that position, over all channels.
     */
    private void scatter(ActivePixels pixels, double[] weights, double[] map) {
        int[] idx = pixels.indices();
        double[] val = pixels.values();
        int m = pixels.count();
        for (int q = 0; q < m; q++) {
            int iy = idx[q] / width;
            int ix = idx[q] - iy * width;
            double v = val[q];
            for (int ky = firstOffset(iy, height); ky <= lastOffset(iy); ky++) {
                int rowBase = (iy - ky + radius) * width;
                for (int kx = firstOffset(ix, width); kx <= lastOffset(ix); kx++) {
                    int base = (rowBase + ix - kx + radius) * channels;
                    int wb = (ky * kernel + kx) * channels;
                    for (int c = 0; c < channels; c++) {
                        map[base + c] += v * weights[wb + c];
                    }
                }
            }
        }
    }

    /** The weight gradient, the transpose of {@link #scatter}: adds {@code v * map[position]} to {@code weights[offset]}. */
    private void gather(ActivePixels pixels, double[] map, double[] weights) {
        int[] idx = pixels.indices();
        double[] val = pixels.values();
        int m = pixels.count();
        for (int q = 0; q < m; q++) {
            int iy = idx[q] / width;
            int ix = idx[q] - iy * width;
            double v = val[q];
            for (int ky = firstOffset(iy, height); ky <= lastOffset(iy); ky++) {
                int rowBase = (iy - ky + radius) * width;
                for (int kx = firstOffset(ix, width); kx <= lastOffset(ix); kx++) {
                    int base = (rowBase + ix - kx + radius) * channels;
                    int wb = (ky * kernel + kx) * channels;
                    for (int c = 0; c < channels; c++) {
                        weights[wb + c] += v * map[base + c];
                    }
                }
            }
        }
    }

    /** The first kernel offset {@code k} for which {@code i - k + radius} lies in {@code [0, size)}. */
    private int firstOffset(int i, int size) {
        return Math.max(0, i + radius - size + 1);
    }

    /** The last kernel offset {@code k} for which {@code i - k + radius >= 0}. */
    private int lastOffset(int i) {
        return Math.min(kernel - 1, i + radius);
    }
}
