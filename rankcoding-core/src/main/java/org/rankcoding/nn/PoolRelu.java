package org.rankcoding.nn;

/**
 * Max-pooling over {@code pool x pool} windows followed by a ReLU, for one map of a {@link ConvFrontEnd} stage, with
 * the pooling choices kept for the backward pass.
 *
 * <p>The input map is position-major ({@code rows x mapWidth x chans}); output feature {@code (c, p)}, {@code p} a
 * pooled position, goes to index {@code c * ph * pw + p} (channel-major, PyTorch's flattening order) or
 * {@code p * chans + c} (position-major, the layout the second stage's patches read), fixed when the pooling is made.
 */
final class PoolRelu {

    private final int chans;
    private final int mapWidth;
    private final int pool;
    private final int ph;
    private final int pw;
    /** Index step of the channel in the output. */
    private final int channelStride;
    /** Index step of the pooled position in the output. */
    private final int positionStride;

    private PoolRelu(int chans, int mapWidth, int pool, int ph, int pw, int channelStride, int positionStride) {
        this.chans = chans;
        this.mapWidth = mapWidth;
        this.pool = pool;
        this.ph = ph;
        this.pw = pw;
        this.channelStride = channelStride;
        this.positionStride = positionStride;
    }

    /** Pooling of a {@code chans}-channel map {@code mapWidth} wide into {@code ph x pw} outputs, channel-major. */
    static PoolRelu channelMajor(int chans, int mapWidth, int pool, int ph, int pw) {
        return new PoolRelu(chans, mapWidth, pool, ph, pw, ph * pw, 1);
    }

    /** As {@link #channelMajor}, with the outputs position-major. */
    static PoolRelu positionMajor(int chans, int mapWidth, int pool, int ph, int pw) {
        return new PoolRelu(chans, mapWidth, pool, ph, pw, 1, chans);
    }

    /** Number of output features: {@code chans * ph * pw}. */
    int size() {
        return chans * ph * pw;
    }

    /** Pooled positions per channel: {@code ph * pw}. */
    int plane() {
        return ph * pw;
    }

    /** The output index of feature {@code (c, p)}. */
    int index(int c, int p) {
        return c * channelStride + p * positionStride;
    }

    /**
     * Pools and rectifies {@code map} (read) into {@code out[off ..]} (overwritten); each feature's winning position
     * ({@code y * mapWidth + x}) goes to the same index of {@code argmax}, or -1 where the ReLU gave 0.
     */
    void forward(double[] map, double[] out, int[] argmax, int off) {
        int plane = ph * pw;
        for (int p = 0; p < plane; p++) {
            poolAt(map, p, out, argmax, off);
        }
    }

    /**
     * As {@link #forward} for a map whose every window outside {@code touched} holds {@code bias[c]} at each position
     * of channel {@code c}: only the touched windows are read; the others get {@code max(0, bias[c])} and their first
     * position as winner (or -1), the result {@link #forward} gives for such a window, bit for bit.
     */
    void forwardTouched(double[] map, TouchedPositions touched, double[] bias, double[] out, int[] argmax, int off) {
        int[] list = touched.positions();
        int n = touched.count();
        int k = 0;
        int plane = ph * pw;
        for (int p = 0; p < plane; p++) {
            if (k < n && list[k] == p) {
                k++;
                poolAt(map, p, out, argmax, off);
                continue;
            }
            int first = (p / pw) * pool * mapWidth + (p % pw) * pool;
            for (int c = 0; c < chans; c++) {
                double b = bias[c];
                int f = index(c, p);
                out[off + f] = b > 0 ? b : 0.0;
                argmax[off + f] = b > 0 ? first : -1;
            }
        }
    }

    /** Pools the window of pooled position {@code p}, every channel. */
    private void poolAt(double[] map, int p, double[] out, int[] argmax, int off) {
        int py = p / pw;
        int px = p - py * pw;
        if (pool == 2) {
            poolPairs(map, p, (py * 2) * mapWidth + px * 2, out, argmax, off);
            return;
        }
        for (int c = 0; c < chans; c++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestPos = -1;
            for (int dy = 0; dy < pool; dy++) {
                int rowPos = (py * pool + dy) * mapWidth + px * pool;
                for (int dx = 0; dx < pool; dx++) {
                    double a = map[(rowPos + dx) * chans + c];
                    boolean better = a > best; // as selects, not branches: the winner is unpredictable
                    best = better ? a : best;
                    bestPos = better ? rowPos + dx : bestPos;
                }
            }
            int f = index(c, p);
            out[off + f] = best > 0 ? best : 0.0;
            argmax[off + f] = best > 0 ? bestPos : -1;
        }
    }

    /**
     * {@link #poolAt} for 2 x 2 windows whose first position is {@code first}: the four values of a channel are
     * compared as two pairs and then the pair winners (two dependent comparisons instead of four), which picks the same
     * winner as the sequential scan: the first maximum in window order, a NaN never winning (it is taken as
     * {@code -Infinity}, as the scan's {@code a > best} does).
     */
    private void poolPairs(double[] map, int p, int first, double[] out, int[] argmax, int off) {
        int p0 = first;
        int p1 = first + 1;
        int p2 = first + mapWidth;
        int p3 = p2 + 1;
        int b0 = p0 * chans;
        int b1 = p1 * chans;
        int b2 = p2 * chans;
        int b3 = p3 * chans;
        for (int c = 0; c < chans; c++) {
            double a0 = orMinusInfinity(map[b0 + c]);
            double a1 = orMinusInfinity(map[b1 + c]);
            double a2 = orMinusInfinity(map[b2 + c]);
            double a3 = orMinusInfinity(map[b3 + c]);
            boolean second = a1 > a0;
            double m01 = second ? a1 : a0;
            int w01 = second ? p1 : p0;
            boolean fourth = a3 > a2;
            double m23 = fourth ? a3 : a2;
            int w23 = fourth ? p3 : p2;
            boolean lower = m23 > m01;
            double best = lower ? m23 : m01;
            int bestPos = lower ? w23 : w01;
            int f = index(c, p);
            out[off + f] = best > 0 ? best : 0.0;
            argmax[off + f] = best > 0 ? bestPos : -1;
        }
    }

    /** {@code a}, or {@code -Infinity} for NaN. */
    private static double orMinusInfinity(double a) {
        return a > Double.NEGATIVE_INFINITY ? a : Double.NEGATIVE_INFINITY;
    }

    /**
     * The backward of {@link #forward}: puts each feature's gradient {@code dOut[dOff + f]} on its winner's entry of
     * the map-shaped {@code dMap} ({@code winner * chans + c}; set, not added: winners are distinct) and adds it to
     * {@code biasGrad[c]}, channel by channel, each channel's features in pooled-position order (the order of the
     * bias gradient's additions). Features without a winner are skipped.
     *
     * @return whether any feature had a winner
     */
    boolean route(double[] dOut, int dOff, int[] argmax, int amOff, double[] dMap, double[] biasGrad) {
        int plane = ph * pw;
        boolean any = false;
        for (int c = 0; c < chans; c++) {
            for (int p = 0; p < plane; p++) {
                int f = index(c, p);
                int pos = argmax[amOff + f];
                if (pos >= 0) {
                    double d = dOut[dOff + f];
                    biasGrad[c] += d;
                    dMap[pos * chans + c] = d;
                    any = true;
                }
            }
        }
        return any;
    }

    /** Sets the entries {@link #route} wrote for the winners {@code argmax[amOff ..]} back to zero. */
    void clear(int[] argmax, int amOff, double[] dMap) {
        int plane = ph * pw;
        for (int c = 0; c < chans; c++) {
            for (int p = 0; p < plane; p++) {
                int pos = argmax[amOff + index(c, p)];
                if (pos >= 0) {
                    dMap[pos * chans + c] = 0.0;
                }
            }
        }
    }
}
